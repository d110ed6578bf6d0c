#!/usr/bin/env bash
# Whole-project report time with and without the Python/build scanners, on a tree given as an argument:
#   test/bench/languages.sh <baseline dist/cli.js> <this dist/cli.js> <tree> [repetitions]
# Runs the two CLIs alternately, `report --format json --jobs 1` to /dev/null, and prints each run's wall
# and CPU (user+sys) time and the median ratios. CPU time is the fairer figure on a shared machine (wall
# time there includes waiting for the cores). The baseline is a build of the commit before the extra languages.
set -euo pipefail
base=$1; mine=$2; tree=$3; reps=${4:-5}
TIMEFORMAT='%R %U %S'
run() { { time node "$1" report "$tree" --format json --jobs 1 >/dev/null 2>&1; } 2>&1 | awk '{printf "%d %d", $1*1000, ($2+$3)*1000}'; }
bw=(); bc=(); mw=(); mc=()
for i in $(seq "$reps"); do
  read -r w c <<<"$(run "$base")"; bw+=("$w"); bc+=("$c")
  read -r w c <<<"$(run "$mine")"; mw+=("$w"); mc+=("$c")
  echo "run $i: baseline wall ${bw[-1]} ms cpu ${bc[-1]} ms | with languages wall ${mw[-1]} ms cpu ${mc[-1]} ms"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a/b}'; }
echo "median wall: baseline $(median "${bw[@]}") ms, with languages $(median "${mw[@]}") ms, ratio $(ratio "$(median "${mw[@]}")" "$(median "${bw[@]}")")"
echo "median cpu:  baseline $(median "${bc[@]}") ms, with languages $(median "${mc[@]}") ms, ratio $(ratio "$(median "${mc[@]}")" "$(median "${bc[@]}")")"
