import type { Policy } from '../sim/decisions';

/** Control: no check at init and none at open. */
export default {
  id: 'unchecked',
  title: 'No check at module init, none at open',
  source: 'Control policy (apspec), not proposed in the thread',
  rationale: 'Shows what each check in the thread buys: any requirement this policy passes needs no check at all.',
  base: 'linux-4.20',
  choices: { 'vfio_ap.init': 'none', 'vfio_ap.open.validate': 'none' },
} satisfies Policy;
