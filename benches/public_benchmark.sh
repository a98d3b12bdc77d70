#!/usr/bin/env bash
# The public benchmark as a researcher runs it (issue #2, acceptance 2): train on NLP4IF-2019 sentences, evaluate
# on SemEval-2020 dev sentences at the model's own threshold, and time the training (whole process, including
# the 5-fold cross-validation that picks the threshold). Reads ../shared/data; copies nothing.
source "$(dirname "$0")/setup.sh"
echo "nproc: $(nproc)"
start=$(date +%s.%N)
"$BIN" train --input "$DATA/nlp4if2019_slc_train.csv" --positive propaganda --output "$TMP/p.model" "${NEWS_OPTS[@]}"
end=$(date +%s.%N)
echo "train wall time: $(python3 -c "print(round($end - $start, 2))") s"
"$BIN" eval --model "$TMP/p.model" --input "$DATA/semeval2020_ptc_dev.csv" --positive propaganda --json |
  python3 -c "
import json, sys
d = json.load(sys.stdin)
print('eval on semeval2020_ptc_dev.csv: ' + ', '.join(f'{k} {d[k]:.4f}' for k in ['threshold', 'precision', 'recall', 'f1', 'pr_auc', 'roc_auc']))
ok = d['f1'] >= 0.56 and d['pr_auc'] >= 0.57
print('targets f1 >= 0.56 and pr_auc >= 0.57:', 'met' if ok else 'NOT met')
sys.exit(0 if ok else 1)"
