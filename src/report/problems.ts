/**
 * The cells `npm start` explains on the console, so that a run teaches without opening the report:
 *
 * - authoring problems, which are no verdict on any policy and always fail the run: an undefined
 *   step (with cucumber's snippet and its "did you mean"), an ambiguous or pending step, a broken
 *   policy ("policy error:"), and a step the vocabulary cannot run ("step error:", e.g. a value that
 *   does not parse or a guest the scenario never created; steps/support/errors.ts);
 * - verdicts nobody reviewed yet or that changed: what was expected, what the simulated kernel did
 *   instead (the failing step's message), and the trace lines that explain it: the decisive events
 *   (src/report/story.ts), else the last few events before the scenario stopped.
 *
 * Cells that fail the same way under several policies are listed once, with the policies named.
 * Pure string builders; the caller owns the stream.
 */
import { formatEvent } from '../sim/trace';
import { allEvents, decisiveEvents, failingStepIndex } from './story';
import type { VerdictDifference } from './verdicts';
import type { Cell, MatrixReport, ScenarioRow } from './types';
import { STEP_ERROR_PREFIX } from '../contract/step-error';

/** The message prefix of an authoring error thrown by a step (steps/support/errors.ts), defined in src/contract. */
export { STEP_ERROR_PREFIX };

/** How many problems the console shows before pointing at the report. */
const MAX_SHOWN = 12;

export interface Problem {
  readonly kind: 'authoring' | 'verdict';
  readonly where: string;
  readonly scenario: string;
  readonly policies: string[];
  readonly status: Cell['status'];
  readonly failingStep?: string;
  readonly error?: string;
  /** The trace lines that explain the cell (decisive events, else the end of the trace before the stop). */
  readonly trace: readonly string[];
}

/** Trace lines shown per problem when no event is decisive. */
const TAIL = 3;

/** True for a cell that says the feature or a policy is broken, whatever the expected verdicts say. */
export function isAuthoringProblem(cell: Cell): boolean {
  return (
    cell.status === 'undefined' ||
    cell.status === 'ambiguous' ||
    cell.status === 'pending' ||
    cell.status === 'policy-error' ||
    (cell.status === 'failed' && (cell.error?.startsWith(STEP_ERROR_PREFIX) ?? false))
  );
}

/** Authoring problems, then non-passing cells that are new or changed against the expected verdicts. */
export function findProblems(report: MatrixReport, differences: readonly VerdictDifference[]): Problem[] {
  const unreviewed = new Set(differences.filter((d) => d.kind !== 'gone').map((d) => `${d.id}\u0000${d.policy}`));
  const grouped = new Map<string, Problem>();
  for (const s of report.scenarios) {
    for (const [policy, cell] of Object.entries(s.results)) {
      const authoring = isAuthoringProblem(cell);
      if (!authoring && (cell.status === 'passed' || cell.status === 'skipped' || cell.status === 'not-applicable' || !unreviewed.has(`${s.id}\u0000${policy}`))) continue;
      const key = [s.id, cell.status, cell.failingStep ?? '', cell.error ?? ''].join('\u0000');
      const seen = grouped.get(key);
      if (seen) seen.policies.push(policy);
      else grouped.set(key, problemOf(s, policy, cell, authoring, report.policies.find((p) => p.id === policy)?.base));
    }
  }
  const all = [...grouped.values()];
  return [...all.filter((p) => p.kind === 'authoring'), ...all.filter((p) => p.kind === 'verdict')];
}

function problemOf(s: ScenarioRow, policy: string, cell: Cell, authoring: boolean, base: string | undefined): Problem {
  const events = allEvents(cell);
  const decisive = decisiveEvents(cell, base !== undefined ? s.results[base] : undefined);
  // Without a decisive event: the events up to the end of the step where the scenario stopped.
  const stop = failingStepIndex(cell);
  const upTo = stop < 0 ? events.length : (cell.steps ?? []).slice(0, stop + 1).reduce((n, st) => n + st.events.length, 0);
  const shown = decisive.length ? decisive : Array.from({ length: Math.min(TAIL, upTo) }, (_, k) => upTo - Math.min(TAIL, upTo) + k);
  return {
    trace: shown.map((i) => formatEvent(events[i])),
    kind: authoring ? 'authoring' : 'verdict',
    where: `${s.uri}:${s.line}`,
    scenario: s.name,
    policies: [policy],
    status: cell.status,
    ...(cell.failingStep !== undefined ? { failingStep: cell.failingStep } : {}),
    ...(cell.error !== undefined ? { error: cell.error } : {}),
  };
}

const HEADLINE: Record<Cell['status'], string> = {
  passed: 'passed',
  failed: 'failed',
  'not-applicable': 'not applicable',
  'policy-error': 'policy error',
  undefined: 'undefined step',
  ambiguous: 'ambiguous step',
  pending: 'pending step',
  skipped: 'skipped',
};

/** The console text for `problems`, or '' when there are none. */
export function problemsText(problems: readonly Problem[], reportPath: string): string {
  if (!problems.length) return '';
  const lines: string[] = [];
  const authoring = problems.filter((p) => p.kind === 'authoring').length;
  if (authoring)
    lines.push(`${authoring} problem${authoring === 1 ? '' : 's'} in the features or policies (not a verdict; fix ${authoring === 1 ? 'it' : 'them'}):`);
  problems.forEach((p, i) => {
    if (i === authoring) lines.push('Unreviewed or changed verdicts:');
    if (i >= MAX_SHOWN) return;
    const status = p.kind === 'authoring' && p.status === 'failed' ? 'step error' : HEADLINE[p.status];
    lines.push('', `${p.where}  ${p.scenario}`, `  ${status} under ${p.policies.join(', ')}${p.failingStep ? `, at: ${p.failingStep}` : ''}`);
    if (p.error) lines.push(...p.error.split('\n').map((l) => `    ${l}`));
    lines.push(...p.trace.map((l) => `    > ${l}`));
  });
  if (problems.length > MAX_SHOWN) lines.push('', `... and ${problems.length - MAX_SHOWN} more: see ${reportPath}`);
  return `${lines.join('\n')}\n`;
}
