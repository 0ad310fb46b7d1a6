#!/usr/bin/env bash
# Installs the reference tools the benchmark compares against, outside the project: they are not
# dependencies of Policy Lens, only yardsticks. ripgrep comes from Debian; textlint (with
# textlint-rule-prh) and cspell from the npm registry, into a cache prefix that bench/run.ts looks in.
set -euo pipefail

prefix="${POLICY_LENS_BENCH_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/policy-lens-bench/tools}"

if ! command -v rg >/dev/null 2>&1; then
	echo "ripgrep is not installed; install it with: sudo apt-get install ripgrep" >&2
fi

mkdir -p "$prefix"
# A package.json of its own keeps npm from walking up into another project.
if [ ! -f "$prefix/package.json" ]; then
	echo '{ "name": "policy-lens-bench-tools", "private": true }' > "$prefix/package.json"
fi
npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error textlint textlint-rule-prh cspell
echo "Installed into $prefix:"
for tool in textlint cspell; do
	echo "  $tool $("$prefix/node_modules/.bin/$tool" --version)"
done
