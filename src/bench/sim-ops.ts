/**
 * The simulator alone: the operations of the thread scenarios (features/thread/R1..R5) replayed
 * through the SystemApi, without Cucumber. One operation = one call on the API (host description,
 * sysfs write, VMM ioctl, guest instruction, inspection); `createSystem` counts as one too. Each
 * replay starts from a fresh System, as each scenario does.
 */
import { performance } from 'node:perf_hooks';
import { getPolicy, POLICY_IDS } from '../policies';
import { apqn } from '../sim/api';
import { createSystem } from '../sim/system';
import type { Policy } from '../sim/decisions';

/** One thread scenario as API calls; returns how many operations it made. */
type Replay = (policy: Policy) => number;

/** Shared preamble of R2..R5: adapters 2 and 3 reserved, vfio_ap loaded, m1 with 02.0004. */
function hostWithMdev(policy: Policy, before?: (sys: ReturnType<typeof createSystem>) => number) {
  const sys = createSystem({ policy });
  let ops = 1 + (before ? before(sys) : 0);
  sys.apBus.reserveForPassThrough('apmask', [2, 3]);
  sys.vfioAp.load();
  sys.vfioAp.createMdev('m1');
  sys.vfioAp.store('m1', 'assign_adapter', '2');
  sys.vfioAp.store('m1', 'assign_domain', '4');
  ops += 5;
  return { sys, ops };
}

export const THREAD_REPLAYS: Record<string, Replay> = {
  R1: (policy) => {
    const sys = createSystem({ policy });
    sys.host.removeApInstructions();
    sys.vfioAp.load();
    return 3;
  },
  R2: (policy) => {
    const { sys, ops } = hostWithMdev(policy);
    sys.qemu.start('g1');
    sys.vmm.setCryptoAttr('g1', 'DISABLE_APIE');
    sys.vmm.openMdev('m1', 'g1');
    sys.inspect.apInterpreted('g1');
    sys.inspect.crycb('g1');
    return ops + 5;
  },
  R3: (policy) => {
    const { sys, ops } = hostWithMdev(policy);
    sys.qemu.start('g1');
    sys.vmm.setCryptoAttr('g1', 'DISABLE_APIE');
    sys.vmm.openMdev('m1', 'g1');
    sys.vmm.setCryptoAttr('g1', 'ENABLE_APIE');
    sys.inspect.apInterpreted('g1');
    sys.guest.scan('g1');
    return ops + 6;
  },
  R4: (policy) => {
    const { sys, ops } = hostWithMdev(policy);
    sys.vmm.create('g1');
    sys.vmm.setCryptoAttr('g1', 'ENABLE_APIE');
    sys.vmm.openMdev('m1', 'g1');
    sys.guest.execute('g1', 'PQAP(TAPQ)', apqn(2, 4));
    return ops + 4;
  },
  R5: (policy) => {
    const { sys, ops } = hostWithMdev(policy, (s) => {
      s.host.setKvmCrycbOnlyWithMsax3();
      s.host.setFacility(76, false);
      return 2;
    });
    sys.qemu.start('g1', { mdev: 'm1' });
    void sys.oops;
    return ops + 2;
  },
};

export interface SimOpsResult {
  /** Operations per second over all policies, one figure per measured round. */
  readonly opsPerSecond: number[];
  readonly opsPerReplay: number;
}

/** `rounds` rounds (after `warmup`), each replaying every thread scenario under every policy for ~`roundMs`. */
export function measureSimOps(opts: { rounds: number; warmup: number; roundMs?: number }): SimOpsResult {
  const policies = POLICY_IDS.map(getPolicy);
  const replays = Object.values(THREAD_REPLAYS);
  const once = () => {
    let ops = 0;
    for (const p of policies) for (const r of replays) ops += r(p);
    return ops;
  };
  const opsPerReplay = once();
  const round = () => {
    const t0 = performance.now();
    let ops = 0;
    do ops += once();
    while (performance.now() - t0 < (opts.roundMs ?? 500));
    return (ops / (performance.now() - t0)) * 1000;
  };
  for (let i = 0; i < opts.warmup; i++) round();
  const opsPerSecond: number[] = [];
  for (let i = 0; i < opts.rounds; i++) opsPerSecond.push(round());
  return { opsPerSecond, opsPerReplay };
}
