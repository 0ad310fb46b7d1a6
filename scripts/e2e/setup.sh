#!/usr/bin/env bash
# Prepares the machine for test/e2e: Debian packages (build deps of code-server's
# native modules, ripgrep, chromium) and code-server installed from the npm registry
# into a cache folder outside the repo. Idempotent; works offline except for the
# npm registry and Debian's apt repositories.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# The @vscode/ripgrep version pinned by code-server 4.100.3's lib/vscode/npm-shrinkwrap.json,
# and the asset its postinstall looks for (lib/postinstall.js: VERSION + target).
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

CACHE_DIR="${POLICY_LENS_E2E_CACHE:-${HOME:-/root}/.cache/policy-lens-e2e}"
CS_DIR="$CACHE_DIR/code-server-$CODE_SERVER_VERSION"
MARKER="$CS_DIR/.installed-ok"

t0=$(date +%s)
step_start=$t0
step() { # print the time of the step that just finished
  local now; now=$(date +%s)
  echo "[e2e setup] $1: $((now - step_start))s"
  step_start=$now
}

# 1. Debian packages, only those missing.
APT_PACKAGES=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config g++ make python3 ripgrep chromium fonts-ipafont-gothic)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[e2e setup] installing apt packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
step "apt packages"

# 2. code-server from the npm registry.
if [ -f "$MARKER" ] && [ -x "$CS_DIR/node_modules/.bin/code-server" ] \
  && [ "$(node -p "require('$CS_DIR/node_modules/code-server/package.json').version" 2>/dev/null)" = "$CODE_SERVER_VERSION" ]; then
  echo "[e2e setup] code-server $CODE_SERVER_VERSION already installed in $CS_DIR"
else
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$node_major" != 20 ]; then
    echo "[e2e setup] code-server $CODE_SERVER_VERSION needs Node 20, this is $(node -v)" >&2
    exit 1
  fi
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"

  # @vscode/ripgrep's postinstall downloads rg from GitHub unless
  # $TMPDIR/vscode-ripgrep-cache-<version>/<asset> exists; it untars that file into
  # its bin/ and expects `rg` at the tarball's root. Feed it Debian's rg.
  tmp="$CACHE_DIR/tmp"
  rg_cache="$tmp/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
  mkdir -p "$rg_cache"
  stage=$(mktemp -d)
  cp "$(command -v rg)" "$stage/rg"
  tar -czf "$rg_cache/$RIPGREP_ASSET" -C "$stage" rg
  rm -rf "$stage"
  step "ripgrep tarball"

  echo '{ "name": "policy-lens-e2e-code-server", "private": true }' > "$CS_DIR/package.json"
  # As root, code-server's postinstall insists on npm_config_unsafe_perm=true (npm 11 warns
  # "Unknown env config" but passes it on); npm_config_yes avoids prompts.
  # Install scripts must run: code-server's postinstall runs `npm install` in lib/vscode and
  # lib/vscode/extensions, whose native modules (node-pty, spdlog, kerberos, ...) and
  # @vscode/ripgrep have install scripts. npm 11.19 only warns about scripts not covered by
  # an allowScripts field, but those nested package.json files are code-server's and carry
  # none, so for this one pinned install (shrinkwrapped, in a throwaway folder) the policy is
  # bypassed outright in case a later npm blocks such scripts by default.
  (
    cd "$CS_DIR"
    export TMPDIR="$tmp" npm_config_unsafe_perm=true npm_config_yes=true \
      npm_config_ignore_scripts=false npm_config_dangerously_allow_all_scripts=true npm_config_fund=false npm_config_audit=false \
      npm_config_update_notifier=false
    npm install --no-save --loglevel=warn "code-server@$CODE_SERVER_VERSION" > "$CACHE_DIR/install.log" 2>&1
  ) || { echo "[e2e setup] npm install of code-server failed; tail of $CACHE_DIR/install.log:" >&2; tail -n 60 "$CACHE_DIR/install.log" >&2; exit 1; }
  test -x "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
  touch "$MARKER"
  step "npm install code-server@$CODE_SERVER_VERSION"
fi

# Smoke test; XDG_CONFIG_HOME keeps code-server from writing ~/.config/code-server/config.yaml.
echo "[e2e setup] code-server --version: $(XDG_CONFIG_HOME="$CACHE_DIR/xdg-config" "$CS_DIR/node_modules/.bin/code-server" --version | tail -n 1)"
echo "[e2e setup] code-server: $CS_DIR/node_modules/.bin/code-server"
echo "[e2e setup] total: $(( $(date +%s) - t0 ))s"
