import type { KernelPolicy } from '../sim/decisions';

/** Linux 6.0 (era E5): dynamic configuration of a running guest's AP resources. */
export default {
  id: 'linux-6.0',
  title: 'Linux 6.0: shadow APCB and guest_matrix, hot plug by (un)assign, apmask edits refused for resources in use',
  source:
    'Linux 6.0 (Oct 2022): the vfio_ap dynamic-configuration series (shadow_apcb, guest_matrix, in_use, ' +
    'on_config_changed/on_scan_complete; AP bus in_use callback 4f8206b88286 in 5.18)',
  rationale:
    'Assignment is validated against apmask/aqmask instead of the queue binding, is idempotent and allowed ' +
    'while the guest runs: the filtered shadow APCB is pushed to the guest. An apmask/aqmask edit that would ' +
    'take an assigned APQN back for the host fails with EBUSY; queue removal unplugs its adapter first.',
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
    'vfio_ap.open_device': 'vdev-kvm',
    'vfio_ap.set_kvm': 'hook-before-owner-check',
    'vfio_ap.pqap_hook': 'handle_pqap',
    'vfio_ap.null_kvm': 'unset-kvm',
    'vfio_ap.mdev_remove': 'wait-for-close',
    'vfio_ap.queue_remove': 'unplug-adapter-then-zapq',
    'vfio_ap.matrix': 'dynamic',
    'ap_bus.in_use': 'vfio-ap-in-use',
    'vfio_ap.mdev_create_limit': 'eperm',
  },
} satisfies KernelPolicy;
