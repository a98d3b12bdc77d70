"""The Python package against the command line: the same scores bit for bit, the same model bytes."""

import json
import pickle
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import propscan
from conftest import cli_scores


def as_f32(values) -> np.ndarray:
    """Scores as written by the CLI (JSON numbers in shortest float32 form) back to float32."""
    return np.array([np.float32(str(v)) for v in values], dtype=np.float32)


def test_builtin_scores_equal_the_cli_bit_for_bit(cli, root, corpus):
    texts, _ = corpus
    ours = propscan.Model.builtin().score(texts)
    theirs = as_f32(cli_scores(cli, root / "corpora" / "corpus.csv"))
    assert len(ours) == len(theirs) == len(texts)
    assert np.array_equal(ours.view(np.uint32), theirs.view(np.uint32))


def test_a_model_trained_in_python_equals_the_cli_model_byte_for_byte(cli, root, corpus, tmp_path):
    texts, labels = corpus
    options = dict(alpha=0.1, cv_folds=3, target_precision=0.25, prevalence=0.01)
    ours = propscan.train(texts, labels, source="corpus.csv", **options)
    out = tmp_path / "cli.model"
    subprocess.run(
        [cli, "--quiet", "train", "--input", str(root / "corpora" / "corpus.csv"), "--output", str(out),
         "--alpha", "0.1", "--cv-folds", "3", "--target-precision", "0.25", "--prevalence", "0.01"],
        check=True,
    )
    assert ours.to_bytes() == out.read_bytes()
    # And it scores as the CLI scores with it.
    theirs = as_f32(cli_scores(cli, root / "corpora" / "corpus.csv", str(out)))
    assert np.array_equal(ours.score(texts).view(np.uint32), theirs.view(np.uint32))


def test_nlp4if_model_scores_equal_the_cli(cli, root, tmp_path):
    data = root.parent / "shared" / "data" / "propaganda-sentences" / "nlp4if2019_slc_train.csv"
    if not data.exists():
        pytest.skip(f"research data not here ({data}); read in place only")
    df = pd.read_csv(data)
    model = propscan.train(df["text"], df["label"] == "propaganda", symbols=True, keep_stopwords=True)
    path = tmp_path / "nlp4if.model"
    model.save(str(path))
    small = tmp_path / "texts.csv"
    df[["text"]].to_csv(small, index=False)
    theirs = as_f32(cli_scores(cli, small, str(path)))
    assert np.array_equal(model.score(df["text"]).view(np.uint32), theirs.view(np.uint32))


def test_inputs_of_every_kind(corpus):
    model = propscan.Model.builtin()
    texts = ["make hijrah and join the ranks", "hello", None]
    expected = model.score(texts)
    assert expected.dtype == np.float32 and np.isnan(expected[2])
    for kind in (tuple(texts), pd.Series(texts), pa.array(texts), pa.chunked_array([texts[:1], texts[1:]]),
                 np.array(texts, dtype=object), pd.Series(texts, dtype="string"),
                 pd.Series(texts, dtype="string[pyarrow]")):
        got = model.score(kind)
        assert np.array_equal(got[:2], expected[:2]) and np.isnan(got[2]), type(kind)
    assert model.flag(["make hijrah and join the ranks of the mujahideen", "hello"]).tolist() == [True, False]
    with pytest.raises(ValueError):
        model.score("one string")
    with pytest.raises(ValueError):
        model.score(["ok", 3])
    # A table iterates over its column names: refused, so that rows out always equal rows in.
    for table in (pd.DataFrame({"text": texts}), {"text": texts}, np.array([["a", "b"], ["c", "d"]])):
        with pytest.raises(ValueError, match="not a table"):
            model.score(table)


def test_explain_threshold_info_and_pickle(tmp_path):
    model = propscan.Model.builtin()
    e = model.explain("Brothers, make HIJRAH and join us", 2)
    assert e["score"] == model.score(["Brothers, make HIJRAH and join us"])[0]
    assert len(e["evidence"]) <= 2
    for ev in e["evidence"]:
        for span in ev["spans"]:
            assert "Brothers, make HIJRAH and join us"[span["start"]:span["end"]] == span["text"]
    texts = ["Brothers, make HIJRAH and join us", None, "the weather is mild", "Дай байа и действуй"]
    batch = model.explain_batch(texts, 2)
    assert len(batch) == 4 and batch[1] is None
    assert [batch[i] for i in (0, 2, 3)] == [model.explain(texts[i], 2) for i in (0, 2, 3)]
    assert 0 < model.threshold < 1
    info = model.info
    assert info["threshold"] == model.threshold and info["features"]["symbols"] is False
    again = pickle.loads(pickle.dumps(model))
    assert again == model and again.sha256 == model.sha256
    path = tmp_path / "m.model"
    model.save(str(path))
    assert propscan.Model.load(str(path)) == model


def test_errors_by_kind(tmp_path):
    good = propscan.Model.builtin().to_bytes()
    with pytest.raises(propscan.ModelError, match="not a propscan model"):
        propscan.Model.from_bytes(b"junk")
    with pytest.raises(propscan.ModelError, match="truncated or damaged: the header describes"):
        propscan.Model.from_bytes(good[: len(good) // 2])
    broken = bytearray(good)
    broken[len(broken) // 2] ^= 1
    with pytest.raises(propscan.ModelError, match="checksum"):
        propscan.Model.from_bytes(bytes(broken))
    with pytest.raises(OSError):
        propscan.Model.load(str(tmp_path / "missing.model"))
    with pytest.raises(ValueError, match="unknown training option"):
        propscan.train(["a", "b"], [True, False], alhpa=1)
    # Options are named by their keyword here (the library calls them `tolerance` and `word_ngram_max`).
    with pytest.raises(ValueError, match="`tol` must be between 0 and 1"):
        propscan.train(["a", "b"] * 5, [True, False] * 5, tol=2.0)
    with pytest.raises(ValueError, match="`word_ngrams` .* goes up to 1, 2 or 3"):
        propscan.train(["a", "b"] * 5, [True, False] * 5, word_ngrams=4)
    with pytest.raises(ValueError, match="`cv_folds` 5: 1 positive and 1 negative rows are too few"):
        propscan.train(["a", "b"], [True, False], cv_folds=5)
    with pytest.raises(ValueError, match="give one of them"):
        propscan.train(["a", "b"] * 5, [True, False] * 5, target_precision=0.5, target_recall=0.5)
    with pytest.raises(ValueError, match="a `prevalence` needs a `target_precision`"):
        propscan.train(["a", "b"] * 5, [True, False] * 5, prevalence=0.01)
    with pytest.raises(ValueError, match="max_iter"):  # not an OverflowError
        propscan.train(["a", "b"] * 5, [True, False] * 5, max_iter=-1)
    with pytest.raises(ValueError, match="class_weight"):  # not a TypeError
        propscan.train(["a", "b"] * 5, [True, False] * 5, class_weight=None)
    with pytest.raises(ValueError, match="at least 2"):
        propscan.cv(["a", "b"] * 5, [True, False] * 5, folds=-1)
    with pytest.raises(ValueError, match="0 or more"):
        propscan.Model.builtin().explain("join us", k=-1)
    with pytest.raises(ValueError, match="label 1 is missing"):
        propscan.train(["a", "b"], pd.Series([True, None], dtype="boolean"))
    with pytest.raises(ValueError, match="only one class"):
        propscan.train(["a", "b"] * 5, [True] * 10, cv_folds=0)
    with pytest.raises(ValueError, match="labels are True/False or 1/0"):
        propscan.train(["a", "b"], ["yes", "no"])


def test_cv_and_warm_start(corpus):
    texts, labels = corpus
    texts, labels = texts[:1500], labels[:1500]
    out = propscan.cv(texts, labels, folds=3, cv_folds=2)
    assert out["scores"].dtype == np.float32 and len(out["scores"]) == 1500
    assert len(out["folds"]) == 3 and set(out["fold"].tolist()) == {0, 1, 2}
    model = propscan.train(texts, labels, cv_folds=2)
    again = propscan.warm_start(model, texts[:300], labels[:300], cv_folds=0)
    assert again.info["training"]["warm_start"]["model_sha256"] == model.sha256
