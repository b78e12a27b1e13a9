/**
 * Throughput of the explorer, for the benchmark helper (src/bench/run-bench.ts):
 *
 * - `measureExplorer({ policy, depth })`: one exhaustive breadth-first search of the default world
 *   (every invariant checked, no early stop). `ops` counts commands applied (each one or more calls
 *   into the simulator API, on a cloned System); `states` the distinct states reached.
 * - `measureSimulatorOps({ policy, ops })`: the simulator API alone on the explorer's hot path: a
 *   trace-off System driven through a cycle of the alphabet's state-changing calls (assign/unassign,
 *   open/close, APIE on/off, TAPQ), without cloning or hashing.
 */
import { getPolicy } from '../policies';
import { apqn } from '../sim/api';
import { alphabet } from './arbitraries';
import { bfs } from './bfs';
import { INVARIANTS } from './invariants';
import { DEFAULT_WORLD, worldSystem } from './world';

export interface ExplorerMeasurement {
  readonly ops: number;
  readonly opsPerSec: number;
  readonly states: number;
  readonly statesPerSec: number;
  readonly ms: number;
}

export function measureExplorer(options: { policy: string; depth: number }): ExplorerMeasurement {
  const r = bfs({ policy: getPolicy(options.policy), world: DEFAULT_WORLD, alphabet: alphabet(DEFAULT_WORLD), invariants: INVARIANTS, depth: options.depth, stopWhenAllFound: false });
  return { ops: r.transitions, opsPerSec: (r.transitions / r.ms) * 1000, states: r.states, statesPerSec: (r.states / r.ms) * 1000, ms: r.ms };
}

export function measureSimulatorOps(options: { policy: string; ops?: number; trace?: boolean }): { ops: number; opsPerSec: number; ms: number } {
  const sys = worldSystem(getPolicy(options.policy), DEFAULT_WORLD, { trace: options.trace ?? false });
  sys.vfioAp.load();
  sys.vfioAp.createMdev('m1');
  sys.qemu.start('g1');
  const q = apqn(2, 4);
  const target = options.ops ?? 1_000_000;
  const cycle = () => {
    sys.vfioAp.store('m1', 'assign_adapter', '2');
    sys.vfioAp.store('m1', 'assign_domain', '4');
    sys.vmm.openMdev('m1', 'g1');
    sys.guest.execute('g1', 'PQAP(TAPQ)', q);
    sys.vmm.setCryptoAttr('g1', 'DISABLE_APIE');
    sys.vmm.setCryptoAttr('g1', 'ENABLE_APIE');
    sys.vmm.closeMdev('m1');
    sys.vfioAp.store('m1', 'unassign_adapter', '2');
    sys.vfioAp.store('m1', 'unassign_domain', '4');
    return 9;
  };
  for (let i = 0; i < 2000; i++) cycle(); // warm-up
  let ops = 0;
  const t0 = performance.now();
  while (ops < target) ops += cycle();
  const ms = performance.now() - t0;
  return { ops, opsPerSec: (ops / ms) * 1000, ms };
}
