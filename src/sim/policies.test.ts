/**
 * Every registered policy (read from src/policies/index.ts, so a policy added as
 * docs/writing-policies.md says is tested without editing this file), then the five policies of
 * spec/policies.md at each decision point and the thread's R1-R5 verdict table, driven through the
 * SystemApi. (Tests may import src/policies; the simulator itself never does.)
 */
import { describe, expect, it } from 'vitest';
import { getPolicy, policyLoadProblems, POLICY_IDS as REGISTERED_IDS } from '../policies';

/** The thread's five candidates (spec/policies.md): the table below is about them, on linux-4.20. */
const POLICY_IDS = ['v10', 'v10-apie', 'ap-instructions', 'v11', 'unchecked'] as const;
type PolicyId = (typeof POLICY_IDS)[number];
const POLICIES = Object.fromEntries(POLICY_IDS.map((id) => [id, getPolicy(id)])) as Record<PolicyId, ReturnType<typeof getPolicy>>;
import { errnoOf, hostWithMdev, must, newHost, q } from './__test__/fixtures';
import { DECISION_POINT_IDS, DECISION_POINTS, type DecisionPoint } from './decisions';
import type { System } from './system';
import type { DecisionEvent } from './trace';

function decisions(sys: System, point: DecisionPoint): DecisionEvent[] {
  return sys.events.filter((e): e is DecisionEvent => e.type === 'decision' && e.point === point);
}

describe('the five policies at vfio_ap.init', () => {
  const expected: Record<PolicyId, [string, 'accept' | 'reject', string]> = {
    v10: ['none', 'accept', 'EINVAL'],
    'v10-apie': ['none', 'accept', 'EINVAL'],
    'ap-instructions': ['none', 'accept', 'EINVAL'],
    v11: ['ap-instructions', 'reject', 'ENODEV'],
    unchecked: ['none', 'accept', 'EINVAL'],
  };
  it.each(POLICY_IDS)('%s on a host without AP instructions', (id) => {
    const sys = newHost(POLICIES[id]);
    sys.host.removeApInstructions();
    const r = sys.vfioAp.load();
    const [option, branch, errno] = expected[id];
    expect(decisions(sys, 'vfio_ap.init').map((d) => [d.option, d.branch])).toEqual([[option, branch]]);
    expect(errnoOf(r)).toBe(errno);
    expect(sys.vfioAp.loaded).toBe(false);
  });

  it.each(POLICY_IDS)('%s loads on a host with AP instructions', (id) => {
    const sys = newHost(POLICIES[id]);
    expect(errnoOf(sys.vfioAp.load())).toBe('ok');
    expect(decisions(sys, 'vfio_ap.init')[0]!.branch).toBe('accept');
  });
});

describe('the five policies at vfio_ap.open.validate', () => {
  type Row = Record<PolicyId, 'accept' | 'reject'>;
  const OPTION: Record<PolicyId, string> = {
    v10: 'cpu-feat-ap',
    'v10-apie': 'apie',
    'ap-instructions': 'ap-instructions-and-crycb',
    v11: 'crycbd',
    unchecked: 'none',
  };
  const scenarios: { name: string; run(id: PolicyId): System; branch: Row; oops?: Row }[] = [
    {
      name: 'QEMU -cpu host (APIE on; feature AP where KVM offers it)',
      run: (id) => {
        const sys = hostWithMdev({ policy: POLICIES[id] });
        must(sys.qemu.start('g1', { mdev: 'm1' }));
        return sys;
      },
      branch: { v10: 'accept', 'v10-apie': 'accept', 'ap-instructions': 'accept', v11: 'accept', unchecked: 'accept' },
    },
    {
      name: 'a minimal VMM with APIE off and no CPU model',
      run: (id) => {
        const sys = hostWithMdev({ policy: POLICIES[id] });
        must(sys.vmm.create('g1'));
        must(sys.vmm.openMdev('m1', 'g1'));
        return sys;
      },
      branch: { v10: 'reject', 'v10-apie': 'reject', 'ap-instructions': 'accept', v11: 'accept', unchecked: 'accept' },
    },
    {
      name: 'a VM without a CRYCB (pre-4.20 KVM, host without MSAX3), APIE on',
      run: (id) => {
        const sys = hostWithMdev({
          policy: POLICIES[id],
          setup: (s) => {
            s.host.setKvmCrycbOnlyWithMsax3();
            s.host.setFacility(76, false);
          },
        });
        must(sys.vmm.create('g1'));
        must(sys.vmm.setCryptoAttr('g1', 'ENABLE_APIE'));
        // Where the policy accepts, open oopses in kvm_arch_crypto_set_masks and the VMM's call
        // does not return: the outcome is then a refusal naming that function (checked below).
        const opened = sys.vmm.openMdev('m1', 'g1');
        if (!opened.ok) expect(opened.fn).toBe('kvm_arch_crypto_set_masks');
        return sys;
      },
      branch: { v10: 'reject', 'v10-apie': 'accept', 'ap-instructions': 'reject', v11: 'reject', unchecked: 'accept' },
    },
  ];

  for (const s of scenarios)
    it.each(POLICY_IDS)(`%s on ${s.name}`, (id) => {
      const sys = s.run(id);
      const d = decisions(sys, 'vfio_ap.open.validate');
      expect(d.map((e) => [e.option, e.branch])).toEqual([[OPTION[id], s.branch[id]]]);
      const guest = 'g1';
      const crycb = sys.oops ? undefined : sys.inspect.crycb(guest);
      if (s.branch[id] === 'reject') {
        expect(sys.oops).toBeUndefined();
        expect(crycb?.apm ?? []).toEqual([]);
      } else if (sys.kvm.vms.get(guest)!.crypto.crycb === null) {
        // accepted on a VM without a CRYCB: kvm_arch_crypto_set_masks writes through NULL
        expect(sys.oops?.fn).toBe('kvm_arch_crypto_set_masks');
      } else {
        expect(crycb?.apm).toEqual([2]);
      }
    });
});

describe('the five policies at kvm.cpu_feat_ap', () => {
  it.each(POLICY_IDS)('%s: QEMU -cpu host sets feature AP only where KVM offers it', (id) => {
    const sys = newHost(POLICIES[id]);
    must(sys.qemu.start('g1'));
    const offered = id === 'v10';
    expect(decisions(sys, 'kvm.cpu_feat_ap')[0]).toMatchObject({ option: offered ? 'offered' : 'absent', branch: offered ? 'accept' : 'reject' });
    expect(sys.kvm.vms.get('g1')!.cpuFeat.has(14)).toBe(offered);
  });

  it('v10 offers feature AP only on a host with AP instructions', () => {
    const without = newHost(POLICIES.v10);
    without.host.removeApInstructions();
    must(without.vmm.create('g1'));
    expect(errnoOf(without.vmm.enableCpuFeatAp('g1'))).toBe('EINVAL');
    expect(decisions(without, 'kvm.cpu_feat_ap')[0]).toMatchObject({ option: 'offered', branch: 'reject' });
    const withAp = newHost(POLICIES.v10);
    const vm = withAp.kvm.createVm('g1'); // no vcpu yet, so no -EBUSY
    expect(errnoOf(withAp.kvm.enableCpuFeatAp(vm))).toBe('ok');
    expect(vm.cpuFeat.has(14)).toBe(true);
  });
});

/** The requirement scenarios of features/thread/, through the API; each returns whether it passes. */
const REQUIREMENTS: Record<'R1' | 'R2' | 'R3' | 'R4' | 'R5', (id: PolicyId) => boolean> = requirementsFor((id) => POLICIES[id]);

/** The same scenarios for any policy object (the registry-wide checks above). */
const REQUIREMENTS_OF = (policy: ReturnType<typeof getPolicy>) => {
  const r = requirementsFor(() => policy);
  return Object.fromEntries(Object.entries(r).map(([k, f]) => [k, () => f('v11')])) as Record<keyof typeof REQUIREMENTS, () => boolean>;
};

function requirementsFor(policyOf: (id: PolicyId) => ReturnType<typeof getPolicy>): Record<'R1' | 'R2' | 'R3' | 'R4' | 'R5', (id: PolicyId) => boolean> {
  return {
  R1: (id) => {
    const sys = newHost(policyOf(id));
    sys.host.removeApInstructions();
    return errnoOf(sys.vfioAp.load()) === 'ENODEV';
  },
  R2: (id) => {
    const sys = hostWithMdev({ policy: policyOf(id) });
    must(sys.qemu.start('g1'));
    must(sys.vmm.setCryptoAttr('g1', 'DISABLE_APIE'));
    must(sys.vmm.openMdev('m1', 'g1'));
    const c = sys.inspect.crycb('g1');
    return !sys.inspect.apInterpreted('g1') && JSON.stringify([c?.apm, c?.aqm]) === '[[2],[4]]';
  },
  R3: (id) => {
    const sys = hostWithMdev({ policy: policyOf(id) });
    must(sys.qemu.start('g1'));
    must(sys.vmm.setCryptoAttr('g1', 'DISABLE_APIE'));
    must(sys.vmm.openMdev('m1', 'g1'));
    must(sys.vmm.setCryptoAttr('g1', 'ENABLE_APIE'));
    return sys.inspect.apInterpreted('g1') && JSON.stringify(sys.guest.scan('g1')) === JSON.stringify([q('02.0004')]);
  },
  R4: (id) => {
    const sys = hostWithMdev({ policy: policyOf(id) });
    must(sys.vmm.create('g1'));
    must(sys.vmm.setCryptoAttr('g1', 'ENABLE_APIE'));
    must(sys.vmm.openMdev('m1', 'g1'));
    const r = sys.guest.execute('g1', 'PQAP(TAPQ)', q('02.0004'));
    return r.kind === 'completed' && r.rc === 0x00;
  },
  R5: (id) => {
    const sys = hostWithMdev({
      policy: policyOf(id),
      setup: (s) => {
        s.host.setKvmCrycbOnlyWithMsax3();
        s.host.setFacility(76, false);
      },
    });
    sys.qemu.start('g1', { mdev: 'm1' });
    return sys.oops === undefined;
  },
};
}

// spec/policies.md, "The requirements the thread argues from".
const TABLE: Record<keyof typeof REQUIREMENTS, Record<PolicyId, boolean>> = {
  R1: { v10: false, 'v10-apie': false, 'ap-instructions': false, v11: true, unchecked: false },
  R2: { v10: true, 'v10-apie': false, 'ap-instructions': true, v11: true, unchecked: true },
  R3: { v10: true, 'v10-apie': false, 'ap-instructions': true, v11: true, unchecked: true },
  R4: { v10: false, 'v10-apie': true, 'ap-instructions': true, v11: true, unchecked: true },
  R5: { v10: false, 'v10-apie': false, 'ap-instructions': true, v11: true, unchecked: false },
};

describe('the R1-R5 verdict table of spec/policies.md', () => {
  const cells = (Object.keys(TABLE) as (keyof typeof TABLE)[]).flatMap((r) => POLICY_IDS.map((id) => [r, id, TABLE[r][id]] as const));
  it.each(cells)('%s under %s passes: %s', (r, id, pass) => {
    expect(REQUIREMENTS[r](id)).toBe(pass);
  });

  it('the five candidates are registered', () => {
    expect(REGISTERED_IDS).toEqual(expect.arrayContaining([...POLICY_IDS]));
  });
});

describe('every registered policy (the registry, not a list kept here)', () => {
  it('the registry loads every policy file: no syntax error, no throw at import, each id equal to its registry key', () => {
    expect(policyLoadProblems()).toEqual([]);
  });

  it.each(REGISTERED_IDS)('%s chooses at every decision point, through its base chain, a known option or a function', (id) => {
    const policy = getPolicy(id);
    expect(policy.id).toBe(id);
    for (const point of DECISION_POINT_IDS) {
      const choice = policy.choices[point];
      expect(choice, `${id} at ${point}`).toBeDefined();
      if (typeof choice !== 'function') expect(Object.keys(DECISION_POINTS[point].options), `${id} at ${point}`).toContain(choice);
    }
  });

  it.each(REGISTERED_IDS)('%s: loading vfio_ap on a host with AP instructions is decided once at vfio_ap.init, without an oops', (id) => {
    const sys = newHost(getPolicy(id));
    sys.vfioAp.load();
    expect(decisions(sys, 'vfio_ap.init')).toHaveLength(1);
    expect(sys.oops).toBeUndefined();
  });

  it.each(REGISTERED_IDS)('%s: the R1-R5 scenarios run to a verdict (no exception, no policy error)', (id) => {
    const policy = getPolicy(id);
    for (const r of Object.keys(REQUIREMENTS) as (keyof typeof REQUIREMENTS)[])
      expect(() => REQUIREMENTS_OF(policy)[r](), `${r} under ${id}`).not.toThrow();
  });
});
