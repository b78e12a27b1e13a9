/**
 * src/sim/snapshot.ts against replay: a clone taken anywhere in a sequence goes on exactly like the
 * original, and its key equals the key of the same sequence replayed from scratch.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getPolicy, POLICY_IDS } from '../policies';
import { cloneSystem, stateKey } from '../sim/snapshot';
import { alphabet } from './arbitraries';
import { cloneModel } from './model';
import { start } from './run';
import { DEFAULT_WORLD } from './world';

const cmds = alphabet(DEFAULT_WORLD);

describe('cloneSystem and stateKey', () => {
  it('a clone taken mid-sequence behaves like the original and like a replay', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...POLICY_IDS),
        fc.array(fc.nat(cmds.length - 1), { maxLength: 14 }),
        fc.nat(14),
        (policyId, picks, cut) => {
          const policy = getPolicy(policyId);
          const a = start(policy, DEFAULT_WORLD);
          let b: ReturnType<typeof start> | undefined;
          picks.forEach((i, n) => {
            if (n === cut) b = { model: cloneModel(a.model), real: { ...a.real, sys: cloneSystem(a.real.sys) } };
            const cmd = cmds[i]!;
            if (!cmd.check(a.model)) return;
            const before = b ? cmd.check(b.model) : true;
            cmd.run(a.model, a.real);
            if (b && before) cmd.run(b.model, b.real);
          });
          const fresh = start(policy, DEFAULT_WORLD);
          for (const i of picks) if (cmds[i]!.check(fresh.model)) cmds[i]!.run(fresh.model, fresh.real);
          expect(stateKey(fresh.real.sys)).toBe(stateKey(a.real.sys));
          if (b) expect(stateKey(b.real.sys)).toBe(stateKey(a.real.sys));
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('a clone shares no mutable state with its original', () => {
    const { model, real } = start(getPolicy('v11'), DEFAULT_WORLD);
    for (const id of ['load-vfio-ap', 'create-mdev:m1', 'mdev-has-matrix:m1:2:4', 'start-guest:g1', 'open-mdev:m1:g1']) cmds.find((c) => c.id === id)!.run(model, real);
    const before = stateKey(real.sys);
    const copy = cloneSystem(real.sys);
    copy.vmm.closeMdev('m1');
    copy.vmm.setCryptoAttr('g1', 'DISABLE_APIE');
    expect(stateKey(real.sys)).toBe(before);
    expect(stateKey(copy)).not.toBe(before);
  });
});
