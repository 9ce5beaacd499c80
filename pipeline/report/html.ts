/**
 * Builds report.html from the Handlebars templates in templates/: one page, styles and
 * charts inline, no script and nothing to fetch (a Content-Security-Policy forbids it).
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import Handlebars from "handlebars";
import { ROOT } from "../root.ts";
import type { ReportView } from "./research-view.ts";

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
export function renderPage(
  templateFile: string,
  view: object,
  templateDir: string = TEMPLATE_DIR,
  overrideDir: string | null = null,
): string {
  const { template, css } = compiled(templateFile, templateDir, overrideDir);
  return template({ ...view, css });
}

/**
 * Templates compiled once per process and reused while their files are unchanged (a batch renders a
 * page per site: compiling each time cost 5 s of 1,000 sites' reports). The key holds every file's
 * modification time, so an edited template is compiled again.
 */
const templates = new Map<string, { template: HandlebarsTemplateDelegate; css: string }>();

function compiled(
  templateFile: string,
  templateDir: string,
  overrideDir: string | null,
): { template: HandlebarsTemplateDelegate; css: string } {
  const dirs = [templateDir, ...(overrideDir ? [overrideDir] : [])];
  const partialFiles = dirs.flatMap((dir) => {
    const partials = join(dir, "partials");
    return existsSync(partials)
      ? readdirSync(partials)
          .filter((f) => f.endsWith(".hbs"))
          .map((f) => join(partials, f))
      : [];
  });
  const own = (file: string) => (overrideDir && existsSync(join(overrideDir, file)) ? join(overrideDir, file) : null);
  const cssFiles = [
    own("report.css") ?? join(templateDir, "report.css"),
    ...(own("brand.css") ? [own("brand.css")!] : []),
  ];
  const files = [join(templateDir, templateFile), ...partialFiles, ...cssFiles];
  const key = files.map((f) => `${f}@${statSync(f).mtimeMs}`).join("|");
  const found = templates.get(key);
  if (found) return found;
  const hbs = Handlebars.create();
  for (const file of partialFiles) hbs.registerPartial(basename(file, ".hbs"), readFileSync(file, "utf8"));
  const made = {
    template: hbs.compile(readFileSync(files[0]!, "utf8"), { strict: true }),
    css: cssFiles.map((f) => readFileSync(f, "utf8")).join(""),
  };
  templates.set(key, made);
  return made;
}
