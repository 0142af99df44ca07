#!/usr/bin/env bash
# One unit of a GradLab sweep per Slurm array task. Usage (FLAGS: the sweep's flags):
#   n=$(gradlab compare $FLAGS --list-units | wc -l)
#   sbatch --array=0-$((n - 1)) docs/sweeps/slurm-array.sh compare $FLAGS --output runs/compare
#   gradlab compare $FLAGS --output runs/compare --tables-only   # when every task is done
# The same works with task-sweep in place of compare. Each task trains unit
# $SLURM_ARRAY_TASK_ID into the shared --output (a folder every node sees); a task that fails
# or is cancelled leaves its unit unfinished, and resubmitting its index trains it again.
#SBATCH --job-name=gradlab-sweep
#SBATCH --cpus-per-task=2
#SBATCH --output=gradlab-%A_%a.log
set -euo pipefail
: "${SLURM_ARRAY_TASK_ID:?run this script with sbatch --array=0-N}"
GRADLAB=${GRADLAB:-gradlab}
exec "$GRADLAB" "$@" --unit "$SLURM_ARRAY_TASK_ID"
