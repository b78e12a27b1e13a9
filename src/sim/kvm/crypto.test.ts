import { describe, expect, it } from 'vitest';
import type { CryptoAttr } from '../api';
import { errnoOf, eventsOf, hostWithMdev, must, newHost, policyWith, q, vmOf } from '../__test__/fixtures';
import { ECA_APIE } from '../firmware/ap-instructions';
import type { System } from '../system';
import { ECB3_AES, ECB3_DEA } from './crypto';

const formatOf = (sys: System, guest: string) => sys.inspect.crycb(guest)?.format;

// Reference §2.10: kvm_s390_set_crycb_format.
describe('CRYCB format selection', () => {
  const hosts: [string, (s: System) => void, 0 | 1 | 2][] = [
    ['a default host (MSAX3, APXA)', () => undefined, 2],
    ['a host without APXA', (s) => s.host.setApxa(false), 1],
    ['a host without QCI (apxa_installed needs QCI)', (s) => s.host.setFacility(12, false), 1],
    ['a host without AP instructions but with MSAX3', (s) => s.host.removeApInstructions(), 1],
    ['a host without MSAX3', (s) => s.host.setFacility(76, false), 0],
  ];
  it.each(hosts)('gives a VM on %s format %i', (_what, setup, format) => {
    const sys = newHost();
    setup(sys);
    must(sys.vmm.create('g1'));
    expect(formatOf(sys, 'g1')).toBe(format);
    expect(vmOf(sys, 'g1').crypto.crycbd & 3).toBe(format === 2 ? 3 : format);
  });

  it('fixes the format at VM creation: -cpu host,msa3=off keeps format 2 though the guest lacks facility 76', () => {
    const sys = newHost();
    must(sys.qemu.start('g1', { cpuModel: 'host,msa3=off' }));
    expect(sys.inspect.guestHasFacility('g1', 76)).toBe(false);
    expect(formatOf(sys, 'g1')).toBe(2);
    // ... and the KW attributes now see no facility 76
    expect(errnoOf(sys.vmm.setCryptoAttr('g1', 'ENABLE_AES_KW'))).toBe('EINVAL');
  });

  it('turns AES and DEA key wrapping on at creation when the VM has facility 76', () => {
    const sys = newHost();
    must(sys.vmm.create('g1'));
    const vm = vmOf(sys, 'g1');
    expect(vm.crypto.aesKw && vm.crypto.deaKw).toBe(true);
    expect(vm.vcpus[0]!.sie.ecb3 & (ECB3_AES | ECB3_DEA)).toBe(ECB3_AES | ECB3_DEA);
  });

  it('a pre-4.20 KVM (CRYCB only with MSAX3) leaves crycb NULL and crycbd 0 without facility 76', () => {
    const sys = newHost();
    sys.host.setKvmCrycbOnlyWithMsax3();
    sys.host.setFacility(76, false);
    must(sys.vmm.create('g1'));
    expect(vmOf(sys, 'g1').crypto).toMatchObject({ crycb: null, crycbd: 0 });
    expect(sys.inspect.crycb('g1')).toBeUndefined();
  });
});

// Reference §1.4: byte widths written by kvm_arch_crypto_set_masks.
describe('kvm_arch_crypto_set_masks byte widths', () => {
  it('format 2 writes all 256 ids of apm, aqm and adm into APCB1 and leaves APCB0 alone', () => {
    const sys = hostWithMdev({
      setup: (s) => s.host.configure([2, 200], [4, 80]),
      reserveAdapters: [2, 200],
      adapters: [2, 200],
      domains: [4, 80],
      controlDomains: [4, 80],
    });
    must(sys.vmm.create('g1'));
    must(sys.vmm.openMdev('m1', 'g1'));
    expect(sys.inspect.crycb('g1')).toEqual({ format: 2, apm: [2, 200], aqm: [4, 80], adm: [4, 80] });
    const crycb = vmOf(sys, 'g1').crypto.crycb!;
    expect(crycb.apcb0.apm.isEmpty() && crycb.apcb0.aqm.isEmpty() && crycb.apcb0.adm.isEmpty()).toBe(true);
    expect(eventsOf(sys, 'kvm_arch_crypto_set_masks')[0]!.outcome).toBe('APCB1, 32 bytes each');
  });

  it('format 0 writes 8 bytes of apm (APIDs 0-63) and 2 bytes of aqm and adm (ids 0-15) into APCB0', () => {
    const sys = hostWithMdev({
      setup: (s) => {
        s.host.setFacility(76, false);
        s.host.configure([2, 63, 64, 200], [4, 15, 16, 80]);
      },
      reserveAdapters: [2, 63, 64, 200],
      adapters: [2, 63, 64, 200],
      domains: [4, 15, 16, 80],
      controlDomains: [4, 15, 16, 80],
    });
    must(sys.vmm.create('g1'));
    must(sys.vmm.openMdev('m1', 'g1'));
    expect(sys.inspect.crycb('g1')).toEqual({ format: 0, apm: [2, 63], aqm: [4, 15], adm: [4, 15] });
    const crycb = vmOf(sys, 'g1').crypto.crycb!;
    // APCB0 has 64 bits per mask, but only 2 bytes of aqm/adm are copied: id 16 is not there
    expect(crycb.apcb0.aqm.ids()).toEqual([4, 15]);
    expect(crycb.apcb0.adm.ids()).toEqual([4, 15]);
    expect(crycb.apcb0.apm.ids()).toEqual([2, 63]);
    expect(crycb.apcb1.apm.isEmpty() && crycb.apcb1.aqm.isEmpty() && crycb.apcb1.adm.isEmpty()).toBe(true);
    expect(eventsOf(sys, 'kvm_arch_crypto_set_masks')[0]!.outcome).toBe('APCB0: 8 bytes apm, 2 bytes aqm, 2 bytes adm');
  });

  it('format 1 truncates the same way: an mdev made under APXA loses APID 64 and APQI 16', () => {
    const sys = hostWithMdev({
      setup: (s) => s.host.configure([2, 64], [4, 16]),
      reserveAdapters: [2, 64],
      adapters: [2, 64],
      domains: [4, 16],
    });
    sys.host.setApxa(false);
    must(sys.vmm.create('g1'));
    must(sys.vmm.openMdev('m1', 'g1'));
    expect(sys.inspect.crycb('g1')).toEqual({ format: 1, apm: [2], aqm: [4], adm: [] });
  });
});

// Reference §2.9: kvm_s390_vm_set_crypto.
describe('KVM_S390_VM_CRYPTO attributes', () => {
  const KW: CryptoAttr[] = ['ENABLE_AES_KW', 'ENABLE_DEA_KW', 'DISABLE_AES_KW', 'DISABLE_DEA_KW'];

  it.each(KW)('%s returns -EINVAL without facility 76 and resets no vcpu', (attr) => {
    const sys = newHost();
    sys.host.setFacility(76, false);
    must(sys.vmm.create('g1'));
    const from = sys.events.length;
    const r = sys.vmm.setCryptoAttr('g1', attr);
    expect(errnoOf(r)).toBe('EINVAL');
    expect(r.ok ? '' : r.fn).toBe('kvm_s390_vm_set_crypto');
    expect(eventsOf(sys, 'kvm_s390_vcpu_crypto_setup', from)).toEqual([]);
  });

  it.each(['ENABLE_APIE', 'DISABLE_APIE'] as const)('%s returns -EOPNOTSUPP without AP instructions on the host', (attr) => {
    const sys = newHost();
    sys.host.removeApInstructions();
    must(sys.vmm.create('g1'));
    expect(errnoOf(sys.vmm.setCryptoAttr('g1', attr))).toBe('EOPNOTSUPP');
    expect(sys.kvm.cryptoAttrSupported(attr)).toBe(false);
    expect(sys.kvm.cryptoAttrSupported('ENABLE_AES_KW')).toBe(true);
  });

  it('is accepted at any time, vcpus running, and redoes every vcpu crypto set-up (reset_all)', () => {
    const sys = newHost();
    must(sys.vmm.create('g1'));
    expect(vmOf(sys, 'g1').createdVcpus).toBe(1);
    const from = sys.events.length;
    expect(errnoOf(sys.vmm.setCryptoAttr('g1', 'ENABLE_APIE'))).toBe('ok');
    expect(eventsOf(sys, 'kvm_s390_vcpu_crypto_setup', from)).toHaveLength(1);
    expect(sys.inspect.apInterpreted('g1')).toBe(true);
    expect(errnoOf(sys.vmm.setCryptoAttr('g1', 'DISABLE_APIE'))).toBe('ok');
    expect(sys.inspect.apInterpreted('g1')).toBe(false);
    expect(errnoOf(sys.vmm.setCryptoAttr('g1', 'DISABLE_AES_KW'))).toBe('ok');
    expect(vmOf(sys, 'g1').vcpus[0]!.sie.ecb3).toBe(ECB3_DEA);
    expect(vmOf(sys, 'g1').crypto.crycb!.aesWrappingKey).toBe(false);
    expect(errnoOf(sys.vmm.setCryptoAttr('g1', 'DISABLE_DEA_KW'))).toBe('ok');
    expect(vmOf(sys, 'g1').vcpus[0]!.sie.ecb3).toBe(0);
    expect(errnoOf(sys.vmm.setCryptoAttr('g1', 'ENABLE_DEA_KW'))).toBe('ok');
    expect(vmOf(sys, 'g1').vcpus[0]!.sie.ecb3).toBe(ECB3_DEA);
  });

  it('nothing re-validates the mdev when APIE changes: the masks stay in the CRYCB', () => {
    const sys = hostWithMdev();
    must(sys.qemu.start('g1', { mdev: 'm1' }));
    must(sys.vmm.setCryptoAttr('g1', 'DISABLE_APIE'));
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [2], aqm: [4] });
    expect(sys.inspect.apInterpreted('g1')).toBe(false);
  });

  it('KVM_S390_VM_CPU_PROCESSOR returns -EBUSY once vcpus exist (unlike the crypto attributes)', () => {
    const sys = newHost();
    must(sys.vmm.create('g1'));
    expect(errnoOf(sys.kvm.setProcessor(vmOf(sys, 'g1'), [76]))).toBe('EBUSY');
  });

  it('feature AP: 4.20 KVM does not offer it (-EINVAL, checked before -EBUSY); a KVM that offers it says -EBUSY once vcpus exist', () => {
    const sys = newHost();
    must(sys.vmm.create('g1'));
    expect(errnoOf(sys.vmm.enableCpuFeatAp('g1'))).toBe('EINVAL');
    const v10 = newHost(policyWith('offered', { 'kvm.cpu_feat_ap': 'offered' }));
    must(v10.vmm.create('g1'));
    expect(errnoOf(v10.vmm.enableCpuFeatAp('g1'))).toBe('EBUSY');
  });
});

// Reference §2.11: kvm_s390_vcpu_crypto_setup.
describe('vcpu crypto set-up', () => {
  it('copies crycbd to the vcpu and sets ECA.28 only with APIE', () => {
    const sys = newHost();
    must(sys.vmm.create('g1'));
    const vm = vmOf(sys, 'g1');
    expect(vm.vcpus[0]!.sie.crycbd).toBe(vm.crypto.crycbd);
    expect(vm.vcpus[0]!.sie.eca & ECA_APIE).toBe(0);
    must(sys.qemu.start('g2'));
    expect(vmOf(sys, 'g2').vcpus[0]!.sie.eca & ECA_APIE).toBe(ECA_APIE);
  });

  it('without APIE and facility 76 it returns early: the vcpu keeps crycbd 0 and ECA 0', () => {
    const sys = newHost();
    sys.host.setFacility(76, false);
    must(sys.vmm.create('g1'));
    const vm = vmOf(sys, 'g1');
    expect(vm.crypto.crycbd).not.toBe(0);
    expect(vm.vcpus[0]!.sie).toEqual({ eca: 0, crycbd: 0, ecb3: 0 });
    expect(eventsOf(sys, 'kvm_s390_vcpu_crypto_setup')[0]!.outcome).toBe('nothing set up');
  });

  it('the early return leaves a stale ECA.28 after DISABLE_APIE for a guest without MSAX3: still interpreted', () => {
    const sys = hostWithMdev({ setup: (s) => s.host.setFacility(76, false) });
    must(sys.vmm.create('g1'));
    must(sys.vmm.setCryptoAttr('g1', 'ENABLE_APIE'));
    const vm = vmOf(sys, 'g1');
    expect(vm.vcpus[0]!.sie.crycbd).toBe(vm.crypto.crycbd);
    must(sys.vmm.openMdev('m1', 'g1'));
    must(sys.vmm.setCryptoAttr('g1', 'DISABLE_APIE'));
    expect(vm.crypto.apie).toBe(false);
    expect(sys.inspect.apInterpreted('g1')).toBe(true);
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('02.0004'))).toEqual({ kind: 'completed', cc: 0, rc: 0 });
  });

  it('with facility 76 DISABLE_APIE does clear ECA.28: AP instructions are intercepted again', () => {
    const sys = hostWithMdev();
    must(sys.vmm.create('g1'));
    must(sys.vmm.setCryptoAttr('g1', 'ENABLE_APIE'));
    must(sys.vmm.openMdev('m1', 'g1'));
    must(sys.vmm.setCryptoAttr('g1', 'DISABLE_APIE'));
    expect(sys.inspect.apInterpreted('g1')).toBe(false);
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('02.0004'))).toEqual({ kind: 'exception', exception: 'operation' });
  });
});

// Reference §2.9: the switch in kvm_s390_vm_set_crypto has a default case; kvm_s390_vm_has_attr.
describe('crypto attributes by number, and KVM_HAS_DEVICE_ATTR', () => {
  it('kvm_s390_vm_set_crypto takes attribute numbers: 4 is ENABLE_APIE', () => {
    const sys = newHost();
    must(sys.vmm.create('g1'));
    must(sys.vmm.setCryptoAttr('g1', 4));
    expect(sys.inspect.apInterpreted('g1')).toBe(true);
  });

  it.each([6, 99])('kvm_s390_vm_set_crypto returns -ENXIO for attribute %i (the default case) and changes nothing', (nr) => {
    const sys = newHost();
    must(sys.vmm.create('g1'));
    const r = sys.vmm.setCryptoAttr('g1', nr);
    expect(errnoOf(r)).toBe('ENXIO');
    expect(r.ok ? '' : r.fn).toBe('kvm_s390_vm_set_crypto');
    expect(eventsOf(sys, 'kvm_s390_vcpu_crypto_reset_all')).toEqual([]);
  });

  it('kvm_s390_vm_has_attr: 0 for the key-wrapping and APIE attributes, -ENXIO for an undefined one', () => {
    const sys = newHost();
    must(sys.vmm.create('g1'));
    for (const attr of ['ENABLE_AES_KW', 'DISABLE_DEA_KW', 'ENABLE_APIE', 'DISABLE_APIE'] as const) expect(errnoOf(sys.vmm.hasCryptoAttr('g1', attr))).toBe('ok');
    expect(errnoOf(sys.vmm.hasCryptoAttr('g1', 99))).toBe('ENXIO');
    expect(eventsOf(sys, 'kvm_s390_vm_has_attr').map((e) => e.outcome)).toEqual(['0', '0', '0', '0', '-ENXIO']);
  });

  it('kvm_s390_vm_has_attr: -ENXIO for the APIE attributes on a host without AP instructions; key wrapping stays 0', () => {
    const sys = newHost();
    sys.host.removeApInstructions();
    must(sys.vmm.create('g1'));
    expect(errnoOf(sys.vmm.hasCryptoAttr('g1', 'ENABLE_APIE'))).toBe('ENXIO');
    expect(errnoOf(sys.vmm.hasCryptoAttr('g1', 5))).toBe('ENXIO');
    expect(errnoOf(sys.vmm.hasCryptoAttr('g1', 'ENABLE_AES_KW'))).toBe('ok');
  });
});
