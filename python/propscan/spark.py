"""propscan as a stage of Apache Spark: ``score(df)`` adds ``score``, ``flagged``, ``error`` (and, with
``explain``, ``evidence``) to a DataFrame, scoring each partition in Arrow batches.

    from propscan.spark import score
    scored = score(df, text_col="text")                       # the built-in model
    scored = score(df, model="/shared/models/my.model")       # a file every executor can read
    spark.sparkContext.addFile("my.model"); scored = score(df, model="my.model")   # shipped by Spark

Each Python worker scores with ``spark.task.cpus`` threads (one by default), and loads the model once and keeps
it for every batch and task it runs (a module-level cache, keyed by where the model comes from), never once per
row or per batch. A row whose text is null or not a string
gets the command line's bad-row treatment: ``score`` and ``flagged`` null and an ``error`` that says why; the job
goes on.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterator, Optional, Union

from . import Model

__all__ = ["score"]

# Models loaded in this Python process, by source: one per worker, reused by every batch and task.
_MODELS: dict = {}


def _model(source: Union[None, str, bytes]) -> Model:
    key = source if source is not None else "<built-in>"
    model = _MODELS.get(key)
    if model is None:
        if source is None:
            model = Model.builtin()
        elif isinstance(source, bytes):
            model = Model.from_bytes(source)
        else:
            path = source
            if not os.path.isabs(path) and not os.path.exists(path):
                from pyspark import SparkFiles  # a file shipped with SparkContext.addFile

                path = SparkFiles.get(path)
            model = Model.load(path)
        _MODELS[key] = model
    return model


def _limit_threads() -> None:
    """Spark runs one Python worker per task slot, each given ``spark.task.cpus`` cores: scoring in a worker
    uses that many threads, not one per core of the machine (which, on a 32-core executor, would be 32 workers
    of 32 threads each). Set before the worker's first scoring; ``RAYON_NUM_THREADS`` set by the user wins."""
    if "RAYON_NUM_THREADS" in os.environ:
        return
    from pyspark import TaskContext

    context = TaskContext.get()
    cpus = context.cpus() if context is not None and hasattr(context, "cpus") else 1
    os.environ["RAYON_NUM_THREADS"] = str(max(1, int(cpus)))


def score(df: Any, text_col: str = "text", model: Union[None, str, Model] = None, explain: int = 0) -> Any:
    """``df`` with ``score`` (float), ``flagged`` (boolean, decided in float64 as the command line decides),
    ``error`` (string) and, when ``explain`` > 0, ``evidence`` (JSON string) added; a DataFrame that already
    has one of those columns is refused rather than losing it. ``model`` is ``None`` (the built-in model), a
    path every executor can read, a URI on shared storage (``hdfs://``, ``s3a://``..., shipped with
    ``SparkContext.addFile``), the name of a file already added with ``addFile``, or a ``Model`` (sent to the
    executors as its bytes)."""
    import pyarrow as pa
    from pyspark.sql.types import BooleanType, FloatType, StringType, StructField, StructType

    if text_col not in df.columns:
        raise ValueError(f"no column '{text_col}'; the columns are: {', '.join(df.columns)}")
    ours = ["score", "flagged", "error"] + (["evidence"] if explain > 0 else [])
    taken = [c for c in df.columns if c.lower() in ours]
    if taken:
        # Never drop a column of the caller's: every input column comes out as it went in.
        raise ValueError(f"the DataFrame already has column(s) {', '.join(taken)}, which score() adds; "
                         "rename or drop them first")
    source: Union[None, str, bytes] = model.to_bytes() if isinstance(model, Model) else model
    if isinstance(source, str) and "://" in source and not source.startswith("file://"):
        # A URI on shared storage (hdfs://, s3a://...): Spark fetches it to every executor.
        df.sparkSession.sparkContext.addFile(source)
        source = source.rstrip("/").rsplit("/", 1)[-1]
    elif isinstance(source, str) and source.startswith("file://"):
        source = source[len("file://"):]
    if isinstance(source, str) and os.path.isabs(source) and not os.path.exists(source):
        raise FileNotFoundError(source)
    fields = list(df.schema.fields)
    added = [StructField("score", FloatType()), StructField("flagged", BooleanType())]
    if explain > 0:
        added.append(StructField("evidence", StringType()))
    added.append(StructField("error", StringType()))
    schema = StructType(fields + added)
    keep = [f.name for f in fields]
    k = int(explain)

    def batches(it: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        _limit_threads()
        m = _model(source)
        threshold = m.threshold
        for batch in it:
            values = batch.column(batch.schema.get_field_index(text_col)).to_pylist()
            texts = [v if isinstance(v, str) else None for v in values]
            scores = m.score(texts)
            errors = [
                None if isinstance(v, str) else ("no text (null)" if v is None else f"the text is a {type(v).__name__}, not a string")
                for v in values
            ]
            ok = [e is None for e in errors]
            columns = [batch.column(batch.schema.get_field_index(name)) for name in keep]
            columns.append(pa.array([float(s) if good else None for s, good in zip(scores, ok)], type=pa.float32()))
            columns.append(pa.array([bool(float(s) >= threshold) if good else None for s, good in zip(scores, ok)], type=pa.bool_()))
            if k > 0:
                explained = m.explain_batch(texts, k)  # the whole batch at once, on every core
                evidence = [json.dumps(e["evidence"]) if good else None for e, good in zip(explained, ok)]
                columns.append(pa.array(evidence, type=pa.string()))
            columns.append(pa.array(errors, type=pa.string()))
            yield pa.RecordBatch.from_arrays(columns, names=keep + [f.name for f in added])

    return df.mapInArrow(batches, schema)
