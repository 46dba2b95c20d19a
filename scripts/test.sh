#!/usr/bin/env bash
# Everything CI checks: formatting, lints, unit and integration tests (SQLite, and PostgreSQL
# when TEST_DATABASE_URL is set), the release build and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

scripts/tools.sh --browser
export PATH="$PWD/end2end/node_modules/.bin:$PATH"
target_dir="${CARGO_TARGET_DIR:-target}"
case "$target_dir" in /*) ;; *) target_dir="$PWD/$target_dir" ;; esac

# Runs a test command. A test binary that runs longer than TEST_HANG_MINUTES (default 10; the
# whole suite takes 1-4) has hung: every thread's stack is printed (with gdb, when installed) so
# the log shows where, and the step fails instead of waiting for CI's own time limit.
bounded() {
  "$@" &
  local cargo_pid=$! limit=$((${TEST_HANG_MINUTES:-10} * 60))
  while kill -0 "$cargo_pid" 2>/dev/null; do
    sleep 5
    # Only test binaries: their command line starts with their path. (A compiler writing into
    # the same folder names it later in its arguments, and lives for seconds.)
    for pid in $(pgrep -f "^$target_dir/debug/deps/" || true); do
      local age
      # The process may have ended since pgrep saw it; that is not a failure of the step.
      age=$(ps -o etimes= -p "$pid" 2>/dev/null | tr -d ' ' || true)
      if [ -n "$age" ] && [ "$age" -gt "$limit" ]; then
        echo "!! test process $pid ($(tr '\0' ' ' < "/proc/$pid/cmdline")) has run ${age}s: it hung"
        if command -v gdb >/dev/null; then
          gdb -p "$pid" -batch -ex "thread apply all bt 40" 2>/dev/null | grep -E '^(Thread|#)' || true
        fi
        kill -9 "$pid" || true
        wait "$cargo_pid" || true
        return 1
      fi
    done
  done
  wait "$cargo_pid"
}

say "Formatting"
cargo fmt --all -- --check

say "Lints (server side, browser side)"
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p server -p migrations --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

say "Unit and integration tests on SQLite"
TEST_DATABASE_URL= bounded cargo test -p app --features ssr
TEST_DATABASE_URL= bounded cargo test -p server -p migrations

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  say "Integration tests on PostgreSQL"
  bounded cargo test -p server
  # Each test made its own database; remove them.
  psql "$TEST_DATABASE_URL" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'ccp\_test\_%'" \
    | while read -r db; do psql "$TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db" || true; done
else
  echo "(TEST_DATABASE_URL not set: PostgreSQL tests skipped)"
fi

say "Release build"
cargo leptos build --release --split --precompress

say "Browser tests (Chromium, desktop and phone)"
e2e_dir="$(mktemp -d)"
trap 'rm -rf "$e2e_dir"' EXIT
E2E_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
export E2E_PORT
export E2E_DATABASE_URL="sqlite://$e2e_dir/e2e.db?mode=rwc"
export E2E_SERVER="$target_dir/release/server"
export E2E_SITE_ROOT="$PWD/target/site"
(cd end2end && npx playwright test)
