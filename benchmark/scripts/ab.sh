#!/bin/bash
# Compares two commits on a shared, noisy machine the fair way: single bench runs, alternating between the two,
# so that both sides see the same minutes. Each commit gets a git worktree under the build folder; the runs'
# key lines go to the terminal and every run's whole output to benchmark/target/ab/.
#   benchmark/scripts/ab.sh BEFORE AFTER [PAIRS] [-- BENCH OPTIONS]
# e.g. benchmark/scripts/ab.sh fd9ef56 HEAD 3       (PAIRS default 3; options default: none, i.e. the full bench)
#      benchmark/scripts/ab.sh b612677 HEAD 5 -- --rate 100 --max-rate 100 --idle 0 --seconds 15
# Take the medians of each side yourself; a figure counts as changed only when the sides differ in most pairs.
set -eu
[ $# -ge 2 ] || { sed -n '2,8p' "$0" >&2; exit 2; }
root="$(cd "$(dirname "$0")/../.." && pwd)"
before="$1"
after="$2"
pairs=3
shift 2
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
    pairs="$1"
    shift
fi
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
out="$root/benchmark/target/ab"
mkdir -p "$out"
ulimit -n 20000 2>/dev/null || echo "ab: could not raise the open-file limit to 20000; the idle step may fail" >&2
checkout() {   # a worktree of commit $1, made once and reused
    local sha
    sha="$(git -C "$root" rev-parse --short "$1^{commit}")" || { echo "ab: no such commit: $1" >&2; exit 2; }
    local dir="$out/worktree-$sha"
    [ -d "$dir" ] || git -C "$root" worktree add --detach "$dir" "$sha" >/dev/null 2>&1 \
        || { echo "ab: git worktree add failed for $sha" >&2; exit 1; }
    echo "$dir"
}
dirs=("$(checkout "$before")" "$(checkout "$after")")
names=("before $(basename "${dirs[0]}" | sed 's/worktree-//')" "after $(basename "${dirs[1]}" | sed 's/worktree-//')")
for i in $(seq 1 "$pairs"); do
    for side in 0 1; do
        log="$out/run-$i-$side.log"
        echo "=== ${names[$side]}, pair $i of $pairs, $(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1 /proc/loadavg)"
        (cd "${dirs[$side]}" && ./jbang bench --runs 1 "$@") >"$log" 2>&1 || echo "ab: this run failed; see $log"
        grep -E "idle:|fixed rate|^ +1000 +1,000,000 |^ +2000 +2,000,000 |^sustained" "$log" || true
    done
done
echo "=== done $(date -u +%H:%M:%S) UTC; whole outputs in $out (remove the worktrees with: git worktree prune after rm -r)"
