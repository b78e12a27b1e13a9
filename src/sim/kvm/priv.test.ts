import { describe, expect, it } from 'vitest';
import { DEFAULT_PQAP_OPERANDS, ECA_AIV, ECA_APIE, type PqapOperands } from '../firmware/ap-instructions';
import { FAC_AQIC } from '../firmware/facilities';
import { hostWithMdev, must, newHost, policyWith, q, vmOf } from '../__test__/fixtures';
import type { PqapHook, PqapRequest, PqapResult } from './hooks';
import { kvmHandlePqap } from './priv';

const E2 = policyWith('e2', { 'kvm.handle_pqap': 'priv-handle_pqap', 'kvm.facility_65': 'cpumodel', 'kvm.gisa': 'gisa-aiv', 'kvm.aqic_cc': 'unchanged' });
const CCFX = policyWith('ccfx', { 'kvm.handle_pqap': 'priv-handle_pqap', 'kvm.facility_65': 'cpumodel', 'kvm.gisa': 'gisa-aiv', 'kvm.aqic_cc': 'cc0' });

/** A hook standing in for vfio_ap's: answers with a fixed result and remembers what KVM passed. */
class FakeHook implements PqapHook {
  readonly pqapOwner = 'm9';
  seen: PqapRequest | undefined;
  constructor(private readonly result: PqapResult) {}
  handlePqap(req: PqapRequest): PqapResult {
    this.seen = req;
    return this.result;
  }
}

/** A 5.3+ guest "g1" (QEMU -cpu host: APIE, facility 65, ECA_AIV) with a fake hook in the slot. */
function e2Guest(hook: PqapHook | null = null, policy = E2) {
  const sys = newHost(policy);
  must(sys.qemu.start('g1'));
  const vm = vmOf(sys, 'g1');
  vm.crypto.pqapHook = hook;
  return { sys, vm, vcpu: vm.vcpus[0]! };
}

const ops = (over: Partial<PqapOperands> = {}): PqapOperands => ({ ...DEFAULT_PQAP_OPERANDS, ...over });

describe('kvm.handle_pqap = none (Linux 4.20): no handler for an intercepted PQAP', () => {
  it('kvm_handle_sie_intercept exits to userspace and QEMU injects an operation exception for PQAP(AQIC)', () => {
    const sys = hostWithMdev();
    must(sys.qemu.start('g1', { mdev: 'm1' }));
    expect(sys.guest.execute('g1', 'PQAP(AQIC)', q('02.0004'))).toEqual({ kind: 'exception', exception: 'operation' });
    expect(sys.events.some((e) => e.type === 'decision' && e.point === 'kvm.handle_pqap' && e.option === 'none')).toBe(true);
  });
});

describe('kvm.handle_pqap = priv-handle_pqap (5.3+): handle_pqap in the reference order', () => {
  it('without ECA_APIE handle_pqap returns -EOPNOTSUPP: every PQAP exits to userspace (operation exception)', () => {
    const { sys, vm, vcpu } = e2Guest();
    vcpu.sie.eca &= ~ECA_APIE;
    expect(kvmHandlePqap(sys.k, vm, vcpu, 3, q('02.0004'), ops()).kind).toBe('userspace');
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('02.0004'))).toEqual({ kind: 'exception', exception: 'operation' });
  });

  it('a function code other than AQIC returns -EOPNOTSUPP (exit to userspace)', () => {
    const { sys, vm, vcpu } = e2Guest();
    expect(kvmHandlePqap(sys.k, vm, vcpu, 4, q('02.0004'), ops())).toMatchObject({ kind: 'userspace' });
  });

  it('without AP instructions on the host handle_pqap returns -EOPNOTSUPP first', () => {
    const { sys, vm, vcpu } = e2Guest();
    sys.machine.apInstructions = false;
    expect(kvmHandlePqap(sys.k, vm, vcpu, 3, q('02.0004'), ops({ problemState: true }))).toMatchObject({ kind: 'userspace' });
  });

  it('in problem state AQIC gets a privileged-operation exception, before any operand check', () => {
    const { sys } = e2Guest();
    expect(sys.guest.execute('g1', 'PQAP(AQIC)', q('02.0004'), { problemState: true })).toEqual({ kind: 'exception', exception: 'privileged-operation' });
  });

  it('GR0 bits 41-47 set give a specification exception', () => {
    const { sys, vm, vcpu } = e2Guest();
    expect(kvmHandlePqap(sys.k, vm, vcpu, 3, q('02.0004'), ops({ gr0Reserved: 1 }))).toEqual({ kind: 'exception', exception: 'specification' });
  });

  it('the T bit without guest facility 15 gives a specification exception; with it, the check passes', () => {
    const { sys, vm, vcpu } = e2Guest();
    expect(kvmHandlePqap(sys.k, vm, vcpu, 3, q('02.0004'), ops({ tBit: true }))).toMatchObject({ kind: 'completed' });
    vm.facList.delete(15);
    expect(kvmHandlePqap(sys.k, vm, vcpu, 3, q('02.0004'), ops({ tBit: true }))).toEqual({ kind: 'exception', exception: 'specification' });
  });

  it('APID > 63 with a CRYCB that is not format 2 gives a specification exception; format 2 passes', () => {
    const { sys, vm, vcpu } = e2Guest();
    expect(kvmHandlePqap(sys.k, vm, vcpu, 3, q('40.0004'), ops())).toMatchObject({ kind: 'completed' });
    vm.crypto.crycbd = (vm.crypto.crycbd & ~3) | 1; // format 1
    expect(kvmHandlePqap(sys.k, vm, vcpu, 3, q('40.0004'), ops())).toEqual({ kind: 'exception', exception: 'specification' });
    expect(kvmHandlePqap(sys.k, vm, vcpu, 3, q('02.0010'), ops())).toEqual({ kind: 'exception', exception: 'specification' });
    expect(kvmHandlePqap(sys.k, vm, vcpu, 3, q('3f.000f'), ops())).toMatchObject({ kind: 'completed' });
  });

  it('without guest facility 65 AQIC gives a specification exception', () => {
    const { sys, vm, vcpu } = e2Guest();
    vm.facList.delete(FAC_AQIC);
    expect(kvmHandlePqap(sys.k, vm, vcpu, 3, q('02.0004'), ops())).toEqual({ kind: 'exception', exception: 'specification' });
  });

  it('with no pqap_hook registered the status is RC 0x01 with cc 3, handled in the kernel', () => {
    const { sys } = e2Guest(null);
    expect(sys.guest.execute('g1', 'PQAP(AQIC)', q('02.0004'))).toEqual({ kind: 'completed', cc: 3, rc: 0x01 });
  });

  it('calls the pqap_hook with the vcpu, the APQN, IR set and the valid NIB', () => {
    const hook = new FakeHook({ ok: true, rc: 0, irqEnabled: true });
    const { sys, vcpu } = e2Guest(hook);
    sys.guest.execute('g1', 'PQAP(AQIC)', q('02.0004'));
    expect(hook.seen).toMatchObject({ apqn: q('02.0004'), ir: true, nibValid: true, vcpu });
    expect((hook.seen!.vcpu.sie.eca & ECA_AIV) !== 0).toBe(true);
  });

  it('a hook status with a non-zero response code sets cc 3', () => {
    const { sys } = e2Guest(new FakeHook({ ok: true, rc: 0x06, irqEnabled: false }));
    expect(sys.guest.execute('g1', 'PQAP(AQIC)', q('02.0004'))).toEqual({ kind: 'completed', cc: 3, rc: 0x06 });
  });

  it("a hook's -EOPNOTSUPP exits to userspace: QEMU injects an operation exception", () => {
    const { sys } = e2Guest(new FakeHook({ ok: false, errno: 'EOPNOTSUPP' }));
    expect(sys.guest.execute('g1', 'PQAP(AQIC)', q('02.0004'))).toEqual({ kind: 'exception', exception: 'operation' });
  });

  it('NQAP and DQAP intercepts still exit to userspace (handle_b2 has no handler for them)', () => {
    const { sys, vcpu } = e2Guest();
    vcpu.sie.eca &= ~ECA_APIE;
    expect(sys.guest.execute('g1', 'NQAP', q('02.0004'))).toEqual({ kind: 'exception', exception: 'operation' });
  });
});

describe('kvm.aqic_cc: the condition code of an AQIC the hook completed with RC 0', () => {
  it('unchanged (handle_pqap before CCFX): the guest keeps the cc its previous instruction set', () => {
    const { sys } = e2Guest(new FakeHook({ ok: true, rc: 0, irqEnabled: true }));
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('07.0004'))).toMatchObject({ cc: 3, rc: 0x01 });
    expect(sys.guest.execute('g1', 'PQAP(AQIC)', q('02.0004'))).toEqual({ kind: 'completed', cc: 3, rc: 0 });
  });

  it('cc0 (CCFX, "KVM: s390: fix cc for successful PQAP"): handle_pqap sets cc 0', () => {
    const { sys } = e2Guest(new FakeHook({ ok: true, rc: 0, irqEnabled: true }), CCFX);
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('07.0004'))).toMatchObject({ cc: 3 });
    expect(sys.guest.execute('g1', 'PQAP(AQIC)', q('02.0004'))).toEqual({ kind: 'completed', cc: 0, rc: 0 });
  });
});

describe('kvm.facility_65: FACILITIES_KVM_CPUMODEL (kvm_arch_init_vm, kvm_s390_get_machine)', () => {
  it('not-offered (4.20): a -cpu host guest lacks facility 65 although the host has it', () => {
    const sys = newHost();
    must(sys.qemu.start('g1'));
    expect(sys.inspect.guestHasFacility('g1', FAC_AQIC)).toBe(false);
  });

  it('cpumodel (5.3+): a -cpu host guest has facility 65; with apqi=off it does not', () => {
    const sys = newHost(E2);
    must(sys.qemu.start('g1'));
    must(sys.qemu.start('g2', { cpuModel: 'host,apqi=off' }));
    expect(sys.inspect.guestHasFacility('g1', FAC_AQIC)).toBe(true);
    expect(sys.inspect.guestHasFacility('g2', FAC_AQIC)).toBe(false);
  });

  it('cpumodel: a minimal VMM sets no CPU model, so its guest lacks facility 65 (it is not in FACILITIES_KVM)', () => {
    const sys = newHost(E2);
    must(sys.vmm.create('g1'));
    expect(sys.inspect.guestHasFacility('g1', FAC_AQIC)).toBe(false);
  });
});

describe('kvm.gisa: ECA_AIV from kvm_arch_vcpu_setup', () => {
  it('none (4.20): no vcpu gets ECA_AIV', () => {
    const sys = newHost();
    must(sys.vmm.create('g1'));
    expect(vmOf(sys, 'g1').vcpus[0]!.sie.eca & ECA_AIV).toBe(0);
  });

  it('gisa-aiv (5.3+): with the host\'s AIV the VM gets a GISA and its vcpus ECA_AIV; without AIV neither', () => {
    const sys = newHost(E2);
    must(sys.vmm.create('g1'));
    expect(vmOf(sys, 'g1').gisa).toBe(true);
    expect(vmOf(sys, 'g1').vcpus[0]!.sie.eca & ECA_AIV).toBe(ECA_AIV);
    sys.machine.aiv = false;
    must(sys.vmm.create('g2'));
    expect(vmOf(sys, 'g2').gisa).toBe(false);
    expect(vmOf(sys, 'g2').vcpus[0]!.sie.eca & ECA_AIV).toBe(0);
  });
});

describe("the pre-4.20 KVM (a CRYCB only with MSAX3) is a host only an E1 vfio_ap fits (preRefactorCryptoInitFits)", () => {
  it('applicable where kvm.handle_pqap is none', () => {
    expect(newHost().host.setKvmCrycbOnlyWithMsax3()).toEqual({ applicable: true });
  });
  it('not applicable from 5.3 (kvm->arch.crypto.pqap_hook), and the host keeps its 4.20 KVM', () => {
    const sys = newHost(E2);
    const r = sys.host.setKvmCrycbOnlyWithMsax3();
    expect(r.applicable).toBe(false);
    expect(r.applicable ? '' : r.reason).toContain('pqap_hook');
    expect(sys.hostKvm).toBe('linux-4.20');
  });
});
