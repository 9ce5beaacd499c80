/**
 * The phases' seconds from a command's progress lines on stderr (pipeline/progress.ts).
 * @example phaseTimes("alliance: read        2.31 s  10,527,398 rows\n") // => { read: 2.31 }
 */
export function phaseTimes(stderr: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of stderr.matchAll(/^alliance: (\S+)\s+(\d+\.\d+) s\b/gm)) out[m[1]!] = (out[m[1]!] ?? 0) + Number(m[2]);
  return out;
}
