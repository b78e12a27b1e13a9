/**
 * The contract between the steps and the report: what one scenario attaches, and how it is read back.
 *
 * The steps' After hook (steps/support/hooks.ts) writes one attachment per scenario with the media
 * type below; the report (src/report/collect.ts) reads it. Neither side owns this module: steps
 * import it to write, the report to read, and neither imports the other.
 *
 * The attachment carries the trace as structured events (src/sim/trace.ts), so the report renders
 * by event type instead of parsing text back; and, for each step that ran, the index of the first
 * event that step caused, so the report can nest every event under its step.
 *
 * What is read back crossed a file boundary (a saved NDJSON, possibly from an older checkout), so
 * `parseScenarioAttachment` validates every field and returns a message instead of throwing.
 */
import type { HostKvm } from '../sim/api';
import type { Layer, TraceEvent } from '../sim/trace';

export const SCENARIO_MEDIA_TYPE = 'application/vnd.apspec.scenario+json';

/** Bumped when the shape changes; older attachments are refused with a message, never half-read. */
export const SCENARIO_ATTACHMENT_VERSION = 2;

export interface ScenarioAttachment {
  readonly version: typeof SCENARIO_ATTACHMENT_VERSION;
  /** The policy the scenario ran under (the world parameter). */
  readonly policy: string;
  /** The scenario's host KVM; `null` when the scenario never described a host. */
  readonly hostKvm: HostKvm | null;
  /** Every trace event of the scenario, in order. */
  readonly events: readonly TraceEvent[];
  /**
   * For the i-th step that started (in pickle order), the index in `events` of its first event:
   * step i caused `events[stepStarts[i] .. stepStarts[i+1])`, the last step everything after.
   */
  readonly stepStarts: readonly number[];
  /** Decision branches taken, `"<point>=<option>:<branch>": count` (src/sim/decisions.ts decisionKey). */
  readonly decisionsTaken: Readonly<Record<string, number>>;
  /**
   * Set when a step found that the scenario cannot exist under this policy (a host property the
   * release cannot have, an attribute it does not define yet). That step returned 'skipped'; the
   * report shows the cell as "not applicable" with this reason, never as a failure.
   */
  readonly notApplicable?: { readonly reason: string };
}

export function serializeScenarioAttachment(a: ScenarioAttachment): string {
  return JSON.stringify(a);
}

const LAYERS: ReadonlySet<string> = new Set<Layer>(['firmware', 'ap-bus', 'kvm', 'vfio-ap', 'vfio', 'qemu', 'vmm', 'guest']);

export type ParsedAttachment = { readonly ok: true; readonly value: ScenarioAttachment } | { readonly ok: false; readonly problem: string };

/** Validates the JSON deeply; the problem names the first field that is wrong. */
export function parseScenarioAttachment(body: string): ParsedAttachment {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch (err) {
    return { ok: false, problem: `not JSON (${(err as Error).message})` };
  }
  if (!isObject(v)) return { ok: false, problem: 'not an object' };
  if (v.version !== SCENARIO_ATTACHMENT_VERSION)
    return { ok: false, problem: `version ${JSON.stringify(v.version)}, expected ${SCENARIO_ATTACHMENT_VERSION} (written by another apspec checkout?)` };
  if (typeof v.policy !== 'string') return { ok: false, problem: '"policy" is not a string' };
  if (v.hostKvm !== null && v.hostKvm !== 'linux-4.20' && v.hostKvm !== 'pre-4.20') return { ok: false, problem: '"hostKvm" is not a known host KVM' };
  if (!Array.isArray(v.events)) return { ok: false, problem: '"events" is not an array' };
  for (let i = 0; i < v.events.length; i++) {
    const why = eventProblem(v.events[i]);
    if (why) return { ok: false, problem: `events[${i}]: ${why}` };
  }
  if (!Array.isArray(v.stepStarts) || !v.stepStarts.every((n, i, a) => Number.isInteger(n) && n >= 0 && n <= (v.events as unknown[]).length && (i === 0 || n >= a[i - 1])))
    return { ok: false, problem: '"stepStarts" is not a non-decreasing list of event indices' };
  if (!isObject(v.decisionsTaken) || !Object.values(v.decisionsTaken).every((n) => Number.isInteger(n) && (n as number) >= 0))
    return { ok: false, problem: '"decisionsTaken" is not an object of counts' };
  if (v.notApplicable !== undefined && !(isObject(v.notApplicable) && typeof v.notApplicable.reason === 'string'))
    return { ok: false, problem: '"notApplicable" is not { reason: string }' };
  return { ok: true, value: v as unknown as ScenarioAttachment };
}

/** Why `e` is not a TraceEvent, or undefined when it is one. Shared with the report's own reader. */
export function eventProblem(e: unknown): string | undefined {
  if (!isObject(e)) return 'not an object';
  for (const k of ['fn', 'detail', 'outcome'] as const) if (typeof e[k] !== 'string') return `"${k}" is not a string`;
  if (typeof e.layer !== 'string' || !LAYERS.has(e.layer)) return `unknown layer ${JSON.stringify(e.layer)}`;
  switch (e.type) {
    case 'call':
    case 'oops':
      return undefined;
    case 'vm-event':
      return typeof e.vm === 'string' ? undefined : '"vm" is not a string';
    case 'decision':
      if (typeof e.point !== 'string' || typeof e.option !== 'string') return '"point" or "option" is not a string';
      return e.branch === 'accept' || e.branch === 'reject' || e.branch === 'taken' ? undefined : `unknown branch ${JSON.stringify(e.branch)}`;
    default:
      return `unknown event type ${JSON.stringify(e.type)}`;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
