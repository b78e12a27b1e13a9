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
  evaluateShape,
} from './decisions';
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
   * The policy never changes during a System's life, so neither does its option at a shape point:
   * the option and its coverage key are worked out once per point (the hot path asks thousands of
   * times). Created on first use.
   */
  private shapeCache: Map<string, { readonly option: string; readonly key: string }> | undefined;

  constructor(
    readonly machine: Machine,
    readonly policy: Policy,
    /** false: a trace that records nothing (src/explore's throughput mode). */
    recordTrace = true,
  ) {
    this.trace = new Trace(recordTrace);
  }

  /**
   * Ask the policy at a decision point, record the branch it took (trace + coverage) and return its
   * verdict. `fn` is the kernel function where the check sits.
   */
  decide<P extends CheckPoint>(point: P, ctx: ContextOf[P], layer: Layer, fn: string, detail: string): Verdict {
    const { option, verdict } = evaluateChoice(this.policy, point, ctx);
    const branch = verdict.ok ? 'accept' : 'reject';
    const key = decisionKey(point, option, branch);
    this.decisionsTaken.set(key, (this.decisionsTaken.get(key) ?? 0) + 1);
    this.trace.decision(layer, fn, point, option, branch, verdict.ok ? detail : `${detail}: ${verdict.why}`, verdict.ok ? '0' : `-${verdict.errno}`);
    return verdict;
  }

  /**
   * Ask the policy which released behaviour runs at a shape point, record it (trace + coverage, branch
   * `taken`) and return the option; the caller branches on it. `fn` is the kernel function that differs.
   */
  shape<P extends ShapePoint>(point: P, layer: Layer, fn: string, detail: string): OptionOf<P> {
    const cache = (this.shapeCache ??= new Map());
    let hit = cache.get(point);
    if (!hit) {
      const option = evaluateShape(this.policy, point);
      cache.set(point, (hit = { option, key: decisionKey(point, option, 'taken') }));
    }
    this.decisionsTaken.set(hit.key, (this.decisionsTaken.get(hit.key) ?? 0) + 1);
    this.trace.decision(layer, fn, point, hit.option, 'taken', detail, '');
    return hit.option as OptionOf<P>;
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
