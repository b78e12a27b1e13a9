/**
 * KVM on s390 as userspace reaches it through ioctls (arch/s390/kvm/kvm-s390.c, Linux 4.20):
 * VM and vcpu creation, the CPU-model and crypto attributes, the KVM-VFIO device, and the exit of
 * intercepted AP instructions to userspace.
 */
import { OK, Outcome } from '../errno';
import { FAC_APFT, FAC_AQIC, FAC_MSAX3, FAC_QCI } from '../firmware/facilities';
import type { Kernel } from '../kernel';
import { KvmBuild, kvmS390CryptoInit, kvmS390VcpuCryptoResetAll, kvmS390VcpuCryptoSetup } from './crypto';
import type { KvmHooks } from './hooks';
import { KVM_S390_VM_CPU_FEAT_AP, Vcpu, Vm } from './vm';

/**
 * FACILITIES_KVM (arch/s390/tools/gen_facilities.c): facilities every guest gets by default if the
 * host has them. Of the AP-related ones only 76 (MSAX3) is here.
 */
export const FACILITIES_KVM: readonly number[] = [FAC_MSAX3];
/**
 * FACILITIES_KVM_CPUMODEL: facilities a guest gets only when userspace sets a CPU model with them.
 * 4.20 has 12 (QCI) and 15 (APFT); 65 (AQIC) arrives with the 5.3 interrupt series.
 */
export const FACILITIES_KVM_CPUMODEL: readonly number[] = [FAC_QCI, FAC_APFT];
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
    for (const f of [...FACILITIES_KVM, ...FACILITIES_KVM_CPUMODEL]) if (this.k.machine.hasFacility(f)) vm.facMask.add(f);
    for (const f of FACILITIES_KVM) if (this.k.machine.hasFacility(f)) vm.facList.add(f);
    this.k.trace.call('kvm', 'kvm_arch_init_vm', `${name}: facilities ${[...vm.facList].join(',') || 'none'} of ${MODELLED_FACILITIES.join(',')}`, '0');
    kvmS390CryptoInit(this.k, vm, this.build);
    this.vms.set(name, vm);
    return vm;
  }

  /** KVM_CREATE_VCPU -> kvm_arch_vcpu_setup -> kvm_s390_vcpu_crypto_setup. */
  createVcpu(vm: Vm): Vcpu {
    const vcpu = new Vcpu(vm.vcpus.length);
    vm.vcpus.push(vcpu);
    this.k.trace.call('kvm', 'kvm_arch_vcpu_setup', `${vm.name} vcpu ${vcpu.id}`, '0');
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
    this.k.trace.call('kvm', 'kvm_s390_set_processor', `${vm.name}: facilities ${[...vm.facList].sort((a, b) => a - b).join(',') || 'none'}`, '0');
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
    this.k.trace.call('kvm', fn, `${vm.name}: KVM_S390_VM_CPU_FEAT_AP`, '0');
    return OK;
  }

  /**
   * KVM_SET_DEVICE_ATTR group KVM_S390_VM_CRYPTO (kvm_s390_vm_set_crypto, 4.20 after the PULL2
   * locking fix). Any time, no vcpu restriction. KW attributes need facility 76 (-EINVAL); APIE
   * attributes need AP instructions (-EOPNOTSUPP). On success every vcpu's crypto set-up is redone.
   * Nothing re-validates an mdev when APIE changes: its masks stay in the CRYCB.
   */
  setCryptoAttr(vm: Vm, attr: CryptoAttrName): Outcome {
    const fn = 'kvm_s390_vm_set_crypto';
    const c = vm.crypto;
    switch (attr) {
      case 'ENABLE_AES_KW':
      case 'ENABLE_DEA_KW':
      case 'DISABLE_AES_KW':
      case 'DISABLE_DEA_KW': {
        if (!vm.hasFacility(FAC_MSAX3)) {
          return this.k.refuse('kvm', fn, `${vm.name} ${attr}: no facility 76`, 'EINVAL', `${attr} needs facility 76 (MSAX3) in the guest's facility list`);
        }
        const on = attr.startsWith('ENABLE');
        if (attr.endsWith('AES_KW')) {
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
        if (!this.k.machine.apInstructionsAvailable()) {
          return this.k.refuse('kvm', fn, `${vm.name} ${attr}: ap_instructions_available() is false`, 'EOPNOTSUPP', `${attr} needs AP instructions on the host`);
        }
        c.apie = attr === 'ENABLE_APIE';
        break;
    }
    this.k.trace.call('kvm', fn, `${vm.name} ${attr}`, '0');
    kvmS390VcpuCryptoResetAll(this.k, vm);
    return OK;
  }

  /** kvm_s390_vm_has_attr for the crypto group: KW always; APIE only with AP instructions (-ENXIO). */
  hasCryptoAttr(attr: CryptoAttrName): boolean {
    if (attr === 'ENABLE_APIE' || attr === 'DISABLE_APIE') return this.k.machine.apInstructionsAvailable();
    return true;
  }

  /** KVM_DEV_VFIO_GROUP_ADD on the KVM-VFIO device: kvm_vfio_group_set_kvm(group, kvm). */
  vfioGroupAdd(vm: Vm, group: string): void {
    vm.vfioGroups.add(group);
    this.k.trace.call('kvm', 'kvm_vfio_set_group', `${vm.name}: KVM_DEV_VFIO_GROUP_ADD ${group}`, '0');
    this.hooks.vfioGroupSetKvm?.(group, vm);
  }

  /** KVM_DEV_VFIO_GROUP_DEL: kvm_vfio_group_set_kvm(group, NULL). */
  vfioGroupDel(vm: Vm, group: string): void {
    if (!vm.vfioGroups.delete(group)) return;
    this.k.trace.call('kvm', 'kvm_vfio_set_group', `${vm.name}: KVM_DEV_VFIO_GROUP_DEL ${group}`, '0');
    this.hooks.vfioGroupSetKvm?.(group, null);
  }

  /** The VM's last fd closes: kvm_vfio_destroy drops every group (SET_KVM NULL), then the VM is gone. */
  destroyVm(vm: Vm): void {
    for (const group of [...vm.vfioGroups]) {
      vm.vfioGroups.delete(group);
      this.k.trace.call('kvm', 'kvm_vfio_destroy', `${vm.name}: group ${group}`, 'SET_KVM NULL');
      this.hooks.vfioGroupSetKvm?.(group, null);
    }
    vm.destroyed = true;
    this.vms.delete(vm.name);
    this.k.trace.call('kvm', 'kvm_arch_destroy_vm', vm.name, '0');
  }

  /**
   * An instruction intercept for B2AF/B2AD/B2AE: 4.20 has no handler for AP instructions
   * (handle_pqap arrived in 5.3), so the exit goes to userspace (KVM_EXIT_S390_SIEIC).
   */
  interceptToUserspace(vm: Vm, insn: string): void {
    this.k.trace.call('kvm', 'kvm_handle_sie_intercept', `${vm.name}: ${insn} (ECA.28 clear or not interpreted)`, 'no handler: exit to userspace');
  }
}
