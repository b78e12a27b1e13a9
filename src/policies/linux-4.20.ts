import type { KernelPolicy } from '../sim/decisions';

/**
 * Linux 4.20 (era E1): v11 of "guest dedicated crypto adapters" as merged, with the 2018-09-28
 * format fixup and the 2018-10-12 pull (kvm_arch_crypto_set_masks). The base of the five
 * candidates from the 2018 thread.
 */
export default {
  id: 'linux-4.20',
  title: 'Linux 4.20: group notifier, crycbd check, errors swallowed, no AQIC',
  source:
    'Linux 4.20 (Dec 2018): 258287c994de "s390: vfio-ap: implement mediated device open callback", ' +
    '37940fb0b6a2 "KVM: s390: device attrs to enable/disable AP interpretation", kvms390 pulls of 2018-10-02 and 2018-10-12',
  rationale:
    'vfio_ap_init fails with ENODEV without AP instructions; the mdev learns its KVM from the VFIO group notifier ' +
    '(SET_KVM), whose errors the vfio core ignores; open writes the whole mdev matrix into the CRYCB when ' +
    'kvm->arch.crypto.crycbd != 0. KVM has no PQAP handler: AQIC is not intercepted in the kernel.',
  choices: {
    'vfio_ap.init': 'ap-instructions',
    'vfio_ap.open.validate': 'crycbd',
    'kvm.cpu_feat_ap': 'absent',
    // KVM side
    'kvm.handle_pqap': 'none',
    'kvm.aqic_cc': 'unchanged',
    'kvm.facility_65': 'not-offered',
    'kvm.gisa': 'none',
    // vfio_ap / AP bus side
    'vfio_ap.open_device': 'group-notifier',
    'vfio_ap.set_kvm': 'owner-check-first',
    'vfio_ap.pqap_hook': 'none',
    'vfio_ap.null_kvm': 'masks-stay',
    'vfio_ap.mdev_remove': 'ebusy',
    'vfio_ap.queue_remove': 'nothing',
    'vfio_ap.matrix': 'static',
    'ap_bus.in_use': 'none',
    'vfio_ap.mdev_create_limit': 'eperm',
  },
} satisfies KernelPolicy;
