//! propscan in linfa's terms (the `linfa` feature): a [`Model`] predicts decisions (`Array1<bool>`) or scores
//! (`Array1<f32>`) for a 1-D array of texts, [`Params`] are unchecked training options that check into
//! [`ValidParams`], which fit a model on a `Dataset` of texts and boolean targets, and warm-start one from an old
//! model with `fit_with`. The results are exactly those of [`crate::train()`], [`crate::warm_start`] and
//! [`Model::score_batch`].
//!
//! ```
//! use linfa::prelude::*;
//! use linfa::DatasetBase;
//! use ndarray::Array1;
//! use propscan::linfa::Params;
//!
//! let texts: Array1<String> = ["make hijrah and join the caravan", "join our football club"]
//!     .iter().cycle().take(40).map(|s| s.to_string()).collect();
//! let labels: Array1<bool> = (0..40).map(|i| i % 2 == 0).collect();
//! let data = DatasetBase::new(texts.clone(), labels);
//! let params = Params::new(propscan::TrainOptions::builder().cv_folds(2).build()?);
//! let model = params.fit(&data)?;
//! let decisions: Array1<bool> = model.predict(&texts);
//! assert!(decisions[0] && !decisions[1]);
//! # Ok::<(), propscan::Error>(())
//! ```

use crate::{Error, Model, TrainOptions, TrainingData};
use linfa::dataset::DatasetBase;
use linfa::traits::{Fit, FitWith, PredictInplace};
use linfa::ParamGuard;
use ndarray::{Array1, ArrayBase, Data, Ix1};

impl From<linfa::Error> for Error {
    fn from(e: linfa::Error) -> Error {
        Error::Usage(format!("linfa: {e}"))
    }
}

/// Training options not yet checked (linfa's unchecked parameters): [`ValidParams`] once they pass.
#[derive(Debug, Clone, PartialEq)]
pub struct Params(ValidParams);

/// Training options that passed [`TrainOptions::validate`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidParams(TrainOptions);

impl Params {
    /// Wraps `options`, to be checked by [`ParamGuard::check`] (or by `fit`).
    pub fn new(options: TrainOptions) -> Params {
        Params(ValidParams(options))
    }
}

impl Default for Params {
    fn default() -> Params {
        Params::new(TrainOptions::default())
    }
}

impl ParamGuard for Params {
    type Checked = ValidParams;
    type Error = Error;

    fn check_ref(&self) -> Result<&ValidParams, Error> {
        self.0 .0.validate()?;
        Ok(&self.0)
    }

    fn check(self) -> Result<ValidParams, Error> {
        self.0 .0.validate()?;
        Ok(self.0)
    }
}

impl ValidParams {
    /// The checked options.
    pub fn options(&self) -> &TrainOptions {
        &self.0
    }
}

fn data<S: Data<Elem = String>>(records: &ArrayBase<S, Ix1>, targets: &Array1<bool>) -> Result<TrainingData, Error> {
    let texts: Vec<&str> = records.iter().map(String::as_str).collect();
    let labels: Vec<bool> = targets.iter().copied().collect();
    TrainingData::new(&texts, &labels)
}

impl<S: Data<Elem = String>> Fit<ArrayBase<S, Ix1>, Array1<bool>, Error> for ValidParams {
    type Object = Model;

    fn fit(&self, dataset: &DatasetBase<ArrayBase<S, Ix1>, Array1<bool>>) -> Result<Model, Error> {
        crate::train(&data(&dataset.records, &dataset.targets)?, &self.0)
    }
}

impl<'a, S: Data<Elem = String> + 'a> FitWith<'a, ArrayBase<S, Ix1>, Array1<bool>, Error> for ValidParams {
    type ObjectIn = &'a Model;
    type ObjectOut = Model;

    fn fit_with(
        &self,
        old: &'a Model,
        dataset: &'a DatasetBase<ArrayBase<S, Ix1>, Array1<bool>>,
    ) -> Result<Model, Error> {
        crate::warm_start(old, &data(&dataset.records, &dataset.targets)?, &self.0)
    }
}

impl<S: Data<Elem = String>> PredictInplace<ArrayBase<S, Ix1>, Array1<bool>> for Model {
    fn predict_inplace(&self, x: &ArrayBase<S, Ix1>, y: &mut Array1<bool>) {
        let texts: Vec<&str> = x.iter().map(String::as_str).collect();
        let t = self.threshold();
        for (d, s) in y.iter_mut().zip(self.score_batch(&texts)) {
            *d = s as f64 >= t;
        }
    }

    fn default_target(&self, x: &ArrayBase<S, Ix1>) -> Array1<bool> {
        Array1::from_elem(x.len(), false)
    }
}

impl<S: Data<Elem = String>> PredictInplace<ArrayBase<S, Ix1>, Array1<f32>> for Model {
    fn predict_inplace(&self, x: &ArrayBase<S, Ix1>, y: &mut Array1<f32>) {
        let texts: Vec<&str> = x.iter().map(String::as_str).collect();
        for (o, s) in y.iter_mut().zip(self.score_batch(&texts)) {
            *o = s;
        }
    }

    fn default_target(&self, x: &ArrayBase<S, Ix1>) -> Array1<f32> {
        Array1::zeros(x.len())
    }
}
