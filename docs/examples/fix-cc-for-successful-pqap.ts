import type { Policy } from '../../src/sim/decisions';

/**
 * A patch under review, written as a policy on the release it applies to (docs/reviewing-a-patch.md).
 * Before this fix, KVM's handle_pqap set condition code 3 when the vfio_ap hook reported a non-zero
 * response code, but left the guest's PSW cc untouched when the hook succeeded: the guest read
 * whatever its previous instruction had left there.
 */
export default {
  id: 'fix-pqap-cc',
  title: 'KVM: s390: fix cc for successful PQAP',
  source: '[PATCH] KVM: s390: fix cc for successful PQAP (Eric Farman, Dec 2023), Fixes e5282de93105; merged as 83303a4c776c',
  rationale:
    'A guest tests the condition code to know whether GR1 holds a valid AP queue status; an AQIC that ' +
    'the hook completes with response code 0 must say so with cc 0.',
  base: 'linux-6.0',
  choices: { 'kvm.aqic_cc': 'cc0' },
} satisfies Policy;
