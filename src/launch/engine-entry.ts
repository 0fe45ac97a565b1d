// The entry of the engine bundle (scripts/bundle-engine.ts bundles it into dist/launch/engine.cjs): what the two
// launchers run, the command line (launch/cli.ts) and a batch worker thread (launch/worker.ts).

export { runCommandLine } from '../cli/program.js';
export { serveBatchWorker } from '../batch/file-handler.js';
