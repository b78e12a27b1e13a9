/**
 * Then-steps the explorer ends a counterexample with: each is an exact phrase of the step
 * vocabulary plus `holds(real)`, what the step definition checks, so the explorer can tell under
 * which policies an emitted scenario passes without running Cucumber (the tests run Cucumber too).
 */
import { formatApqn, type Apqn, type Errno } from '../sim/api';
import type { Real } from './real';
import { formatIdList } from './world';

export interface Assertion {
  /** Step lines, keyword included (a TAPQ check is a When and a Then). */
  readonly lines: readonly string[];
  holds(r: Real): boolean;
}

const safely = (f: () => boolean): boolean => {
  try {
    return f();
  } catch {
    return false;
  }
};

const sameList = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function hostNotCrashed(): Assertion {
  return { lines: ['Then the host kernel has not crashed'], holds: (r) => r.sys.oops === undefined };
}

export function lastFailsWith(errno: Errno): Assertion {
  return {
    lines: [`Then it fails with ${errno}`],
    holds: (r) => r.last?.kind === 'outcome' && !r.last.outcome.ok && r.last.outcome.errno === errno,
  };
}

export function vfioApNotLoaded(): Assertion {
  return { lines: ['Then the vfio_ap module is not loaded'], holds: (r) => !r.sys.vfioAp.loaded };
}

export function seesQueues(guest: string, qs: readonly Apqn[]): Assertion {
  const expected = [...qs].sort((a, b) => a - b);
  return {
    lines: [expected.length ? `Then guest "${guest}" sees AP queues ${expected.map(formatApqn).join(', ')}` : `Then guest "${guest}" sees no AP queues`],
    holds: (r) => safely(() => sameList([...r.sys.guest.scan(guest)].sort((a, b) => a - b), expected)),
  };
}

export function tapqResponse(guest: string, q: Apqn, rc: number): Assertion {
  const hex = `0x${rc.toString(16).padStart(2, '0')}`;
  return {
    lines: [`When guest "${guest}" executes PQAP(TAPQ) on ${formatApqn(q)}`, `Then the instruction completes with response code ${hex}`],
    holds: (r) =>
      safely(() => {
        const result = r.sys.guest.execute(guest, 'PQAP(TAPQ)', q);
        r.last = { kind: 'instruction', op: 'assert-tapq', result };
        return result.kind === 'completed' && result.rc === rc;
      }),
  };
}

export interface ExpectedMasks {
  readonly apm: readonly number[];
  readonly aqm: readonly number[];
  readonly adm: readonly number[];
}

/** `the CRYCB masks of "g1" are empty` or `... have adapters A and domains D`; undefined if not expressible. */
export function crycbMasks(guest: string, e: ExpectedMasks): Assertion | undefined {
  if (!e.apm.length && !e.aqm.length && !e.adm.length)
    return {
      lines: [`Then the CRYCB masks of "${guest}" are empty`],
      holds: (r) => safely(() => {
        const c = r.sys.inspect.crycb(guest);
        return c !== undefined && !c.apm.length && !c.aqm.length && !c.adm.length;
      }),
    };
  if (!e.apm.length || !e.aqm.length) return undefined;
  return {
    lines: [`Then the CRYCB masks of "${guest}" have adapters ${formatIdList(e.apm)} and domains ${formatIdList(e.aqm)}`],
    holds: (r) => safely(() => {
      const c = r.sys.inspect.crycb(guest);
      return c !== undefined && sameList(c.apm, e.apm) && sameList(c.aqm, e.aqm);
    }),
  };
}

export function apIntercepted(guest: string): Assertion {
  return { lines: [`Then AP instructions of "${guest}" are intercepted`], holds: (r) => safely(() => !r.sys.inspect.apInterpreted(guest)) };
}

/**
 * `Then the instruction completes with response code 0x00` about the instruction the scenario's
 * last When ran (the path ends with it: a transition invariant judged that step).
 */
export function lastInstructionCompletes(rc: number): Assertion {
  const hex = `0x${rc.toString(16).padStart(2, '0')}`;
  return {
    lines: [`Then the instruction completes with response code ${hex}`],
    holds: (r) => r.last?.kind === 'instruction' && r.last.result.kind === 'completed' && r.last.result.rc === rc,
  };
}

/** `Then queue 02.0004 is bound to vfio_ap`: the AP bus gave the host queue device to vfio_ap, not to the host's default driver. */
export function queueBoundToVfioAp(q: Apqn): Assertion {
  return { lines: [`Then queue ${formatApqn(q)} is bound to vfio_ap`], holds: (r) => safely(() => r.sys.apBus.driverOf(q) === 'vfio_ap') };
}
