# Shared set-up for the benchmark scripts (sourced, not run): the repository root as working directory, the
# public benchmark data in $DATA (read in place, never copied), a release build in $BIN, a scratch folder $TMP.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DATA=${DATA:-../shared/data/propaganda-sentences}
[ -f "$DATA/nlp4if2019_slc_train.csv" ] || { echo "benchmark data not found in $DATA (set DATA=...)" >&2; exit 1; }
cargo build --release --quiet
BIN=target/release/propscan
# The NLP4IF/SemEval task is propaganda *technique* in news sentences (loaded language, exclamation, quotation):
# there punctuation and function words are part of what is measured, so the benchmarks keep them as features.
# propscan's own defaults leave them out, because for calls to action in real posts they are typing habits.
NEWS_OPTS=(--symbols --keep-stopwords)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
