#!/usr/bin/env node
// The command line from the ES modules: what the tests run (through tsx) and what the launcher (launch/cli.ts) falls
// back to when the engine bundle is absent or cannot be compiled.

import { runCommandLine } from './program.js';

await runCommandLine(process.argv.slice(2));
