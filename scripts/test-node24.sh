#!/usr/bin/env bash
# The whole test suite on the pinned Node 24 (scripts/node24.sh), over the build that `npm run build`
# made with the normal toolchain: `npm run test:node24`, and a step of .ci/run. Arguments go to
# scripts/run-tests.mjs (e.g. a PART of a test file path).
set -euo pipefail
cd "$(dirname "$0")/.."
node24="$(bash scripts/node24.sh)"
# The runner starts one process per test file with its own binary (process.execPath), and tests start the
# example the same way; Node 24 first on PATH covers anything that runs `node` by name.
PATH="$(dirname "$node24"):$PATH" exec "$node24" scripts/run-tests.mjs "$@"
