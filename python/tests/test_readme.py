"""The README's Python examples ("From Python", "On Spark") run as written."""

import re

import pytest

from conftest import ROOT, java


def blocks(section: str) -> list:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"## {section}")
    end = text.find("\n## ", start + 3)
    return re.findall(r"```python\n(.*?)```", text[start:end], re.S)


def test_from_python_runs():
    (code,) = blocks("From Python")
    exec(compile(code, "README.md (From Python)", "exec"), {})


@pytest.mark.skipif(not java(), reason="no Java runtime for Spark")
def test_on_spark_runs():
    (code,) = blocks("On Spark")
    exec(compile(code, "README.md (On Spark)", "exec"), {})
