/**
 * The files a config's branding names, checked before any work: a logo must be an image, known by
 * its bytes (PNG, JPEG, or an SVG that parses and holds no script and no reference outside itself),
 * and small; a templates folder must be a folder. A logo that is really a data file would otherwise
 * be embedded whole, base64, in a report that users share.
 */
import { readFileSync, statSync } from "node:fs";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { problem } from "../messages.ts";
import type { Problem } from "../problem.ts";

/** The largest logo embedded in a report: 512 KB. */
export const LOGO_MAX_BYTES = 512 * 1024;

export type ImageType = "image/png" | "image/jpeg" | "image/svg+xml";

/**
 * The image type of a logo's bytes, or why it is not an acceptable image.
 * @example logoType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) // => { ok: true, type: "image/png" }
 */
export function logoType(bytes: Buffer): { ok: true; type: ImageType } | { ok: false; why: string } {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return { ok: true, type: "image/png" };
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { ok: true, type: "image/jpeg" };
  const why = svgProblem(bytes.toString("utf8"));
  return why === null ? { ok: true, type: "image/svg+xml" } : { ok: false, why };
}

/** References that stay inside the image: a fragment (#id), or none. */
const local = (value: string) => value.trim() === "" || value.trim().startsWith("#");

/** Why a text is not a safe SVG image, or null when it is one. */
function svgProblem(text: string): string | null {
  if (!/^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text))
    return "it is neither a PNG, a JPEG nor an SVG image (checked by its content, not its name)";
  let failed: string | null = null;
  const doc = new DOMParser({
    onError: (level, message) => void (level !== "warning" && (failed ??= message)),
  }).parseFromString(text, "image/svg+xml");
  if (failed !== null || !doc.documentElement || doc.documentElement.localName !== "svg")
    return `the SVG does not parse (${String(failed ?? "no <svg> root").split("\n")[0]})`;
  const stack: Element[] = [doc.documentElement];
  while (stack.length) {
    const el = stack.pop()!;
    const name = (el.localName ?? el.nodeName).toLowerCase();
    if (name === "script" || name === "foreignobject" || name === "iframe")
      return `the SVG holds a <${el.localName}> element`;
    for (let i = 0; i < el.attributes.length; i++) {
      const a = el.attributes.item(i)!;
      const attr = a.name.toLowerCase();
      if (attr.startsWith("on")) return `the SVG holds an event handler (${a.name})`;
      if ((attr === "href" || attr.endsWith(":href") || attr === "src") && !local(a.value))
        return `the SVG refers to something outside itself (${a.name})`;
      if (/url\(\s*['"]?(?!#)/i.test(a.value) || /@import/i.test(a.value))
        return `the SVG refers to something outside itself (${a.name})`;
    }
    if (name === "style" && (/url\(\s*['"]?(?!#)/i.test(el.textContent ?? "") || /@import/i.test(el.textContent ?? "")))
      return "the SVG's style refers to something outside itself";
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) stack.push(c as Element);
  }
  return null;
}

/**
 * Checks a logo file before any work: it can be read, is at most LOGO_MAX_BYTES, and is an image.
 * @example checkLogo("docs/examples/branding/logo.svg") // => null
 */
export function checkLogo(path: string): Problem | null {
  const where = { file: path, key: "reporting.branding.logo" };
  let bytes: Buffer;
  try {
    if (statSync(path).size > LOGO_MAX_BYTES)
      return problem("E_LOGO", { why: `it is larger than ${LOGO_MAX_BYTES / 1024} KB` }, where);
    bytes = readFileSync(path);
  } catch (e) {
    return problem(
      "E_LOGO",
      { why: `it cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` },
      where,
    );
  }
  const type = logoType(bytes);
  return type.ok ? null : problem("E_LOGO", { why: type.why }, where);
}

/** Checks a branding templates folder before any work: it exists and is a folder. */
export function checkTemplates(path: string): Problem | null {
  try {
    if (statSync(path).isDirectory()) return null;
  } catch {
    // named below
  }
  return problem(
    "E_CONFIG_VALUE",
    { detail: `${path} is not a folder`, fix: "Give the folder that holds your partials/ and report.css." },
    { file: path, key: "reporting.branding.templates" },
  );
}
