import { describe, expect, it } from "vitest";
import { randomEffects } from "../../analyses/random-effects.ts";

// metafor::dat.molloy2014 (Molloy, O'Carroll & Ferguson 2014; 16 correlations of conscientiousness with
// medication adherence). Expected values: test/reference/meta-reference.out, metafor::rma after
// escalc(measure = "ZCOR"), REML run to threshold 1e-12.
const RI = [0.187, 0.162, 0.34, 0.32, 0.27, 0, 0.175, 0.05, 0.26, 0.01, -0.09, 0.37, 0, 0.15, 0.24, 0.04];
const NI = [109, 749, 55, 107, 72, 65, 174, 326, 58, 771, 56, 91, 116, 537, 158, 65];

describe("randomEffects, REML, on dat.molloy2014", () => {
  const m = randomEffects(RI, NI, "REML");

  it("matches rma(method = 'REML'): pooled z, SE and CI", () => {
    expect(m.z).toBeCloseTo(0.14991714851750013, 9);
    expect(m.se).toBeCloseTo(0.031559960165993772, 9);
    expect(m.z_ci[0]).toBeCloseTo(0.088060763238633599, 9);
    expect(m.z_ci[1]).toBeCloseTo(0.21177353379636665, 9);
  });

  it("matches τ², I², H², Q and its p", () => {
    expect(m.tau2).toBeCloseTo(0.008109560824303929, 10);
    expect(m.i2).toBeCloseTo(61.729654689239105, 6);
    expect(m.h2).toBeCloseTo(2.6129892267233323, 8);
    expect(m.q).toBeCloseTo(38.159515423615737, 9);
    expect(m.q_p / 0.00085458497597336693).toBeCloseTo(1, 8);
  });

  it("matches predict(res, transf = transf.ztor): pooled r, CI and prediction interval", () => {
    expect(m.r).toBeCloseTo(0.14880401769001181, 9);
    expect(m.r_ci[0]).toBeCloseTo(0.087833838895711974, 9);
    expect(m.r_ci[1]).toBeCloseTo(0.20866343931015496, 9);
    expect(m.r_pi[0]).toBeCloseTo(-0.037091911658996377, 9);
    expect(m.r_pi[1]).toBeCloseTo(0.32474571415074083, 9);
  });
});

describe("randomEffects, DerSimonian–Laird, on dat.molloy2014", () => {
  const m = randomEffects(RI, NI, "DL");

  it("matches rma(method = 'DL'): τ², I², pooled r and CI", () => {
    expect(m.tau2).toBeCloseTo(0.0077625440549592062, 12);
    expect(m.i2).toBeCloseTo(60.691324736485079, 8);
    expect(m.r).toBeCloseTo(0.14849226644117347, 12);
    expect(m.r_ci[0]).toBeCloseTo(0.088292882295030017, 12);
    expect(m.r_ci[1]).toBeCloseTo(0.20761088016717952, 12);
    expect(m.r_pi[0]).toBeCloseTo(-0.033554663957982844, 12);
    expect(m.r_pi[1]).toBeCloseTo(0.32100213779260284, 12);
  });
});

describe("randomEffects on homogeneous studies", () => {
  it("estimates τ² = 0 (truncated) and I² = 0 when the studies agree more than chance allows", () => {
    const m = randomEffects([0.3, 0.3, 0.3], [100, 100, 100], "REML");
    expect([m.tau2, m.i2]).toEqual([0, 0]);
    expect(m.r).toBeCloseTo(0.3, 14);
  });
});
