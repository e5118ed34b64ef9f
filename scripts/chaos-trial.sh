#!/usr/bin/env bash
# The full chaos trial of issue 15 through `bqx local run`: rounds of two runs of PAIRS pairs
# sharing one workdir and a project cap, while kill -9 goes to jobs, function hosts and runners
# until KILLS kills are spent. Every pair must succeed with a valid file, within both caps at every
# sample, launched no more often than its attempts, with nothing staged left behind. The same test
# runs small in `mvn verify`. A failing run prints its seed: `--seed N` replays its schedule.
# Usage: scripts/chaos-trial.sh [--seed N] [--kills K] [--pairs P] [--run-cap C] [--project-cap C]
set -euo pipefail
cd "$(dirname "$0")/.."
seed="$(date +%s)"
kills=30
pairs=6
run_cap=3
project_cap=4
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) seed="$2"; shift 2 ;;
    --kills) kills="$2"; shift 2 ;;
    --pairs) pairs="$2"; shift 2 ;;
    --run-cap) run_cap="$2"; shift 2 ;;
    --project-cap) project_cap="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "chaos-trial: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for value in "$seed" "$kills" "$pairs" "$run_cap" "$project_cap"; do
  case "$value" in
    ''|*[!0-9]*) echo "chaos-trial: '$value' is not a whole number" >&2; exit 2 ;;
  esac
done
logs="target/chaos"
mkdir -p "$logs"
log="$logs/seed-$seed.log"
echo "chaos trial: seed $seed, $kills kills, runs of $pairs pairs, run cap $run_cap, project cap $project_cap (log $log)"
start=$(date +%s)
if mvn -B -q -pl local,pipeline-job,cli -am verify -Denforcer.skip=true -Dspotless.check.skip=true \
    -Dtest=LocalRunChaosTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbqx.chaos.seed="$seed" -Dbqx.chaos.kills="$kills" -Dbqx.chaos.pairs="$pairs" \
    -Dbqx.chaos.run-cap="$run_cap" -Dbqx.chaos.project-cap="$project_cap" \
    -Dbqx.chaos.max-attempts=10 >"$log" 2>&1; then
  grep -h '^chaos trial' cli/target/surefire-reports/*LocalRunChaosTest-output.txt || true
  echo "chaos trial: passed in $(( $(date +%s) - start )) s"
else
  grep -h '^chaos trial' cli/target/surefire-reports/*LocalRunChaosTest-output.txt 2>/dev/null || true
  echo "chaos trial: FAILED (seed $seed): see $log; replay with scripts/chaos-trial.sh --seed $seed --kills $kills --pairs $pairs --run-cap $run_cap --project-cap $project_cap" >&2
  exit 1
fi
