# Source this file (`. scripts/use-node.sh`): it leaves a supported Node.js and pnpm first on PATH.
#
# Node 22 LTS is the floor and Node 24 LTS the default (every package.json says `"node": ">=22"`).
# Where the machine's node is missing or older, Node 24 comes from the npm registry, the one
# download source a build machine is sure to reach: the `node-linux-<arch>` package holds the
# official binary. It goes to $CONSENTKIT_NODE_HOME (default ~/.cache/consentkit-node), once;
# later shells only put it back on PATH. nvm, corepack and `npm install -g node` are not used:
# the first two download from nodejs.org, and the last fails where /usr/bin/node exists.
# pnpm, when missing, is installed from the npm registry into the same folder (no root needed).
#
# POSIX sh, so it works when sourced from sh, dash, bash or zsh. Being sourced, it never exits
# the shell: on failure it returns 1 with a message saying what to do instead.

consentkit_node_home="${CONSENTKIT_NODE_HOME:-${HOME:-/tmp}/.cache/consentkit-node}"

consentkit_node_major() {
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

consentkit_use_node() {
  if [ "$(consentkit_node_major)" -ge 22 ]; then
    return 0
  fi
  case "$(uname -m)" in
    x86_64 | amd64) consentkit_arch=x64 ;;
    aarch64 | arm64) consentkit_arch=arm64 ;;
    *)
      echo "use-node: no Node 24 package for $(uname -m); install Node.js 22 or newer yourself" >&2
      return 1
      ;;
  esac
  consentkit_bin="$consentkit_node_home/node_modules/node-linux-$consentkit_arch/bin"
  if [ ! -x "$consentkit_bin/node" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "use-node: node is older than 22 (or missing) and there is no npm to fetch Node 24 with;" >&2
      echo "use-node: install Node.js 22 or newer (with npm), then run this again" >&2
      return 1
    fi
    echo "use-node: $(node --version 2>/dev/null || echo 'no node') is older than Node 22; installing Node 24 from the npm registry into $consentkit_node_home" >&2
    npm install --prefix "$consentkit_node_home" --no-audit --no-fund --no-update-notifier --loglevel=error "node-linux-$consentkit_arch@24" >&2 ||
      return 1
  fi
  PATH="$consentkit_bin:$PATH"
  export PATH
  hash -r 2>/dev/null || true
  echo "use-node: using Node $(node --version) from $consentkit_bin" >&2
}

consentkit_use_pnpm() {
  if command -v pnpm >/dev/null 2>&1; then
    return 0
  fi
  # Into the cache folder rather than `npm install -g`, which needs root where node is /usr/bin's.
  if [ ! -x "$consentkit_node_home/node_modules/.bin/pnpm" ]; then
    echo "use-node: pnpm is missing; installing it from the npm registry into $consentkit_node_home" >&2
    npm install --prefix "$consentkit_node_home" --no-audit --no-fund --no-update-notifier --loglevel=error pnpm@12 >&2 || return 1
  fi
  PATH="$consentkit_node_home/node_modules/.bin:$PATH"
  export PATH
  hash -r 2>/dev/null || true
}

consentkit_use_node && consentkit_use_pnpm
