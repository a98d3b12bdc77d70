//! The Python package and the Spark stage, tested from `cargo test`: `python/setup.sh` makes the project's own
//! virtual environment (maturin, NumPy, pandas, pyarrow, scikit-learn, pytest, pyspark from PyPI; the package
//! built from this checkout; Debian's Java runtime when missing and run as root), then pytest runs
//! `python/tests`, comparing the package with this build's `propscan` binary. Without a Java runtime the Spark
//! tests are skipped, and setup says how to install one.

use std::process::Command;

#[test]
fn python_package_and_spark_stage() {
    let root = env!("CARGO_MANIFEST_DIR");
    let setup = Command::new("bash").arg("python/setup.sh").current_dir(root).status().expect("run python/setup.sh");
    assert!(setup.success(), "python/setup.sh failed: see its output above (it needs PyPI)");
    let out = Command::new(format!("{root}/python/.venv/bin/python"))
        .args(["-m", "pytest", "python/tests", "-q", "-rs", "-p", "no:cacheprovider"])
        .env("PROPSCAN_BIN", env!("CARGO_BIN_EXE_propscan"))
        .current_dir(root)
        .output()
        .expect("run pytest");
    let text = String::from_utf8_lossy(&out.stdout);
    eprintln!("{text}");
    assert!(out.status.success(), "python tests failed:\n{text}\n{}", String::from_utf8_lossy(&out.stderr));
}
