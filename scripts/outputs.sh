#!/usr/bin/env bash
# Writes what rappel shows a user (files, tables, JSON, traces) for every shipped scenario and
# every simulation command into one folder, with wall times blanked, so two builds can be
# compared byte for byte:  scripts/outputs.sh BINARY FOLDER
# scripts/same-outputs.sh runs it for two commits and compares the folders.
set -uo pipefail
bin=$(realpath "$1")
out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$out"
mkdir -p "$out"
cd "$root"

# One command: its stdout, stderr (progress bars are off with --quiet or off a terminal) and
# exit code go to files named after it.
step() {
  local name=$1
  shift
  "$bin" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr"
  echo "$?" >"$out/$name.rc"
}

for f in scenarios/*.toml; do
  n=$(basename "$f" .toml)
  step "validate-$n" validate "$f"
  step "run-$n" run "$f" --replications 3 --seed 11 --tickets --report --quiet --out "$out/run-$n"
  step "run-json-$n" run "$f" --replications 2 --seed 5 --format json --quiet --out "$out/run-json-$n"
  step "trace-$n" trace "$f" --customers 6
  step "trace-csv-$n" trace "$f" --customers 6 --format csv
done
step run-default run --replications 2 --quiet --out "$out/run-default"
step run-precision run scenarios/erlang-a.toml --precision 0.05 --quiet --out "$out/run-precision"
step compare-flagship compare scenarios/provider-call-back-later.toml scenarios/retailer-immediate.toml \
  --replications 4 --report --quiet --out "$out/compare-flagship"
step compare-callbacks compare scenarios/virtual-hold.toml scenarios/appointments.toml scenarios/erlang-a.toml \
  --replications 3 --seed 3 --quiet --out "$out/compare-callbacks"
step sweep-agents sweep scenarios/erlang-a.toml --set teams.agents.agents=90..100:5 --replications 3 \
  --quiet --out "$out/sweep-agents"
step sweep-grid sweep scenarios/provider-call-back-later.toml --set entry.max_queue=0,3 \
  --set simulation.days=1,2 --replications 2 --quiet --out "$out/sweep-grid"
step staff-day staff scenarios/realistic-day.toml --target service_level=0.8 --replications 20 \
  --quiet --out "$out/staff-day"
step staff-targets staff scenarios/erlang-a.toml --target abandon_rate=0.05 --target asa_s=30 \
  --replications 20 --quiet --out "$out/staff-targets"
step erlang-one erlang --rate-per-hour 1140 --handle-time 300s --agents 100 --patience 120s
step erlang-staff erlang --rate-per-hour 600 --handle-time 5m --target-service-level 0.8

# Wall times are the one thing allowed to differ between two runs of the same build.
find "$out" -type f \( -name '*.json' -o -name '*.stdout' -o -name '*.html' -o -name '*.stderr' \) -print0 |
  xargs -0 sed -i -E 's/("wall_time_s": ?)[0-9.e+-]+/\10/g; s/(wall time:? )[0-9.]+ ?(s|ms)/\1X/g'
# Paths of the output folder appear in messages; make them relative to it.
find "$out" -type f -print0 | xargs -0 sed -i "s#$out#OUT#g"
