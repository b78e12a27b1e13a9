/**
 * How a step says "this feature is written wrong" rather than "the kernel did something else": the
 * message prefix of a step error. The steps (steps/support/errors.ts) write it; the report
 * (src/report/problems.ts) reads it to list such a cell as an authoring problem, not a verdict.
 * Neither side owns it, so it lives in src/contract, which both may import.
 */
export const STEP_ERROR_PREFIX = 'step error:';
