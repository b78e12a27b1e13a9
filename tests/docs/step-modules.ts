/**
 * The step definition modules, loaded through vitest's module loader (not Node's require: the steps
 * are TypeScript), for the tests that build the step catalogue (src/docs/generate-steps.ts).
 */
export const STEP_MODULES: Record<string, () => Promise<unknown>> = {
  'support/define': () => import('../../steps/support/define'),
  'support/parameter-types': () => import('../../steps/support/parameter-types'),
  'host.steps': () => import('../../steps/host.steps'),
  'vfio-ap.steps': () => import('../../steps/vfio-ap.steps'),
  'mdev.steps': () => import('../../steps/mdev.steps'),
  'guest.steps': () => import('../../steps/guest.steps'),
  'kvm.steps': () => import('../../steps/kvm.steps'),
  'outcome.steps': () => import('../../steps/outcome.steps'),
  'policy.steps': () => import('../../steps/policy.steps'),
};
