/**
 * The slots KVM offers to other kernel code. KVM never names vfio_ap.
 *
 * - `vfioGroupSetKvm`: in 4.20 the only way from KVM to vfio is the KVM-VFIO pseudo device
 *   (virt/kvm/vfio.c), which calls vfio_group_set_kvm() through symbol_get() when userspace adds or
 *   removes a VFIO group, and when the VM is destroyed. The vfio core fills this slot
 *   (src/sim/vfio-ap/vfio-core.ts).
 * - `kvm->arch.crypto.pqap_hook` (5.3+, e5282de93105 "s390: ap: kvm: add PQAP interception for
 *   AQIC"): per VM, in `Vm.crypto.pqapHook`. vfio_ap stores its hook there when an mdev gets the KVM
 *   (vfio_ap_mdev_set_kvm) and clears it when the mdev loses it (vfio_ap_mdev_unset_kvm); KVM's
 *   handle_pqap (arch/s390/kvm/priv.c, src/sim/kvm/priv.ts) calls it for an intercepted PQAP(AQIC).
 *   In E2 (5.3-5.14) the slot points to a { hook, owner module } struct; from ~5.15 to a function
 *   pointer guarded by `kvm->arch.crypto.pqap_hook_rwsem` (handle_pqap takes it for read, set_kvm
 *   and unset_kvm for write). The simulator is synchronous, so the rwsem never blocks: a writer and
 *   a reader cannot interleave. What remains observable is ordering: which mdev's hook is in the slot
 *   when handle_pqap reads it (E3/E4 store it before the single-owner check, E6 refuses when the
 *   slot is already taken). `pqapHookStore`/`pqapHookClear` trace the write side.
 */
import type { Apqn } from '../apqn';
import type { Errno } from '../errno';
import type { Kernel } from '../kernel';
import type { Vcpu, Vm } from './vm';

export interface KvmHooks {
  /** vfio_group_set_kvm(group, kvm): the group named by its mdev gets (or loses, with null) a KVM. */
  vfioGroupSetKvm: ((group: string, vm: Vm | null) => void) | null;
}

export function makeKvmHooks(): KvmHooks {
  return { vfioGroupSetKvm: null };
}

/**
 * What KVM's handle_pqap hands the hook for one intercepted PQAP(AQIC): the vcpu (vfio_ap reads its
 * ECA_AIV), the APQN from GR0, GR1's IR bit (bit 16: enable interruptions; clear: disable), the ISC
 * from GR1 and the notification-indicator byte (NIB) address from GR2 with whether it is a valid
 * guest address (vfio_ap_validate_nib; invalid -> RC 0x06).
 */
export interface PqapRequest {
  readonly vm: Vm;
  readonly vcpu: Vcpu;
  readonly apqn: Apqn;
  /** GR1 bit 16 (IR): enable interruptions. */
  readonly ir: boolean;
  /** GR1's interruption subclass (the guest ISC). */
  readonly isc: number;
  /** GR2: the guest address of the NIB. */
  readonly nib: number;
  /** Whether `nib` is a valid guest address that can be pinned (vfio_ap_validate_nib / vfio_pin_pages). */
  readonly nibValid: boolean;
}

/**
 * What the hook returns: 0 with the AP queue status word to put in GR1 (its response code; whether
 * interruptions are now enabled), or an errno (-EOPNOTSUPP: the vcpu has no ECA_AIV, so KVM exits to
 * userspace and QEMU injects an operation exception).
 */
export type PqapResult =
  | { readonly ok: true; readonly rc: number; readonly irqEnabled: boolean }
  | { readonly ok: false; readonly errno: Errno };

/**
 * `kvm->arch.crypto.pqap_hook`: the function vfio_ap registers, with the mdev that registered it
 * (E2's `owner` module field, and the identity the E6 single-owner check compares). Implement it on
 * an existing object (the matrix mdev) so storing it allocates nothing.
 */
export interface PqapHook {
  /** The mdev whose hook this is ("m1"), for the trace and the owner checks. */
  readonly pqapOwner: string;
  handlePqap(req: PqapRequest): PqapResult;
}

/** down_write(pqap_hook_rwsem); kvm->arch.crypto.pqap_hook = hook; up_write (vfio_ap_mdev_set_kvm). */
export function pqapHookStore(k: Kernel, vm: Vm, hook: PqapHook, fn: string): void {
  const before = vm.crypto.pqapHook;
  vm.crypto.pqapHook = hook;
  if (k.trace.recording) k.trace.call('kvm', fn, `${vm.name}: kvm->arch.crypto.pqap_hook = ${hook.pqapOwner}'s handle_pqap`, before && before !== hook ? `replaces ${before.pqapOwner}'s hook` : 'stored');
}

/** kvm->arch.crypto.pqap_hook = NULL under the rwsem (vfio_ap_mdev_unset_kvm). */
export function pqapHookClear(k: Kernel, vm: Vm, fn: string): void {
  const before = vm.crypto.pqapHook;
  vm.crypto.pqapHook = null;
  if (k.trace.recording) k.trace.call('kvm', fn, `${vm.name}: kvm->arch.crypto.pqap_hook = NULL`, before ? `was ${before.pqapOwner}'s` : 'was NULL');
}
