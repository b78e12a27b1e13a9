/**
 * The explorer under the kernel policies (issue 10): the model asks the kernel's decision points
 * what it does (hot plug by assign, AQIC in the kernel, the KVM from the group), the new commands
 * drive the simulator through its API, and the kernels' invariants tell the releases apart.
 * The depth-7 search for the AQIC counterexample is in kernels-aqic.test.ts: a file of its own, so
 * vitest runs the two longest searches side by side.
 */
import { describe, expect, it } from 'vitest';
import { getPolicy } from '../policies';
import { apqn } from '../sim/api';
import { alphabet } from './arbitraries';
import { bfs } from './bfs';
import { getInvariants } from './invariants';
import { replayScenario, start } from './run';
import { DEFAULT_WORLD } from './world';

const cmds = alphabet(DEFAULT_WORLD);
const byId = (id: string) => {
  const c = cmds.find((x) => x.id === id);
  if (!c) throw new Error(`no command ${id}`);
  return c;
};

/** Run commands by id from the world's start; each must be enabled. */
function runIds(policy: string, ids: readonly string[]) {
  const s = start(getPolicy(policy), DEFAULT_WORLD);
  for (const id of ids) {
    const c = byId(id);
    expect(c.check(s.model), `${id} enabled under ${policy}`).toBe(true);
    c.run(s.model, s.real);
  }
  return s;
}

const RUNNING = ['load-vfio-ap', 'create-mdev:m1', 'mdev-has-matrix:m1:2:4', 'start-guest-with-mdev:g1:m1'];

describe('the explorer under the kernel policies', () => {
  it('assigning while the guest runs is a command only where vfio_ap hot-plugs (linux-6.0), and the guest then sees the new queues', () => {
    const s = runIds('linux-6.0', [...RUNNING, 'assign:adapter:3:m1']);
    expect(s.model.mdevs.m1!.apm).toEqual([2, 3]);
    expect(s.real.sys.guest.scan('g1')).toEqual([apqn(2, 4), apqn(3, 4)]);
    const old = runIds('linux-4.20', RUNNING);
    expect(byId('assign:adapter:3:m1').check(old.model)).toBe(false);
  });

  it('PQAP(AQIC) is a command only where KVM handles it in the kernel (5.3+)', () => {
    expect(byId('aqic:g1:02.0004').check(runIds('linux-4.20', RUNNING).model)).toBe(false);
    expect(byId('aqic:g1:02.0004').check(runIds('linux-5.3', RUNNING).model)).toBe(true);
  });

  it('the pre-4.20 KVM is not applicable under a 5.3+ kernel: the search drops the sequence, the replay says n.a.', () => {
    const r = replayScenario(getPolicy('linux-6.0'), DEFAULT_WORLD, [byId('host-kvm-crycb-only-with-msax3')], []);
    expect(r.passes).toBe(false);
    expect(r.notApplicable).toMatch(/5\.3/);
  });

  it('removing the VFIO group from the KVM makes vfio_ap forget the KVM up to 5.18 only', () => {
    const ids = ['load-vfio-ap', 'create-mdev:m1', 'mdev-has-matrix:m1:2:4', 'start-guest:g1', 'open-mdev:m1:g1', 'remove-vfio-group:m1:g1'];
    expect(runIds('linux-4.20', ids).model.mdevs.m1!.kvm).toBeUndefined();
    expect(runIds('linux-6.0', ids).model.mdevs.m1!.kvm).toBe('g1');
  });
});

describe('what the kernels\' invariants find', { timeout: 300_000 }, () => {
  it('4.20 and 5.3 leave a guest its queues after its VFIO group left the KVM and the device was closed; from ~5.11 every release clears them', () => {
    const ids = ['load-vfio-ap', 'create-mdev:m1', 'mdev-has-matrix:m1:2:4', 'start-guest:g1', 'open-mdev:m1:g1', 'remove-vfio-group:m1:g1', 'close-mdev:m1'];
    const [inv] = getInvariants(['guest-sees-exactly-its-mdev']);
    for (const policy of ['linux-4.20', 'linux-5.3']) {
      const s = runIds(policy, ids);
      expect(inv!.check(s.model, s.real)?.message, policy).toMatch(/can use 02\.0004, but its open mdev gives it none/);
    }
    for (const policy of ['linux-5.13', 'linux-5.19', 'linux-6.0', 'linux-latest']) {
      const s = runIds(policy, ids);
      expect(inv!.check(s.model, s.real), policy).toBeUndefined();
    }
  });

  const search = (policy: string, invariant: string, depth = 6) =>
    bfs({ policy: getPolicy(policy), world: DEFAULT_WORLD, alphabet: cmds, invariants: getInvariants([invariant]), depth }).counterexamples.get(invariant);

  it('4.20 lets the host take back a queue a guest uses (the documented limitation); 6.0 refuses it with EBUSY', () => {
    const c = search('linux-4.20', 'host-and-guest-never-share-a-queue');
    expect(c?.path.map(String)).toContain('When the administrator writes "+2" to the AP bus apmask');
    expect(replayScenario(getPolicy('linux-4.20'), DEFAULT_WORLD, c!.path, c!.violation.then).passes).toBe(false);
    expect(replayScenario(getPolicy('linux-6.0'), DEFAULT_WORLD, c!.path, c!.violation.then).passes).toBe(true);
    expect(search('linux-6.0', 'host-and-guest-never-share-a-queue')).toBeUndefined();
  });
});
