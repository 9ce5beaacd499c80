import { describe, expect, it } from "vitest";
import { openPrinter, printPdf } from "../../pipeline/report/pdf.ts";
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

  const browser = findBrowser();
  it.skipIf(browser === null)(
    "refuses every request but the page's own data, in the first tab (made ready at launch) and in later ones",
    async () => {
      const opened = await openPrinter(browser);
      if (!opened.ok) throw new Error("no printer");
      try {
        const page = (src: string) => `<!doctype html><p>report</p><img src="${src}">`;
        const inline = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
        const [first, second] = await Promise.all([
          opened.value.print(page("http://example.invalid/a.png")),
          opened.value.print(page("http://example.invalid/b.png")),
        ]);
        const third = await opened.value.print(page(inline));
        expect([first.blockedRequests, second.blockedRequests].flat().sort()).toEqual([
          "http://example.invalid/a.png",
          "http://example.invalid/b.png",
        ]);
        expect(third.blockedRequests).toEqual([]);
        for (const pdf of [first, second, third])
          expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString()).toBe("%PDF-");
      } finally {
        await opened.value.close();
      }
    },
  );
});
