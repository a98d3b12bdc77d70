"""A scikit-learn estimator over propscan: ``fit`` trains, ``predict_proba`` scores, and the estimator works in
``cross_val_score``, ``GridSearchCV``, ``Pipeline`` and ``pickle`` like any other.

    from sklearn.model_selection import cross_val_score
    from propscan.sklearn import PropscanClassifier
    cross_val_score(PropscanClassifier(alpha=0.1), texts, labels, cv=5, scoring="f1")

``X`` is a sequence of texts (a list, a pandas Series, a NumPy array of strings); ``y`` any two classes, the
greater of which (``classes_[1]``) is the flagged one, as scikit-learn does for binary problems.
"""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from . import Model, train

__all__ = ["PropscanClassifier"]


class PropscanClassifier(ClassifierMixin, BaseEstimator):
    """propscan's training as a scikit-learn classifier. Parameters are the training options of
    ``propscan.train`` (the command line's, with ``_`` for ``-``); ``predict`` decides at the threshold the
    trained model chose (by ``target_precision``/``prevalence``/``target_recall``, else the best F1).

    ``pos_label`` is the class to flag (the call to action); by default the greater of the two, as in
    scikit-learn (``1`` of ``0``/``1``, ``True`` of booleans). With labels such as ``"call"``/``"other"`` name it:
    the threshold's precision target applies to that class. ``predict_proba``'s columns follow ``classes_``,
    and ``decision_function`` is positive for ``classes_[1]``, as scikit-learn expects."""

    def __init__(
        self,
        alpha: float = 1.0,
        target_precision: Optional[float] = None,
        prevalence: Optional[float] = None,
        target_recall: Optional[float] = None,
        cv_folds: int = 5,
        seed: int = 42,
        class_weight: str = "balanced",
        max_iter: int = 200,
        tol: float = 1e-3,
        buckets_log2: int = 18,
        word_ngrams: int = 2,
        char_ngrams: str = "2-5",
        symbols: bool = False,
        social: bool = True,
        window_words: int = 40,
        keep_stopwords: bool = False,
        stem: str = "none",
        min_df: int = 2,
        raw_tf: bool = False,
        pos_label: Any = None,
    ):
        self.alpha = alpha
        self.target_precision = target_precision
        self.prevalence = prevalence
        self.target_recall = target_recall
        self.cv_folds = cv_folds
        self.seed = seed
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.tol = tol
        self.buckets_log2 = buckets_log2
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.symbols = symbols
        self.social = social
        self.window_words = window_words
        self.keep_stopwords = keep_stopwords
        self.stem = stem
        self.min_df = min_df
        self.raw_tf = raw_tf
        self.pos_label = pos_label

    def _options(self) -> dict:
        options = self.get_params()
        del options["pos_label"]
        if options.get("class_weight", "balanced") is None:
            options["class_weight"] = "none"  # scikit-learn's "no weighting", not propscan's default
        return {k: v for k, v in options.items() if v is not None}

    def fit(self, X: Any, y: Any) -> "PropscanClassifier":
        """Trains on texts ``X`` and two-class labels ``y``."""
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError(f"PropscanClassifier needs exactly two classes, found {len(self.classes_)}")
        pos = self.classes_[1] if self.pos_label is None else self.pos_label
        if pos not in self.classes_:
            raise ValueError(f"pos_label {pos!r} is not one of the classes {list(self.classes_)}")
        self.pos_index_ = int(np.flatnonzero(self.classes_ == pos)[0])
        self.model_ = train(X, y == pos, **self._options())
        self.threshold_ = self.model_.threshold
        return self

    def _flag_scores(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "model_")
        return self.model_.score(X).astype(np.float64)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities of ``classes_[0]`` and ``classes_[1]``, float64."""
        p = self._flag_scores(X)
        columns = [1.0 - p, p] if self.pos_index_ == 1 else [p, 1.0 - p]
        return np.column_stack(columns)

    def decision_function(self, X: Any) -> np.ndarray:
        """The log-odds of the flagged class less those of the threshold, signed so that it is positive for
        ``classes_[1]`` and negative for ``classes_[0]`` (0 only at the threshold itself; probabilities are
        clipped away from 0 and 1 so that it stays finite)."""
        p = np.clip(self._flag_scores(X), 1e-7, 1 - 1e-7)
        t = min(max(self.threshold_, 1e-7), 1 - 1e-7)
        margin = np.log(p / (1.0 - p)) - math.log(t / (1.0 - t))
        return margin if self.pos_index_ == 1 else -margin

    def predict(self, X: Any) -> np.ndarray:
        """The class of each text, at the trained model's threshold."""
        flagged = self._flag_scores(X) >= self.threshold_  # in float64, as the command line compares
        return np.where(flagged, self.classes_[self.pos_index_], self.classes_[1 - self.pos_index_])

    def _more_tags(self):  # scikit-learn < 1.6
        return {"X_types": ["string"], "binary_only": True}

    def __sklearn_tags__(self):  # scikit-learn >= 1.6
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
