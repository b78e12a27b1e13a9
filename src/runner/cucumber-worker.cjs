// Entry point of a cucumber worker thread: a worker starts without the parent's TypeScript loader,
// so register tsx here, then load the worker itself (src/runner/cucumber-worker.ts).
require('tsx/cjs');
require('./cucumber-worker.ts');
