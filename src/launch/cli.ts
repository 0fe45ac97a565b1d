#!/usr/bin/env node
// The `dicom-anonymizer` command: the engine bundle with its code cache (engine.ts), else the ES modules.

import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchEngine } from './engine.js';

const engine = launchEngine(dirname(fileURLToPath(import.meta.url)));
if (engine) await engine.runCommandLine(process.argv.slice(2));
else await import('../cli/main.js');
