import { describe, expect, it } from "vitest";
import { printPdf } from "../../pipeline/report/pdf.ts";
import { findBrowser, INSTALL_BROWSER_HINT } from "../../pipeline/report/find-browser.js";

describe("PDF printing", () => {
  it("says how to install a browser when none is found, instead of failing the run", async () => {
    const result = await printPdf("<p>x</p>", null);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]).toMatchObject({ code: "W_NO_BROWSER", fix: INSTALL_BROWSER_HINT });
  });

  it("takes the browser named in ALLIANCE_CHROMIUM over PATH", () => {
    expect(findBrowser({ ALLIANCE_CHROMIUM: process.execPath, PATH: "" })).toBe(process.execPath);
  });

  it("finds nothing when neither the environment nor PATH has a browser", () => {
    expect(findBrowser({ PATH: "/nonexistent" })).toBeNull();
  });
});
