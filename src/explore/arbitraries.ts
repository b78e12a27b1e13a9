/**
 * The operation alphabet over a world, and fast-check arbitraries over it. The order of the
 * alphabet is fixed (breadth-first search tries operations in this order, so equally short
 * counterexamples come out the same on every run). Random mode draws from the same commands: a
 * preamble (src/explore/preamble.ts), then commands weighted by kind (src/explore/weights.ts).
 */
import fc from 'fast-check';
import { apqn } from '../sim/api';
import { Assign } from './commands/assign';
import type { ExploreCommand } from './commands/base';
import { CloseMdev } from './commands/close-mdev';
import { CreateMdev } from './commands/create-mdev';
import { EnableCpuFeatAp } from './commands/enable-cpu-feat-ap';
import { ExecuteAqic } from './commands/execute-aqic';
import { ExecuteTapq } from './commands/execute-tapq';
import { HostKvmCrycbOnlyWithMsax3 } from './commands/host-kvm-crycb-only-with-msax3';
import { HostNoApxa } from './commands/host-no-apxa';
import { HostNoMsax3 } from './commands/host-no-msax3';
import { HostWithoutApInstructions } from './commands/host-without-ap-instructions';
import { HotPlug } from './commands/hot-plug';
import { LoadVfioAp } from './commands/load-vfio-ap';
import { MdevHasMatrix } from './commands/mdev-has-matrix';
import { OpenMdev } from './commands/open-mdev';
import { RemoveMdev } from './commands/remove-mdev';
import { RemoveVfioGroup } from './commands/remove-vfio-group';
import { SetApie } from './commands/set-apie';
import { ShutDown } from './commands/shut-down';
import { StartGuest } from './commands/start-guest';
import { StartGuestWithMdev } from './commands/start-guest-with-mdev';
import { StartMinimalGuest } from './commands/start-minimal-guest';
import { Unassign } from './commands/unassign';
import { Unplug } from './commands/unplug';
import { WriteApMask } from './commands/write-ap-mask';
import type { Model } from './model';
import { preamble } from './preamble';
import type { Real } from './real';
import { kindOf, kindWeight, nameWeight } from './weights';
import type { World } from './world';

/** QEMU -cpu arguments the explorer tries besides plain `host`. */
export const CPU_MODELS = ['host,ap=off', 'host,msa3=off'] as const;

export function alphabet(w: World): ExploreCommand[] {
  const cmds: ExploreCommand[] = [new HostWithoutApInstructions(), new HostNoMsax3(), new HostNoApxa(), new HostKvmCrycbOnlyWithMsax3(), new LoadVfioAp()];
  const [a0] = w.adapters;
  const [d0] = w.domains;
  w.mdevs.forEach((m, i) => {
    cmds.push(new CreateMdev(m, i));
    if (a0 !== undefined && d0 !== undefined) cmds.push(new MdevHasMatrix(m, [a0], [d0]));
    if (w.adapters.length > 1 || w.domains.length > 1) cmds.push(new MdevHasMatrix(m, w.adapters, w.domains));
    for (const a of w.adapters) cmds.push(new Assign('adapter', a, m));
    for (const d of w.domains) cmds.push(new Assign('domain', d, m));
    if (d0 !== undefined) cmds.push(new Assign('control domain', d0, m));
    for (const a of w.adapters) cmds.push(new Unassign('adapter', a, m));
    for (const d of w.domains) cmds.push(new Unassign('domain', d, m));
    if (d0 !== undefined) cmds.push(new Unassign('control domain', d0, m));
    cmds.push(new RemoveMdev(m));
  });
  if (w.reserved[0] !== undefined) cmds.push(new WriteApMask(w.reserved[0], true), new WriteApMask(w.reserved[0], false));
  w.guests.forEach((g, i) => {
    cmds.push(new StartGuest(g, i));
    for (const cpu of CPU_MODELS) cmds.push(new StartGuest(g, i, cpu));
    cmds.push(new StartMinimalGuest(g, i));
    for (const m of w.mdevs) cmds.push(new StartGuestWithMdev(g, i, m));
    cmds.push(new SetApie(g, false), new SetApie(g, true), new EnableCpuFeatAp(g));
    for (const m of w.mdevs) cmds.push(new OpenMdev(m, g), new HotPlug(m, g), new Unplug(m, g));
    cmds.push(new ShutDown(g));
    for (const a of w.adapters) for (const d of w.domains) cmds.push(new ExecuteTapq(g, apqn(a, d)));
  });
  for (const m of w.mdevs) cmds.push(new CloseMdev(m));
  // The kernels' actions (issue 10), last, so the 2018 policies' shortest counterexamples keep
  // their order: a guest enabling interruptions for the world's first APQN (PQAP(AQIC), handled in
  // the kernel from 5.3). Assign and unassign while a guest runs are the commands above, enabled
  // where the kernel hot-plugs (Model.hotPlug). Domain d0 out of and back into the AP bus aqmask:
  // with adapter a0 given back, which of its queues the host takes depends on aqmask too (6.0 asks
  // vfio_ap whether the APQNs it takes back are assigned, apmask x aqmask).
  if (a0 !== undefined && d0 !== undefined) for (const g of w.guests) cmds.push(new ExecuteAqic(g, apqn(a0, d0)));
  if (d0 !== undefined) cmds.push(new WriteApMask(d0, false, 'aqmask', w.adapters), new WriteApMask(d0, true, 'aqmask', w.adapters));
  // A VMM taking an mdev's VFIO group out of its KVM while the device stays open (up to 5.18 vfio_ap
  // then forgets the KVM; 4.20 leaves the masks in the CRYCB).
  for (const g of w.guests) for (const m of w.mdevs) cmds.push(new RemoveVfioGroup(m, g));
  const ids = new Set<string>();
  for (const c of cmds) {
    if (ids.has(c.id)) throw new Error(`duplicate command id ${c.id}`);
    ids.add(c.id);
  }
  return cmds;
}

/** One command: a kind drawn by its weight (src/explore/weights.ts), then a member by its name weight. */
export function weightedCommand(cmds: readonly ExploreCommand[], w: World): fc.Arbitrary<ExploreCommand> {
  const kinds = new Map<string, ExploreCommand[]>();
  for (const c of cmds) kinds.set(kindOf(c), [...(kinds.get(kindOf(c)) ?? []), c]);
  const drawn = [...kinds].filter(([kind]) => kindWeight(kind) > 0);
  return fc.oneof(...drawn.map(([kind, members]) => ({ weight: kindWeight(kind), arbitrary: fc.oneof(...members.map((c) => ({ weight: nameWeight(c, w), arbitrary: fc.constant(c) }))) })));
}

/**
 * Random mode's runs: the preamble (a plausible world, src/explore/preamble.ts), then up to
 * `maxCommands` weighted commands. `wrap` turns a command into what fast-check runs (the same
 * wrapper for the same command). fast-check shrinks the preamble's choices towards nothing and
 * drops the commands that did not matter.
 *
 * The commands come as a frozen array of fast-check's wrappers, not as its CommandsIterable: a
 * CommandsIterable reused by a later run is cloned (fresh wrappers), yet shrunk from the hasRan
 * flags of the wrappers that ran first. In this tuple the commands are reused whenever only the
 * preamble shrank, so those flags would go stale: a command that runs only since the preamble
 * shrank would look unran, and every shrink of the commands would drop it. A frozen array is
 * never cloned (fast-check cannot attach its clone method), so the flags gather every run of
 * these wrappers: a superset, which at worst costs a shrink attempt.
 */
export function randomRuns<C extends fc.Command<Model, Real>>(cmds: readonly ExploreCommand[], w: World, wrap: (c: ExploreCommand) => C, maxCommands: number): fc.Arbitrary<[C[], readonly fc.Command<Model, Real>[]]> {
  const body = fc.commands([weightedCommand(cmds, w).map(wrap)], { maxCommands, size: 'max' }).map((run) => Object.freeze([...run]));
  return fc.tuple(
    preamble(cmds, w).map((pre) => pre.map(wrap)),
    body,
  );
}
