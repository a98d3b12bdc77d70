"""A scikit-learn estimator over propscan: ``fit`` trains, ``predict_proba`` scores, and the estimator works in
``cross_val_score``, ``GridSearchCV``, ``Pipeline`` and ``pickle`` like any other.

    from sklearn.model_selection import cross_val_score
    from propscan.sklearn import PropscanClassifier
    cross_val_score(PropscanClassifier(alpha=0.1), texts, labels, cv=5, scoring="f1")

``X`` is a sequence of texts (a list, a pandas Series, a NumPy array of strings); ``y`` any two classes, the
greater of which (``classes_[1]``) is the flagged one, as scikit-learn does for binary problems.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from . import Model, train

__all__ = ["PropscanClassifier"]


class PropscanClassifier(ClassifierMixin, BaseEstimator):
    """propscan's training as a scikit-learn classifier. Parameters are the training options of
    ``propscan.train`` (the command line's, with ``_`` for ``-``); ``predict`` decides at the threshold the
    trained model chose (by ``target_precision``/``prevalence``/``target_recall``, else the best F1)."""

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

    def _options(self) -> dict:
        options = self.get_params()
        return {k: v for k, v in options.items() if v is not None}

    def fit(self, X: Any, y: Any) -> "PropscanClassifier":
        """Trains on texts ``X`` and two-class labels ``y``."""
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError(f"PropscanClassifier needs exactly two classes, found {len(self.classes_)}")
        self.model_ = train(X, y == self.classes_[1], **self._options())
        self.threshold_ = self.model_.threshold
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities of ``classes_[0]`` and ``classes_[1]`` (the flagged class), float64."""
        check_is_fitted(self, "model_")
        p = self.model_.score(X).astype(np.float64)
        return np.column_stack([1.0 - p, p])

    def decision_function(self, X: Any) -> np.ndarray:
        """The log-odds of the flagged class (scores clipped away from 0 and 1 so that they stay finite)."""
        p = np.clip(self.predict_proba(X)[:, 1], 1e-7, 1 - 1e-7)
        return np.log(p / (1.0 - p))

    def predict(self, X: Any) -> np.ndarray:
        """The class of each text, at the trained model's threshold."""
        check_is_fitted(self, "model_")
        flagged = self.model_.score(X) >= self.threshold_
        return self.classes_[flagged.astype(int)]

    def _more_tags(self):  # scikit-learn < 1.6
        return {"X_types": ["string"], "binary_only": True}

    def __sklearn_tags__(self):  # scikit-learn >= 1.6
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
