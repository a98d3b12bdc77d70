#!/usr/bin/env bash
# The Spark stage's throughput beside the command line's, on the same machine and rows (issue #15, acceptance 3):
# ROWS texts (default 200,000) from the written corpus, scored by `propscan score --threads 2` from a JSONL file
# and by `propscan.spark.score` in Spark's local[2] mode from a DataFrame of the same rows (collected, so every
# row is scored). Reports rows per second of each, fastest of ROUNDS (default 3) interleaved rounds.
# Usage: bash benches/spark.sh   (needs python/setup.sh's environment and a Java runtime)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --release --quiet
bash python/setup.sh >/dev/null
ROWS=${ROWS:-200000} ROUNDS=${ROUNDS:-3} BIN=target/release/propscan python/.venv/bin/python - <<'PY'
import csv, json, os, subprocess, sys, tempfile, time
os.environ["PYSPARK_PYTHON"] = sys.executable
rows, rounds, binary = int(os.environ["ROWS"]), int(os.environ["ROUNDS"]), os.environ["BIN"]
texts = [r["text"] for r in csv.DictReader(open("corpora/corpus.csv", newline="", encoding="utf-8"))]
data = [(i, texts[i % len(texts)]) for i in range(rows)]
tmp = tempfile.mkdtemp()
path = os.path.join(tmp, "rows.jsonl")
with open(path, "w", encoding="utf-8") as f:
    for i, t in data:
        f.write(json.dumps({"id": i, "text": t}) + "\n")
from pyspark.sql import SparkSession
import propscan.spark
spark = (SparkSession.builder.master("local[2]").appName("propscan-bench")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
df = spark.createDataFrame(data, "id long, text string").repartition(2).cache()
df.count()
propscan.spark.score(df.limit(1000)).collect()  # start the Python workers once
best = {"cli": 1e9, "spark": 1e9}
for r in range(rounds):
    t = time.perf_counter()
    subprocess.run([binary, "--quiet", "--threads", "2", "score", path, "-o", os.devnull], check=True)
    best["cli"] = min(best["cli"], time.perf_counter() - t)
    t = time.perf_counter()
    n = len(propscan.spark.score(df).select("id", "score").collect())
    best["spark"] = min(best["spark"], time.perf_counter() - t)
    assert n == rows
    print(f"round {r + 1}: cli {best['cli']:.2f} s, spark {best['spark']:.2f} s (fastest so far)", flush=True)
cli, sp = rows / best["cli"], rows / best["spark"]
print(f"{rows} rows: CLI --threads 2 {cli:,.0f} rows/s; Spark local[2] {sp:,.0f} rows/s; ratio {sp / cli:.2f} "
      f"(target at least 0.5): {'met' if sp >= 0.5 * cli else 'NOT met'}")
spark.stop()
PY
