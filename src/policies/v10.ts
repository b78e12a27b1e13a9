import type { Policy } from '../sim/decisions';

/** v10 11/26 as posted: open validates the CPU-model feature AP, which v10's KVM offers. */
export default {
  id: 'v10',
  title: 'Open checks the CPU-model feature AP; KVM offers that feature',
  source: '[PATCH v10 11/26] s390: vfio-ap: implement mediated device open callback, 2018-09-12',
  rationale:
    'kvm_ap_validate_crypto_setup() accepts the KVM only if userspace set KVM_S390_VM_CPU_FEAT_AP in the CPU model, ' +
    'which KVM allows iff the host has AP instructions. The module itself loads on any host.',
  base: 'linux-4.20',
  choices: { 'vfio_ap.init': 'none', 'vfio_ap.open.validate': 'cpu-feat-ap', 'kvm.cpu_feat_ap': 'offered' },
} satisfies Policy;
