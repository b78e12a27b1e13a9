/**
 * The operation alphabet over a world, and fast-check arbitraries over it. The order of the
 * alphabet is fixed (breadth-first search tries operations in this order, so equally short
 * counterexamples come out the same on every run).
 */
import fc from 'fast-check';
import { apqn } from '../sim/apqn';
import { Assign } from './commands/assign';
import type { ExploreCommand } from './commands/base';
import { CloseMdev } from './commands/close-mdev';
import { CreateMdev } from './commands/create-mdev';
import { EnableCpuFeatAp } from './commands/enable-cpu-feat-ap';
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
import { SetApie } from './commands/set-apie';
import { ShutDown } from './commands/shut-down';
import { StartGuest } from './commands/start-guest';
import { StartGuestWithMdev } from './commands/start-guest-with-mdev';
import { StartMinimalGuest } from './commands/start-minimal-guest';
import { Unassign } from './commands/unassign';
import { Unplug } from './commands/unplug';
import { WriteApMask } from './commands/write-ap-mask';
import type { Model } from './model';
import type { Real } from './real';
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
  const ids = new Set<string>();
  for (const c of cmds) {
    if (ids.has(c.id)) throw new Error(`duplicate command id ${c.id}`);
    ids.add(c.id);
  }
  return cmds;
}

/** One arbitrary per command, for `fc.commands` (each command is a stateless value). */
export function commandArbitraries<C extends fc.Command<Model, Real>>(cmds: readonly C[]): fc.Arbitrary<C>[] {
  return cmds.map((c) => fc.constant(c));
}

/** Sequences of commands for model-based runs (fast-check shrinks them by dropping commands). */
export function commandSequences<C extends fc.Command<Model, Real>>(cmds: readonly C[], maxCommands: number): fc.Arbitrary<Iterable<fc.Command<Model, Real>>> {
  return fc.commands(commandArbitraries(cmds), { maxCommands });
}
