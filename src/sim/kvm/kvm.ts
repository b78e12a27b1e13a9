/**
 * KVM on s390 as userspace reaches it through ioctls (arch/s390/kvm/kvm-s390.c, Linux 4.20):
 * VM and vcpu creation, the CPU-model and crypto attributes, the KVM-VFIO device, and the exit of
 * intercepted AP instructions to userspace.
 */
import { OK, Outcome } from '../errno';
import type { Apqn } from '../apqn';
import { ECA_AIV, type GuestInstruction, type PqapOperands } from '../firmware/ap-instructions';
import { FAC_APFT, FAC_AQIC, FAC_MSAX3, FAC_QCI } from '../firmware/facilities';
import type { Kernel } from '../kernel';
import { KvmBuild, kvmS390CryptoInit, kvmS390VcpuCryptoResetAll, kvmS390VcpuCryptoSetup } from './crypto';
import type { KvmHooks } from './hooks';
import { type PqapIntercept, kvmHandlePqap } from './priv';
import { KVM_S390_VM_CPU_FEAT_AP, Vcpu, Vm } from './vm';

/**
 * FACILITIES_KVM (arch/s390/tools/gen_facilities.c): facilities every guest gets by default if the
 * host has them. Of the AP-related ones only 76 (MSAX3) is here.
 */
export const FACILITIES_KVM: readonly number[] = [FAC_MSAX3];
/**
 * FACILITIES_KVM_CPUMODEL: facilities a guest gets only when userspace sets a CPU model with them.
 * 4.20 has 12 (QCI) and 15 (APFT); 65 (AQIC) arrives with the 5.3 interrupt series (the era point
 * `kvm.facility_65`, see KvmModule.cpumodelFacilities).
 */
export const FACILITIES_KVM_CPUMODEL: readonly number[] = [FAC_QCI, FAC_APFT];
/** ... and with the 5.3 interrupt series. */
const FACILITIES_KVM_CPUMODEL_AQIC: readonly number[] = [FAC_QCI, FAC_APFT, FAC_AQIC];
/** Every facility apspec models (for the guest's view of facilities KVM does not offer). */
export const MODELLED_FACILITIES: readonly number[] = [FAC_QCI, FAC_APFT, FAC_AQIC, FAC_MSAX3];

/** KVM_S390_VM_CRYPTO attribute numbers (reference §2.9). */
export const KVM_S390_VM_CRYPTO = {
  ENABLE_AES_KW: 0,
  ENABLE_DEA_KW: 1,
  DISABLE_AES_KW: 2,
  DISABLE_DEA_KW: 3,
  ENABLE_APIE: 4,
  DISABLE_APIE: 5,
} as const;
export type CryptoAttrName = keyof typeof KVM_S390_VM_CRYPTO;
const CRYPTO_ATTR_NAMES = Object.keys(KVM_S390_VM_CRYPTO) as CryptoAttrName[];

/** The attribute number of a name, or the number itself (an attribute no kernel defines stays a number). */
export function cryptoAttrNumber(attr: CryptoAttrName | number): number {
  return typeof attr === 'number' ? attr : KVM_S390_VM_CRYPTO[attr];
}

/** The uapi name of an attribute number (without the KVM_S390_VM_CRYPTO_ prefix), or undefined. */
export function cryptoAttrName(nr: number): CryptoAttrName | undefined {
  // A loop, not find(): every KVM_S390_VM_CRYPTO ioctl asks this.
  for (const n of CRYPTO_ATTR_NAMES) if (KVM_S390_VM_CRYPTO[n] === nr) return n;
  return undefined;
}

export class KvmModule {
  readonly vms = new Map<string, Vm>();
  private nextVmId = 1;
  readonly build: KvmBuild = { crycbOnlyWithMsax3: false };

  constructor(
    private readonly k: Kernel,
    readonly hooks: KvmHooks,
  ) {}

  /**
   * KVM_CREATE_VM -> kvm_arch_init_vm: fac_mask = host STFLE & (base | cpumodel); fac_list = host
   * STFLE & base; then kvm_s390_crypto_init on that initial list.
   */
  createVm(name: string): Vm {
    const vm = new Vm(name, this.nextVmId++);
    for (const f of FACILITIES_KVM) if (this.k.machine.hasFacility(f)) vm.facMask.add(f);
    for (const f of this.cpumodelFacilities('kvm_arch_init_vm')) if (this.k.machine.hasFacility(f)) vm.facMask.add(f);
    for (const f of FACILITIES_KVM) if (this.k.machine.hasFacility(f)) vm.facList.add(f);
    if (this.k.trace.recording) this.k.trace.call('kvm', 'kvm_arch_init_vm', `${name}: facilities ${[...vm.facList].join(',') || 'none'} of ${MODELLED_FACILITIES.join(',')}`, '0');
    kvmS390CryptoInit(this.k, vm, this.build);
    this.gisaInit(vm);
    this.vms.set(name, vm);
    return vm;
  }

  /**
   * FACILITIES_KVM_CPUMODEL as this release builds it (arch/s390/tools/gen_facilities.c): with
   * facility 65 from the 5.3 interrupt series (`kvm.facility_65`). `fn` is the KVM function asking
   * (kvm_arch_init_vm for the VM's mask, kvm_s390_get_machine when QEMU reads the host model).
   */
  cpumodelFacilities(fn: string): readonly number[] {
    const option = this.k.shape('kvm.facility_65', 'kvm', fn, 'facility 65 (AQIC) in FACILITIES_KVM_CPUMODEL?');
    return option === 'cpumodel' ? FACILITIES_KVM_CPUMODEL_AQIC : FACILITIES_KVM_CPUMODEL;
  }

  /**
   * kvm_s390_gisa_init (from kvm_arch_init_vm): a VM gets a GISA when the host has adapter-interruption
   * virtualization; its vcpus then get ECA_AIV (kvm_arch_vcpu_setup). The era point `kvm.gisa`.
   */
  private gisaInit(vm: Vm): void {
    if (this.k.shape('kvm.gisa', 'kvm', 'kvm_s390_gisa_init', this.k.trace.recording ? `${vm.name}: GISA and ECA_AIV?` : '') !== 'gisa-aiv') return;
    vm.gisa = this.k.machine.aiv;
    this.k.trace.call('kvm', 'kvm_s390_gisa_init', vm.name, vm.gisa ? 'GISA allocated' : 'the host has no AIV: no GISA');
  }

  /** KVM_CREATE_VCPU -> kvm_arch_vcpu_setup -> kvm_s390_vcpu_crypto_setup. */
  createVcpu(vm: Vm): Vcpu {
    const vcpu = new Vcpu(vm.vcpus.length);
    vm.vcpus.push(vcpu);
    // sie_block->gd = the GISA designation; with it, eca |= ECA_AIV.
    if (vm.gisa) vcpu.sie.eca |= ECA_AIV;
    if (this.k.trace.recording) this.k.trace.call('kvm', 'kvm_arch_vcpu_setup', `${vm.name} vcpu ${vcpu.id}`, vm.gisa ? 'ECA_AIV (GISA)' : '0');
    kvmS390VcpuCryptoSetup(this.k, vm, vcpu);
    return vcpu;
  }

  /**
   * KVM_S390_VM_CPU_PROCESSOR (kvm_s390_set_processor): -EBUSY once vcpus exist; otherwise the
   * facility list becomes what userspace asks for. The CRYCB format is not recomputed.
   */
  setProcessor(vm: Vm, facilities: Iterable<number>): Outcome {
    if (vm.createdVcpus) {
      return this.k.refuse('kvm', 'kvm_s390_set_processor', `${vm.name}: vcpus exist`, 'EBUSY', `the CPU model of ${vm.name} cannot change once vcpus exist`);
    }
    vm.facList.clear();
    for (const f of facilities) vm.facList.add(f);
    if (this.k.trace.recording) this.k.trace.call('kvm', 'kvm_s390_set_processor', `${vm.name}: facilities ${[...vm.facList].sort((a, b) => a - b).join(',') || 'none'}`, '0');
    return OK;
  }

  /**
   * Whether KVM offers CPU-model feature AP (kvm_s390_available_cpu_feat): a decision point. 4.20
   * offers no such feature; v10 offered it iff the host has AP instructions.
   */
  cpuFeatApAvailable(fn: string): boolean {
    const verdict = this.k.decide(
      'kvm.cpu_feat_ap',
      { apInstructionsAvailable: this.k.machine.apInstructionsAvailable() },
      'kvm',
      fn,
      'KVM_S390_VM_CPU_FEAT_AP in kvm_s390_available_cpu_feat?',
    );
    return verdict.ok;
  }

  /**
   * KVM_S390_VM_CPU_PROCESSOR_FEAT (kvm_s390_set_processor_feat) adding feature AP: -EINVAL if the
   * features are not a subset of the available ones (checked before taking kvm->lock), then -EBUSY
   * once vcpus exist.
   */
  enableCpuFeatAp(vm: Vm): Outcome {
    const fn = 'kvm_s390_set_processor_feat';
    if (!this.cpuFeatApAvailable(fn)) {
      return this.k.refuse('kvm', fn, `${vm.name}: feature AP not available`, 'EINVAL', 'KVM does not offer the CPU-model feature AP (KVM_S390_VM_CPU_FEAT_AP)');
    }
    if (vm.createdVcpus) {
      return this.k.refuse('kvm', fn, `${vm.name}: vcpus exist`, 'EBUSY', `the CPU-model features of ${vm.name} cannot change once vcpus exist`);
    }
    vm.cpuFeat.add(KVM_S390_VM_CPU_FEAT_AP);
    if (this.k.trace.recording) this.k.trace.call('kvm', fn, `${vm.name}: KVM_S390_VM_CPU_FEAT_AP`, '0');
    return OK;
  }

  /**
   * KVM_SET_DEVICE_ATTR group KVM_S390_VM_CRYPTO (kvm_s390_vm_set_crypto, 4.20 after the PULL2
   * locking fix). Any time, no vcpu restriction. KW attributes need facility 76 (-EINVAL); APIE
   * attributes need AP instructions (-EOPNOTSUPP); any other number is the switch's default case,
   * -ENXIO. On success every vcpu's crypto set-up is redone. Nothing re-validates an mdev when APIE
   * changes: its masks stay in the CRYCB.
   */
  setCryptoAttr(vm: Vm, attr: CryptoAttrName | number): Outcome {
    const fn = 'kvm_s390_vm_set_crypto';
    const c = vm.crypto;
    const name = cryptoAttrName(cryptoAttrNumber(attr));
    switch (name) {
      case 'ENABLE_AES_KW':
      case 'ENABLE_DEA_KW':
      case 'DISABLE_AES_KW':
      case 'DISABLE_DEA_KW': {
        if (!vm.hasFacility(FAC_MSAX3))
          return this.k.refuse('kvm', fn, `${vm.name} ${name}: no facility 76`, 'EINVAL', `${name} needs facility 76 (MSAX3) in the guest's facility list`);
        const on = name.startsWith('ENABLE');
        if (name.endsWith('AES_KW')) {
          c.aesKw = on;
          if (c.crycb) c.crycb.aesWrappingKey = on;
        } else {
          c.deaKw = on;
          if (c.crycb) c.crycb.deaWrappingKey = on;
        }
        break;
      }
      case 'ENABLE_APIE':
      case 'DISABLE_APIE':
        if (!this.k.machine.apInstructionsAvailable())
          return this.k.refuse('kvm', fn, `${vm.name} ${name}: ap_instructions_available() is false`, 'EOPNOTSUPP', `${name} needs AP instructions on the host`);
        c.apie = name === 'ENABLE_APIE';
        break;
      case undefined:
        return this.k.refuse('kvm', fn, `${vm.name}: attribute ${attr}`, 'ENXIO', `KVM_S390_VM_CRYPTO has no attribute ${attr} (the kernel defines 0-5: ${CRYPTO_ATTR_NAMES.join(', ')})`);
    }
    if (this.k.trace.recording) this.k.trace.call('kvm', fn, `${vm.name} ${name}`, '0');
    kvmS390VcpuCryptoResetAll(this.k, vm);
    return OK;
  }

  /**
   * kvm_s390_vm_has_attr, group KVM_S390_VM_CRYPTO, without a trace (QEMU's probe of the host model
   * uses it): the KW attributes always; the APIE attributes only with AP instructions; nothing else.
   */
  cryptoAttrSupported(attr: CryptoAttrName | number): boolean {
    switch (cryptoAttrName(cryptoAttrNumber(attr))) {
      case 'ENABLE_AES_KW':
      case 'ENABLE_DEA_KW':
      case 'DISABLE_AES_KW':
      case 'DISABLE_DEA_KW':
        return true;
      case 'ENABLE_APIE':
      case 'DISABLE_APIE':
        return this.k.machine.apInstructionsAvailable();
      case undefined:
        return false;
    }
  }

  /** KVM_HAS_DEVICE_ATTR on the VM fd (kvm_s390_vm_has_attr): 0, or -ENXIO for an attribute this host's KVM lacks. */
  hasCryptoAttr(vm: Vm, attr: CryptoAttrName | number): Outcome {
    const fn = 'kvm_s390_vm_has_attr';
    const nr = cryptoAttrNumber(attr);
    const name = cryptoAttrName(nr) ?? `attribute ${nr}`;
    if (!this.cryptoAttrSupported(nr)) {
      const why = cryptoAttrName(nr) ? 'needs AP instructions on the host' : 'is not defined (0-5 are)';
      return this.k.refuse('kvm', fn, `${vm.name} KVM_S390_VM_CRYPTO ${name}`, 'ENXIO', `KVM_S390_VM_CRYPTO ${name} ${why}`);
    }
    if (this.k.trace.recording) this.k.trace.call('kvm', fn, `${vm.name} KVM_S390_VM_CRYPTO ${name}`, '0');
    return OK;
  }

  /**
   * Whether this release's vfio_ap could run on a KVM from before the 4.20 crypto-init refactor (a
   * CRYCB only for VMs with facility 76), which `Given the host's KVM allocates a CRYCB only for
   * guests with MSAX3` describes. The 2018 thread reasoned about 4.20's vfio_ap on such a KVM. From
   * 5.3 vfio_ap stores its AQIC handler in kvm->arch.crypto.pqap_hook, a field that KVM added with
   * handle_pqap (e5282de93105): a KVM without it cannot host that vfio_ap, so the description is
   * not applicable where `kvm.handle_pqap` is not `none`.
   */
  preRefactorCryptoInitFits(): { readonly applicable: true } | { readonly applicable: false; readonly reason: string } {
    const handler = this.k.shape('kvm.handle_pqap', 'kvm', 'kvm_s390_crypto_init', 'can vfio_ap run on a pre-4.20 KVM (no kvm->arch.crypto.pqap_hook)?');
    if (handler === 'none') return { applicable: true };
    return {
      applicable: false,
      reason:
        "a KVM from before Linux 4.20 (a CRYCB only for guests with MSAX3) cannot host this policy's vfio_ap: from Linux 5.3 (e5282de93105) " +
        'vfio_ap stores its AQIC handler in kvm->arch.crypto.pqap_hook, which that KVM does not have',
    };
  }

  /** KVM_DEV_VFIO_GROUP_ADD on the KVM-VFIO device: kvm_vfio_group_set_kvm(group, kvm). */
  vfioGroupAdd(vm: Vm, group: string): void {
    vm.vfioGroups.add(group);
    if (this.k.trace.recording) this.k.trace.call('kvm', 'kvm_vfio_set_group', `${vm.name}: KVM_DEV_VFIO_GROUP_ADD ${group}`, '0');
    this.hooks.vfioGroupSetKvm?.(group, vm);
  }

  /** KVM_DEV_VFIO_GROUP_DEL: kvm_vfio_group_set_kvm(group, NULL). */
  vfioGroupDel(vm: Vm, group: string): void {
    if (!vm.vfioGroups.delete(group)) return;
    if (this.k.trace.recording) this.k.trace.call('kvm', 'kvm_vfio_set_group', `${vm.name}: KVM_DEV_VFIO_GROUP_DEL ${group}`, '0');
    this.hooks.vfioGroupSetKvm?.(group, null);
  }

  /** The VM's last fd closes: kvm_vfio_destroy drops every group (SET_KVM NULL), then the VM is gone. */
  destroyVm(vm: Vm): void {
    for (const group of [...vm.vfioGroups]) {
      vm.vfioGroups.delete(group);
      if (this.k.trace.recording) this.k.trace.call('kvm', 'kvm_vfio_destroy', `${vm.name}: group ${group}`, 'SET_KVM NULL');
      this.hooks.vfioGroupSetKvm?.(group, null);
    }
    vm.destroyed = true;
    this.vms.delete(vm.name);
    this.k.trace.call('kvm', 'kvm_arch_destroy_vm', vm.name, '0');
  }

  /**
   * An instruction intercept of an AP instruction (B2AF PQAP, B2AD NQAP, B2AE DQAP), by era
   * (`kvm.handle_pqap`): 4.20 has no handler, so the exit goes to userspace (KVM_EXIT_S390_SIEIC);
   * from 5.3 handle_b2 sends PQAP to handle_pqap (src/sim/kvm/priv.ts) and NQAP/DQAP to userspace.
   */
  instructionIntercept(vm: Vm, vcpu: Vcpu, insn: GuestInstruction, q: Apqn, op: PqapOperands): PqapIntercept {
    const handler = this.k.shape('kvm.handle_pqap', 'kvm', 'kvm_handle_sie_intercept', this.k.trace.recording ? `${vm.name}: ${insn} intercepted` : '');
    const fc = PQAP_FUNCTION_CODES[insn];
    if (handler === 'none' || fc === undefined) {
      if (this.k.trace.recording) this.k.trace.call('kvm', 'kvm_handle_sie_intercept', `${vm.name}: ${insn} (ECA.28 clear or not interpreted)`, 'no handler: exit to userspace');
      return { kind: 'userspace', why: `no KVM handler for ${insn}` };
    }
    return kvmHandlePqap(this.k, vm, vcpu, fc, q, op);
  }
}

/** PQAP function codes (GR0 bits 32-39, asm/ap.h); NQAP and DQAP are other opcodes. */
const PQAP_FUNCTION_CODES: Partial<Record<GuestInstruction, number>> = {
  'PQAP(TAPQ)': 0,
  'PQAP(RAPQ)': 1,
  'PQAP(ZAPQ)': 2,
  'PQAP(AQIC)': 3,
  'PQAP(QCI)': 4,
};
