//! Python bindings of propscan: the `propscan._propscan` extension module, wrapped by the `propscan` Python
//! package (`python/propscan/`). The Rust core knows nothing of Python; this crate converts at the edge, releases
//! the interpreter around every scoring and training run, and turns each kind of error into a Python exception:
//! `ValueError` for arguments, `propscan.ModelError` for a model that cannot be used, `OSError` for files.

use propscan::{Error, Model as CoreModel, TrainOptions, TrainingData};
use pyo3::exceptions::{PyException, PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

pyo3::create_exception!(_propscan, ModelError, PyException, "A model file that cannot be used.");

/// A Python exception for a library error. The library names options as `TrainOptions` does; the two whose
/// keyword differs here are renamed.
fn to_py(e: Error) -> PyErr {
    let text = e.to_string().replace("`tolerance`", "`tol`").replace("`word_ngram_max`", "`word_ngrams`");
    match e {
        Error::Model { .. } => ModelError::new_err(text),
        Error::Io { .. } => PyOSError::new_err(text),
        _ => PyValueError::new_err(text),
    }
}

/// A trained propscan model.
#[pyclass(module = "propscan._propscan", frozen)]
struct Model {
    inner: CoreModel,
}

#[pymethods]
impl Model {
    /// Loads a model file.
    #[staticmethod]
    fn load(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Model> {
        py.detach(|| CoreModel::load(&path)).map(|inner| Model { inner }).map_err(to_py)
    }

    /// The model built into propscan.
    #[staticmethod]
    fn builtin() -> PyResult<Model> {
        CoreModel::builtin().map(|inner| Model { inner }).map_err(to_py)
    }

    /// A model from the bytes of a model file.
    #[staticmethod]
    fn from_bytes(bytes: &[u8]) -> PyResult<Model> {
        CoreModel::from_bytes(bytes).map(|inner| Model { inner }).map_err(to_py)
    }

    /// The bytes of the model file.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = self.inner.to_bytes().map_err(to_py)?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// Writes the model file (atomically).
    fn save(&self, py: Python<'_>, path: std::path::PathBuf) -> PyResult<()> {
        py.detach(|| self.inner.save(&path)).map_err(to_py)
    }

    /// Scores of the texts as little-endian float32 bytes, in order (`None` texts score NaN). Scored in parallel
    /// with the interpreter released.
    fn score_f32_bytes<'py>(&self, py: Python<'py>, texts: Vec<Option<String>>) -> Bound<'py, PyBytes> {
        let scores: Vec<f32> = py.detach(|| {
            let present: Vec<&str> = texts.iter().map(|t| t.as_deref().unwrap_or("")).collect();
            let mut scores = self.inner.score_batch(&present);
            for (s, t) in scores.iter_mut().zip(&texts) {
                if t.is_none() {
                    *s = f32::NAN;
                }
            }
            scores
        });
        let bytes: Vec<u8> = scores.iter().flat_map(|s| s.to_le_bytes()).collect();
        PyBytes::new(py, &bytes)
    }

    /// The evidence for one text's score, as JSON: `{"score", "evidence": [...], "window"?}`.
    fn explain_json(&self, py: Python<'_>, text: String, k: usize) -> PyResult<String> {
        let e = py.detach(|| self.inner.explain(&text, k));
        serde_json::to_string(&e).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The evidence for many texts as a JSON array, in order (`null` for a `None` text): in parallel, with the
    /// interpreter released.
    fn explain_batch_json(&self, py: Python<'_>, texts: Vec<Option<String>>, k: usize) -> PyResult<String> {
        let all = py.detach(|| {
            let present: Vec<&str> = texts.iter().map(|t| t.as_deref().unwrap_or("")).collect();
            self.inner.explain_batch(&present, k)
        });
        let out: Vec<Option<&propscan::Explanation>> =
            all.iter().zip(&texts).map(|(e, t)| t.as_ref().map(|_| e)).collect();
        serde_json::to_string(&out).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The decision threshold.
    #[getter]
    fn threshold(&self) -> f64 {
        self.inner.threshold()
    }

    /// The model's metadata as JSON.
    fn info_json(&self) -> PyResult<String> {
        serde_json::to_string(self.inner.meta()).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// SHA-256 of the model file's bytes.
    fn sha256(&self) -> PyResult<String> {
        self.inner.sha256().map_err(to_py)
    }

    fn __eq__(&self, other: &Model) -> bool {
        self.inner == other.inner
    }
}

/// A keyword's value of the wrong type or out of range (a `TypeError` or `OverflowError` from conversion) as
/// the `ValueError` callers expect for a bad argument, naming the keyword.
fn arg(key: &str, e: PyErr) -> PyErr {
    PyValueError::new_err(format!("{key}: {e}"))
}

/// Training options from Python keywords (the command line's training options, by their long names with `_`).
fn options(kw: Option<&Bound<'_, PyDict>>) -> PyResult<TrainOptions> {
    let mut b = TrainOptions::builder();
    let mut features = propscan::FeatureConfig::default();
    let mut char_ngrams: Option<String> = None;
    // Keywords come in no meaningful order: two threshold rules are refused, not resolved by whichever came last.
    let (mut precision, mut recall) = (false, false);
    if let Some(kw) = kw {
        for (key, value) in kw.iter() {
            let key: String = key.extract()?;
            match key.as_str() {
                "alpha" => b = b.alpha(value.extract().map_err(|e| arg(&key, e))?),
                "max_iter" => b = b.max_iter(value.extract().map_err(|e| arg(&key, e))?),
                "tol" => b = b.tolerance(value.extract().map_err(|e| arg(&key, e))?),
                "cv_folds" => b = b.cv_folds(value.extract().map_err(|e| arg(&key, e))?),
                "seed" => b = b.seed(value.extract().map_err(|e| arg(&key, e))?),
                "target_precision" => {
                    if let Some(p) = value.extract::<Option<f64>>().map_err(|e| arg(&key, e))? {
                        precision = true;
                        b = b.target_precision(p)
                    }
                }
                "prevalence" => {
                    if let Some(share) = value.extract::<Option<f64>>().map_err(|e| arg(&key, e))? {
                        b = b.prevalence(share)
                    }
                }
                "target_recall" => {
                    if let Some(r) = value.extract::<Option<f64>>().map_err(|e| arg(&key, e))? {
                        recall = true;
                        b = b.target_recall(r)
                    }
                }
                "class_weight" => {
                    b = b.class_weight(match value.extract::<String>().map_err(|e| arg(&key, e))?.as_str() {
                        "balanced" => propscan::ClassWeight::Balanced,
                        "none" => propscan::ClassWeight::None,
                        other => {
                            return Err(PyValueError::new_err(format!(
                                "class_weight: 'balanced' or 'none', not '{other}'"
                            )))
                        }
                    })
                }
                "buckets_log2" => features.buckets_log2 = value.extract().map_err(|e| arg(&key, e))?,
                "word_ngrams" => features.word_ngram_max = value.extract().map_err(|e| arg(&key, e))?,
                "char_ngrams" => char_ngrams = Some(value.extract::<String>().map_err(|e| arg(&key, e))?),
                "symbols" => features.symbols = value.extract().map_err(|e| arg(&key, e))?,
                "social" => features.social = value.extract().map_err(|e| arg(&key, e))?,
                "window_words" => features.window_words = value.extract().map_err(|e| arg(&key, e))?,
                "keep_stopwords" => features.stopwords = !value.extract::<bool>().map_err(|e| arg(&key, e))?,
                "stem" => {
                    features.stem = match value.extract::<String>().map_err(|e| arg(&key, e))?.as_str() {
                        "none" => propscan::text::StemMode::None,
                        "auto" => propscan::text::StemMode::Auto,
                        other => return Err(PyValueError::new_err(format!("stem: 'none' or 'auto', not '{other}'"))),
                    }
                }
                "min_df" => features.min_df = value.extract().map_err(|e| arg(&key, e))?,
                "raw_tf" => features.sublinear_tf = !value.extract::<bool>().map_err(|e| arg(&key, e))?,
                other => return Err(PyValueError::new_err(format!("unknown training option '{other}'"))),
            }
        }
    }
    if let Some(spec) = char_ngrams {
        let bad = || PyValueError::new_err(format!("char_ngrams takes 'MIN-MAX' or '0' (got '{spec}')"));
        (features.char_ngram_min, features.char_ngram_max) = if spec.trim() == "0" {
            (0, 0)
        } else {
            let (a, z) = spec.split_once('-').ok_or_else(bad)?;
            (a.trim().parse().map_err(|_| bad())?, z.trim().parse().map_err(|_| bad())?)
        };
    }
    b = b.features(features);
    if precision && recall {
        return Err(PyValueError::new_err(
            "target_precision and target_recall: give one of them (each sets the rule that picks the threshold)",
        ));
    }
    // The builder pairs a prevalence with the target precision, and refuses one without it.
    b.build().map_err(to_py)
}

fn data(
    texts: Vec<String>,
    labels: Vec<bool>,
    groups: Option<Vec<String>>,
    source: Option<String>,
) -> PyResult<TrainingData> {
    let mut d = TrainingData::new(&texts, &labels).map_err(to_py)?;
    if let Some(name) = source {
        d = d.with_source(name);
    }
    match groups {
        Some(g) => d.with_groups(&g).map_err(to_py),
        None => Ok(d),
    }
}

/// Trains a model (the interpreter is released while it trains).
#[pyfunction]
#[pyo3(signature = (texts, labels, groups=None, source=None, **kw))]
fn train(
    py: Python<'_>,
    texts: Vec<String>,
    labels: Vec<bool>,
    groups: Option<Vec<String>>,
    source: Option<String>,
    kw: Option<&Bound<'_, PyDict>>,
) -> PyResult<Model> {
    let options = options(kw)?;
    let data = data(texts, labels, groups, source)?;
    py.detach(|| propscan::train(&data, &options)).map(|inner| Model { inner }).map_err(to_py)
}

/// Retrains `model` on corrections, its weights as the prior.
#[pyfunction]
#[pyo3(signature = (model, texts, labels, groups=None, source=None, **kw))]
fn warm_start(
    py: Python<'_>,
    model: &Model,
    texts: Vec<String>,
    labels: Vec<bool>,
    groups: Option<Vec<String>>,
    source: Option<String>,
    kw: Option<&Bound<'_, PyDict>>,
) -> PyResult<Model> {
    let options = options(kw)?;
    let data = data(texts, labels, groups, source)?;
    py.detach(|| propscan::warm_start(&model.inner, &data, &options)).map(|inner| Model { inner }).map_err(to_py)
}

/// Cross-validates training, as JSON: out-of-fold scores, decisions, folds and each fold's figures.
#[pyfunction]
#[pyo3(signature = (texts, labels, groups=None, folds=5, **kw))]
fn cv_json(
    py: Python<'_>,
    texts: Vec<String>,
    labels: Vec<bool>,
    groups: Option<Vec<String>>,
    folds: usize,
    kw: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    let options = options(kw)?;
    let data = data(texts, labels, groups, None)?;
    let cv = py.detach(|| propscan::cross_validate(&data, &options, folds)).map_err(to_py)?;
    let v = serde_json::json!({
        "scores": cv.scores,
        "flagged": cv.flagged,
        "fold": cv.fold_of,
        "folds": cv.folds,
    });
    Ok(v.to_string())
}

#[pymodule]
fn _propscan(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Model>()?;
    m.add("ModelError", m.py().get_type::<ModelError>())?;
    m.add_function(wrap_pyfunction!(train, m)?)?;
    m.add_function(wrap_pyfunction!(warm_start, m)?)?;
    m.add_function(wrap_pyfunction!(cv_json, m)?)?;
    Ok(())
}
