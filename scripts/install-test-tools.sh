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

chromium_for_the_report_test
