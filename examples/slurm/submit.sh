#!/bin/bash
# Submit a sharded `siege sweep` to Slurm: a job array of N shards (sweep.sbatch)
# and a merge job (merge.sbatch) that runs only if every shard succeeded. If any
# shard fails, Slurm cancels the merge (--kill-on-invalid-dep=yes) instead of
# leaving it pending for ever.
#
# Usage: submit.sh [--shards N] [--wait] [-- EXTRA_SBATCH_OPTIONS...]
#   --shards N  number of shards / array tasks (default: $SHARDS, else 4)
#   --wait      wait for the merge job; exit 0 only if it COMPLETED and
#               OUT/result holds the merged files, else non-zero
#   -- ...      options passed to both sbatch calls, e.g. -- --partition=short --time=30
#
# Environment:
#   SCENARIO    scenario file, e.g. scenarios/village_cutoff.toml            (required)
#   VARY        one or more KEY=SPEC separated by spaces, each becomes --vary (required)
#               e.g. "airdrop_plan.first_day=2..16"
#   REPLICATES  replicates per grid point, e.g. 10                           (required)
#   OUT         result directory (must not hold a previous run); shards go to
#               OUT/parts/shard-K, the merged sweep to OUT/result, job logs to OUT/logs
#   SIEGE_BIN   the siege binary (default: ./target/release/siege, else
#               target/release/siege of the repository holding this script,
#               else `siege` on PATH)
#   POLL_SECONDS  how often --wait asks Slurm for the merge job's state (default 10)
# sbatch's own variables (SBATCH_PARTITION, SBATCH_ACCOUNT, SBATCH_TIMELIMIT, ...)
# apply to both jobs. Paths must be on a file system the compute nodes share.
#
# Prints array_job=ID and merge_job=ID on stdout.

set -euo pipefail
prog=submit.sh
die() { echo "$prog: $*" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
shards=${SHARDS:-4}
wait_for_merge=0
extra=()
while (($#)); do
    case $1 in
        --shards) (($# >= 2)) || die "--shards needs a value"; shards=$2; shift 2 ;;
        --shards=*) shards=${1#*=}; shift ;;
        --wait) wait_for_merge=1; shift ;;
        --) shift; extra=("$@"); break ;;
        -h | --help) sed -n '2,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) die "unknown argument '$1' (sbatch options go after --)" ;;
    esac
done

[[ $shards =~ ^[1-9][0-9]*$ ]] || die "the shard count must be a positive integer (got '$shards')"
[[ -n ${SCENARIO:-} ]] || die "SCENARIO is not set"
[[ -f $SCENARIO ]] || die "SCENARIO=$SCENARIO: no such file"
[[ -n ${VARY:-} ]] || die "VARY is not set (e.g. VARY='airdrop_plan.first_day=2..16')"
[[ ${REPLICATES:-} =~ ^[1-9][0-9]*$ ]] || die "REPLICATES must be a positive integer (got '${REPLICATES:-}')"
[[ -n ${OUT:-} ]] || die "OUT is not set"
if [[ -z ${SIEGE_BIN:-} ]]; then
    for candidate in target/release/siege "$here/../../target/release/siege"; do
        [[ -x $candidate ]] && { SIEGE_BIN=$candidate; break; }
    done
    [[ -n ${SIEGE_BIN:-} ]] || SIEGE_BIN=$(command -v siege) || die "no siege binary found: set SIEGE_BIN"
fi
[[ -x $SIEGE_BIN ]] || die "SIEGE_BIN=$SIEGE_BIN is not an executable file"
for d in parts result; do
    [[ ! -e $OUT/$d ]] || die "$OUT/$d exists: choose a new OUT or remove the old run"
done

# Absolute paths, so the jobs do not depend on the directory they start in.
SCENARIO=$(realpath -- "$SCENARIO")
OUT=$(realpath -m -- "$OUT")
SIEGE_BIN=$(realpath -- "$SIEGE_BIN")
SHARDS=$shards
export SCENARIO VARY REPLICATES OUT SIEGE_BIN SHARDS
mkdir -p "$OUT/logs"

array_job=$(sbatch --parsable --export=ALL --array="0-$((shards - 1))" \
    --output="$OUT/logs/shard-%a.out" ${extra[@]+"${extra[@]}"} "$here/sweep.sbatch") ||
    die "submitting the shard array failed"
array_job=${array_job%%;*}
merge_job=$(sbatch --parsable --export=ALL --dependency="afterok:$array_job" --kill-on-invalid-dep=yes \
    --output="$OUT/logs/merge.out" ${extra[@]+"${extra[@]}"} "$here/merge.sbatch") || {
    echo "$prog: submitting the merge job failed; cancelling array job $array_job" >&2
    scancel "$array_job" || true
    exit 2
}
merge_job=${merge_job%%;*}
echo "array_job=$array_job"
echo "merge_job=$merge_job"
echo "$prog: $shards shards -> $OUT/parts, merge -> $OUT/result, logs in $OUT/logs" >&2

((wait_for_merge)) || exit 0

# Not `sbatch --wait`: a job cancelled while pending makes it return 0.
job_state() {
    local state
    state=$(scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -n 1) || true
    if [[ -z $state ]] && command -v sacct >/dev/null; then
        # Aged out of slurmctld's memory: ask accounting, if the site has it.
        state=JobState=$(sacct -X -n -P -o State -j "$1" 2>/dev/null | head -n 1 | cut -d' ' -f1) || true
    fi
    echo "${state#JobState=}"
}
poll=${POLL_SECONDS:-10}
unanswered=0
while :; do
    state=$(job_state "$merge_job")
    case $state in
        COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | PREEMPTED | OUT_OF_MEMORY | BOOT_FAIL | DEADLINE) break ;;
        "") # a busy slurmctld may not answer; give up only after several tries
            if ((++unanswered >= 5)); then
                echo "$prog: merge job $merge_job: Slurm no longer reports its state" >&2
                state=UNKNOWN
                break
            fi ;;
        *) unanswered=0 ;;
    esac
    sleep "$poll"
done

# One line per shard, for the log.
scontrol -o show job "$array_job" 2>/dev/null |
    sed -n 's/.*ArrayTaskId=\([0-9]*\) .*JobState=\([A-Z_]*\) .*ExitCode=\([0-9:]*\).*/shard \1: \2 (exit \3)/p' |
    sort -n -k2 >&2 || true

if [[ $state != COMPLETED ]]; then
    echo "$prog: FAILED: merge job $merge_job ended $state; see $OUT/logs" >&2
    exit 1
fi
for f in sweep.csv sweep_summary.csv sweep.json; do
    [[ -s $OUT/result/$f ]] || { echo "$prog: FAILED: merge job COMPLETED but $OUT/result/$f is missing" >&2; exit 1; }
done
echo "$prog: done: $OUT/result" >&2
