import type { KernelPolicy } from '../sim/decisions';

/** The newest vfio_ap the reference read (era E6). */
export default {
  id: 'linux-latest',
  title: 'Newest: single owner through kvm->arch.crypto.pqap_hook, cc 0 for a successful AQIC, EUSERS from the mdev core',
  source:
    'gregkh/linux drivers/s390/crypto/vfio_ap_ops.c @ 02e72909453d (pqap_hook-based owner check); ' +
    '83303a4c776c "KVM: s390: fix cc for successful PQAP" (Eric Farman, Dec 2023, Fixes e5282de93105; Linux 6.8); mdev core ' +
    'available_instances (-EUSERS, 6.1)',
  rationale:
    'open_device refuses a second mdev on a KVM with EPERM before anything changes (the pqap_hook is the owner); ' +
    'a successful PQAP(AQIC) sets condition code 0; creating an mdev beyond the limit fails with EUSERS. ' +
    'The release of the pqap_hook owner check is not pinned down (reference §5.1), nor is 6.1 for EUSERS ' +
    '(inferred from the mdev-core patch).',
  choices: {
    'vfio_ap.init': 'ap-instructions',
    'vfio_ap.open.validate': 'crycbd',
    'kvm.cpu_feat_ap': 'absent',
    // KVM side
    'kvm.handle_pqap': 'priv-handle_pqap',
    'kvm.aqic_cc': 'cc0',
    'kvm.facility_65': 'cpumodel',
    'kvm.gisa': 'gisa-aiv',
    // vfio_ap / AP bus side
    'vfio_ap.open_device': 'vdev-kvm',
    'vfio_ap.set_kvm': 'owner-via-pqap-hook',
    'vfio_ap.pqap_hook': 'handle_pqap',
    'vfio_ap.null_kvm': 'unset-kvm',
    'vfio_ap.mdev_remove': 'wait-for-close',
    'vfio_ap.queue_remove': 'unplug-adapter-then-zapq',
    'vfio_ap.matrix': 'dynamic',
    'ap_bus.in_use': 'vfio-ap-in-use',
    'vfio_ap.mdev_create_limit': 'eusers',
  },
} satisfies KernelPolicy;
