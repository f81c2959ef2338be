#!/usr/bin/env bash
# Runs the scenario fuzzer for SECONDS (default 3600) on a corpus seeded with the shipped
# scenarios. Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
#   fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/scenario
cp ../scenarios/*.toml corpus/scenario/
exec cargo +nightly fuzz run scenario corpus/scenario -- \
  -max_total_time="${1:-3600}" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
  -dict=scenario.dict -print_final_stats=1
