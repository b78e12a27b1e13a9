import { describe, expect, it } from 'vitest';
import { errnoOf, hostWithMdev, must, newHost, policyWith } from './__test__/fixtures';
import {
  DECISION_POINTS,
  KvmCryptoView,
  Policy,
  PolicyError,
  branchesOf,
  evaluateChoice,
  optionName,
} from './decisions';

function view(over: Partial<KvmCryptoView> = {}): KvmCryptoView {
  return { name: 'g1', crycbd: 0x10001003, hasCrycb: true, apie: true, cpuFeatAp: true, hasFacility: () => true, ...over };
}

const EMPTY = policyWith('empty', {});

describe('no hidden defaults', () => {
  const unresolved: Policy = { id: 'raw', title: '', source: '', rationale: '', base: 'linux-6.0', choices: {} };
  const kernelMissingPoints: Policy = { id: 'half-kernel', title: '', source: '', rationale: '', choices: {} };

  it('a policy that reaches a decision without being resolved through its base is a policy error that says how to resolve it', () => {
    expect(() => evaluateChoice(unresolved, 'vfio_ap.init', { apInstructionsAvailable: true })).toThrow(PolicyError);
    expect(() => evaluateChoice(unresolved, 'vfio_ap.init', { apInstructionsAvailable: true })).toThrow(/not resolved through its base "linux-6.0".*getPolicy/);
  });

  it('a kernel release that chooses nothing at a point is a policy error naming the point', () => {
    expect(() => optionName(kernelMissingPoints, 'kvm.aqic_cc')).toThrow(/kvm\.aqic_cc: it chooses nothing here: a kernel release .* chooses at every decision point/);
  });
});

describe('decision points: named options', () => {
  it('a policy on linux-4.20 that names nothing takes 4.20: init ap-instructions, open crycbd, cpu feat AP absent', () => {
    expect(optionName(EMPTY, 'vfio_ap.init')).toBe('ap-instructions');
    expect(optionName(EMPTY, 'kvm.cpu_feat_ap')).toBe('absent');
    expect(optionName(EMPTY, 'vfio_ap.open.validate')).toBe('crycbd');
    expect(evaluateChoice(EMPTY, 'vfio_ap.init', { apInstructionsAvailable: false })).toEqual({
      option: 'ap-instructions',
      verdict: { ok: false, errno: 'ENODEV', why: expect.stringContaining('ap_instructions_available') },
    });
  });

  it.each([
    ['none', true, true],
    ['none', false, true],
    ['ap-instructions', true, true],
    ['ap-instructions', false, false],
  ] as const)('vfio_ap.init = %s with AP instructions %s accepts: %s', (option, avail, accept) => {
    const { verdict } = evaluateChoice(policyWith('p', { 'vfio_ap.init': option }), 'vfio_ap.init', { apInstructionsAvailable: avail });
    expect(verdict.ok).toBe(accept);
    if (!verdict.ok) expect(verdict.errno).toBe('ENODEV');
  });

  it.each([
    ['none', view({ crycbd: 0, hasCrycb: false, apie: false, cpuFeatAp: false }), false, true],
    ['cpu-feat-ap', view(), true, true],
    ['cpu-feat-ap', view({ cpuFeatAp: false }), true, false],
    ['apie', view(), true, true],
    ['apie', view({ apie: false }), true, false],
    ['ap-instructions-and-crycb', view({ apie: false, cpuFeatAp: false }), true, true],
    ['ap-instructions-and-crycb', view(), false, false],
    ['ap-instructions-and-crycb', view({ hasCrycb: false, crycbd: 0 }), true, false],
    ['crycbd', view({ apie: false, cpuFeatAp: false }), false, true],
    ['crycbd', view({ crycbd: 0, hasCrycb: false }), true, false],
  ] as const)('vfio_ap.open.validate = %s on %o (AP instructions %s) accepts: %s', (option, kvm, avail, accept) => {
    const { verdict } = evaluateChoice(policyWith('p', { 'vfio_ap.open.validate': option }), 'vfio_ap.open.validate', {
      apInstructionsAvailable: avail,
      kvm,
    });
    expect(verdict.ok).toBe(accept);
    if (!verdict.ok) {
      expect(verdict.errno).toBe('EOPNOTSUPP');
      expect(verdict.why).toMatch(/g1|ap_instructions_available/);
    }
  });

  it.each([
    ['absent', true, false],
    ['offered', true, true],
    ['offered', false, false],
  ] as const)('kvm.cpu_feat_ap = %s with AP instructions %s offers feature AP: %s', (option, avail, accept) => {
    const { verdict } = evaluateChoice(policyWith('p', { 'kvm.cpu_feat_ap': option }), 'kvm.cpu_feat_ap', { apInstructionsAvailable: avail });
    expect(verdict.ok).toBe(accept);
    if (!verdict.ok) expect(verdict.errno).toBe('EINVAL');
  });

  it('declares for each option the branches it can take', () => {
    expect(DECISION_POINTS['vfio_ap.init'].options.none.branches).toEqual(['accept']);
    expect(DECISION_POINTS['kvm.cpu_feat_ap'].options.absent.branches).toEqual(['reject']);
    expect(branchesOf(EMPTY, 'vfio_ap.open.validate')).toEqual(['accept', 'reject']);
    expect(branchesOf(policyWith('p', { 'vfio_ap.open.validate': () => ({ ok: true }) }), 'vfio_ap.open.validate')).toEqual(['accept', 'reject']);
  });
});

describe('decision points: custom functions and broken policies', () => {
  it('a custom function is evaluated with the context, named "custom", and its verdict taken as is', () => {
    const seen: unknown[] = [];
    const p = policyWith('mine', {
      'vfio_ap.open.validate': (ctx) => {
        seen.push(ctx.kvm.name, ctx.kvm.hasFacility(76));
        return ctx.kvm.apie ? { ok: true } : { ok: false, errno: 'EPERM', why: 'apie off' };
      },
    });
    expect(optionName(p, 'vfio_ap.open.validate')).toBe('custom');
    expect(evaluateChoice(p, 'vfio_ap.open.validate', { apInstructionsAvailable: true, kvm: view({ apie: false }) })).toEqual({
      option: 'custom',
      verdict: { ok: false, errno: 'EPERM', why: 'apie off' },
    });
    expect(seen).toEqual(['g1', true]);
  });

  it('a custom function runs inside the simulator: trace, decision coverage and effect follow its verdict', () => {
    const sys = hostWithMdev({
      policy: policyWith('mine', {
        'vfio_ap.open.validate': (ctx) => (ctx.kvm.apie ? { ok: true } : { ok: false, errno: 'EPERM', why: 'apie off' }),
      }),
    });
    must(sys.vmm.create('g1'));
    must(sys.vmm.openMdev('m1', 'g1'));
    expect(sys.decisionsTaken.get('vfio_ap.open.validate=custom:reject')).toBe(1);
    expect(sys.events.find((e) => e.type === 'decision' && e.point === 'vfio_ap.open.validate')).toMatchObject({ option: 'custom', branch: 'reject', outcome: '-EPERM' });
    expect(sys.inspect.crycb('g1')?.apm).toEqual([]);
    must(sys.qemu.start('g2'));
    must(sys.vmm.closeMdev('m1'));
    must(sys.vmm.openMdev('m1', 'g2'));
    expect(sys.decisionsTaken.get('vfio_ap.open.validate=custom:accept')).toBe(1);
    expect(sys.inspect.crycb('g2')?.apm).toEqual([2]);
  });

  it('a function that throws becomes a PolicyError naming the policy and the point', () => {
    const p = policyWith('thrower', {
      'vfio_ap.init': () => {
        throw new Error('boom');
      },
    });
    const sys = newHost(p);
    let err: unknown;
    try {
      sys.vfioAp.load();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PolicyError);
    expect(err).toMatchObject({ policyId: 'thrower', point: 'vfio_ap.init' });
    expect((err as Error).message).toContain('boom');
    expect((err as Error).message).toContain('policy "thrower" at decision point vfio_ap.init');
  });

  it.each([
    ['undefined', undefined],
    ['a boolean', true],
    ['ok as a string', { ok: 'yes' }],
    ['a rejection without errno', { ok: false, why: 'x' }],
    ['a rejection without why', { ok: false, errno: 'EPERM' }],
    ['null', null],
  ])('a function returning %s becomes a PolicyError', (_what, value) => {
    const p: Policy = policyWith('nonsense', { 'kvm.cpu_feat_ap': (() => value) as never });
    expect(() => evaluateChoice(p, 'kvm.cpu_feat_ap', { apInstructionsAvailable: true })).toThrow(PolicyError);
    try {
      evaluateChoice(p, 'kvm.cpu_feat_ap', { apInstructionsAvailable: true });
    } catch (e) {
      expect(e).toMatchObject({ policyId: 'nonsense', point: 'kvm.cpu_feat_ap' });
      expect((e as Error).message).toContain('expected { ok: true } or { ok: false, errno, why }');
    }
  });

  const cyclic: { self?: unknown } = {};
  cyclic.self = cyclic;
  it.each([
    ['a cyclic object', cyclic, 'an object JSON cannot show'],
    ['a BigInt', 42n, 'the BigInt 42n'],
    ['an object holding a BigInt', { ok: 1n }, 'an object JSON cannot show'],
    ['a symbol', Symbol('v'), 'a symbol'],
    ['a made-up errno', { ok: false, errno: 'EFOO', why: 'x' }, 'the errno "EFOO", which the simulated kernel does not know; use one of EPERM'],
  ])('a function returning %s becomes a PolicyError that says what it returned (no error of its own)', (_what, value, said) => {
    const p: Policy = policyWith('odd', { 'kvm.cpu_feat_ap': (() => value) as never });
    expect(() => evaluateChoice(p, 'kvm.cpu_feat_ap', { apInstructionsAvailable: true })).toThrow(PolicyError);
    expect(() => evaluateChoice(p, 'kvm.cpu_feat_ap', { apInstructionsAvailable: true })).toThrow(said);
  });

  it('a function throwing something that is not an Error (an object without a prototype) becomes a PolicyError', () => {
    const p: Policy = policyWith('odd', {
      'kvm.cpu_feat_ap': () => {
        throw Object.create(null);
      },
    });
    expect(() => evaluateChoice(p, 'kvm.cpu_feat_ap', { apInstructionsAvailable: true })).toThrow(/its function threw: /);
  });

  it('a broken open check surfaces as a PolicyError from the operation that reached it', () => {
    const p = policyWith('broken-open', { 'vfio_ap.open.validate': (() => 42) as never });
    const sys = hostWithMdev({ policy: p });
    must(sys.vmm.create('g1'));
    expect(() => sys.vmm.openMdev('m1', 'g1')).toThrow(/policy "broken-open" at decision point vfio_ap.open.validate/);
  });

  it('an unknown option name becomes a PolicyError that lists the known ones', () => {
    const p = policyWith('typo', { 'vfio_ap.init': 'ap-instruction' as never });
    expect(() => evaluateChoice(p, 'vfio_ap.init', { apInstructionsAvailable: true })).toThrow(/unknown option "ap-instruction"; known: none, ap-instructions/);
  });

  it('a PolicyError is not swallowed into an errno: load does not return a refusal', () => {
    const p = policyWith('thrower', { 'vfio_ap.init': () => { throw 'not even an Error'; } });
    const sys = newHost(p);
    expect(() => errnoOf(sys.vfioAp.load())).toThrow(/its function threw: not even an Error/);
  });
});
