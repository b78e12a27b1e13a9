/**
 * The story of a cell: the scenario's steps in order, each with the trace events it caused, the
 * failing step marked, and the decisive events (the oops, the `reject`, the errno that differs from
 * the base) picked out so every rendering can show them above the rest, once.
 */
import { optionBranches } from '../sim/decisions';
import { formatEvent, type TraceEvent } from '../sim/trace';
import { sectionOf } from './sections';
import type { Cell, MatrixReport, ScenarioRow, StepStatus } from './types';

export interface StoryStep {
  /** The step with its keyword: `When the VMM opens mediated device "m1"`. */
  readonly text: string;
  readonly status: StepStatus;
  readonly events: readonly TraceEvent[];
}

/** The row's steps with this cell's statuses and events (steps that never ran have none). */
export function storyOf(row: ScenarioRow, cell: Cell): StoryStep[] {
  return row.steps.map((text, i) => ({ text, status: cell.steps?.[i]?.status ?? 'skipped', events: cell.steps?.[i]?.events ?? [] }));
}

export function allEvents(cell: Cell): TraceEvent[] {
  return (cell.steps ?? []).flatMap((s) => s.events);
}

const ERRNO_OUTCOME = /^-E[A-Z]+|^cc [1-3]\b|^oops$/;

/** How many decisive events any rendering shows. */
export const DECISIVE_MAX = 3;

/**
 * The events that explain the cell's verdict, at most DECISIVE_MAX, as indices into
 * `allEvents(cell)` in trace order. By priority:
 * 1. the oops;
 * 2. decisions that went the other way than under the base (the n-th decision at the same point
 *    took another branch: v10's `accept` where linux-4.20 rejects), or, without a base, a `reject`
 *    in the step where the scenario stopped or the one before;
 * 3. else, against the base, the first event that differs once decisions are set aside;
 * 4. else the last refusal (an errno, a non-zero condition code) of the failing step;
 * 5. without a base, the other rejects.
 * An `accept` the base shares is never decisive: it is what every policy does.
 */
export function decisiveEvents(cell: Cell, base?: Cell): number[] {
  const events = allEvents(cell);
  const theirs = base?.steps ? allEvents(base) : undefined;
  const ranked: [number, number][] = [];
  events.forEach((e, i) => {
    if (e.type === 'oops') ranked.push([0, i]);
  });
  const stop = failingStepIndex(cell);
  const stepOf: number[] = (cell.steps ?? []).flatMap((st, k) => st.events.map(() => k));
  const near = (i: number) => stop < 0 || stepOf[i] >= stop - 1;
  const seen = new Map<string, number>();
  const baseDecisions = new Map<string, TraceEvent[]>();
  for (const e of theirs ?? []) if (e.type === 'decision') baseDecisions.set(e.point, [...(baseDecisions.get(e.point) ?? []), e]);
  events.forEach((e, i) => {
    if (e.type !== 'decision') return;
    const n = seen.get(e.point) ?? 0;
    seen.set(e.point, n + 1);
    if (!theirs) {
      // Without a base, a reject near where the scenario stopped explains it; one far before it
      // (a feature probe the scenario shrugged off) only when nothing else does.
      // A reject that its option always gives (4.20's kvm.cpu_feat_ap = absent, at every QEMU
      // start) is the release's constant behaviour, not what went wrong here.
      if (e.branch === 'reject' && optionBranches(e.point, e.option).length > 1) ranked.push([near(i) ? 1 : 4, i]);
      return;
    }
    const other = baseDecisions.get(e.point)?.[n];
    if (other && other.type === 'decision' ? other.branch !== e.branch : e.branch === 'reject') ranked.push([1, i]);
  });
  if (!ranked.length && theirs) {
    const mine = events.map((e, i) => [e, i] as const).filter(([e]) => e.type !== 'decision');
    const other = theirs.filter((e) => e.type !== 'decision').map(formatEvent);
    const at = mine.findIndex(([e], j) => formatEvent(e) !== other[j]);
    if (at >= 0) ranked.push([2, mine[at][1]]);
  }
  if (!ranked.some(([rank]) => rank < 4) && cell.steps) {
    let offset = 0;
    for (const st of cell.steps) {
      if (st.status === 'failed') {
        for (let j = st.events.length - 1; j >= 0; j--)
          if (ERRNO_OUTCOME.test(st.events[j].outcome)) {
            ranked.push([3, offset + j]);
            break;
          }
        break;
      }
      offset += st.events.length;
    }
  }
  return ranked
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .slice(0, DECISIVE_MAX)
    .map(([, i]) => i)
    .sort((a, b) => a - b);
}

/** The index of the step that failed (or that ended the scenario as skipped / not applicable), or -1. */
export function failingStepIndex(cell: Cell): number {
  const steps = cell.steps ?? [];
  const failed = steps.findIndex((s) => s.status !== 'passed' && s.status !== 'skipped');
  if (failed >= 0) return failed;
  if (cell.status === 'skipped' || cell.status === 'not-applicable') return steps.findIndex((s) => s.status === 'skipped');
  return -1;
}

/** Cells that fail the same way under several policies, shown once. */
export interface FailureGroup {
  readonly scenario: ScenarioRow;
  /** The first policy's cell (the others have the same status, step, error and decisive events). */
  readonly cell: Cell;
  readonly policies: string[];
  /** The decisive events of that cell (against its policy's base). */
  readonly decisive: readonly TraceEvent[];
  /** Their indices in `allEvents(cell)`. */
  readonly decisiveAt: readonly number[];
}

/**
 * Non-passing cells that are verdicts or breakage (not skipped, not n.a.), in report order,
 * grouped when a scenario fails the same way under several policies. `findings: false` leaves out
 * the findings, whose own section says they fail everywhere.
 */
export function failureGroups(report: MatrixReport, opts: { readonly findings: boolean }): FailureGroup[] {
  const groups = new Map<string, FailureGroup & { policies: string[] }>();
  for (const s of report.scenarios) {
    if (!opts.findings && sectionOf(s) === 'finding') continue;
    for (const p of report.policies) {
      const cell = s.results[p.id];
      if (!cell || cell.status === 'passed' || cell.status === 'skipped' || cell.status === 'not-applicable') continue;
      const events = allEvents(cell);
      const decisiveAt = decisiveEvents(cell, p.base !== undefined ? s.results[p.base] : undefined);
      const decisive = decisiveAt.map((i) => events[i]);
      const key = [s.id, cell.status, cell.failingStep ?? '', cell.error ?? '', ...decisive.map(formatEvent)].join('\u0000');
      const g = groups.get(key);
      if (g) g.policies.push(p.id);
      else groups.set(key, { scenario: s, cell, policies: [p.id], decisive, decisiveAt });
    }
  }
  return [...groups.values()];
}
