"""PropscanClassifier in scikit-learn's machinery: cross_val_score, GridSearchCV, Pipeline, pickle."""

import pickle

import numpy as np
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from propscan.sklearn import PropscanClassifier


def sample(corpus, n=1200):
    """A seeded random sample of the corpus (its file is ordered by batch)."""
    texts, labels = corpus
    pick = np.random.default_rng(7).permutation(len(texts))[:n]
    return np.array(texts, dtype=object)[pick], np.array(labels, dtype=int)[pick]


def test_cross_val_score(corpus):
    X, y = sample(corpus)
    scores = cross_val_score(PropscanClassifier(cv_folds=2), X, y, cv=5, scoring="f1")
    assert len(scores) == 5 and scores.mean() > 0.6, scores


def test_grid_search_over_alpha(corpus):
    X, y = sample(corpus)
    grid = GridSearchCV(PropscanClassifier(cv_folds=2), {"alpha": [0.1, 1.0]}, cv=3, scoring="roc_auc")
    grid.fit(X, y)
    assert grid.best_params_["alpha"] in (0.1, 1.0)
    assert grid.predict(X[:5]).shape == (5,)


def test_pipeline_predictions_and_pickle(corpus):
    X, y = sample(corpus)
    strings = np.where(y == 1, "call", "other")
    pipe = Pipeline([("strip", FunctionTransformer(np.char.strip)), ("clf", PropscanClassifier(cv_folds=2, pos_label="call"))])
    pipe.fit(X.astype(str), strings)
    clf = pipe.named_steps["clf"]
    assert list(clf.classes_) == ["call", "other"]
    proba = clf.predict_proba(X[:10].tolist())
    assert proba.shape == (10, 2) and np.allclose(proba.sum(axis=1), 1.0)
    assert set(pipe.predict(X[:20].astype(str))) <= {"call", "other"}
    # "call" (classes_[0]) is the flagged class: its probability is column 0 and it scores high on the calls.
    Xs = np.char.strip(X.astype(str)).tolist()  # what the pipeline's first step hands the classifier
    proba_all = clf.predict_proba(Xs)
    assert proba_all[y == 1, 0].mean() > 0.5 > proba_all[y == 0, 0].mean()
    # decision_function follows scikit-learn's convention: positive for classes_[1], negative for classes_[0].
    d = clf.decision_function(Xs)
    predicted = clf.predict(Xs)
    assert np.all(np.isfinite(d)) and np.all(d != 0)
    assert np.array_equal(d > 0, predicted == clf.classes_[1])
    assert np.array_equal(predicted == "call", clf.model_.flag(Xs))
    again = pickle.loads(pickle.dumps(pipe))
    assert np.array_equal(again.predict_proba(X[:50].astype(str)), pipe.predict_proba(X[:50].astype(str)))
    assert clf.get_params()["alpha"] == 1.0 and clf.set_params(alpha=0.5).alpha == 0.5
