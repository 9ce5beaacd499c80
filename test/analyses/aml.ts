/** survival::aml (Miller 1997): 23 AML patients, time to relapse in weeks; printed by test/reference/aml-reference.R. */
export const AML_TIME = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45];
export const AML_EVENT = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1].map((s) => s === 1);
export const AML_GROUP = [...Array<string>(11).fill("Maintained"), ...Array<string>(12).fill("Nonmaintained")];
