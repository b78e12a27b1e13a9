import type { Policy } from '../sim/decisions';

/** The diff quoted in the review of v10 11/26: validate on kvm->arch.crypto.apie. */
export default {
  id: 'v10-apie',
  title: 'Open checks kvm->arch.crypto.apie',
  source: 'Diff discussed in the review of v10 11/26 (David Hildenbrand, Tony Krowiak), 2018-09-24',
  rationale:
    'The device is useful only if firmware interprets the guest\'s AP instructions (ECA.28), which follows the ' +
    'APIE flag; so open refuses to wire the masks unless APIE is on. David objected that apie "is a moving target".',
  base: 'linux-4.20',
  choices: { 'vfio_ap.init': 'none', 'vfio_ap.open.validate': 'apie' },
} satisfies Policy;
