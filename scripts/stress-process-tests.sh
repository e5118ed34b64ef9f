#!/usr/bin/env bash
# Runs the tests that kill processes (a job killed mid-extract, a runner killed or stopped mid-run,
# the function host killed, two runners in one workdir, a cancelled execution, a run cancelled and
# retried, the small chaos trial) RUNS times in a row (default 20) while two busy loops keep both cores
# loaded: a test that depends on timing fails here. Not run by CI (tens of minutes).
# Usage: scripts/stress-process-tests.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
tests='PipelineJobProcessTest#killedDuringExtract*,LocalRunEndToEndTest#*Killed*,LocalRunFaultsTest,LocalCloudTest,ProcessJobLauncherTest#cancel*,CancelRetryEndToEndTest,LocalRunChaosTest'
modules='local,pipeline-job,cli'
logs="target/stress"
mkdir -p "$logs"

busy=()
stop_busy() {
  if [ "${#busy[@]}" -gt 0 ]; then
    kill "${busy[@]}" 2>/dev/null || true
  fi
}
trap stop_busy EXIT
for _ in 1 2; do
  sha256sum /dev/zero >/dev/null &
  busy+=("$!")
done

# Compile once; every run then only tests (and compiles nothing).
mvn -B -q -pl "$modules" -am test-compile -Denforcer.skip=true >"$logs/build.log" 2>&1 ||
  { echo "stress: the build failed, see $logs/build.log" >&2; exit 1; }

start=$(date +%s)
passed=0
for i in $(seq 1 "$runs"); do
  log="$logs/run-$i.log"
  if mvn -B -q -o -pl "$modules" -am test -Denforcer.skip=true -Dtest="$tests" \
      -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
    passed=$((passed + 1))
    echo "run $i/$runs: passed ($(( ($(date +%s) - start) / 60 )) min so far)"
  else
    mkdir -p "$logs/run-$i-reports"
    cp */target/surefire-reports/*.txt "$logs/run-$i-reports/" 2>/dev/null || true
    echo "run $i/$runs: FAILED, see $log and $logs/run-$i-reports/"
  fi
done
minutes=$(( ($(date +%s) - start + 59) / 60 ))
echo "stress: $passed/$runs runs passed in $minutes min, both cores kept busy"
[ "$passed" = "$runs" ]
