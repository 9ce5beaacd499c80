/**
 * The values of a study's client-id column, kept compactly for the release check: a sorted array of
 * 53-bit hashes (8 bytes an id, so a million ids take 8 MB, not a Set of strings), looked up by
 * binary search. A hash shared by an id and an unrelated word of a report is possible in principle
 * (about 1 in 10^15 per word); it would make the check refuse a safe report, never pass an unsafe one.
 *
 * Ids written as plain numbers of up to MAX_PLAIN_DIGITS digits cannot be told apart from the counts,
 * days and years a report is full of, so they are not looked for; `skipped` says how many.
 */

import { type Db, queryColumns } from "../db.ts";
import { TABLES } from "../phases/tables.ts";
import { lowerBound } from "../../analyses/lower-bound.ts";

/** Plain-number ids of this many digits or fewer are not looked for (a report prints such numbers). */
export const MAX_PLAIN_DIGITS = 5;

/** FNV-1a over UTF-16 code units, folded to 53 bits so it fits a double exactly. */
function hash53(s: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x050c5d1f;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return (h1 >>> 0) * 2 ** 21 + ((h2 >>> 0) & 0x1fffff);
}

/** Whether an id is a plain number of at most MAX_PLAIN_DIGITS digits (0-9), tested without a regular expression: a million ids are checked. */
function isPlainNumber(t: string): boolean {
  if (t.length > MAX_PLAIN_DIGITS) return false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export interface ClientIds {
  /** Ids that can be looked for. */
  size: number;
  /** Ids written as short plain numbers, which cannot be. */
  skipped: number;
  has(token: string): boolean;
}

/**
 * @example clientIds(["C00012", "777"]).has("C00012") // => true (and "777" is skipped: a plain short number)
 */
export function clientIds(ids: Iterable<string>): ClientIds {
  const list = Array.isArray(ids) ? (ids as readonly string[]) : Array.from(ids);
  const hashes = new Float64Array(list.length);
  let m = 0;
  let skipped = 0;
  for (const id of list) {
    const t = id.trim();
    if (t === "") continue;
    if (isPlainNumber(t)) skipped++;
    else hashes[m++] = hash53(t);
  }
  const sorted = hashes.subarray(0, m).sort();
  return {
    size: sorted.length,
    skipped,
    has(token) {
      const h = hash53(token);
      const at = lowerBound(sorted, h);
      return at < sorted.length && sorted[at] === h;
    },
  };
}

/** No ids: for commands whose outputs come from no client data (alliance meta). */
export const NO_CLIENT_IDS: ClientIds = { size: 0, skipped: 0, has: () => false };

/**
 * The client ids of both files, for the release check: those only the sessions have, from
 * r_session_clients, and the episodes' from r_episodes as read or, once validate has typed them
 * (and dropped r_episodes), from t_episodes, which holds the same ids (phases/tables.ts). A run reads
 * them after validate, so that a million ids are not held in memory beside validate's largest query.
 */
export async function readClientIds(db: Db, episodes: "read" | "validated" = "read"): Promise<ClientIds> {
  const fromEpisodes =
    episodes === "read"
      ? `SELECT client_id FROM ${TABLES.episodes.name}`
      : `SELECT client_id_text AS client_id FROM ${TABLES.typedEpisodes.name}`;
  const c = await queryColumns(
    db,
    `(SELECT client_id FROM (${fromEpisodes}) WHERE client_id IS NOT NULL UNION SELECT client_id FROM ${TABLES.sessionClients.name} WHERE client_id IS NOT NULL)`,
    ["client_id"],
  );
  return clientIds(c.client_id as string[]);
}
