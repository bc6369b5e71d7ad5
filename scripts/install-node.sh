#!/usr/bin/env bash
# Node 24 LTS where the machine's Node is older (Debian 12 ships Node 18, some images Node 20; the
# grader needs 22.13+ for node:sqlite, and CI runs on 24). It comes from the npm registry's `node`
# package, whose binary ships inside the package: no other download source. Installed under
# NODE_PREFIX (default /usr/local), whose bin/ precedes /usr/bin on PATH. Idempotent: does nothing
# when the Node found on PATH is already 24 or newer.
set -euo pipefail
prefix="${NODE_PREFIX:-/usr/local}"
export PATH="$prefix/bin:$PATH"
hash -r

major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(major)" -ge 24 ]; then
  echo "node $(node --version) already at $(command -v node)"
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "install-node: npm is needed to fetch Node 24 (apt-get install npm)" >&2
  exit 1
fi
npm install --global --prefix "$prefix" --no-audit --no-fund node@24 >/dev/null
hash -r
if [ "$(major)" -lt 24 ]; then
  echo "install-node: node@24 was installed under $prefix but $(command -v node) is $(node --version)" >&2
  exit 1
fi
echo "node $(node --version) installed at $(command -v node)"
