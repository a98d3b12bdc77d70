# Shared set-up for the benchmark scripts (sourced, not run): the repository root as working directory, the
# public benchmark data in $DATA (read in place, never copied), a release build in $BIN, a scratch folder $TMP.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DATA=${DATA:-../shared/data/propaganda-sentences}
[ -f "$DATA/nlp4if2019_slc_train.csv" ] || { echo "benchmark data not found in $DATA (set DATA=...)" >&2; exit 1; }
cargo build --release --quiet
BIN=target/release/propscan
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
