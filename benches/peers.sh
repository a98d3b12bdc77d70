#!/usr/bin/env bash
# Throughput against peers (issue #5), in one run on one machine:
#   - builds a test file of 500,000 sentences from the NLP4IF training texts (repeated), read in place;
#   - trains each tool on nlp4if2019_slc_train.csv;
#   - scores the test file with fastText's CLI (fastest configuration: -dim 10 -bucket 200000), scikit-learn
#     (TF-IDF word 1-2 + char_wb 2-5, LogisticRegression), propscan with 1 thread and with all threads;
#   - times fastText and propscan in ROUNDS interleaved rounds (default 3) and keeps each one's fastest round,
#     scikit-learn once (it is slower by more than an order of magnitude);
#   - prints docs/s, peak memory (max RSS) and ratios, plus each tool's F1 on semeval2020_ptc_dev.csv.
# Installs nothing: a missing peer is skipped with the command that installs it.
source "$(dirname "$0")/setup.sh"
source "$(dirname "$0")/peer_files.sh"
BYTES=$(stat -c %s "$TMP/test.txt")
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/ {print $2}') GiB"
echo "test file: $N lines, $BYTES bytes ($(python3 -c "print(round($BYTES / $N))") bytes/line)"

time_cmd wc wc -w "$TMP/test.txt"

# F1 at 0.5 (or at the model's own threshold for propscan) from a file of probabilities, one per line.
f1() { python3 - "$1" "$2" <<'PY'
import sys
p = [float(x) for x in open(sys.argv[1])]
y = [x.strip() == "1" for x in open(sys.argv[2])]
t = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
tp = sum(1 for a, b in zip(p, y) if a >= t and b); fp = sum(1 for a, b in zip(p, y) if a >= t and not b)
fn = sum(1 for a, b in zip(p, y) if a < t and b)
print(f"{2 * tp / (2 * tp + fp + fn):.4f}")
PY
}

# propscan
start=$(date +%s.%N)
"$BIN" train --input "$TRAIN" --positive propaganda --output "$TMP/p.model" --quiet "${NEWS_OPTS[@]}"
echo "propscan_train $(python3 -c "print(round($(date +%s.%N) - $start, 2))")" >> "$TMP/train"
PF1=$("$BIN" eval --model "$TMP/p.model" --input "$DEV" --positive propaganda --json | python3 -c "import json,sys; print(f\"{json.load(sys.stdin)['f1']:.4f}\")")
echo "propscan f1 $PF1" >> "$TMP/f1"

# fastText
if command -v fasttext >/dev/null; then
  start=$(date +%s.%N)
  fasttext supervised -input "$TMP/train.ft" -output "$TMP/ft" "${FASTTEXT_FASTEST[@]}" -verbose 0
  echo "fasttext_train $(python3 -c "print(round($(date +%s.%N) - $start, 2))")" >> "$TMP/train"
  fasttext predict-prob "$TMP/ft.bin" "$TMP/dev.txt" 2 |
    python3 -c "
import sys
for line in sys.stdin:
    parts = line.split(); probs = dict(zip(parts[0::2], map(float, parts[1::2])))
    print(probs.get('__label__p', 1 - probs.get('__label__n', 0.0)))" > "$TMP/ft.dev"
  echo "fasttext f1 $(f1 "$TMP/ft.dev" "$TMP/dev.labels")" >> "$TMP/f1"
else
  echo "fastText not installed: apt-get install fasttext (skipped)"
fi

# scikit-learn
if python3 -c "import sklearn" 2>/dev/null; then
  cat > "$TMP/sk.py" <<'PY'
import pickle, sys
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
mode, tmp = sys.argv[1], sys.argv[2]
if mode == "train":
    texts = [l.rstrip("\n") for l in open(f"{tmp}/train.txt", encoding="utf-8")]
    y = [l.strip() == "1" for l in open(f"{tmp}/train.labels")]
    w = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    c = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    X = hstack([w.fit_transform(texts), c.fit_transform(texts)]).tocsr()
    m = LogisticRegression(class_weight="balanced", max_iter=1000).fit(X, y)
    pickle.dump((w, c, m), open(f"{tmp}/sk.pkl", "wb"))
else:
    w, c, m = pickle.load(open(f"{tmp}/sk.pkl", "rb"))
    texts = [l.rstrip("\n") for l in open(sys.argv[3], encoding="utf-8")]
    out = sys.stdout
    for i in range(0, len(texts), 50000):
        chunk = texts[i:i + 50000]
        p = m.predict_proba(hstack([w.transform(chunk), c.transform(chunk)]).tocsr())[:, 1]
        out.write("".join(f"{x:.6f}\n" for x in p))
PY
  start=$(date +%s.%N)
  python3 "$TMP/sk.py" train "$TMP"
  echo "sklearn_train $(python3 -c "print(round($(date +%s.%N) - $start, 2))")" >> "$TMP/train"
  time_cmd sklearn python3 "$TMP/sk.py" score "$TMP" "$TMP/test.txt"
  python3 "$TMP/sk.py" score "$TMP" "$TMP/dev.txt" > "$TMP/sk.dev"
  echo "sklearn f1 $(f1 "$TMP/sk.dev" "$TMP/dev.labels")" >> "$TMP/f1"
else
  echo "scikit-learn not installed: pip install scikit-learn (skipped)"
fi

# The fast scorers, in ROUNDS interleaved rounds (default 3): each keeps its fastest round, so that a burst of
# load from elsewhere on a shared machine does not decide a ratio. scikit-learn ran once, above.
for round in $(seq "${ROUNDS:-3}"); do
  time_cmd propscan_1 "$BIN" --threads 1 --quiet score --model "$TMP/p.model" --input-format txt "$TMP/test.txt"
  time_cmd propscan_all "$BIN" --quiet score --model "$TMP/p.model" --input-format txt "$TMP/test.txt"
  if command -v fasttext >/dev/null; then
    time_cmd fasttext fasttext predict-prob "$TMP/ft.bin" "$TMP/test.txt"
  fi
done

python3 - "$TMP" "$N" <<'PY'
import sys
tmp, n = sys.argv[1], int(sys.argv[2])
res, rounds = {}, {}
for l in open(f"{tmp}/results"):
    name, secs, mb = l.split()[0], float(l.split()[1]), int(l.split()[2])
    best = res.get(name, (float("inf"), 0))
    res[name] = (min(best[0], secs), max(best[1], mb))
    rounds.setdefault(name, []).append(secs)
print(f"\n{'scorer':<16}{'best s':>9}{'docs/s':>12}{'peak MB':>9}   ratios (docs/s of propscan / docs/s of peer)")
for name, (s, mb) in res.items():
    rate = n / s if s > 0 else float("inf")
    line = f"{name:<16}{s:>9.2f}{rate:>12,.0f}{mb:>9}"
    if len(rounds[name]) > 1:
        line += "   rounds: " + " ".join(f"{x:.2f}" for x in rounds[name])
    print(line)
p1 = res.get("propscan_1"); pa = res.get("propscan_all")
for peer in ("fasttext", "sklearn"):
    if peer in res and p1 and pa:
        print(f"propscan 1 thread / {peer}: {res[peer][0] / p1[0]:.2f}x   all threads / {peer}: {res[peer][0] / pa[0]:.2f}x")
if p1 and pa:
    print(f"propscan all threads / 1 thread: {p1[0] / pa[0]:.2f}x")
print("\ntraining wall time (s): " + ", ".join(l.strip() for l in open(f"{tmp}/train")))
print("F1 on semeval2020_ptc_dev.csv: " + ", ".join(l.strip() for l in open(f"{tmp}/f1")))
PY
