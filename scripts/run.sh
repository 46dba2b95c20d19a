#!/usr/bin/env bash
# Builds the release app and serves it with an SQLite database under data/.
# Configuration: environment variables, see `target/release/server --help`.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/tools.sh
export PATH="$PWD/end2end/node_modules/.bin:$PATH"
echo "==> Building (release; the first build takes several minutes)"
cargo leptos build --release --split --precompress
export CCP_SITE_ROOT="${CCP_SITE_ROOT:-target/site}"
exec "${CARGO_TARGET_DIR:-target}/release/server" serve
