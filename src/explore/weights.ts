/**
 * How often random mode draws each kind of command after the preamble (src/explore/preamble.ts).
 * A kind is the first segment of a command id (`open-mdev` of `open-mdev:m1:g1`); its weight is
 * shared by its members, so a kind with many members (assign: 2 mdevs x 5) is not drawn more often
 * for that reason. Within a kind, commands on the world's first mdev and guest weigh FIRST_NAME
 * times more: names are taken in order (m1 before m2), so commands on m2/g2 are more often
 * inapplicable (fast-check skips them through `check(model)`).
 *
 * Host facts weigh 0: they only apply before any kernel operation, so the preamble chooses them.
 */
import type { ExploreCommand } from './commands/base';
import type { World } from './world';

export const KIND_WEIGHTS = {
  'host-without-ap-instructions': 0,
  'host-no-msax3': 0,
  'host-no-apxa': 0,
  'host-kvm-crycb-only-with-msax3': 0,
  // Set-up the preamble usually did already (it may have shrunk away, or the search wants a second).
  'load-vfio-ap': 2,
  'create-mdev': 2,
  'mdev-has-matrix': 2,
  assign: 3,
  unassign: 2,
  'remove-mdev': 1,
  apmask: 1,
  aqmask: 1,
  'start-guest': 2,
  'start-minimal-guest': 2,
  'start-guest-with-mdev': 3,
  // What the requirements are about: association, the moving APIE target, release.
  'open-mdev': 6,
  'enable-apie': 5,
  'disable-apie': 5,
  'enable-cpu-feat-ap': 2,
  'hot-plug': 3,
  unplug: 3,
  'close-mdev': 3,
  'remove-vfio-group': 1,
  'shut-down': 2,
  // Observations: the invariants already probe the queues after every step.
  tapq: 1,
  // Enabling interruptions (5.3+): which mdev's hook KVM calls is what 5.15-6.x got wrong.
  aqic: 3,
} as const satisfies Record<string, number>;

/** Weight factor of a command on the world's first mdev or guest. */
export const FIRST_NAME = 3;

export function kindOf(cmd: ExploreCommand): string {
  return cmd.id.split(':')[0]!;
}

export function kindWeight(kind: string): number {
  const w = (KIND_WEIGHTS as Record<string, number>)[kind];
  if (w === undefined) throw new Error(`no random-mode weight for command kind "${kind}" (src/explore/weights.ts)`);
  return w;
}

/** A command's weight within its kind: FIRST_NAME for each of the world's first names it uses. */
export function nameWeight(cmd: ExploreCommand, w: World): number {
  const first = new Set([w.mdevs[0], w.guests[0]]);
  return cmd.id
    .split(':')
    .slice(1)
    .reduce((acc, part) => (first.has(part) ? acc * FIRST_NAME : acc), 1);
}
