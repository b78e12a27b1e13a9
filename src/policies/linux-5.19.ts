import type { KernelPolicy } from '../sim/decisions';

/** Linux 5.19 (era E4): open_device takes the KVM from the VFIO device. */
export default {
  id: 'linux-5.19',
  title: 'Linux 5.19: open_device with vdev->kvm; EINVAL without a KVM, EPERM for a second mdev reach userspace',
  source:
    'Linux 5.19 (Jul 2022): VFIO_GROUP_NOTIFY_SET_KVM removed; vfio_ap_mdev_open_device uses vdev->kvm ' +
    '(torvalds/linux drivers/s390/crypto/vfio_ap_ops.c @ 034921cdea1c)',
  rationale:
    'Open fails with EINVAL when the VFIO group was never added to a KVM and with EPERM when another mdev ' +
    'already serves that KVM; set_kvm stores the pqap_hook before the single-owner check (as since ~5.15). ' +
    'So a refused second mdev leaves its own hook in the KVM and the guest\'s AQIC answers RC 0x01 ' +
    '[code-read]. KVM_DEV_VFIO_GROUP_DEL no longer reaches vfio_ap (the device keeps its KVM until close), and ' +
    'removing an mdev in use waits in vfio_unregister_group_dev until the VMM closes the device: apspec ' +
    'answers that write with a refusal naming the wait and completes the removal at the close.',
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
    'vfio_ap.queue_remove': 'zapq',
    'vfio_ap.matrix': 'static',
    'ap_bus.in_use': 'none',
    'vfio_ap.mdev_create_limit': 'eperm',
  },
} satisfies KernelPolicy;
