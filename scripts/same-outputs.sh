#!/usr/bin/env bash
# Shows that a change of code changes no output: builds two commits (default: the parent of
# HEAD and HEAD; "WORKTREE" means the working tree as it is), runs scripts/outputs.sh with
# each, and compares every file byte for byte (wall times aside).
#   scripts/same-outputs.sh [BEFORE [AFTER]]
# Exits 0 when the outputs are identical, 1 with the differences otherwise.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
before=${1:-HEAD~1}
after=${2:-HEAD}
work=${SAME_OUTPUTS_DIR:-$root/target/same-outputs}
mkdir -p "$work"

# Builds REV's binary in its own worktree (the working tree itself for WORKTREE) and prints
# the binary's path.
build() {
  local rev=$1 dir
  if [ "$rev" = WORKTREE ]; then
    dir=$root
  else
    local sha
    sha=$(git -C "$root" rev-parse --short "$rev")
    dir=$work/src-$sha
    if [ ! -d "$dir" ]; then
      git -C "$root" worktree add --detach "$dir" "$sha" >/dev/null 2>&1
    fi
  fi
  (cd "$dir" && CARGO_TARGET_DIR="$work/target" cargo build --release --locked --quiet --bin rappel) >&2
  local bin=$work/rappel-$(echo "$rev" | tr '/~^' '___')
  cp "$work/target/release/rappel" "$bin"
  echo "$bin"
}

bin_before=$(build "$before")
bin_after=$(build "$after")
"$root/scripts/outputs.sh" "$bin_before" "$work/before"
"$root/scripts/outputs.sh" "$bin_after" "$work/after"
if diff -r "$work/before" "$work/after" >"$work/diff.txt"; then
  echo "identical outputs: $before and $after ($(find "$work/after" -type f | wc -l) files)"
else
  echo "outputs differ between $before and $after: $work/diff.txt" >&2
  head -n 60 "$work/diff.txt" >&2
  exit 1
fi
