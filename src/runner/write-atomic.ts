/** The atomic-write helpers live in src/common/write-atomic.ts, shared by the runner, the report and the explorer. */
export { moveIntoPlace, tempPathFor, writeFileAtomic } from '../common/write-atomic';
