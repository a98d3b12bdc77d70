#!/usr/bin/env bash
# Training time and peak memory (issue #5: 16k rows under 2 s; 1,000,000 rows under 120 s and 4 GB):
#   - trains on nlp4if2019_slc_train.csv as it is;
#   - builds a file of $ROWS rows (default 1,000,000) from it: the training file repeated, each copy after the
#     first with a small perturbation per row (one word's case changed, a copy number appended), then trains on it;
#   - prints wall time and peak resident memory (max RSS from /usr/bin/time) for each, with default options plus
#     $TRAIN_ARGS (for example TRAIN_ARGS="--cv-folds 0" for one fit without the cross-validated threshold).
source "$(dirname "$0")/setup.sh"
ROWS=${ROWS:-1000000}
TRAIN_ARGS=${TRAIN_ARGS:-}
export TMP ROWS
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/ {print $2}') GiB"
run() {
  # shellcheck disable=SC2086
  /usr/bin/time -f "%e %M" -o "$TMP/time" "$BIN" train --input "$1" --positive propaganda --output "$TMP/m.model" \
    --quiet $TRAIN_ARGS
  read -r secs kb < "$TMP/time"
  echo "$2: $secs s wall, peak memory $((kb / 1024)) MB; $("$BIN" inspect "$TMP/m.model" | grep -E '^fit' | sed 's/^fit *//')"
}
run "$DATA/nlp4if2019_slc_train.csv" "$(($(python3 -c "import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8'))))" "$DATA/nlp4if2019_slc_train.csv"))) rows"
python3 - "$DATA/nlp4if2019_slc_train.csv" <<'PY'
import csv, os, random, sys
tmp, n = os.environ["TMP"], int(os.environ["ROWS"])
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = [(r["text"], r["label"]) for r in csv.DictReader(f)]
rng = random.Random(5)
with open(f"{tmp}/big.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["text", "label"])
    for i in range(n):
        text, label = rows[i % len(rows)]
        copy = i // len(rows)
        if copy:
            words = text.split()
            if words:
                k = rng.randrange(len(words))
                words[k] = words[k].upper() if rng.random() < 0.5 else words[k].lower()
            text = " ".join(words) + f" {copy}"
        w.writerow([text, label])
PY
run "$TMP/big.csv" "$ROWS rows"
