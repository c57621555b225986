#!/usr/bin/env bash
# Measures how long `./jbang grade 01` takes, as the workbook engine promises: warm (caches filled)
# under 5 s, and the first ever run (empty home: no JBang, no Maven repository) under 60 s.
# Prints each run and the median. Usage: common/scripts/grade-timing.sh [--runs N] [--cold]
#   --cold   each run uses fresh empty folders for the launcher cache, JBang (JBANG_DIR), JBang's Maven
#            repository (JBANG_REPO) and Maven's (maven.repo.local), so JBang and every dependency are
#            downloaded again (Java takes user.home from the password file, so HOME alone is not enough)
set -euo pipefail
runs=5
cold=0
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --cold) cold=1; shift ;;
        *) echo "usage: $0 [--runs N] [--cold]" >&2; exit 2 ;;
    esac
done
cd "$(dirname "$0")/../.."
times=()
log=$(mktemp /tmp/relaylab-grade-timing-XXXXXX.log)
trap 'rm -f "$log"' EXIT
# ./jbang grade 01 answers 0 (all pass) or 1 (tasks to do, as in the untouched lesson); anything else means the
# grade did not run (no Java, a broken build), and its time would mean nothing
grade() {
    local status=0
    env "$@" ./jbang grade 01 >"$log" 2>&1 || status=$?
    if [ "$status" -gt 1 ]; then
        echo "./jbang grade 01 failed (exit $status); its output:" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
}
if [ $cold -eq 0 ]; then
    grade   # fill the caches first
fi
for i in $(seq 1 "$runs"); do
    cold_env=()
    if [ $cold -eq 1 ]; then
        home=$(mktemp -d /tmp/relaylab-cold-XXXXXX)
        cold_env=(HOME="$home" RELAYLAB_CACHE="$home/cache" JBANG_DIR="$home/jbang" JBANG_REPO="$home/m2"
                  MAVEN_OPTS="-Dmaven.repo.local=$home/m2")
    fi
    start=$(date +%s.%N)
    grade "${cold_env[@]}"
    end=$(date +%s.%N)
    t=$(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.3f", e - s}')
    times+=("$t")
    printf 'run %d: %.2f s\n' "$i" "$t"
    [ $cold -eq 1 ] && rm -rf "$home"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
printf 'median of %d %s runs of ./jbang grade 01: %.2f s\n' "$runs" "$([ $cold -eq 1 ] && echo cold || echo warm)" "$median"
