/**
 * docs/reviewing-a-patch.md: the example patch (docs/examples/fix-cc-for-successful-pqap.ts) is a
 * policy on linux-6.0 that changes one decision point, and under it the history requirement
 * features/history/aqic-success-sets-cc-0.feature turns from failing to passing: the view a reviewer
 * of the patch wants. Driven through the simulator's front door, the seam the steps use.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import patch from '../../docs/examples/fix-cc-for-successful-pqap';
import { getPolicy, resolvePolicy } from '../../src/policies';
import { apqn, createSystem, type InstructionResult, type Policy } from '../../src/sim/api';

const ROOT = resolve(__dirname, '../..');

/** The scenario of aqic-success-sets-cc-0.feature: a TAPQ outside the masks (cc 3), then AQIC on the guest's own queue. */
function ccAfterAqic(policy: Policy): InstructionResult {
  const sys = createSystem({ policy });
  for (const [kind, ids] of [['apmask', [2, 3]]] as const) expect(sys.apBus.reserveForPassThrough(kind, ids).ok).toBe(true);
  expect(sys.vfioAp.load().ok).toBe(true);
  expect(sys.vfioAp.createMdev('m1').ok).toBe(true);
  expect(sys.vfioAp.store('m1', 'assign_adapter', '2').ok).toBe(true);
  expect(sys.vfioAp.store('m1', 'assign_domain', '4').ok).toBe(true);
  expect(sys.qemu.start('g1', { mdev: 'm1' }).ok).toBe(true);
  expect(sys.guest.execute('g1', 'PQAP(TAPQ)', apqn(3, 4))).toMatchObject({ kind: 'completed', cc: 3 });
  return sys.guest.execute('g1', 'PQAP(AQIC)', apqn(2, 4));
}

describe('docs/examples/fix-cc-for-successful-pqap.ts, a patch as a policy on linux-6.0', () => {
  const resolved = resolvePolicy(patch, (id) => getPolicy(id));

  it('names its base and changes exactly one decision point', () => {
    expect(patch.base).toBe('linux-6.0');
    const base = getPolicy('linux-6.0');
    const changed = Object.keys(resolved.choices).filter((p) => resolved.choices[p as keyof Policy['choices']] !== base.choices[p as keyof Policy['choices']]);
    expect(changed).toEqual(['kvm.aqic_cc']);
  });

  it('on linux-6.0 a successful AQIC leaves the cc 3 of the TAPQ before it', () => {
    expect(ccAfterAqic(getPolicy('linux-6.0'))).toEqual({ kind: 'completed', cc: 3, rc: 0 });
  });

  it('with the patch the same AQIC sets cc 0', () => {
    expect(ccAfterAqic(resolved)).toEqual({ kind: 'completed', cc: 0, rc: 0 });
  });

  it('the feature this reproduces exists and states the same steps', () => {
    const feature = readFileSync(join(ROOT, 'features/history/aqic-success-sets-cc-0.feature'), 'utf8');
    expect(feature).toContain('executes PQAP(TAPQ) on 03.0004');
    expect(feature).toContain('When guest "g1" executes PQAP(AQIC) on 02.0004');
    expect(feature).toContain('And the instruction sets condition code 0');
  });
});
