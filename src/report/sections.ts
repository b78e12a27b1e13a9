/**
 * Which part of the report a scenario belongs to, and the requirements of the two tables at the top.
 *
 * - thread: the 2018 thread's requirements (features/thread/ or @thread), one requirement per feature;
 * - history: what changed between kernel releases (features/history/ or @history), one per feature;
 * - finding: defects of the kernel as merged (features/findings/ or @finding), expected to fail
 *   under every policy and never counted against one;
 * - library: everything else (the layer-by-layer behaviour).
 */
import {
  FINDING_TAG,
  FINDINGS_URI_PREFIX,
  HISTORY_TAG,
  HISTORY_URI_PREFIX,
  THREAD_TAG,
  THREAD_URI_PREFIX,
  type Cell,
  type CellStatus,
  type MatrixReport,
  type PolicyInfo,
  type ScenarioRow,
} from './types';

export type Section = 'thread' | 'history' | 'finding' | 'library';

export function sectionOf(s: Pick<ScenarioRow, 'uri' | 'tags'>): Section {
  if (s.uri.startsWith(THREAD_URI_PREFIX) || s.tags.includes(THREAD_TAG)) return 'thread';
  if (s.uri.startsWith(HISTORY_URI_PREFIX) || s.tags.includes(HISTORY_TAG)) return 'history';
  if (s.uri.startsWith(FINDINGS_URI_PREFIX) || s.tags.includes(FINDING_TAG)) return 'finding';
  return 'library';
}

/** A requirement (or a finding): one feature file and its scenarios. */
export interface Requirement {
  readonly uri: string;
  /** The feature's name (`R1 vfio_ap exists to pass AP instructions through`). */
  readonly name: string;
  /** A short label for tables: its id tag (`@R1` -> `R1`), else the id its name starts with, else its place (`H3`: the third history requirement). */
  readonly label: string;
  readonly scenarios: readonly ScenarioRow[];
}

/** The features of one section, in report order. */
export function requirementsOf(report: MatrixReport, section: Section): Requirement[] {
  const out = new Map<string, { uri: string; name: string; label: string; scenarios: ScenarioRow[] }>();
  for (const s of report.scenarios) {
    if (sectionOf(s) !== section) continue;
    let r = out.get(s.uri);
    if (!r) {
      const tag = s.featureTags.find((t) => /^@[A-Z]+\d+[a-z]?$/.test(t));
      // Its id tag (@R1), else the id its name starts with ("R5 masks only ..."), else its place (H3).
      const named = /^([A-Z]+\d+[a-z]?)\s/.exec(s.feature)?.[1];
      r = { uri: s.uri, name: s.feature, label: tag ? tag.slice(1) : named ?? `${LABEL_PREFIX[section]}${out.size + 1}`, scenarios: [] };
      out.set(s.uri, r);
    }
    r.scenarios.push(s);
  }
  return [...out.values()];
}

/** A requirement under one policy: its verdict and the scenario a reader should open for it. */
export interface RequirementCell {
  readonly status: CellStatus;
  /** The deciding scenario: the first that fails (else the first that ran). */
  readonly scenario: ScenarioRow;
  readonly cell: Cell;
}

/**
 * A requirement is met when every scenario that applies passes. Any other outcome of an applicable
 * scenario decides (the first, in file order); when none applies, the requirement is not applicable
 * (or skipped, when the scenarios were pinned to other policies).
 */
export function requirementCell(r: Requirement, policy: string): RequirementCell | undefined {
  const ran = r.scenarios.flatMap((s) => (s.results[policy] ? [{ scenario: s, cell: s.results[policy] }] : []));
  if (!ran.length) return undefined;
  const bad = ran.find((x) => x.cell.status !== 'passed' && x.cell.status !== 'not-applicable' && x.cell.status !== 'skipped');
  if (bad) return { status: bad.cell.status, ...bad };
  const passed = ran.find((x) => x.cell.status === 'passed');
  if (passed) return { status: 'passed', ...passed };
  const na = ran.find((x) => x.cell.status === 'not-applicable');
  if (na) return { status: 'not-applicable', ...na };
  return { status: 'skipped', ...ran[0] };
}

const LABEL_PREFIX: Record<Section, string> = { thread: 'R', history: 'H', finding: 'F', library: 'L' };

/** A requirement's short label (Requirement.label). */
export function requirementLabel(r: Requirement): string {
  return r.label;
}

/** The name without the label it may start with (`R1 vfio_ap exists ...` -> `vfio_ap exists ...`). */
export function nameAfterLabel(r: Requirement): string {
  return r.name.startsWith(`${r.label} `) ? r.name.slice(r.label.length + 1) : r.name;
}

/** The release the 2018 thread argued about: its candidates are the thread table's columns. */
export const THREAD_KERNEL = 'linux-4.20';

/**
 * The policies a table shows. Thread table: the policies built on Linux 4.20 (the 2018 candidates),
 * or every policy when none has a base (a report from before kernels were policies). History table:
 * the kernels (no base), each followed by the policies built on it except the thread's candidates
 * (a patch on linux-6.0 stands next to linux-6.0), then patches on kernels this report did not run.
 */
export function tablePolicies(report: MatrixReport, table: 'thread' | 'history'): PolicyInfo[] {
  const based = report.policies.filter((p) => p.base !== undefined);
  if (!based.length) return table === 'thread' ? [...report.policies] : [];
  const rootOf = (p: PolicyInfo): string => {
    let cur = p;
    for (let hops = 0; cur.base !== undefined && hops < report.policies.length; hops++) {
      const next = report.policies.find((q) => q.id === cur.base);
      if (!next) return cur.base;
      cur = next;
    }
    return cur.id;
  };
  if (table === 'thread') return based.filter((p) => rootOf(p) === THREAD_KERNEL);
  const kernels = report.policies.filter((p) => p.base === undefined);
  const patches = based.filter((p) => rootOf(p) !== THREAD_KERNEL);
  const out: PolicyInfo[] = [];
  for (const k of kernels) out.push(k, ...patches.filter((p) => rootOf(p) === k.id));
  out.push(...patches.filter((p) => !out.includes(p)));
  return out;
}

/** A cell whose verdict differs from the same scenario under the policy's base. */
export interface Change {
  readonly scenario: ScenarioRow;
  readonly policy: string;
  readonly base: string;
  readonly status: CellStatus;
  readonly baseStatus: CellStatus;
}

/** For each policy with a base that ran in this report: the cells whose verdict its base does not share. */
export function changesFromBase(report: MatrixReport): { policy: PolicyInfo; base: string; changes: Change[] }[] {
  const ran = new Set(report.policies.map((p) => p.id));
  return report.policies
    .filter((p) => p.base !== undefined && ran.has(p.base))
    .map((p) => {
      const base = p.base!;
      const changes: Change[] = [];
      for (const s of report.scenarios) {
        const mine = s.results[p.id];
        const theirs = s.results[base];
        // A scenario pinned to one policy (`Given the policy ...`) is skipped under the others: not a change of verdict.
        if (mine && theirs && mine.status !== theirs.status && mine.status !== 'skipped' && theirs.status !== 'skipped') changes.push({ scenario: s, policy: p.id, base, status: mine.status, baseStatus: theirs.status });
      }
      return { policy: p, base, changes };
    });
}
