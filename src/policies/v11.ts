import type { Policy } from '../sim/decisions';

/** The decision of 2018-09-25, posted as v11 and merged in Linux 4.20. */
export default {
  id: 'v11',
  title: 'ENODEV at module init without AP instructions; open checks crycbd != 0',
  source: 'Tony Krowiak, 2018-09-25 (after discussing with Halil Pasic); v11 04/26 and 11/26, merged in 4.20',
  rationale:
    'vfio_ap exists to pass AP instructions through, so module init fails with ENODEV without them. ' +
    'Open only verifies that a CRYCB is available (matrix_mdev->kvm->arch.crypto.crycbd != 0); no APIE check.',
  base: 'linux-4.20',
  // v11 is what was merged: it changes nothing on linux-4.20 (init 'ap-instructions', open 'crycbd').
  choices: {},
} satisfies Policy;
