"""Shared fixtures: the repository root, the command-line binary to compare with, and the written corpus."""

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def cli() -> str:
    """The `propscan` binary: PROPSCAN_BIN (set by `cargo test`), else a release build of this checkout."""
    path = os.environ.get("PROPSCAN_BIN")
    if path:
        return path
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return str(ROOT / "target" / "release" / "propscan")


@pytest.fixture(scope="session")
def corpus() -> tuple:
    """Texts and labels of corpora/corpus.csv."""
    with open(ROOT / "corpora" / "corpus.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [r["label"] == "1" for r in rows]


def cli_scores(cli: str, path: Path, model: str = None) -> list:
    """`propscan score` of a CSV file: the score column exactly as written (shortest float32 text)."""
    args = [cli, "--quiet", "score", str(path), "--format", "jsonl"]
    if model:
        args += ["--model", model]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    import json

    return [json.loads(line)["score"] for line in out.splitlines()]


def java() -> bool:
    return shutil.which("java") is not None
