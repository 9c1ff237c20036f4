#!/usr/bin/env bash
# ANERcorp recipe sweep for a GPU: the runs of a sweep file train side by side on one card (each alone would
# leave it mostly idle), then eval/ensemble.py scores every finished run and ensembles of the best on dev.
#
#   bash eval/gpu_sweep.sh SWEEP_FILE OUT_ROOT [extra eval/anercorp.py flags, e.g. --data DIR]
#
# SWEEP_FILE (eval/sweeps/*.txt) has one run per line: a name, then the flags it adds to the base recipe below.
#
# RUN_TIMEOUT (seconds, default none) stops runs that would outlast a lease; stopped runs are left out of the
# ensemble. On a 2-core CPU run them one at a time instead (each is about an hour).
set -u
sweep=${1:?usage: gpu_sweep.sh SWEEP_FILE OUT_ROOT [anercorp.py flags]}
root=${2:?usage: gpu_sweep.sh SWEEP_FILE OUT_ROOT [anercorp.py flags]}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
base=(--epochs 15 --learning-rate 2e-4 --head-learning-rate 1e-3 --batch-size 8 --max-length 256
      --layer-decay 0.9 --patience 4)
declare -A runs=()
while read -r name flags; do
    [[ -z $name || $name == \#* ]] || runs[$name]=$flags
done < "$sweep"
mkdir -p "$root"
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
for name in "${!runs[@]}"; do
    # shellcheck disable=SC2086  # the run's flags are meant to split into words
    timeout "${RUN_TIMEOUT:-0}" python "$here/anercorp.py" --output-dir "$root/$name" "${base[@]}" ${runs[$name]} "$@" \
        > "$root/$name.log" 2>&1 &
done
wait
finished=()
for name in "${!runs[@]}"; do
    if [[ -f $root/$name/metrics.json ]]; then finished+=("$root/$name"); else echo "not finished: $name"; fi
done
data=()
for ((i = 1; i <= $#; i++)); do
    [[ ${!i} == --data ]] && { j=$((i + 1)); data=(--data "${!j}"); }
done
python "$here/ensemble.py" "${finished[@]}" "${data[@]}" --top 3 5 -o "$root/ensemble.json"
