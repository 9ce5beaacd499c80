/**
 * Builds report.html from the Handlebars templates in templates/: one page, styles and
 * charts inline, no script and nothing to fetch (a Content-Security-Policy forbids it).
 */
import { readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import type { ReportView } from "./view-model.ts";

export const TEMPLATE_DIR = fileURLToPath(new URL("../../templates/", import.meta.url));

/** Render the report page from a view model. */
export function renderHtml(view: ReportView, templateDir: string = TEMPLATE_DIR): string {
  return renderPage("report.hbs", view, templateDir);
}

/** Render any page template of templateDir (with its partials and report.css) from a view. */
export function renderPage(templateFile: string, view: object, templateDir: string = TEMPLATE_DIR): string {
  const hbs = Handlebars.create();
  const partials = join(templateDir, "partials");
  for (const file of readdirSync(partials).filter((f) => f.endsWith(".hbs"))) {
    hbs.registerPartial(basename(file, ".hbs"), readFileSync(join(partials, file), "utf8"));
  }
  const template = hbs.compile(readFileSync(join(templateDir, templateFile), "utf8"), { strict: true });
  return template({ ...view, css: readFileSync(join(templateDir, "report.css"), "utf8") });
}
