/**
 * KVM's per-VM and per-vcpu state that AP pass-through touches (struct kvm_arch, struct
 * kvm_s390_crypto, struct kvm_s390_sie_block; arch/s390/include/asm/kvm_host.h).
 */
import type { Crycb } from '../firmware/crycb';
import type { PqapHook } from './hooks';

/** KVM_S390_VM_CPU_FEAT_AP: CPU-model feature 14 of v10 (removed again in v11). */
export const KVM_S390_VM_CPU_FEAT_AP = 14;

export interface KvmS390Crypto {
  /** kvm->arch.crypto.crycb: &sie_page2->crycb, or null when KVM allocated none. */
  crycb: Crycb | null;
  /** kvm->arch.crypto.crycbd: CRYCB address | format; 0 without a CRYCB. */
  crycbd: number;
  apie: boolean;
  aesKw: boolean;
  deaKw: boolean;
  /** kvm->arch.crypto.pqap_hook (5.3+): vfio_ap's AQIC handler, or null (src/sim/kvm/hooks.ts). */
  pqapHook: PqapHook | null;
}

export interface SieBlock {
  /** Execution control A; bit 28 = ECA_APIE, ECA_AIV = adapter-interruption virtualization (5.3+ with a GISA). */
  eca: number;
  /** The vcpu's CRYCB designation (0 means "no CRYCB"). */
  crycbd: number;
  /** ECB3_AES / ECB3_DEA protected-key bits. */
  ecb3: number;
}

export class Vcpu {
  readonly sie: SieBlock = { eca: 0, crycbd: 0, ecb3: 0 };
  /**
   * The condition code in the guest PSW: what the last completed instruction on this vcpu set. An
   * instruction that leaves the cc unchanged (handle_pqap before CCFX, for RC 0) shows this one.
   */
  pswCc = 0;
  constructor(readonly id: number) {}
}

export class Vm {
  /** kvm->arch.model.fac_mask: what userspace may enable. */
  readonly facMask = new Set<number>();
  /** kvm->arch.model.fac_list: the guest's facility list. */
  readonly facList = new Set<number>();
  /** kvm->arch.cpu_feat. */
  readonly cpuFeat = new Set<number>();
  readonly crypto: KvmS390Crypto = { crycb: null, crycbd: 0, apie: false, aesKw: false, deaKw: false, pqapHook: null };
  readonly vcpus: Vcpu[] = [];
  /** VFIO groups (one per mdev, by mdev name) added through the KVM-VFIO device. */
  readonly vfioGroups = new Set<string>();
  /** kvm->arch.gisa_int.origin != NULL: the VM has a GISA (kvm_s390_gisa_init; the host has AIV). */
  gisa = false;
  destroyed = false;

  constructor(
    /** The scenario's name for the guest ("g1"). */
    readonly name: string,
    /** A stable number used to derive a fake CRYCB address. */
    readonly id: number,
  ) {}

  /** kvm->created_vcpus. */
  get createdVcpus(): number {
    return this.vcpus.length;
  }

  hasFacility(nr: number): boolean {
    return this.facList.has(nr);
  }
}
