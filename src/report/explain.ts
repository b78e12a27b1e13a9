/**
 * Trace -> readable lines, and back from a line to how to show it.
 *
 * The JSON report stores a trace as the lines `formatEvent` (src/sim/trace.ts) prints, because
 * that is what a reviewer pastes into a mail. The HTML colours lines by layer and highlights
 * decisions; rather than storing the events twice, it classifies the lines. That classification
 * relies on `formatEvent`'s documented shape (`[layer] ...`), which explain.test.ts pins down.
 */
import type { HostKvm } from '../sim/api';
import { formatEvent, type Layer, type TraceEvent } from '../sim/trace';

export type LineKind = 'call' | 'decision' | 'vm-event' | 'oops';

export interface ClassifiedLine {
  readonly layer: Layer | 'unknown';
  readonly kind: LineKind;
  readonly text: string;
}

const LAYERS: readonly Layer[] = ['firmware', 'ap-bus', 'kvm', 'vfio-ap', 'vfio', 'qemu', 'vmm', 'guest'];

export function classifyTraceLine(text: string): ClassifiedLine {
  const m = /^\[([a-z-]+)\] /.exec(text);
  const layer = m && (LAYERS as readonly string[]).includes(m[1]) ? (m[1] as Layer) : 'unknown';
  const rest = m ? text.slice(m[0].length) : text;
  let kind: LineKind = 'call';
  if (rest.startsWith('VM_EVENT ')) kind = 'vm-event';
  else if (rest.startsWith('OOPS in ')) kind = 'oops';
  else if (/^[^\s(]+: decision /.test(rest)) kind = 'decision';
  return { layer, kind, text };
}

/**
 * Validates the trace attachment's JSON, since it crosses a process-format boundary (steps write it,
 * possibly from an older checkout). Returns undefined for anything that is not a trace.
 */
export interface TraceAttachment {
  readonly policy: string;
  /** The trace as `formatEvent` lines. */
  readonly lines: readonly string[];
  readonly decisionsTaken: Readonly<Record<string, number>>;
  readonly oops: TraceEvent | null;
  /** The scenario's host KVM (src/sim/api.ts HostKvm); older attachments have none: Linux 4.20's. */
  readonly hostKvm: HostKvm;
}

/**
 * `body` is the JSON attachment; `text` the text/plain trace the same hook attached. Older
 * attachments carried the lines (`lines`) or the events (`events`) inside the JSON.
 */
export function parseTraceAttachment(body: string, text?: string): TraceAttachment | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<Record<keyof TraceAttachment, unknown>>;
  const raw = value as { lines?: unknown; events?: unknown };
  let lines: string[];
  if (text !== undefined) lines = text === '' ? [] : text.split('\n');
  else if (Array.isArray(raw.lines)) lines = raw.lines.filter((l): l is string => typeof l === 'string');
  else if (Array.isArray(raw.events)) lines = (raw.events as TraceEvent[]).map(formatEvent);
  else return undefined;
  const decisions: Record<string, number> = {};
  if (typeof v.decisionsTaken === 'object' && v.decisionsTaken !== null)
    for (const [k, n] of Object.entries(v.decisionsTaken as Record<string, unknown>))
      if (typeof n === 'number') decisions[k] = n;
  return {
    policy: typeof v.policy === 'string' ? v.policy : '',
    lines,
    decisionsTaken: decisions,
    oops: (v.oops as TraceEvent | null | undefined) ?? null,
    hostKvm: (value as { hostKvm?: unknown }).hostKvm === 'pre-4.20' ? 'pre-4.20' : 'linux-4.20',
  };
}
