#!/usr/bin/env bash
# Runs a fuzz target for SECONDS (default 3600) on a corpus seeded with the shipped
# scenarios. TARGET is `scenario` (default: scenario text -> validate -> a short run, its
# outputs and a trace) or `set` (a `rappel sweep --set` argument on the first line, then the
# scenario). Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`); builds
# with debug assertions, so that an integer overflow is a finding too. See docs/fuzzing.md.
#   fuzz/run.sh [SECONDS] [TARGET]
set -euo pipefail
cd "$(dirname "$0")"
target="${2:-scenario}"
mkdir -p "corpus/$target"
case "$target" in
  scenario) cp ../scenarios/*.toml corpus/scenario/ ;;
  set)
    for f in ../scenarios/*.toml; do
      n=$(basename "$f" .toml)
      { echo "teams.0.agents=0..4:2"; cat "$f"; } > "corpus/set/$n-agents.txt"
      { echo "simulation.seed=1,2"; cat "$f"; } > "corpus/set/$n-seed.txt"
      { echo "ticket_types.0.handle_time.mean=0s,1m"; cat "$f"; } > "corpus/set/$n-mean.txt"
    done
    ;;
  *) echo "unknown target $target: scenario or set" >&2; exit 2 ;;
esac
exec cargo +nightly fuzz run --debug-assertions "$target" "corpus/$target" -- \
  -max_total_time="${1:-3600}" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
  -dict=scenario.dict -print_final_stats=1
