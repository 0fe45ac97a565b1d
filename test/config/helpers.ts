// Shared assertions for the config tests.

import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/errors.js';

/** parseConfig(text) must fail with a ConfigError at `jsonPath` (and a reason matching `reason`). */
export function throwsAt(text: string, jsonPath: string, reason?: RegExp): void {
  assert.throws(
    () => parseConfig(text),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.equal(e.jsonPath, jsonPath, e.message);
      if (reason) assert.match(e.reason, reason);
      return true;
    },
  );
}
