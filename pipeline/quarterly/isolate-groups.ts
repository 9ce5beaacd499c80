/**
 * Failure isolation for a batch: when validation errors all lie in the records of some sites, those
 * sites are left out of the batch (their reports are not written, and the program report says so)
 * instead of stopping every report. Errors that cannot be tied to a site stop the batch as before.
 */
import { basename } from "node:path";
import type { Study } from "../config/study.ts";
import { type Db, queryRows, sqlString } from "../db.ts";
import type { Problem } from "../problem.ts";
import { sessionEpisodeRows } from "../phases/validate/validate.ts";
import { TABLES } from "../phases/tables.ts";

/**
 * The site of each error's record, counted by site; null when any error has no row or its record
 * has no site (the batch cannot go on without it). A session's site is that of the episode validate
 * linked it to (a client may have been treated at several sites).
 */
export async function errorsBySite(
  db: Db,
  study: Study,
  problems: readonly Problem[],
): Promise<Map<string, Problem[]> | null> {
  const episodesFile = basename(study.files.episodes);
  const sessionsFile = basename(study.files.sessions);
  const rows = (file: string) => problems.filter((p) => p.where?.file === file).map((p) => p.where?.row ?? 0);
  // Each record's site, in one query per file.
  const siteOf = (sql: string, wanted: number[]) =>
    wanted.length
      ? queryRows<{ row: number; site: string | null }>(db, sql.replace("$ROWS", [...new Set(wanted)].join(", ")))
      : Promise.resolve([]);
  const episodeSites = await siteOf(
    `SELECT src_row AS row, site FROM ${TABLES.episodes.name} WHERE src_row IN ($ROWS)`,
    rows(episodesFile),
  );
  const sessionSites = await siteOf(
    `SELECT s.src_row AS row, any_value(e.site) AS site FROM ${sessionEpisodeRows(study)} s JOIN ${TABLES.episodes.name} e ON e.src_row = s.episode_row WHERE s.src_row IN ($ROWS) GROUP BY s.src_row`,
    rows(sessionsFile),
  );
  const byEpisode = new Map(episodeSites.map((r) => [r.row, r.site]));
  const bySession = new Map(sessionSites.map((r) => [r.row, r.site]));
  // (In the long and wide layouts both names are the one file: an episode's row is looked up first.)
  const siteAt = (file: string | undefined, row: number) =>
    (file === episodesFile ? byEpisode.get(row) : undefined) ??
    (file === sessionsFile ? bySession.get(row) : undefined);
  const out = new Map<string, Problem[]>();
  for (const p of problems) {
    const row = p.where?.row;
    if (row === undefined || row < 2) return null;
    const site = siteAt(p.where?.file, row);
    if (!site) return null;
    const list = out.get(site);
    if (list) list.push(p);
    else out.set(site, [p]);
  }
  return out;
}

/**
 * Removes the sites' episodes and the sessions linked to them from the ingested tables (after a
 * validation, which built the links). A client's sessions at other sites stay.
 */
export async function dropSites(db: Db, study: Study, sites: readonly string[]): Promise<void> {
  const list = sites.map(sqlString).join(", ");
  await db.run(`DELETE FROM ${TABLES.sessions.name} WHERE src_row IN (
    SELECT s.src_row FROM ${sessionEpisodeRows(study)} s JOIN ${TABLES.episodes.name} e ON e.src_row = s.episode_row WHERE e.site IN (${list}))`);
  await db.run(`DELETE FROM ${TABLES.episodes.name} WHERE site IN (${list})`);
}
