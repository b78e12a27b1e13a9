import type { Policy } from '../sim/decisions';

/** David Hildenbrand's preference in the thread: AP instructions on the host and a CRYCB to write into. */
export default {
  id: 'ap-instructions',
  title: 'Open checks ap_instructions_available() and that a CRYCB exists',
  source: 'David Hildenbrand, review of v10 11/26, 2018-09-24 ("I prefer ap_instructions_available()")',
  rationale:
    '"We just have to make sure that the ap control block exists, so we can set the right mask bits. ' +
    'If QEMU asks for an intercept, it shall get an intercept." APIE is left to userspace.',
  base: 'linux-4.20',
  choices: { 'vfio_ap.init': 'none', 'vfio_ap.open.validate': 'ap-instructions-and-crycb' },
} satisfies Policy;
