#!/usr/bin/env bash
# Feature and training ablation on the public propaganda-sentence benchmark.
#
# Trains on nlp4if2019_slc_train.csv and evaluates on semeval2020_ptc_dev.csv for each variant of the default
# settings, printing F1 at the fixed threshold 0.5 (so that only the features and the fit vary), PR-AUC and
# training seconds. Every variant starts from the defaults plus NEWS_OPTS (symbols and function words as features,
# see setup.sh), except the rows that name what they leave out. The data is read from ../shared/data; nothing is copied. Usage: benches/ablation.sh
source "$(dirname "$0")/setup.sh"
printf '%-34s %7s %7s %7s\n' variant f1@0.5 pr_auc train_s
run() {
  local name=$1; shift
  local start end
  start=$(date +%s.%N)
  "$BIN" train -q --input "$DATA/nlp4if2019_slc_train.csv" --positive propaganda --output "$TMP/m" --cv-folds 0 "$@"
  end=$(date +%s.%N)
  "$BIN" eval --model "$TMP/m" --input "$DATA/semeval2020_ptc_dev.csv" --threshold 0.5 --json |
    python3 -c "import json,sys; d=json.load(sys.stdin); print('%-34s %7.4f %7.4f %7.2f' % ('$name', d['f1'], d['pr_auc'], $end-$start))"
}
run "default (with NEWS_OPTS)" "${NEWS_OPTS[@]}"
run "no symbol tokens" --keep-stopwords
run "no function-word features" --symbols
run "propscan defaults (neither)"
run "no char n-grams" "${NEWS_OPTS[@]}" --char-ngrams 0
run "char 3-5" "${NEWS_OPTS[@]}" --char-ngrams 3-5
run "char 1-5" "${NEWS_OPTS[@]}" --char-ngrams 1-5
run "char 2-6" "${NEWS_OPTS[@]}" --char-ngrams 2-6
run "word unigrams only" "${NEWS_OPTS[@]}" --word-ngrams 1
run "word 1-3" "${NEWS_OPTS[@]}" --word-ngrams 3
run "stem auto" "${NEWS_OPTS[@]}" --stem auto
run "buckets 2^16" "${NEWS_OPTS[@]}" --buckets-log2 16
run "buckets 2^20" "${NEWS_OPTS[@]}" --buckets-log2 20
run "buckets 2^22" "${NEWS_OPTS[@]}" --buckets-log2 22
run "min_df 1" "${NEWS_OPTS[@]}" --min-df 1
run "min_df 3" "${NEWS_OPTS[@]}" --min-df 3
run "raw tf" "${NEWS_OPTS[@]}" --raw-tf
run "alpha 0.5" "${NEWS_OPTS[@]}" --alpha 0.5
run "alpha 2" "${NEWS_OPTS[@]}" --alpha 2
run "no class weight" "${NEWS_OPTS[@]}" --class-weight none
run "tol 1e-5, max-iter 1000" "${NEWS_OPTS[@]}" --tol 1e-5 --max-iter 1000
