/**
 * The folder of each group's report in a quarterly batch: readable (the group's name, lower-cased,
 * its letters and digits in any script kept, other runs of characters made one "-") and unique by
 * construction: when two names would make the same folder ("North Side" and "north-side"), each of
 * them gets a short suffix from a hash of its own name, the same in every batch.
 */
import { createHash } from "node:crypto";
import { PROGRAM } from "./batch-suppression.ts";

/** A group's name as the readable part of its folder. @example readable("North Side") // => "north-side" */
const readable = (group: string): string =>
  group
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60) || "unnamed";

const suffix = (group: string) => createHash("sha256").update(group).digest("hex").slice(0, 6);

/**
 * Each group's folder: "program" for the program, "site-<name>" for a site.
 * @example folderNames(["", "東區", "西區", "North Side", "north-side"]) // => Map { "" => "program", "東區" => "site-東區", "西區" => "site-西區", "North Side" => "site-north-side-<6 hex>", "north-side" => "site-north-side-<6 hex>" }
 */
export function folderNames(groups: readonly string[]): Map<string, string> {
  const sites = groups.filter((g) => g !== PROGRAM);
  const taken = new Map<string, number>();
  for (const g of sites) taken.set(readable(g), (taken.get(readable(g)) ?? 0) + 1);
  const names = new Map<string, string>(groups.includes(PROGRAM) ? [[PROGRAM, "program"]] : []);
  for (const g of sites) names.set(g, `site-${readable(g)}${taken.get(readable(g))! > 1 ? `-${suffix(g)}` : ""}`);
  return names;
}
