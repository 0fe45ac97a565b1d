// Debian's Chromium, driven by playwright-core, for the review page's browser tests (as tools.ts does for dcmdump
// and the others). A browser test must know the browser really ran, or its green means nothing.
//
// - chromiumProblem(): probes `chromium --version` once (sync, so it can decide a test's `skip` option); null when it
//   printed a Chromium version.
// - skipUnlessChromium(): for a test's `skip` option. Without CI it is the reason; with CI=true it is false, so the
//   test runs and openBrowser() makes it fail.
// - openBrowser(): launches it headless (--no-sandbox: the test machines run as root); throws the reason when the
//   probe failed, so a test that needs the browser fails rather than passing without it.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';
import { IN_CI } from './tools.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let problem: string | null | undefined;

/** Why Chromium cannot be used (missing, broken), or null when `chromium --version` names a version. */
export function chromiumProblem(): string | null {
  if (problem !== undefined) return problem;
  const r = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') problem = `${CHROMIUM} is not installed (apt-get install chromium)`;
  else if (r.error) problem = `${CHROMIUM} could not be run: ${r.error.message}`;
  else if (r.status !== 0) problem = `${CHROMIUM} looks broken: --version exited with ${r.status ?? r.signal}`;
  else if (!/Chromium \d+/.test(r.stdout)) problem = `${CHROMIUM} looks broken: --version printed ${r.stdout.trim() === '' ? 'nothing' : 'no Chromium version'}`;
  else problem = null;
  return problem;
}

/** For a test's `skip` option: the reason when Chromium does not work and CI is not set; false otherwise. */
export function skipUnlessChromium(): string | false {
  if (IN_CI) return false;
  const p = chromiumProblem();
  return p === null ? false : `${p} (with CI=true this test fails)`;
}

/** Launches headless Chromium; fails the test when it is missing or broken. */
export async function openBrowser(): Promise<Browser> {
  const p = chromiumProblem();
  if (p !== null) assert.fail(`${p}${IN_CI ? ' (CI=true: a test that needs it fails rather than skipping)' : ''}`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
}
