/**
 * Builds report.html from the Handlebars templates in templates/: one page, styles and
 * charts inline, no script and nothing to fetch (a Content-Security-Policy forbids it).
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import Handlebars from "handlebars";
import { ROOT } from "../root.ts";
import type { ReportView } from "./view-model.ts";

export const TEMPLATE_DIR = join(ROOT, "templates");

/** Render the report page from a view model. */
export function renderHtml(view: ReportView, templateDir: string = TEMPLATE_DIR): string {
  return renderPage("report.hbs", view, templateDir);
}

/**
 * Render any page template of templateDir (with its partials and report.css) from a view. An
 * override folder (branding) replaces any partial of the same name (partials/<name>.hbs) and the
 * stylesheet (report.css), and adds brand.css after the stylesheet; the defaults stay for the rest.
 */
export function renderPage(templateFile: string, view: object, templateDir: string = TEMPLATE_DIR, overrideDir: string | null = null): string {
  const hbs = Handlebars.create();
  for (const dir of [templateDir, ...(overrideDir ? [overrideDir] : [])]) {
    const partials = join(dir, "partials");
    if (!existsSync(partials)) continue;
    for (const file of readdirSync(partials).filter((f) => f.endsWith(".hbs"))) {
      hbs.registerPartial(basename(file, ".hbs"), readFileSync(join(partials, file), "utf8"));
    }
  }
  const template = hbs.compile(readFileSync(join(templateDir, templateFile), "utf8"), { strict: true });
  const own = (file: string) => (overrideDir && existsSync(join(overrideDir, file)) ? readFileSync(join(overrideDir, file), "utf8") : null);
  const css = (own("report.css") ?? readFileSync(join(templateDir, "report.css"), "utf8")) + (own("brand.css") ?? "");
  return template({ ...view, css });
}
