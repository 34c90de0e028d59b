#!/bin/bash
# Run a `siege optimise` on Slurm: successive halving decides each step's runs
# from the earlier steps, so this driver submits one job array of N shards per
# step (optimise.sbatch), waits for it, and goes on until a shard reports the
# search complete (OUT/parts/complete); then one job writes the result
# (`siege optimise OPTIMISE --parts OUT/parts --out OUT/result`): the same files
# as one machine's `siege optimise`. Run it where it may stay in the foreground
# for the whole search (a login node under nohup or tmux). Interrupted or after a
# failed shard, run it again with the same OUT: finished steps are not rerun.
#
# Usage: optimise.sh [--shards N] [-- EXTRA_SBATCH_OPTIONS...]
#   --shards N  shards per step (default: $SHARDS, else 4)
#   -- ...      options passed to every sbatch call, e.g. -- --partition=short
#
# Environment:
#   OPTIMISE      the optimise file                                          (required)
#   OUT           result directory: OUT/parts, OUT/result, OUT/logs           (required)
#   SIEGE_BIN     the siege binary (default: ./target/release/siege, else the
#                 repository's target/release/siege, else `siege` on PATH)
#   POLL_SECONDS  how often to ask Slurm whether a step's array has ended (default 10)
#   MAX_STEPS     give up after this many arrays (default 64; a search has at most
#                 log2(max_replicates / start_replicates) + 2 steps)
# Exit 0 only when OUT/result holds the result.

set -euo pipefail
prog=optimise.sh
die() { echo "$prog: $*" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
shards=${SHARDS:-4}
extra=()
while (($#)); do
    case $1 in
        --shards) (($# >= 2)) || die "--shards needs a value"; shards=$2; shift 2 ;;
        --shards=*) shards=${1#*=}; shift ;;
        --) shift; extra=("$@"); break ;;
        -h | --help) sed -n '2,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) die "unknown argument '$1' (sbatch options go after --)" ;;
    esac
done
[[ $shards =~ ^[1-9][0-9]*$ ]] || die "the shard count must be a positive integer (got '$shards')"
[[ -n ${OPTIMISE:-} ]] || die "OPTIMISE is not set"
[[ -f $OPTIMISE ]] || die "OPTIMISE=$OPTIMISE: no such file"
[[ -n ${OUT:-} ]] || die "OUT is not set"
if [[ -z ${SIEGE_BIN:-} ]]; then
    for candidate in target/release/siege "$here/../../target/release/siege"; do
        [[ -x $candidate ]] && { SIEGE_BIN=$candidate; break; }
    done
    [[ -n ${SIEGE_BIN:-} ]] || SIEGE_BIN=$(command -v siege) || die "no siege binary found: set SIEGE_BIN"
fi
[[ -x $SIEGE_BIN ]] || die "SIEGE_BIN=$SIEGE_BIN is not an executable file"
[[ ! -e $OUT/result ]] || die "$OUT/result exists: choose a new OUT or remove the old result"

OPTIMISE=$(realpath -- "$OPTIMISE")
OUT=$(realpath -m -- "$OUT")
SIEGE_BIN=$(realpath -- "$SIEGE_BIN")
SHARDS=$shards
export OPTIMISE OUT SIEGE_BIN SHARDS
mkdir -p "$OUT/logs" "$OUT/parts"
poll=${POLL_SECONDS:-10}

# Submits a job and waits until Slurm no longer lists it; then every task must have
# COMPLETED (not `sbatch --wait`: a job cancelled while pending makes it return 0).
run_job() { # NAME SBATCH_ARGS...
    local name=$1 job states
    shift
    job=$(sbatch --parsable --export=ALL ${extra[@]+"${extra[@]}"} "$@") || die "$name: sbatch failed"
    job=${job%%;*}
    echo "$prog: $name: job $job" >&2
    while [[ -n $(squeue -h -j "$job" 2>/dev/null) ]]; do sleep "$poll"; done
    states=$(scontrol -o show job "$job" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort | uniq -c | tr -s ' ') || true
    if [[ -z $states ]] && command -v sacct >/dev/null; then
        states=$(sacct -X -n -P -o State -j "$job" 2>/dev/null | sort | uniq -c | tr -s ' ') || true
    fi
    if [[ -z $states || $states =~ [A-Z_]*(FAIL|CANCEL|TIMEOUT|PREEMPT|OUT_OF_MEMORY|DEADLINE) ]]; then
        die "FAILED: $name (job $job): ${states:-no state from Slurm}; see $OUT/logs; run $prog again with the same OUT to go on"
    fi
}

max_steps=${MAX_STEPS:-64}
for ((pass = 0; pass < max_steps; pass++)); do
    [[ -e $OUT/parts/complete ]] && break
    run_job "pass $pass ($shards shards)" --array="0-$((shards - 1))" \
        --output="$OUT/logs/pass-$pass-shard-%a.out" "$here/optimise.sbatch"
done
[[ -e $OUT/parts/complete ]] || die "FAILED: the search is not complete after $max_steps passes; see $OUT/logs"
run_job "result" --output="$OUT/logs/result.out" --job-name=siege-optimise-result \
    --wrap "exec '$SIEGE_BIN' optimise '$OPTIMISE' --parts '$OUT/parts' --out '$OUT/result'"
[[ -s $OUT/result/optimise.csv ]] || die "FAILED: the result job COMPLETED but $OUT/result/optimise.csv is missing"
echo "$prog: done: $OUT/result" >&2
