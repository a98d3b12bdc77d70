#!/usr/bin/env bash
# Memory for a CSV record far over --max-record-bytes (issue #16, acceptance 2): one quoted field of SIZE bytes
# (default 1 GB) with the default limit of 1 MiB. Prints the peak resident memory of `propscan score` and checks
# that every row came out, the long one as a bad row, in under 50 MB. Usage: bash benches/one_field.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --release --quiet
BIN=target/release/propscan
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
SIZE=${SIZE:-1000000000}
python3 - "$TMP/one.csv" "$SIZE" <<'PY'
import sys
path, size = sys.argv[1], int(sys.argv[2])
with open(path, "wb") as f:
    f.write(b"id,text\n1,before\n2,\"")
    chunk = b"make hijrah " * 8192
    left = size
    while left > 0:
        f.write(chunk[:left])
        left -= len(chunk)
    f.write(b"\"\n3,after\n")
PY
echo "input: $(stat -c %s "$TMP/one.csv") bytes"
set +e
/usr/bin/time -f "%M %e" -o "$TMP/time" "$BIN" score "$TMP/one.csv" -o "$TMP/out.csv"
code=$?
set -e
read -r kb secs < <(tail -n 1 "$TMP/time")
echo "exit $code (2: a bad row was kept), peak memory $((kb / 1024)) MB, $secs s"
python3 - "$TMP/out.csv" "$kb" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
print("rows out:", len(rows), [(r["id"], r["score"] or "-", (r["error"] or "")[:90]) for r in rows])
ok = len(rows) == 3 and rows[1]["error"] and not rows[0]["error"] and not rows[2]["error"] and int(sys.argv[2]) < 50 * 1024
print("target: 3 rows out, the long one a bad row, peak under 50 MB:", "met" if ok else "NOT met")
sys.exit(0 if ok else 1)
PY
