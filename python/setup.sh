#!/usr/bin/env bash
# Sets up what the Python package's tests need, in a virtual environment of the project's own (python/.venv):
# maturin, NumPy, pandas, pyarrow, scikit-learn, pytest and pyspark from PyPI, the package itself built from this
# checkout, and (for the Spark tests) Debian's Java runtime when it is missing and this runs as root.
# Idempotent: a second run only rebuilds the package. Usage: bash python/setup.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip >/dev/null
"$venv/bin/python" -m pip install --quiet "maturin>=1.7,<2" "numpy>=1.22" "pandas>=1.5,<3" "pyarrow>=12" \
  "scikit-learn>=1.2" "pytest>=7" "pyspark>=3.4"
# The package, built from this checkout in its own target folder (so that it never waits on a running cargo).
(cd "$here" && CARGO_TARGET_DIR="$here/target" "$venv/bin/maturin" develop --release --quiet)
if ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null
  else
    echo "python/setup.sh: no Java runtime, so the Spark tests will be skipped; install one with:" >&2
    echo "  sudo apt-get install -y default-jre-headless" >&2
  fi
fi
