/**
 * vfio_ap's and the AP bus's era decision points (issue 10): how a kernel release's vfio_ap gets its
 * KVM, guards the single owner, handles PQAP(AQIC), reacts to removal and to host configuration
 * changes, and validates assignments. Spread into DECISION_POINTS (src/sim/decisions.ts); each option
 * names the kernel function and the commit or release it models (reference = kernel-semantics.md).
 * Only types come from './decisions' (a runtime import would be a cycle). A root file, not
 * src/sim/vfio-ap/: decisions.ts is a foundation and may import foundations only (tests/architecture.test.ts).
 */
import type { ShapePointSpec } from './decisions';

export const VFIO_AP_DECISION_POINTS = {
  'vfio_ap.open_device': {
    kind: 'shape',
    fn: 'vfio_ap_mdev_open_device',
    question: 'Where does vfio_ap get the KVM when the VMM opens the device, and do open-time errors reach userspace?',
    options: {
      'group-notifier': {
        summary:
          'open registers the VFIO_GROUP_NOTIFY_SET_KVM notifier, which the vfio core replays with the group\'s KVM and whose result it ignores: ' +
          'open returns 0 without a KVM and for a second mdev on one KVM (EPERM swallowed); a KVM added to the group later arrives by notification',
        source:
          'vfio_ap_mdev_open / vfio_ap_mdev_group_notifier, 258287c994de "s390: vfio-ap: implement mediated device open callback" (4.20), ' +
          'open_device from ~5.15 still fed by the notifier (reference §2.6 E1-E3, VFIOC)',
      },
      'vdev-kvm': {
        summary: 'vfio_ap_mdev_open_device reads vdev->kvm (the group\'s KVM at open): NULL -> -EINVAL; vfio_ap_mdev_set_kvm\'s -EPERM is returned by open',
        source:
          'vfio_ap_mdev_open_device, torvalds/linux 034921cdea1c (5.19) after "vfio: remove VFIO_GROUP_NOTIFY_SET_KVM" (reference §2.6 E4, OPS519)',
      },
    },
  } satisfies ShapePointSpec,
  'vfio_ap.set_kvm': {
    kind: 'shape',
    fn: 'vfio_ap_mdev_set_kvm',
    question: 'In what order does vfio_ap_mdev_set_kvm store the pqap_hook and check that no other mdev owns the KVM?',
    options: {
      'owner-check-first': {
        summary:
          '-EPERM if another mdev on mdev_list has this KVM, before anything changes; then matrix_mdev->kvm (5.3+: kvm_get_kvm and the pqap_hook), ' +
          'then the crycbd check and the masks',
        source: 'vfio_ap_mdev_set_kvm, v11 11/26 as merged in 4.20 (258287c994de); 5.3-5.14 shape in OPS511 (reference §2.6 E1/E2)',
      },
      'hook-before-owner-check': {
        summary:
          'only if kvm->arch.crypto.crycbd != 0: store kvm->arch.crypto.pqap_hook under pqap_hook_rwsem, then the single-owner check (-EPERM): ' +
          'a refused second mdev leaves its own hook in the KVM',
        source: 'vfio_ap_mdev_set_kvm, ~5.15 (pqap_hook_rwsem) to 6.x; torvalds/linux 034921cdea1c (5.19, OPS519) and OPS6 (reference §2.6 E3-E5)',
      },
      'owner-via-pqap-hook': {
        summary: 'only if crycbd != 0: -EPERM when kvm->arch.crypto.pqap_hook is already set, before anything changes; then hook, kvm_get_kvm, kvm, shadow APCB',
        source: 'vfio_ap_mdev_set_kvm, gregkh/linux 02e72909453d (OPSNEW, the newest shape read; release not pinned down, reference §2.6 E6, §5.1)',
      },
    },
  } satisfies ShapePointSpec,
  'vfio_ap.pqap_hook': {
    kind: 'shape',
    fn: 'handle_pqap',
    question: 'Does vfio_ap offer KVM a hook for an intercepted PQAP(AQIC)?',
    options: {
      none: {
        summary: 'no hook: 4.20 has no kvm->arch.crypto.pqap_hook and no vfio_ap_queue objects',
        source: 'Linux 4.20 vfio_ap_ops.c (v11 + PULL2; reference §1.3, §2.12 E1)',
      },
      handle_pqap: {
        summary:
          'vfio_ap handle_pqap: vcpu without ECA_AIV -> -EOPNOTSUPP; no kvm, APQN not in apm x aqm or not a vfio_ap queue -> RC 0x01; ' +
          'IR set: NIB invalid or not pinnable -> RC 0x06, GISC registration failure -> RC 0x08, else the real AQIC result; IR clear: disable',
        source: 'handle_pqap / vfio_ap_irq_enable / vfio_ap_irq_disable, e5282de93105 "s390: ap: kvm: add PQAP interception for AQIC" (5.3); OPS511/OPS519/OPS6 (reference §2.12)',
      },
    },
  } satisfies ShapePointSpec,
  'vfio_ap.null_kvm': {
    kind: 'shape',
    fn: 'vfio_ap_mdev_group_notifier',
    question: 'What does vfio_ap do when the KVM goes away (SET_KVM NULL, or close)?',
    options: {
      'masks-stay': {
        summary: 'SET_KVM NULL only sets matrix_mdev->kvm = NULL: the CRYCB keeps the masks, no queue is reset',
        source: 'vfio_ap_mdev_group_notifier, 4.20 (258287c994de) until the ~5.11 fix (reference §2.6 E1)',
      },
      'unset-kvm': {
        summary: 'vfio_ap_mdev_unset_kvm: clear the CRYCB masks, pqap_hook = NULL, reset the queues, kvm_put_kvm, kvm = NULL',
        source:
          '"s390/vfio-ap: clean up vfio_ap resources when KVM pointer invalidated" (posted Nov-Dec 2020, Fixes 258287c994de, Cc stable; ~5.11, reference §2.6 E2, §3)',
      },
    },
  } satisfies ShapePointSpec,
  'vfio_ap.mdev_remove': {
    kind: 'shape',
    fn: 'vfio_ap_mdev_remove',
    question: 'What does removing an mdev do while a guest uses it?',
    options: {
      ebusy: {
        summary: '-EBUSY while matrix_mdev->kvm is set; otherwise unlink and free, no queue reset (the writer then waits in vfio_del_group_dev for an open fd)',
        source: 'vfio_ap_mdev_remove, v11 11/26 as merged in 4.20 (reference §2.3 E1)',
      },
      'ebusy-reset': {
        summary: '-EBUSY while matrix_mdev->kvm is set; otherwise ZAPQ every queue of the matrix, unlink and free',
        source: 'vfio_ap_mdev_remove, 5.3-5.12 (OPS511; the reset on remove came with the 5.3 series, reference §2.3 E2, §3)',
      },
      'unset-and-free': {
        summary: 'no refusal: vfio_ap_mdev_unset_kvm if a KVM is attached (masks cleared, queues reset), then unlink and free',
        source: '"s390/vfio-ap: fix memory leak in mdev remove callback" (RMFX, 2021-05-19, Fixes 258287c994de; 5.13, reference §2.3)',
      },
      'wait-for-close': {
        summary:
          'vfio_unregister_group_dev waits until the device fd is closed (close_device unsets the KVM), then vfio_ap unlinks and frees: ' +
          'apspec answers the blocked write with a refusal that names the wait and completes the removal when the VMM closes the device',
        source: 'vfio_ap_mdev_remove -> vfio_unregister_group_dev, 5.19 (OPS519 034921cdea1c) and later; E6 first signals the request eventfd (reference §2.3 E4+)',
      },
    },
  } satisfies ShapePointSpec,
  'vfio_ap.queue_remove': {
    kind: 'shape',
    fn: 'vfio_ap_mdev_remove_queue',
    question: 'What does vfio_ap do when a queue device leaves the driver (apmask/aqmask edit, host configuration change)?',
    options: {
      nothing: {
        summary: 'nothing: the guest\'s CRYCB keeps the APQN and the queue is not reset',
        source: 'vfio_ap_queue_dev_remove, 4.20 (DRV420; reference §2.14)',
      },
      zapq: {
        summary: 'ZAPQ the queue, disable its interruptions, free the vfio_ap_queue; the guest\'s CRYCB keeps the APQN',
        source: 'vfio_ap_queue_dev_remove, 5.3 AQIC series (e5282de93105) through 5.19 (reference §2.2, §2.14 E2)',
      },
      'unplug-adapter-then-zapq': {
        summary: 'if the queue is in the guest (shadow APCB), clear its APID from the shadow and push it to the guest first (the whole adapter), then ZAPQ',
        source: 'vfio_ap_mdev_remove_queue, 6.0 dynamic configuration (OPS6; reference §2.14 E5)',
      },
    },
  } satisfies ShapePointSpec,
  'vfio_ap.matrix': {
    kind: 'shape',
    fn: 'assign_adapter_store',
    question: 'How are an mdev\'s assignments validated, and how do they reach a running guest?',
    options: {
      static: {
        summary:
          '-EBUSY while a KVM is attached; assignment needs the queues bound to vfio_ap (-EADDRNOTAVAIL); no early exit for an id already set; ' +
          'the guest gets the whole matrix at open',
        source: 'assign_adapter_store / vfio_ap_mdev_verify_queues_reserved_for_apid, 4.20 (v11 06/26 + 11/26) through 5.19 (OPS519; reference §2.4 E1-E4)',
      },
      dynamic: {
        summary:
          'validated against apmask/aqmask (-EADDRNOTAVAIL) then sharing (-EADDRINUSE); (un)assigning an id already (un)set is a no-op; allowed while ' +
          'the guest runs: the shadow APCB (matrix filtered by the host configuration and by the queues bound to vfio_ap, whole adapters) is pushed ' +
          'to the guest (hot plug/unplug); guest_matrix shows it',
        source:
          'assign_adapter_store / vfio_ap_mdev_validate_masks / vfio_ap_mdev_filter_matrix / guest_matrix_show, 6.0 dynamic configuration ' +
          '(OPS6; the filter loops over the shadow APCB as fixed by "Fixes: 48cae940c31d", Cc stable; reference §2.4 E5, §2.5)',
      },
    },
  } satisfies ShapePointSpec,
  'ap_bus.in_use': {
    kind: 'shape',
    fn: 'apmask_commit',
    question: 'Does an apmask/aqmask edit ask the drivers whether the APQNs it takes back for the host are in use?',
    options: {
      none: {
        summary: 'no: any write that parses is accepted and the bindings are revised, even for an APQN a guest uses',
        source: 'apmask_store / aqmask_store, 4.20 (DOC18 "Limitations"); the 5.18 in_use callback (4f8206b88286) has no vfio_ap implementation before 6.0 (reference §2.2)',
      },
      'vfio-ap-in-use': {
        summary:
          'apmask_commit/aqmask_commit call vfio_ap_mdev_resource_in_use with the newly reserved ids: an APQN assigned to any mdev -> -EADDRINUSE, ' +
          'which the AP bus returns as -EBUSY and leaves the mask unchanged',
        source: 'apmask_commit (4f8206b88286, 5.18) with vfio_ap_mdev_resource_in_use (6.0, OPS6/DRV6; reference §1.2, §2.2 E5)',
      },
    },
  } satisfies ShapePointSpec,
  'vfio_ap.mdev_create_limit': {
    kind: 'shape',
    fn: 'vfio_ap_mdev_create',
    question: 'Which errno does creating an mdev return when no instance is left?',
    options: {
      eperm: {
        summary: 'vfio_ap counts available_instances itself: atomic_dec_if_positive < 0 -> -EPERM',
        source: 'vfio_ap_mdev_create, v11 05/26 (4.20) to 6.0 (reference §2.3)',
      },
      eusers: {
        summary: 'the mdev core counts available instances (mdev_type->available) and returns -EUSERS',
        source: 'mdev core "available_instances" moved to the core (MDEVC; 6.1 inferred, reference §2.3, §5.1)',
      },
    },
  } satisfies ShapePointSpec,
} as const;
