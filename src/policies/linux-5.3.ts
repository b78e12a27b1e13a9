import type { KernelPolicy } from '../sim/decisions';

/** Linux 5.3 (era E2, before the 5.11-5.13 fixes): PQAP(AQIC) interception in KVM and vfio_ap. */
export default {
  id: 'linux-5.3',
  title: 'Linux 5.3: AQIC interception (handle_pqap, pqap_hook), facility 65 for guests, queue reset on remove',
  source:
    'Linux 5.3 (Sep 2019): e5282de93105 "s390: ap: kvm: add PQAP interception for AQIC" and the vfio_ap ' +
    'interrupt series (vfio_ap_queue, GISA/GIB ISC registration); 5615e74f48dc (2020, Cc stable v5.3+) ' +
    'documents ECA_APIE as an effective bit',
  rationale:
    'Guests get facility 65 and their PQAP(AQIC) is intercepted and handled in the kernel through the ' +
    'pqap_hook vfio_ap stores at set_kvm; queue removal and mdev release reset queues. The mdev still learns ' +
    'its KVM from the group notifier, whose errors userspace never sees, and a NULL KVM leaves the masks. ' +
    'vfio_ap: mdev removal still fails with EBUSY while a KVM is attached and otherwise resets the queues ' +
    'first (the reference does not pin down whether the reset on remove came with 5.3 or later; apspec takes ' +
    '5.3). KVM: vcpus of a VM with a GISA get ECA_AIV, which vfio_ap\'s hook requires; kernels.md dates this from ' +
    '5.3 (kvm_arch_vcpu_setup sets it whenever the GISA designation is set, which may be older, but nothing reads ' +
    'it before the 5.3 hook, so no scenario can tell).',
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
    'vfio_ap.null_kvm': 'masks-stay',
    'vfio_ap.mdev_remove': 'ebusy-reset',
    'vfio_ap.queue_remove': 'zapq',
    'vfio_ap.matrix': 'static',
    'ap_bus.in_use': 'none',
    'vfio_ap.mdev_create_limit': 'eperm',
  },
} satisfies KernelPolicy;
