import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup/clean-up.ts"],
    testTimeout: 20_000,
    // Pin what can vary between machines, so outputs compare exactly.
    env: { TZ: "UTC" },
  },
});
