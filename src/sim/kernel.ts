/**
 * The host kernel's shared context: what every simulated layer may use. One per System; no globals.
 * It owns the trace, the machine, the policy seam and the host's health (a modelled oops).
 */
import type { Machine } from './firmware/machine';
import {
  CheckPoint,
  ContextOf,
  OptionOf,
  Policy,
  ShapePoint,
  Verdict,
  decisionKey,
  evaluateChoice,
} from './decisions';
import { type PolicyTable, type ShapeEntry, policyTable } from './policy-table';
import { type Errno, type Refusal, fail } from './errno';
import { Layer, OopsEvent, Trace } from './trace';

export class Kernel {
  readonly trace: Trace;
  /** `point=option:branch` -> how often it was taken (decision coverage). */
  readonly decisionsTaken = new Map<string, number>();
  crashed: OopsEvent | undefined;
  /** Simulated time in ms (msleep in vfio_ap_mdev_reset_queue advances it); no real clock. */
  clockMs = 0;
  /**
   * The policy's options resolved once per policy (src/sim/policy-table.ts): the option and the
   * coverage keys at each point, shared by every System of that policy, immutable.
   */
  private readonly table: PolicyTable;
  /**
   * The table's shape entries this System has asked for, by point: the policy never changes during
   * a System's life, so the shared table (which re-checks the policy's choice) is asked once per point.
   */
  private readonly shapes = new Map<ShapePoint, ShapeEntry>();

  constructor(
    readonly machine: Machine,
    readonly policy: Policy,
    /** false: a trace that records nothing (src/explore's throughput mode). */
    recordTrace = true,
  ) {
    this.trace = new Trace(recordTrace);
    this.table = policyTable(policy);
  }

  /**
   * Ask the policy at a decision point, record the branch it took (trace + coverage) and return its
   * verdict. `fn` is the kernel function where the check sits. `detail` is read only by a trace that
   * records (a caller may pass '' when `trace.recording` is false).
   */
  decide<P extends CheckPoint>(point: P, ctx: ContextOf[P], layer: Layer, fn: string, detail: string): Verdict {
    const entry = this.table.check(point);
    let option: string;
    let verdict: Verdict;
    let key: string;
    if (entry !== undefined) {
      option = entry.option;
      verdict = (entry.spec as { decide(c: ContextOf[P]): Verdict }).decide(ctx);
      key = verdict.ok ? entry.acceptKey : entry.rejectKey;
    } else {
      ({ option, verdict } = evaluateChoice(this.policy, point, ctx));
      key = decisionKey(point, option, verdict.ok ? 'accept' : 'reject');
    }
    this.count(key);
    if (this.trace.recording)
      this.trace.decision(layer, fn, point, option, verdict.ok ? 'accept' : 'reject', verdict.ok ? detail : `${detail}: ${verdict.why}`, verdict.ok ? '0' : `-${verdict.errno}`);
    return verdict;
  }

  /**
   * Ask the policy which released behaviour runs at a shape point, record it (trace + coverage, branch
   * `taken`) and return the option; the caller branches on it. `fn` is the kernel function that differs.
   */
  shape<P extends ShapePoint>(point: P, layer: Layer, fn: string, detail: string): OptionOf<P> {
    let hit = this.shapes.get(point);
    if (hit === undefined) this.shapes.set(point, (hit = this.table.shape(point)));
    this.count(hit.key);
    if (this.trace.recording) this.trace.decision(layer, fn, point, hit.option, 'taken', detail, '');
    return hit.option as OptionOf<P>;
  }

  private count(key: string): void {
    const n = this.decisionsTaken.get(key);
    this.decisionsTaken.set(key, n === undefined ? 1 : n + 1);
  }

  /**
   * A kernel function refuses: trace `fn(detail) -> -ERRNO` and return the refusal with the sentence
   * a reviewer reads. One call per refusal, so the function and errno are named once.
   */
  refuse(layer: Layer, fn: string, detail: string, errno: Errno, message: string): Refusal {
    this.trace.call(layer, fn, detail, `-${errno}`);
    return fail(fn, errno, message);
  }

  /** The host kernel crashed in `fn`. Everything after this is refused (see System). */
  oops(layer: Layer, fn: string, detail: string): void {
    const e = this.trace.oops(layer, fn, detail);
    if (!this.crashed) this.crashed = e;
  }

  msleep(ms: number): void {
    this.clockMs += ms;
  }
}
