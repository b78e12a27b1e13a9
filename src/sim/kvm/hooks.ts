/**
 * The slots KVM offers to other kernel code. KVM never names vfio_ap: in 4.20 the only way from KVM
 * to vfio is the KVM-VFIO pseudo device (virt/kvm/vfio.c), which calls vfio_group_set_kvm() through
 * symbol_get() when userspace adds or removes a VFIO group, and when the VM is destroyed. The vfio
 * core fills this slot (src/sim/vfio-ap/vfio-core.ts).
 *
 * (5.3+ adds kvm->arch.crypto.pqap_hook for PQAP(AQIC); 4.20 has no such hook.)
 */
import type { Vm } from './vm';

export interface KvmHooks {
  /** vfio_group_set_kvm(group, kvm): the group named by its mdev gets (or loses, with null) a KVM. */
  vfioGroupSetKvm: ((group: string, vm: Vm | null) => void) | null;
}

export function makeKvmHooks(): KvmHooks {
  return { vfioGroupSetKvm: null };
}
