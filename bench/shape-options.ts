/**
 * A study's shape from a benchmark's command line: every dimension of data/generator/shape.ts that
 * real exports vary, each with the demo-like default.
 *   --episodes 1000000 --sessions-per-episode 10 --therapists 50000 --sites 50 --site-sizes skewed
 *   --readmissions 0.05 --order shuffled --extra-scores 2 --seed 1
 */
import { parseArgs } from "node:util";
import { DEFAULT_SHAPE, type StudyShape } from "../data/generator/shape.ts";

export const SHAPE_OPTIONS = {
  episodes: { type: "string" },
  "sessions-per-episode": { type: "string" },
  therapists: { type: "string" },
  sites: { type: "string" },
  "site-sizes": { type: "string" },
  readmissions: { type: "string" },
  order: { type: "string" },
  "extra-scores": { type: "string" },
  seed: { type: "string" },
} as const;

type ShapeValues = Partial<Record<keyof typeof SHAPE_OPTIONS, string>>;

/** @example shapeFrom({ episodes: "1000", order: "shuffled" }).order // => "shuffled" */
export function shapeFrom(v: ShapeValues): StudyShape {
  const num = (x: string | undefined, d: number) => (x === undefined ? d : Number(x));
  const order = v.order ?? DEFAULT_SHAPE.order;
  const sizes = v["site-sizes"] ?? DEFAULT_SHAPE.siteSizes;
  if (order !== "sorted" && order !== "shuffled") throw new Error(`--order takes sorted or shuffled (got ${order})`);
  if (sizes !== "even" && sizes !== "skewed") throw new Error(`--site-sizes takes even or skewed (got ${sizes})`);
  return {
    ...DEFAULT_SHAPE,
    seed: num(v.seed, DEFAULT_SHAPE.seed),
    episodes: num(v.episodes, 100_000),
    sessionsPerEpisode: num(v["sessions-per-episode"], DEFAULT_SHAPE.sessionsPerEpisode),
    therapists: num(v.therapists, DEFAULT_SHAPE.therapists),
    sites: num(v.sites, DEFAULT_SHAPE.sites),
    siteSizes: sizes,
    readmissionShare: num(v.readmissions, DEFAULT_SHAPE.readmissionShare),
    order,
    extraScores: num(v["extra-scores"], DEFAULT_SHAPE.extraScores),
  };
}

/** The shape's own options parsed from argv (others are left to the caller). */
export function parseShape(args: string[]): StudyShape {
  const { values } = parseArgs({ args, options: SHAPE_OPTIONS, strict: false });
  return shapeFrom(values as ShapeValues);
}
