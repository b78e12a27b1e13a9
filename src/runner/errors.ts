/** The runner's errors live in src/common/errors.ts, where the CLI, the runner and the explorer all may import them. */
export { RunFailedError, UsageError } from '../common/errors';
