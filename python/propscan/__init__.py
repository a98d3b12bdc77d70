"""propscan: flags recruitment-style calls to action in extremist propaganda, with evidence a reviewer can check.

The same library as the ``propscan`` command, in Python::

    import propscan
    model = propscan.Model.builtin()
    scores = model.score(["Brothers, make hijrah and join the ranks", "Join our football club"])
    flags = model.flag(texts)                 # at the model's threshold
    why = model.explain("make hijrah now", k=3)

    trained = propscan.train(texts, labels, alpha=0.1, target_precision=0.25, prevalence=0.01)
    trained.save("my.model")

Texts may be a list or tuple of strings, a pandas Series, a NumPy array or a pyarrow string array; a missing
text (``None``, NaN, null) scores NaN. Scoring runs on every core with the interpreter released.
``propscan.sklearn.PropscanClassifier`` is a scikit-learn estimator; ``propscan.spark.score`` scores a Spark
DataFrame.
"""

from __future__ import annotations

import json
import math
from typing import Any, Iterable, Optional, Sequence

import numpy as np

from . import _propscan
from ._propscan import ModelError

__all__ = ["Model", "ModelError", "train", "warm_start", "cv"]


def _texts(texts: Any) -> list:
    """Texts as a list of ``str`` or ``None`` (missing). Raises ``ValueError`` for anything else."""
    if isinstance(texts, str):
        raise ValueError("texts must be a sequence of strings, not one string (wrap it in a list)")
    if hasattr(texts, "columns") or isinstance(texts, dict) or getattr(texts, "ndim", 1) != 1:
        # A DataFrame or dict iterates over its column names: every row must come out, so refuse it.
        raise ValueError("texts must be one column of texts (a list, a Series, a 1-D array), not a table; "
                         "pass its text column, e.g. df['text']")
    if hasattr(texts, "to_pylist"):  # pyarrow Array / ChunkedArray
        values = texts.to_pylist()
    elif hasattr(texts, "tolist"):  # pandas Series, NumPy array
        values = texts.tolist()
    else:
        values = list(texts)
    out = []
    for i, t in enumerate(values):
        if _missing(t):
            out.append(None)
        elif isinstance(t, str):
            out.append(t)
        else:
            raise ValueError(f"text {i} is a {type(t).__name__}, not a string")
    return out


def _missing(value: Any) -> bool:
    """``None``, a float NaN, or pandas' ``NA`` (from nullable and pyarrow-backed string columns)."""
    if value is None or type(value).__name__ == "NAType":
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def _features(k: Any) -> int:
    """``k``, the number of features of evidence, checked (a negative one would overflow in the extension)."""
    if int(k) < 0:
        raise ValueError(f"k is a number of features, 0 or more (got {k})")
    return int(k)


def _labels(labels: Any, n: int) -> list:
    """Labels as booleans: ``True``/``False`` or ``1``/``0``."""
    values = labels.tolist() if hasattr(labels, "tolist") else list(labels)
    if len(values) != n:
        raise ValueError(f"{n} texts but {len(values)} labels")
    out = []
    for i, y in enumerate(values):
        if _missing(y):
            raise ValueError(f"label {i} is missing: every training text needs a label")
        if isinstance(y, (bool, np.bool_)) or y in (0, 1):
            out.append(bool(y))
        else:
            raise ValueError(f"label {i} is {y!r}: labels are True/False or 1/0")
    return out


def _groups(groups: Any, n: int) -> Optional[list]:
    if groups is None:
        return None
    values = groups.tolist() if hasattr(groups, "tolist") else list(groups)
    if len(values) != n:
        raise ValueError(f"{n} texts but {len(values)} groups")
    return ["" if _missing(g) else str(g) for g in values]


def _present(texts: list, name: str) -> list:
    missing = [i for i, t in enumerate(texts) if t is None]
    if missing:
        raise ValueError(f"{name}: text {missing[0]} is missing; every training text must be a string")
    return texts


class Model:
    """A trained propscan model. Models pickle (as their file's bytes) and compare equal when they are the same."""

    __slots__ = ("_m",)

    def __init__(self, inner: "_propscan.Model"):
        self._m = inner

    @classmethod
    def load(cls, path: str) -> "Model":
        """Loads a model file; a damaged, truncated, foreign or newer-format file raises ``ModelError``."""
        return cls(_propscan.Model.load(str(path)))

    @classmethod
    def builtin(cls) -> "Model":
        """The model built into propscan."""
        return cls(_propscan.Model.builtin())

    @classmethod
    def from_bytes(cls, data: bytes) -> "Model":
        """A model from the bytes of a model file."""
        return cls(_propscan.Model.from_bytes(bytes(data)))

    def to_bytes(self) -> bytes:
        """The bytes of the model file."""
        return self._m.to_bytes()

    def save(self, path: str) -> None:
        """Writes the model file, atomically."""
        self._m.save(str(path))

    def score(self, texts: Any) -> np.ndarray:
        """The probability of a call to action for each text, as float32 (NaN for a missing text)."""
        raw = self._m.score_f32_bytes(_texts(texts))
        return np.frombuffer(raw, dtype="<f4").astype(np.float32, copy=True)

    def flag(self, texts: Any, threshold: Optional[float] = None) -> np.ndarray:
        """True for each text scoring at or above ``threshold`` (default: the model's own)."""
        t = self.threshold if threshold is None else float(threshold)
        # In float64, as the command line compares: a float32 comparison would round the threshold.
        return self.score(texts).astype(np.float64) >= t

    def explain(self, text: str, k: int = 5) -> dict:
        """The score of one text and the ``k`` features that raised it most, with their spans (code points)."""
        if not isinstance(text, str):
            raise ValueError("explain takes one string")
        return json.loads(self._m.explain_json(text, _features(k)))

    def explain_batch(self, texts: Any, k: int = 5) -> list:
        """``explain`` for many texts, in parallel on every core: a list of dicts, ``None`` for a missing text."""
        return json.loads(self._m.explain_batch_json(_texts(texts), _features(k)))

    @property
    def threshold(self) -> float:
        """The model's decision threshold."""
        return self._m.threshold

    @property
    def info(self) -> dict:
        """The model's metadata: options, labels, threshold, training data, cross-validated figures."""
        return json.loads(self._m.info_json())

    @property
    def sha256(self) -> str:
        """SHA-256 of the model file's bytes."""
        return self._m.sha256()

    def __reduce__(self):
        return (Model.from_bytes, (self.to_bytes(),))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Model) and self._m == other._m

    def __hash__(self) -> int:
        return hash(self.sha256)

    def __repr__(self) -> str:
        return f"<propscan.Model threshold={self.threshold:.4f} sha256={self.sha256[:12]}>"


def train(texts: Any, labels: Any, groups: Any = None, source: Optional[str] = None, **options: Any) -> Model:
    """Trains a model. ``labels`` are True/False or 1/0; ``groups`` (an account, an article) keep related rows in
    one cross-validation fold. Options are the command line's training options with ``_`` for ``-``: ``alpha``,
    ``target_precision``, ``prevalence``, ``target_recall``, ``cv_folds``, ``seed``, ``class_weight``,
    ``max_iter``, ``tol``, ``buckets_log2``, ``word_ngrams``, ``char_ngrams`` ("2-5" or "0"), ``symbols``,
    ``social``, ``window_words``, ``keep_stopwords``, ``stem``, ``min_df``, ``raw_tf``. ``source`` is the name the
    model's metadata records for its data (the command line records the input file's name), so that a model
    trained here equals, byte for byte, the one ``propscan train`` makes from the same rows and options."""
    t = _present(_texts(texts), "train")
    return Model(_propscan.train(t, _labels(labels, len(t)), _groups(groups, len(t)), source, **options))


def warm_start(model: Model, texts: Any, labels: Any, groups: Any = None, source: Optional[str] = None,
               **options: Any) -> Model:
    """Retrains ``model`` on corrections: the same features, its weights as the prior."""
    t = _present(_texts(texts), "warm_start")
    return Model(_propscan.warm_start(model._m, t, _labels(labels, len(t)), _groups(groups, len(t)), source,
                                      **options))


def cv(texts: Any, labels: Any, groups: Any = None, folds: int = 5, **options: Any) -> dict:
    """Cross-validates training: ``scores`` (float32), ``flagged`` and ``fold`` per row (NumPy arrays), and
    ``folds``, each fold's threshold, precision, recall, F1, ROC-AUC and PR-AUC."""
    if int(folds) < 2:
        raise ValueError(f"`folds` must be at least 2 (got {folds})")
    t = _present(_texts(texts), "cv")
    out = json.loads(_propscan.cv_json(t, _labels(labels, len(t)), _groups(groups, len(t)), int(folds), **options))
    out["scores"] = np.asarray(out["scores"], dtype=np.float32)
    out["flagged"] = np.asarray(out["flagged"], dtype=bool)
    out["fold"] = np.asarray(out["fold"], dtype=np.int64)
    return out
