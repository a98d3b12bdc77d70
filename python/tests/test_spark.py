"""propscan.spark.score in Spark's local mode: every row out, the CLI's scores, bad rows kept with an error."""

import json
import subprocess

import numpy as np
import pytest

import propscan
import propscan.spark
from conftest import java

pytestmark = pytest.mark.skipif(not java(), reason="no Java runtime (install one: bash python/setup.sh as root)")


@pytest.fixture(scope="module")
def spark():
    import os
    import sys

    from pyspark.sql import SparkSession

    # Workers run this interpreter, where propscan and pyarrow are installed (as a cluster's workers must).
    os.environ["PYSPARK_PYTHON"] = sys.executable

    s = (SparkSession.builder.master("local[2]").appName("propscan-tests")
         .config("spark.sql.execution.arrow.pyspark.enabled", "true")
         .config("spark.ui.enabled", "false").getOrCreate())
    yield s
    s.stop()


def test_200k_rows_same_scores_as_the_cli(spark, cli, corpus, tmp_path):
    texts, _ = corpus
    rows = [(i, None if i % 997 == 0 else texts[i % len(texts)]) for i in range(200_000)]
    df = spark.createDataFrame(rows, "id long, text string").repartition(4)
    out = propscan.spark.score(df).orderBy("id").collect()
    assert len(out) == 200_000
    path = tmp_path / "texts.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i, t in rows:
            if t is not None:
                f.write(json.dumps({"id": i, "text": t}) + "\n")
    cli_out = subprocess.run([cli, "--quiet", "score", str(path)], check=True, capture_output=True, text=True).stdout
    expected = {json.loads(l)["id"]: np.float32(str(json.loads(l)["score"])) for l in cli_out.splitlines()}
    for r in out:
        if r["text"] is None:
            assert r["score"] is None and r["flagged"] is None and "null" in r["error"]
        else:
            assert r["error"] is None
            assert np.float32(r["score"]).view(np.uint32) == expected[r["id"]].view(np.uint32), r["id"]


def test_non_string_texts_and_a_model_file(spark, tmp_path):
    model = propscan.train(["make hijrah and join", "join our club"] * 20, [True, False] * 20, cv_folds=2)
    path = tmp_path / "m.model"
    model.save(str(path))
    df = spark.createDataFrame([(1, 5), (2, None)], "id long, text long")
    got = propscan.spark.score(df, model=str(path)).orderBy("id").collect()
    assert [r["score"] for r in got] == [None, None]
    # A column score() would add is never silently replaced.
    taken = spark.createDataFrame([(1, "join us", 0.5)], "id long, text string, Score double")
    with pytest.raises(ValueError, match="already has column"):
        propscan.spark.score(taken)
    # A file:// URI is a local path.
    by_uri = propscan.spark.score(spark.createDataFrame([(1, "join us")], "id long, text string"),
                                  model=f"file://{path}").collect()
    assert by_uri[0]["error"] is None and by_uri[0]["score"] == pytest.approx(float(model.score(["join us"])[0]))
    assert "not a string" in got[0]["error"] and "null" in got[1]["error"]
    df = spark.createDataFrame([("make hijrah and join",)], "body string")
    got = propscan.spark.score(df, text_col="body", model=model, explain=2).collect()
    assert got[0]["score"] == pytest.approx(float(model.score(["make hijrah and join"])[0]))
    assert json.loads(got[0]["evidence"]) == model.explain("make hijrah and join", 2)["evidence"]
    spark.sparkContext.addFile(str(path))
    got = propscan.spark.score(df, text_col="body", model="m.model").collect()
    assert got[0]["error"] is None
