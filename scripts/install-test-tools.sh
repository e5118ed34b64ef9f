#!/usr/bin/env bash
# Installs what the tests need beyond Java and Maven, on Debian; run by the build (cli module,
# before its tests) so that `mvn -B verify` alone passes on a fresh machine. Idempotent: a tool
# that is there is left alone. One function per tool: add a section by adding a function and
# calling it at the end.
set -euo pipefail

APT_UPDATED=0

# Installs Debian packages as root; otherwise says in one line why it cannot and what to run.
apt_install() {
  local why="$1"
  shift
  if [ "$(id -u)" != "0" ]; then
    echo "install-test-tools: $* missing ($why) and only root can install it: sudo apt-get install -y $*" >&2
    return 0
  fi
  if [ "$APT_UPDATED" = "0" ]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  echo "install-test-tools: installed $*"
}

# Headless Chromium opens the HTML run report in a test (ReportCommandTest, /usr/bin/chromium).
chromium_for_the_report_test() {
  if [ -x /usr/bin/chromium ]; then
    return 0
  fi
  apt_install "the HTML report test opens the page in headless Chromium" chromium
}

# The Parquet readers users have (Polars, DuckDB, arrow-rs, hyparquet), pinned by
# readers/package-lock.json: the readers test and bqx bench read training files with them.
parquet_readers_from_npm() {
  local readers
  readers="$(dirname "$0")/../readers"
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-test-tools: npm missing (the Parquet readers test needs Node 20+ and npm): apt-get install -y nodejs npm" >&2
    return 0
  fi
  if [ "$readers/node_modules/.package-lock.json" -nt "$readers/package-lock.json" ]; then
    return 0
  fi
  (cd "$readers" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error)
  echo "install-test-tools: installed the Parquet readers (readers/node_modules)"
}

chromium_for_the_report_test
parquet_readers_from_npm
