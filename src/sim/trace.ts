/**
 * The trace: every observable decision of the simulated stack, in order.
 *
 * Each event names the kernel (or QEMU) function it models in `fn`, so a reviewer can grep from a
 * report line to the simulator rule and to the kernel source. The union is closed: reports switch
 * on `type` exhaustively.
 */
import type { Branch, DecisionPoint } from './decisions';

export type Layer = 'firmware' | 'ap-bus' | 'kvm' | 'vfio-ap' | 'vfio' | 'qemu' | 'vmm' | 'guest';

interface EventBase {
  readonly layer: Layer;
  /** The exact kernel/QEMU function name the event models, e.g. `vfio_ap_mdev_verify_no_sharing`. */
  readonly fn: string;
  /** What was asked, in the kernel's words: `apid 0x05 for m1`. */
  readonly detail: string;
  /** What happened: `0`, `-EADDRINUSE`, `cc 3 rc 0x01`, `intercept`. */
  readonly outcome: string;
}

/** A function of the simulated stack ran and returned. */
export interface CallEvent extends EventBase {
  readonly type: 'call';
}

/** A policy decision point was evaluated (for decision coverage). */
export interface DecisionEvent extends EventBase {
  readonly type: 'decision';
  readonly point: DecisionPoint;
  /** The option the policy chose (`crycbd`), or `custom` for a function-valued choice. */
  readonly option: string;
  /** Which branch the decision took: `accept` or `reject` for a check, `taken` for a shape. */
  readonly branch: Branch;
}

/** KVM's VM_EVENT debug log lines (e.g. "SET CRYCB: apm ..."), tied to one VM. */
export interface VmEvent extends EventBase {
  readonly type: 'vm-event';
  readonly vm: string;
}

/** The host kernel crashed: a modelled oops, e.g. a write through a CRYCB pointer that is NULL. */
export interface OopsEvent extends EventBase {
  readonly type: 'oops';
}

export type TraceEvent = CallEvent | DecisionEvent | VmEvent | OopsEvent;

/** Collects events for one System. Append-only; no global state. */
export class Trace {
  readonly events: TraceEvent[] = [];

  /** `recording: false` keeps `events` empty (the explorer's throughput mode); behaviour is unchanged. */
  constructor(readonly recording = true) {}

  call(layer: Layer, fn: string, detail: string, outcome: string): void {
    if (!this.recording) return;
    this.events.push({ type: 'call', layer, fn, detail, outcome });
  }

  vmEvent(vm: string, fn: string, detail: string, outcome = ''): void {
    if (!this.recording) return;
    this.events.push({ type: 'vm-event', layer: 'kvm', vm, fn, detail, outcome });
  }

  decision(
    layer: Layer,
    fn: string,
    point: DecisionPoint,
    option: string,
    branch: Branch,
    detail: string,
    outcome: string,
  ): void {
    if (!this.recording) return;
    this.events.push({ type: 'decision', layer, fn, point, option, branch, detail, outcome });
  }

  /** Records the oops (when recording) and returns it either way: the host's health never depends on the trace. */
  oops(layer: Layer, fn: string, detail: string): OopsEvent {
    const e: OopsEvent = { type: 'oops', layer, fn, detail, outcome: 'oops' };
    if (this.recording) this.events.push(e);
    return e;
  }
}

/** One line per event, as the report and the After hook print it. */
export function formatEvent(e: TraceEvent): string {
  switch (e.type) {
    case 'call':
      return `[${e.layer}] ${e.fn}(${e.detail}) -> ${e.outcome}`;
    case 'decision':
      return `[${e.layer}] ${e.fn}: decision ${e.point} = ${e.option} -> ${e.branch}${e.detail ? ` (${e.detail})` : ''}${e.outcome ? ` -> ${e.outcome}` : ''}`;
    case 'vm-event':
      return `[kvm] VM_EVENT ${e.vm}: ${e.detail}${e.outcome ? ` -> ${e.outcome}` : ''} (${e.fn})`;
    case 'oops':
      return `[${e.layer}] OOPS in ${e.fn}: ${e.detail}`;
  }
}

export function formatTrace(events: readonly TraceEvent[]): string {
  return events.map(formatEvent).join('\n');
}
