/**
 * What a test file leaves to undo (temporary folders, open databases), undone once its tests have
 * run by test/setup/clean-up.ts. No imports: every test file loads it.
 */
const tasks: (() => void)[] = [];

/** @example atFileEnd(() => rmSync(dir, { recursive: true, force: true })) */
export function atFileEnd(task: () => void): void {
  tasks.push(task);
}

/** Undoes everything registered, latest first. */
export function cleanUp(): void {
  for (const task of tasks.splice(0).reverse()) task();
}
