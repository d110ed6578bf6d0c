#!/usr/bin/env bash
# Installs the end-to-end test's own dependencies (code-server 4.100.3 = VS Code 1.100, playwright-core)
# into test/e2e/node_modules, apart from the root dependency tree. Needs Debian's ripgrep (and, for
# code-server's native modules, libkrb5-dev); .ci/run installs both.
set -euo pipefail
cd "$(dirname "$0")"

# @vscode/ripgrep's postinstall downloads rg from GitHub, which is not reachable: seed its download cache
# with Debian's rg so it finds the archive it wants and downloads nothing.
cache="$(node -p "require('os').tmpdir()")/vscode-ripgrep-cache-1.15.11"
archive="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$archive" ]; then
  rg_bin="$(command -v rg)" || { echo "install.sh: ripgrep (rg) is missing: apt-get install ripgrep" >&2; exit 1; }
  staging="$(mktemp -d)"
  cp "$rg_bin" "$staging/rg"
  mkdir -p "$cache"
  tar -czf "$archive" -C "$staging" rg
  rm -rf "$staging"
fi

# .npmrc here: unsafe-perm (code-server's postinstall refuses to run as root without it) and yes
# (node-pty's postinstall runs `npx node-gyp`); package.json's allowScripts lets the install scripts of
# code-server and argon2 run (code-server loads argon2 at start; its prebuilt download fails offline and
# it builds from source with node-gyp).
# `npm ci` starts by deleting node_modules, through a symbolic link too: a node_modules that links to
# another checkout's install is used as it is, never reinstalled. An install this script finished (its
# stamp names the lockfile it installed) is not redone either: the install takes minutes.
stamp=node_modules/.ascendify-install-stamp
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -L node_modules ]; then
  [ -f node_modules/code-server/out/node/entry.js ] || { echo "install.sh: node_modules links to an incomplete install" >&2; exit 1; }
  echo "install.sh: node_modules links to $(readlink node_modules): used as it is"
  exit 0
fi
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ]; then
  echo "install.sh: the end-to-end test's dependencies are installed (package-lock.json unchanged)"
  exit 0
fi
npm ci --no-audit --no-fund
echo "$lock_sum" > "$stamp"
