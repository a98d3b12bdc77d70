# Shared by peers.sh and tradeoffs.sh (sourced after setup.sh, not run), so that both time the same scorers on
# the same files:
#   - writes $TMP/test.txt: $N lines (default 500,000) of NLP4IF training texts, repeated, one per line;
#     $TMP/{train,dev}.ft (fastText's input), $TMP/{train,dev}.txt (texts) and $TMP/{train,dev}.labels (1 or 0);
#   - FASTTEXT_FASTEST: fastText's fastest configuration (`fasttext supervised ... "${FASTTEXT_FASTEST[@]}"`);
#   - time_cmd NAME CMD...: appends "NAME wall_seconds peak_MB" to $TMP/results; CMD's stdout to $TMP/NAME.out.
N=${N:-500000}
TRAIN="$DATA/nlp4if2019_slc_train.csv"
DEV="$DATA/semeval2020_ptc_dev.csv"
FASTTEXT_FASTEST=(-dim 10 -bucket 200000)
export TMP N TRAIN DEV
python3 - <<'PY'
import csv, os
tmp, n = os.environ["TMP"], int(os.environ["N"])
def rows(p):
    with open(p, newline="", encoding="utf-8") as f:
        return [(r["text"].replace("\n", " ").replace("\r", " "), r["label"]) for r in csv.DictReader(f)]
train, dev = rows(os.environ["TRAIN"]), rows(os.environ["DEV"])
with open(f"{tmp}/test.txt", "w", encoding="utf-8") as f:
    for i in range(n):
        f.write(train[i % len(train)][0] + "\n")
for name, data in (("train", train), ("dev", dev)):
    with open(f"{tmp}/{name}.ft", "w", encoding="utf-8") as f:
        for t, l in data:
            f.write(f"__label__{'p' if l == 'propaganda' else 'n'} {t}\n")
    with open(f"{tmp}/{name}.txt", "w", encoding="utf-8") as f:
        f.writelines(t + "\n" for t, _ in data)
    with open(f"{tmp}/{name}.labels", "w") as f:
        f.writelines(("1" if l == "propaganda" else "0") + "\n" for _, l in data)
PY

time_cmd() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$TMP/$name.time" "$@" > "$TMP/$name.out"
  read -r secs kb < "$TMP/$name.time"
  echo "$name $secs $((kb / 1024))" >> "$TMP/results"
}
: > "$TMP/results"
