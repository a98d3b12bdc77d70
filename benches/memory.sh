#!/usr/bin/env bash
# Peak memory while scoring a large file (issue #5: 1 GB under 200 MB):
#   - builds a text file of about $SIZE_MB MB (default 1024) from the NLP4IF-2019 training sentences, repeated;
#   - scores it with the built-in model on all threads, output to a file;
#   - prints wall time, peak resident memory (max RSS from /usr/bin/time), and rows in and out.
# Needs about twice $SIZE_MB of free space in $TMPDIR (input and output); both are removed at the end.
source "$(dirname "$0")/setup.sh"
SIZE_MB=${SIZE_MB:-1024}
export TMP SIZE_MB
python3 - "$DATA/nlp4if2019_slc_train.csv" <<'PY'
import csv, os, sys
tmp, target = os.environ["TMP"], int(os.environ["SIZE_MB"]) * 1024 * 1024
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    block = "".join(r["text"].replace("\n", " ").replace("\r", " ") + "\n" for r in csv.DictReader(f)).encode()
with open(f"{tmp}/big.txt", "wb") as out:
    written = 0
    while written < target:
        out.write(block)
        written += len(block)
PY
BYTES=$(stat -c %s "$TMP/big.txt")
ROWS=$(wc -l < "$TMP/big.txt")
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "input: $BYTES bytes, $ROWS rows"
/usr/bin/time -f "%e %M" -o "$TMP/time" "$BIN" --quiet score --input-format txt "$TMP/big.txt" -o "$TMP/out.csv"
read -r secs kb < "$TMP/time"
OUT=$(($(wc -l < "$TMP/out.csv") - 1))
echo "scored in $secs s ($(python3 -c "print(round($ROWS / $secs))") rows/s), peak memory $((kb / 1024)) MB, rows out $OUT (header excluded)"
[ "$OUT" -eq "$ROWS" ] || { echo "rows out != rows in" >&2; exit 1; }
