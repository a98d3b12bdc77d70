#!/usr/bin/env bash
# What the unmet targets of issue #5 would cost in accuracy, measured in one run on one machine:
#   - scoring: for the default features and variants that do less work per text, trains on
#     nlp4if2019_slc_train.csv with default options, reports F1 on semeval2020_ptc_dev.csv at the model's own
#     threshold (as peers.sh does) and scores the same 500,000-line test file as peers.sh with 1 thread and with
#     all threads, in ROUNDS interleaved rounds (default 3) alongside fastText's fastest configuration; each
#     scorer keeps its fastest round, and every ratio is to fastText in this run;
#   - training: the 16k-row file with 5 (the default), 3 and 2 cross-validation folds for the threshold and with
#     none (threshold 0.5), in the same interleaved rounds: fastest wall time, threshold and dev F1.
# Needs fastText (apt-get install fasttext). Nothing is copied from ../shared/data into the repository.
source "$(dirname "$0")/setup.sh"
command -v fasttext >/dev/null || { echo "fastText not installed: apt-get install fasttext" >&2; exit 1; }
ROUNDS=${ROUNDS:-3}
source "$(dirname "$0")/peer_files.sh"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); test file: $N lines, $(stat -c %s "$TMP/test.txt") bytes"
fasttext supervised -input "$TMP/train.ft" -output "$TMP/ft" "${FASTTEXT_FASTEST[@]}" -verbose 0

# Scoring variants: name and training options (default options plus these).
SCORING=("default|" "no symbols|--no-symbols" "char 3-5|--char-ngrams 3-5" "char 3-4|--char-ngrams 3-4"
  "no char n-grams|--char-ngrams 0" "buckets 2^16|--buckets-log2 16" "buckets 2^17|--buckets-log2 17"
  "char 3-4, buckets 2^16|--char-ngrams 3-4 --buckets-log2 16")
# Training variants: cross-validation folds for the threshold.
FOLDS=(5 3 2 0)

# f1 MODEL: "threshold f1" of MODEL on the dev file.
f1() {
  "$BIN" eval --model "$1" --input "$DEV" --positive propaganda --json |
    python3 -c "import json,sys; d=json.load(sys.stdin); print(f\"{d['threshold']:.4f} {d['f1']:.4f}\")"
}
: > "$TMP/f1"
for i in "${!SCORING[@]}"; do
  # shellcheck disable=SC2086
  "$BIN" train --quiet --input "$TRAIN" --positive propaganda --output "$TMP/s$i.model" "${NEWS_OPTS[@]}" ${SCORING[$i]#*|}
  echo "s$i $(f1 "$TMP/s$i.model")" >> "$TMP/f1"
done
for round in $(seq "$ROUNDS"); do
  time_cmd fasttext fasttext predict-prob "$TMP/ft.bin" "$TMP/test.txt"
  for i in "${!SCORING[@]}"; do
    time_cmd "s$i.1" "$BIN" --threads 1 --quiet score --model "$TMP/s$i.model" --input-format txt "$TMP/test.txt"
    time_cmd "s$i.all" "$BIN" --quiet score --model "$TMP/s$i.model" --input-format txt "$TMP/test.txt"
  done
  for folds in "${FOLDS[@]}"; do
    time_cmd "f$folds" "$BIN" train --quiet --input "$TRAIN" --positive propaganda --output "$TMP/f$folds.model" \
      --cv-folds "$folds"
  done
done
for folds in "${FOLDS[@]}"; do echo "f$folds $(f1 "$TMP/f$folds.model")" >> "$TMP/f1"; done

printf '%s\n' "${SCORING[@]}" > "$TMP/names"
python3 - "$TMP" "$N" "${FOLDS[@]}" <<'PY'
import sys
tmp, n, folds = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
best, rounds = {}, {}
for line in open(f"{tmp}/results"):
    name, secs = line.split()[:2]
    best[name] = min(best.get(name, float("inf")), float(secs))
    rounds.setdefault(name, []).append(secs)
f1 = {l.split()[0]: (float(l.split()[1]), float(l.split()[2])) for l in open(f"{tmp}/f1")}
names = [l.rstrip("\n").split("|")[0] for l in open(f"{tmp}/names")]
ft = best["fasttext"]
print(f"\nfastText (-dim 10 -bucket 200000), 1 thread: {ft:.2f} s, {n / ft:,.0f} docs/s (rounds: {' '.join(rounds['fasttext'])})")
print(f"\n{'scoring variant':<24}{'dev F1':>8}{'vs default':>11}{'1 thread s':>11}{'/ fastText':>11}{'all s':>8}{'/ fastText':>11}")
base = f1["s0"][1]
for i, name in enumerate(names):
    one, every = best[f"s{i}.1"], best[f"s{i}.all"]
    print(f"{name:<24}{f1[f's{i}'][1]:>8.4f}{f1[f's{i}'][1] - base:>+11.4f}{one:>11.2f}{ft / one:>10.2f}x{every:>8.2f}{ft / every:>10.2f}x")
print(f"\n{'threshold folds':<24}{'dev F1':>8}{'threshold':>11}{'train s':>11}   rounds")
for k in folds:
    t, f = f1[f"f{k}"]
    print(f"{k if k != '0' else 'none (0.5)':<24}{f:>8.4f}{t:>11.4f}{best['f' + k]:>11.2f}   {' '.join(rounds['f' + k])}")
PY
