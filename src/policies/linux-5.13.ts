import type { KernelPolicy } from '../sim/decisions';

/** Linux 5.13 (era E2 after the fixes of 5.11, 5.12 and 5.13). */
export default {
  id: 'linux-5.13',
  title: 'Linux 5.13: a NULL KVM clears the masks and resets queues; removal while in use cleans up',
  source:
    'Linux 5.11-5.13: "s390/vfio-ap: clean up vfio_ap resources when KVM pointer invalidated" (Fixes 258287c994de, ' +
    'Cc stable, ~5.11); the kvm->lock lockdep rework with kvm_busy (~5.12); "s390/vfio-ap: fix memory leak in ' +
    'mdev remove callback" (2021-05-19, Fixes 258287c994de, 5.13)',
  rationale:
    'SET_KVM with NULL now unsets the KVM (masks cleared, pqap_hook NULL, queues reset), and removing an mdev ' +
    'whose KVM is set no longer fails with EBUSY: vfio_ap_mdev_remove unsets the KVM and frees the mdev. ' +
    'The reference dates the NULL-KVM fix only approximately (~5.11, Cc stable): this is the first policy that has it.',
  choices: {
    'vfio_ap.init': 'ap-instructions',
    'vfio_ap.open.validate': 'crycbd',
    'kvm.cpu_feat_ap': 'absent',
    // KVM side
    'kvm.handle_pqap': 'priv-handle_pqap',
    'kvm.aqic_cc': 'unchanged',
    'kvm.facility_65': 'cpumodel',
    'kvm.gisa': 'gisa-aiv',
    // vfio_ap / AP bus side
    'vfio_ap.open_device': 'group-notifier',
    'vfio_ap.set_kvm': 'owner-check-first',
    'vfio_ap.pqap_hook': 'handle_pqap',
    'vfio_ap.null_kvm': 'unset-kvm',
    'vfio_ap.mdev_remove': 'unset-and-free',
    'vfio_ap.queue_remove': 'zapq',
    'vfio_ap.matrix': 'static',
    'ap_bus.in_use': 'none',
    'vfio_ap.mdev_create_limit': 'eperm',
  },
} satisfies KernelPolicy;
