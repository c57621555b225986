#!/bin/bash
# Counts what the server child spends per delivery over the fixed-rate step of a short bench run, with perf:
# CPU time, socket write calls (writev and write) and, where the machine has hardware counters, instructions,
# each divided by the step's deliveries. Works on any commit (it needs no instruments in the server), e.g. an old
# one checked out with `git worktree add`. Write calls per delivery show how well frames are gathered.
#   benchmark/scripts/perf-step.sh [CHECKOUT] [EVENTS_PER_S] [SECONDS] [CLIENTS]
# CHECKOUT is a checkout of the project (default: this one), e.g. a git worktree of an older commit.
set -eu
dir="${1:-$(cd "$(dirname "$0")/../.." && pwd)}"
rate="${2:-1000}"
seconds="${3:-6}"
clients="${4:-1000}"
command -v perf >/dev/null || { echo "perf-step: perf is missing (apt-get install linux-perf)" >&2; exit 2; }
ulimit -n 20000 2>/dev/null || true
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
(cd "$dir" && exec ./jbang bench --clients "$clients" --rate "$rate" --seconds "$seconds" --warmup 6 --idle 0 \
    --max-rate "$rate") >"$out" 2>&1 &
bench=$!
pid=""
for _ in $(seq 1 600); do
    pid="$(sed -n 's/^server pid \([0-9]*\).*/\1/p' "$out" | tail -1)"
    if [ -n "$pid" ] && grep -q "warm-up" "$out"; then break; fi
    if ! kill -0 "$bench" 2>/dev/null; then cat "$out" >&2; echo "perf-step: the bench ended early" >&2; exit 1; fi
    sleep 0.2
done
[ -n "$pid" ] || { echo "perf-step: no server pid in the bench output" >&2; exit 1; }
stat="$(perf stat -x, -e instructions,task-clock,syscalls:sys_enter_writev,syscalls:sys_enter_write \
    -p "$pid" -- sleep "$seconds" 2>&1 >/dev/null)"
wait "$bench" || true
grep -E "fixed rate|^events/s" "$out"
deliveries=$((rate * seconds * clients))
echo "$stat" | awk -F, -v d="$deliveries" -v commit="$(git -C "$dir" rev-parse --short HEAD)" \
    -v load="$(cut -d' ' -f1 /proc/loadavg)" '
    $3 ~ /instructions|cycles|task-clock|writev|write/ {
        v[$3] = $1
    }
    END {
        hw = (v["instructions"] ~ /^[0-9]+$/) ? sprintf(", %.0f instructions", v["instructions"] / d) : " (no hardware counters here)"
        printf "perf over the %d deliveries of the step (commit %s, load %s), per delivery: %.3f us CPU, %.4f writev + %.4f write calls%s\n",
            d, commit, load, v["task-clock"] * 1000 / d, v["syscalls:sys_enter_writev"] / d, v["syscalls:sys_enter_write"] / d, hw
    }'
