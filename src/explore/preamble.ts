/**
 * Random mode's preamble: a plausible world built before `fc.commands` draws the rest. In order:
 * host facts (each now and then, in the rank order the host commands require), loading vfio_ap
 * (usually), creating mdevs with a matrix, and starting guests of each kind (QEMU with `host`,
 * `host,ap=off` or `host,msa3=off`, a minimal VMM, QEMU with an mdev). Every step is a command of
 * the alphabet, looked up by id, so it prints as the same phrase of the step vocabulary.
 *
 * Each choice lists its options simplest first (nothing, then the fewest steps) and shrinks to the
 * simpler ones (src/explore/choice.ts): shrinking drops host facts and set-up steps the
 * counterexample does not need, and folds two steps into one where one will do.
 */
import fc from 'fast-check';
import { choice } from './choice';
import type { ExploreCommand } from './commands/base';
import type { World } from './world';

/** Command ids, in order (empty: nothing). */
type Steps = readonly string[];

const NOTHING: Steps = [];

/** `id` with probability `percent`/100. */
const sometimes = (id: string, percent: number) => choice([{ value: NOTHING, weight: 100 - percent }, { value: [id], weight: percent }]);

/** Mdev number `i`: none (likelier for later mdevs), or created, then given a matrix. */
function mdevOptions(w: World, i: number) {
  const m = w.mdevs[i]!;
  const a = w.adapters[i % w.adapters.length];
  const d = w.domains[i % w.domains.length];
  const create = `create-mdev:${m}`;
  const options = [{ value: NOTHING, weight: i === 0 ? 1 : 6 }, { value: [create], weight: 1 }];
  if (a === undefined || d === undefined) return options;
  // A second mdev with the first one's Given matrix would be refused (EADDRINUSE) and discard the run.
  if (i === 0)
    options.push({ value: [create, `mdev-has-matrix:${m}:${a}:${d}`], weight: 5 }, { value: [create, `mdev-has-matrix:${m}:${w.adapters.join('+')}:${w.domains.join('+')}`], weight: 1 });
  options.push({ value: [create, `assign:adapter:${a}:${m}`, `assign:domain:${d}:${m}`], weight: 1 });
  return options;
}

/** Guest number `i`: none (likelier for later guests), or started one way or another. */
function guestOptions(ids: readonly string[], w: World, i: number) {
  const g = w.guests[i]!;
  const withCpuModel = ids.filter((id) => id.startsWith(`start-guest:${g}:`));
  return [
    { value: NOTHING, weight: i === 0 ? 1 : 24 },
    { value: [`start-guest:${g}`], weight: 3 },
    ...w.mdevs.map((m, j) => ({ value: [`start-guest-with-mdev:${g}:${m}`], weight: j === 0 ? 2 : 1 })),
    ...withCpuModel.map((id) => ({ value: [id], weight: 2 })),
    { value: [`start-minimal-guest:${g}`], weight: 3 },
  ];
}

/** Preamble arbitrary over the alphabet `cmds` (an id missing from it is a bug here: it throws). */
export function preamble(cmds: readonly ExploreCommand[], w: World): fc.Arbitrary<ExploreCommand[]> {
  const byId = new Map(cmds.map((c) => [c.id, c]));
  const parts: fc.Arbitrary<Steps>[] = [
    sometimes('host-without-ap-instructions', 5),
    sometimes('host-no-msax3', 25),
    sometimes('host-no-apxa', 15),
    sometimes('host-kvm-crycb-only-with-msax3', 25),
    sometimes('load-vfio-ap', 90),
    ...w.mdevs.map((_, i) => choice(mdevOptions(w, i))),
    ...w.guests.map((_, i) => choice(guestOptions([...byId.keys()], w, i))),
  ];
  return fc.tuple(...parts).map((steps) =>
    steps.flat().map((id) => {
      const c = byId.get(id);
      if (!c) throw new Error(`the preamble names "${id}", which is not in the alphabet`);
      return c;
    }),
  );
}
