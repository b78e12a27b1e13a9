/**
 * Test support for the simulator's unit tests (not a layer, not shipped: only *.test.ts files import
 * it; tests/architecture.test.ts exempts src/sim/__test__/ from the layer arrows).
 *
 * Builds hosts the way the Gherkin steps do, through the SystemApi facade, so a unit test states the
 * same situation a feature would, and offers small helpers to read outcomes and trace events.
 */
import { getPolicy, resolvePolicy } from '../../policies';
import type { Policy } from '../decisions';
import type { Errno, Outcome } from '../errno';
import { createSystem, System } from '../system';
import type { TraceEvent } from '../trace';

/** Linux 4.20 as merged (src/policies/linux-4.20.ts): the release most unit tests describe. */
export const LINUX_420: Policy = getPolicy('linux-4.20');

/** A policy on `base` (linux-4.20 unless named) that changes only the given points, resolved as the registry resolves one. */
export function policyWith(id: string, choices: Policy['choices'], base = 'linux-4.20'): Policy {
  return resolvePolicy({ id, title: id, source: 'test fixture', rationale: 'test', base, choices }, getPolicy);
}

export function newHost(policy: Policy = LINUX_420): System {
  return createSystem({ policy });
}

/** The value of a successful outcome; a refusal fails the test with its errno and message. */
export function must<T>(o: Outcome<T>, what = 'operation'): T {
  if (!o.ok) throw new Error(`${what} was refused: ${o.errno ? `-${o.errno}` : 'refused'} by ${o.fn} (${o.message})`);
  return o.value;
}

/** The errno of a refusal; `'ok'` for a success (so `expect(errnoOf(x)).toBe('EBUSY')` reads well). */
export function errnoOf(o: Outcome<unknown>): Errno | 'ok' | 'no errno' {
  if (o.ok) return 'ok';
  return o.errno ?? 'no errno';
}

export interface MdevSetup {
  policy?: Policy;
  /** Host changes before boot (facilities, configuration, KVM build). */
  setup?: (sys: System) => void;
  /** Adapters removed from apmask (default 2 and 3). */
  reserveAdapters?: readonly number[];
  /** Domains removed from aqmask (default none). */
  reserveDomains?: readonly number[];
  /** The mdev's name (default m1). */
  mdev?: string;
  adapters?: readonly number[];
  domains?: readonly number[];
  controlDomains?: readonly number[];
}

/**
 * `Given an s390 host / adapters 2 and 3 are reserved for pass-through / the vfio_ap module is loaded /
 * a mediated device "m1" / mediated device "m1" has adapters .. and domains ..`.
 */
export function hostWithMdev(o: MdevSetup = {}): System {
  const sys = newHost(o.policy);
  o.setup?.(sys);
  const ra = o.reserveAdapters ?? [2, 3];
  if (ra.length) must(sys.apBus.reserveForPassThrough('apmask', ra), 'reserving adapters');
  if (o.reserveDomains?.length) must(sys.apBus.reserveForPassThrough('aqmask', o.reserveDomains), 'reserving domains');
  must(sys.vfioAp.load(), 'loading vfio_ap');
  const m = o.mdev ?? 'm1';
  must(sys.vfioAp.createMdev(m), `creating ${m}`);
  assign(sys, m, o.adapters ?? [2], o.domains ?? [4], o.controlDomains ?? []);
  return sys;
}

/** Assign adapters, then domains, then control domains, as the mdev step does. */
export function assign(sys: System, mdev: string, adapters: readonly number[], domains: readonly number[], controlDomains: readonly number[] = []): void {
  for (const a of adapters) must(sys.vfioAp.store(mdev, 'assign_adapter', String(a)), `assign_adapter ${a} to ${mdev}`);
  for (const d of domains) must(sys.vfioAp.store(mdev, 'assign_domain', String(d)), `assign_domain ${d} to ${mdev}`);
  for (const d of controlDomains) must(sys.vfioAp.store(mdev, 'assign_control_domain', String(d)), `assign_control_domain ${d} to ${mdev}`);
}

/** Events of one kernel function, in order. */
export function eventsOf(sys: System, fn: string, from = 0): TraceEvent[] {
  // A shape decision names the function whose era shape runs; it is not a call of that function.
  return sys.events.slice(from).filter((e) => e.fn === fn && !(e.type === 'decision' && e.branch === 'taken'));
}

/** The white-box VM of a guest (KVM's struct kvm). */
export function vmOf(sys: System, guest: string) {
  const vm = sys.kvm.vms.get(guest);
  if (!vm) throw new Error(`no VM ${guest}`);
  return vm;
}

/** The white-box mdev (struct ap_matrix_mdev). */
export function mdevOf(sys: System, name: string) {
  const m = sys.vfio.matrixDev?.mdevList.find((x) => x.name === name);
  if (!m) throw new Error(`no mdev ${name}`);
  return m;
}

/** APQN from "02.0004". */
export function q(text: string): number {
  const [a, d] = text.split('.');
  return (parseInt(a!, 16) << 8) | parseInt(d!, 16);
}
