"""The flow on Spark DataFrames (optional extra ``spark``).

Thin adapters over the in-memory functions, through Arrow:
``groupBy(bucket).applyInPandas`` for extraction (every table and the
observations in one union, grouped once by a hash of the borrower) and
``mapInPandas`` for the row-wise steps and the per-partition PSI counts.
No formula is re-implemented, and nothing reads or writes files: the
caller's Spark reads the tables (``spark.read.table(...)``).

Spark keeps only the text of a failure in a Python worker, so the workers
encode a library exception in that text; run actions inside
:func:`library_errors` (or use :func:`to_pandas`) to get the original
:class:`~jiebei_credit.errors.SchemaError` or
:class:`~jiebei_credit.errors.InvalidInputError` back.

Importing this module imports PySpark; ``import jiebei_credit`` does not.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Final

import numpy as np
import pandas as pd

try:
    from pyspark.sql import DataFrame
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "jiebei_credit.spark needs PySpark: pip install 'jiebei_credit[spark]' (pyspark, pyarrow)"
    ) from exc

from jiebei_credit import _distributed as _d
from jiebei_credit import limits, metrics, scorecard
from jiebei_credit._types import Vector
from jiebei_credit.errors import InvalidInputError, JiebeiCreditError, Problem, SchemaError

__all__ = [
    "assign",
    "explain",
    "extract",
    "fit",
    "library_errors",
    "outcomes",
    "psi",
    "score",
    "to_pandas",
]

_TABLE: Final = "__jc_table"
_KEY: Final = "__jc_key"
_OBS: Final = "__observations"
#: Largest reference sample collected whole for exact quantile bin edges.
DEFAULT_SAMPLE_SIZE: Final = 1_000_000


# ---- errors ----------------------------------------------------------------------


@contextmanager
def library_errors() -> Iterator[None]:
    """Re-raise a library exception from a Spark worker as the original exception.

    Yields
    ------
    None
        Control to the ``with`` block; a Spark error that carries an encoded
        library exception is re-raised as that exception, any other
        exception unchanged.

    Examples
    --------
    >>> from jiebei_credit.spark import library_errors
    >>> with library_errors():
    ...     pass
    """
    try:
        yield
    except JiebeiCreditError:
        raise
    except Exception as exc:
        original = _d.decode_error(str(exc))
        if original is None:
            raise
        raise original from None


def to_pandas(df: DataFrame) -> pd.DataFrame:
    """``df.toPandas()`` inside :func:`library_errors`.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        A Spark frame, e.g. the output of :func:`extract` or :func:`score`.

    Returns
    -------
    pandas.DataFrame
        The collected rows; a library error raised on a worker is re-raised
        as itself.
    """
    with library_errors():
        return df.toPandas()


def _guarded(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``fn`` (one argument, as Spark requires) with library exceptions encoded in the text."""

    def run(data: Any) -> Any:
        try:
            result = fn(data)
            if isinstance(result, Iterator):
                result = list(result)  # an iterator's failures happen here, inside the guard
            return result
        except JiebeiCreditError as exc:
            raise RuntimeError(_d.encode_error(exc)) from None

    return run


# ---- schemas ----------------------------------------------------------------------


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """String columns as object arrays.

    PySpark's Arrow writer cannot take pandas 3's Arrow-backed ``str``
    columns (chunked arrays).
    """
    text = {c: object for c, t in frame.dtypes.items() if pd.api.types.is_string_dtype(t)
            and not pd.api.types.is_object_dtype(t)}
    return frame.astype(text) if text else frame


def _spark_type(dtype: Any) -> T.DataType:
    if pd.api.types.is_bool_dtype(dtype):
        return T.BooleanType()
    if pd.api.types.is_integer_dtype(dtype):
        return T.LongType()
    if pd.api.types.is_float_dtype(dtype):
        return T.DoubleType()
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return T.TimestampType()
    return T.StringType()


def _schema_of(frame: pd.DataFrame, first: tuple[str, T.DataType] | None = None) -> T.StructType:
    fields = [T.StructField(first[0], first[1], True)] if first else []
    fields += [T.StructField(str(c), _spark_type(t), True) for c, t in frame.dtypes.items()]
    return T.StructType(fields)


def _empty_pandas(df: DataFrame) -> pd.DataFrame:
    """The pandas dtypes Spark's Arrow conversion gives this frame (a zero-row job)."""
    return df.limit(0).toPandas()


def _check(tables: object, observations: object, key: str, *, func: str,
           unknown_columns: str) -> list[str]:
    if not isinstance(tables, Mapping):
        raise InvalidInputError(
            f"{func}: tables must be a mapping of table name to Spark DataFrame; got "
            f"{type(tables).__name__}"
        )
    names = _d.check_tables(tables.keys(), func=func)
    wrong = [n for n in names if not isinstance(tables[n], DataFrame)]
    if wrong or not isinstance(observations, DataFrame):
        raise InvalidInputError(
            f"{func}: tables and observations must be Spark DataFrames; got "
            f"{[type(tables[n]).__name__ for n in wrong] or type(observations).__name__}"
        )
    _d.check_observation_columns(observations.columns, func=func)
    if key not in observations.columns:
        raise InvalidInputError(
            f"{func}: key {key!r} is not a column of observations (columns: "
            f"{observations.columns[:10]}); it identifies each observation in the output"
        )
    problems: list[Problem] = []
    for n in names:
        sample = _d.nonempty_sample(_empty_pandas(tables[n]))
        problems += _d.table_meta(n, sample, unknown_columns=unknown_columns)
    if problems:
        raise SchemaError(problems, context=func)
    return names


# ---- extract and outcomes ------------------------------------------------------------


def _union(tables: Mapping[str, DataFrame], names: list[str], observations: DataFrame, key: str,
           npartitions: int) -> DataFrame:
    parts = []
    for n in names:
        frame = tables[n]
        if n == "installments":
            owners = tables["loans"].select("loan_id", F.col("borrower_id").alias("__jc_owner"))
            frame = frame.join(owners, on="loan_id", how="left").withColumn(
                _d.BORROWER_KEY, F.col("__jc_owner")).drop("__jc_owner")
        parts.append(frame.withColumn(_TABLE, F.lit(n)))
    obs = observations.select(F.col(key).alias(_KEY), "borrower_id", "as_of").withColumn(_TABLE, F.lit(_OBS))
    union = obs
    for p in parts:
        union = union.unionByName(p, allowMissingColumns=True)
    bucket = F.pmod(F.hash(F.coalesce(F.col("borrower_id").cast("string"), F.lit(""))), F.lit(npartitions))
    return union.withColumn(_d.PART_KEY, bucket)


def _split(
    group: pd.DataFrame, columns: Mapping[str, list[str]]
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    tag = group[_TABLE].to_numpy()
    obs = group.loc[tag == _OBS, [_KEY, "borrower_id", "as_of"]].set_index(_KEY)
    obs.index.name = None
    frames = {n: group.loc[tag == n, cols].reset_index(drop=True) for n, cols in columns.items()}
    return obs, frames


def _npartitions(npartitions: int | None, observations: DataFrame, *, func: str) -> int:
    if npartitions is None:
        return max(observations.rdd.getNumPartitions(), 1)
    if isinstance(npartitions, bool) or not isinstance(npartitions, int) or npartitions < 1:
        raise InvalidInputError(f"{func}: npartitions must be a whole number >= 1; got {npartitions!r}")
    return npartitions


def extract(
    tables: Mapping[str, DataFrame],
    observations: DataFrame,
    *,
    key: str,
    npartitions: int | None = None,
    unknown_columns: str = "raise",
    **kwargs: Any,
) -> DataFrame:
    """Point-in-time features of Spark observations, with :func:`jiebei_credit.features.extract`.

    Parameters
    ----------
    tables : mapping of str to pyspark.sql.DataFrame
        Record tables by name (``borrowers`` required; ``installments``
        needs ``loans``).
    observations : pyspark.sql.DataFrame
        Columns ``borrower_id``, ``as_of`` and ``key``.
    key : str
        Column identifying each observation (unique); it is the first
        output column.
    npartitions : int, optional
        Borrower buckets (one pandas RecordSet each); default the number of
        partitions of ``observations``.
    unknown_columns : {"raise", "keep", "drop"}, default "raise"
        Passed to :meth:`RecordSet.from_frames`.
    **kwargs
        Keywords of :func:`jiebei_credit.features.extract`.

    Returns
    -------
    pyspark.sql.DataFrame
        Lazy: ``key`` and one double column per feature, in catalog order.

    Raises
    ------
    SchemaError, InvalidInputError
        Column and dtype problems from the Spark schemas and bad keywords,
        here; row problems when an action runs (inside
        :func:`library_errors`, as the original exception).

    Notes
    -----
    Instalments take their loan's ``borrower_id`` (a left join); every
    table and the observations are unioned with a table tag and grouped
    once by ``pmod(hash(borrower_id), npartitions)``; each group becomes a
    RecordSet and ``features.extract`` runs on it. Dates should be
    ``DateType`` or ``TimestampNTZType``, or ``TimestampType`` under a UTC
    session time zone, so that Arrow hands pandas the same naive dates.
    """
    func = "jiebei_credit.spark.extract"
    names = _check(tables, observations, key, func=func, unknown_columns=unknown_columns)
    meta = _d.feature_meta(dict.fromkeys(names), kwargs, func=func)  # checks the keywords
    p = _npartitions(npartitions, observations, func=func)
    key_type = observations.schema[key].dataType
    schema = _schema_of(meta, (key, key_type))
    columns = {n: list(tables[n].columns) for n in names}
    out_columns = [key, *map(str, meta.columns)]

    @_guarded
    def run(group: pd.DataFrame) -> pd.DataFrame:
        obs, frames = _split(group, columns)
        x = _d.extract_partition(obs, frames, unknown_columns=unknown_columns, kwargs=kwargs)
        out = x.reset_index(names=key) if len(x) else pd.DataFrame(columns=out_columns)
        return _plain(out[out_columns])

    union = _union(tables, names, observations, key, p)
    return union.groupBy(_d.PART_KEY).applyInPandas(run, schema=schema)


def outcomes(
    tables: Mapping[str, DataFrame],
    observations: DataFrame,
    *,
    key: str,
    npartitions: int | None = None,
    unknown_columns: str = "raise",
    **kwargs: Any,
) -> DataFrame:
    """The bad flag of Spark observations, with :func:`jiebei_credit.features.outcomes`.

    Parameters
    ----------
    tables : mapping of str to pyspark.sql.DataFrame
        Needs ``borrowers``, ``loans`` and ``installments`` (other tables
        are not read).
    observations : pyspark.sql.DataFrame
        Columns ``borrower_id``, ``as_of`` and ``key``.
    key : str
        Column identifying each observation (unique); it is the first
        output column.
    npartitions : int, optional
        Borrower buckets, as in :func:`extract`.
    unknown_columns : {"raise", "keep", "drop"}, default "raise"
        Passed to :meth:`RecordSet.from_frames`.
    **kwargs
        Keywords of :func:`jiebei_credit.features.outcomes`
        (``observed_until`` is required).

    Returns
    -------
    pyspark.sql.DataFrame
        ``key`` and ``bad`` (double: 1 bad, 0 good, NaN immature).

    Raises
    ------
    SchemaError, InvalidInputError
        As :func:`extract`; also without ``loans``/``installments`` or
        ``observed_until``.
    """
    func = "jiebei_credit.spark.outcomes"
    if isinstance(tables, Mapping):
        missing = [t for t in ("borrowers", "loans", "installments") if t not in tables]
        if missing:
            raise InvalidInputError(
                f"{func}: tables lacks {missing}; the bad flag is defined on instalments, so pass "
                "borrowers, loans and installments"
            )
        tables = {n: tables[n] for n in ("borrowers", "loans", "installments")}
    if "observed_until" not in kwargs:
        raise InvalidInputError(f"{func}: observed_until is required (the data extraction date)")
    names = _check(tables, observations, key, func=func, unknown_columns=unknown_columns)
    p = _npartitions(npartitions, observations, func=func)
    schema = T.StructType([T.StructField(key, observations.schema[key].dataType, True),
                           T.StructField("bad", T.DoubleType(), True)])
    columns = {n: list(tables[n].columns) for n in names}

    @_guarded
    def run(group: pd.DataFrame) -> pd.DataFrame:
        obs, frames = _split(group, columns)
        y = _d.outcomes_partition(obs, frames, unknown_columns=unknown_columns, kwargs=kwargs)
        return _plain(pd.DataFrame({key: y.index.to_numpy(), "bad": y.to_numpy()}))

    union = _union(tables, names, observations, key, p)
    return union.groupBy(_d.PART_KEY).applyInPandas(run, schema=schema)


# ---- row-wise steps ----------------------------------------------------------------


def _rowwise(X: DataFrame, key: str, fn: Callable[[pd.DataFrame], pd.DataFrame], *,
             func: str) -> DataFrame:
    """``mapInPandas`` of ``fn`` over ``X`` indexed by ``key``; schema from ``fn`` on a sample."""
    if not isinstance(X, DataFrame):
        raise InvalidInputError(f"{func}: X must be a Spark DataFrame; got {type(X).__name__}")
    if key not in X.columns:
        raise InvalidInputError(f"{func}: key {key!r} is not a column of X (columns: {X.columns[:10]})")
    empty = _empty_pandas(X).set_index(key)
    sample_out = fn(empty)  # the in-memory checks on the schema, and the output columns
    schema = _schema_of(sample_out.reset_index(drop=True))

    @_guarded
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            yield _plain(fn(batch.set_index(key)).reset_index(drop=True))

    return X.mapInPandas(run, schema=schema)


def score(card: scorecard.Scorecard, X: DataFrame, *, key: str, name: str = "score") -> DataFrame:
    """``card.points`` per row: columns ``key`` and ``name`` (double).

    Parameters
    ----------
    card : jiebei_credit.scorecard.Scorecard
        A fitted card.
    X : pyspark.sql.DataFrame
        Features and the ``key`` column.
    key : str
        Column identifying each row; copied to the output with its type.
    name : str, default "score"
        Name of the points column.

    Returns
    -------
    pyspark.sql.DataFrame
        Columns ``key`` and ``name``, one row per row of ``X``.

    Raises
    ------
    InvalidInputError, SchemaError, NotFittedError
        ``X`` is not a Spark DataFrame or lacks ``key``; otherwise as
        ``card.points`` (on the schema here, or from a worker).
    """
    def fn(frame: pd.DataFrame) -> pd.DataFrame:
        points = card.points(frame)
        return pd.DataFrame({key: frame.index.to_numpy(), name: np.asarray(points, dtype=np.float64)})

    out = _rowwise(X, key, fn, func="jiebei_credit.spark.score")
    return _with_key_type(out, X, key)


def explain(card: scorecard.Scorecard, X: DataFrame, *, key: str, top: int = 4,
            descriptions: Mapping[str, tuple[str, str]] | None = None) -> DataFrame:
    """``card.explain`` per row; its ``row`` column holds the ``key`` values.

    Parameters
    ----------
    card : jiebei_credit.scorecard.Scorecard
        A fitted card.
    X : pyspark.sql.DataFrame
        Features and the ``key`` column.
    key : str
        Column identifying each row.
    top : int, default 4
        Reasons per row (fewer when fewer features lost points).
    descriptions : mapping of str to (English, Chinese), optional
        Texts per feature, as for :func:`jiebei_credit.scorecard.explain`.

    Returns
    -------
    pyspark.sql.DataFrame
        The in-memory ``card.explain`` columns, one row per reason, ``row``
        holding the ``key`` values (with ``key``'s type).

    Raises
    ------
    InvalidInputError, SchemaError, NotFittedError
        ``X`` is not a Spark DataFrame or lacks ``key``; otherwise as
        ``card.explain``.
    """
    def fn(frame: pd.DataFrame) -> pd.DataFrame:
        return card.explain(frame, top=top, descriptions=descriptions)

    out = _rowwise(X, key, fn, func="jiebei_credit.spark.explain")
    return _with_key_type(out, X, key, column="row")


def assign(applicants: DataFrame, policy: limits.LimitPolicy, *, key: str, **kwargs: Any) -> DataFrame:
    """Apply :func:`jiebei_credit.limits.assign` per row: ``key`` then the in-memory columns.

    Parameters
    ----------
    applicants : pyspark.sql.DataFrame
        One row per applicant, with the ``key`` column and the columns
        :func:`jiebei_credit.limits.assign` reads.
    policy : jiebei_credit.limits.LimitPolicy
        Caps, capacity assumptions, cut-offs and rounding.
    key : str
        Column identifying each applicant.
    **kwargs
        Keywords of :func:`jiebei_credit.limits.assign` (e.g. ``scaling``,
        required when ``applicants`` has a ``score`` column).

    Returns
    -------
    pyspark.sql.DataFrame
        ``key``, then the columns of the in-memory output.

    Raises
    ------
    InvalidInputError, SchemaError
        ``applicants`` is not a Spark DataFrame or lacks ``key``; otherwise
        as :func:`jiebei_credit.limits.assign`.
    """
    def fn(frame: pd.DataFrame) -> pd.DataFrame:
        out = limits.assign(frame, policy, **kwargs)
        return out.reset_index(names=key)

    out = _rowwise(applicants, key, fn, func="jiebei_credit.spark.assign")
    return _with_key_type(out, applicants, key)


def _with_key_type(out: DataFrame, X: DataFrame, key: str, column: str | None = None) -> DataFrame:
    column = column or key
    return out.withColumn(column, F.col(column).cast(X.schema[key].dataType))


# ---- fitting ------------------------------------------------------------------------


def _partition_frame(batches: Iterator[pd.DataFrame]) -> pd.DataFrame | None:
    """The batches of one Spark partition as one frame (None when it has no rows)."""
    frames = [b for b in batches if len(b)]
    return pd.concat(frames, ignore_index=True) if frames else None


def _partition_id() -> int:
    from pyspark import TaskContext

    ctx = TaskContext.get()
    return ctx.partitionId() if ctx is not None else 0


def _splitter(features: list[str], target: str, weight: str | None) -> Callable[
        [pd.DataFrame], tuple[pd.DataFrame, pd.Series, pd.Series | None]]:
    def split(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series | None]:
        return frame[features], frame[target], (frame[weight] if weight else None)

    return split


class _SparkFit:
    """The steps of :func:`jiebei_credit._distributed.fit_scorecard` on Spark partitions."""

    def __init__(self, df: DataFrame, features: list[str], target: str, weight: str | None) -> None:
        self.df = df.select(*features, target, *([weight] if weight else []))
        # the functions sent to the workers must not hold the DataFrame (no Spark context there)
        self._xyw = _splitter(features, target, weight)

    def _map(self, part_fn: Callable[[pd.DataFrame, int], pd.DataFrame],
             schema: T.StructType) -> pd.DataFrame:
        @_guarded
        def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
            frame = _partition_frame(batches)
            if frame is not None:
                yield _plain(part_fn(frame, _partition_id()))

        with library_errors():
            return self.df.mapInPandas(run, schema=schema).toPandas()

    def totals(self, plan: Any) -> list[tuple[int, float, float]]:
        schema = T.StructType([T.StructField("n", T.LongType()), T.StructField("goods", T.DoubleType()),
                               T.StructField("bads", T.DoubleType())])

        xyw = self._xyw

        def part(frame: pd.DataFrame, _: int) -> pd.DataFrame:
            n, g, b = _d.partition_totals(plan, *xyw(frame))
            return pd.DataFrame({"n": [n], "goods": [g], "bads": [b]})

        rows = self._map(part, schema)
        return list(zip(rows["n"].astype(np.int64).tolist(), rows["goods"].astype(np.float64).tolist(),
                        rows["bads"].astype(np.float64).tolist(), strict=True))

    def collect(self) -> tuple[pd.DataFrame, pd.Series, pd.Series | None]:
        with library_errors():
            frame = self.df.toPandas()
        return self._xyw(frame)

    def sample(self, plan: Any, fraction: float) -> list[pd.DataFrame]:
        schema = T.StructType([T.StructField(c, T.DoubleType(), True) for c in plan.sampled])

        xyw = self._xyw

        def part(frame: pd.DataFrame, i: int) -> pd.DataFrame:
            out = _d.partition_sample(plan, xyw(frame)[0], fraction=fraction, part=i)
            return out.astype(np.float64)

        return [self._map(part, schema)]

    def stats(self, plan: Any, edges: Mapping[str, Any]) -> list[Any]:
        schema = T.StructType([T.StructField("part", T.LongType()), T.StructField("stats", T.StringType())])

        xyw = self._xyw

        def part(frame: pd.DataFrame, i: int) -> pd.DataFrame:
            stats = _d.partition_stats(plan, edges, *xyw(frame))
            text = json.dumps({k: [s.to_dict() for s in v] for k, v in stats.items()})
            return pd.DataFrame({"part": [i], "stats": np.array([text], dtype=object)})

        rows = self._map(part, schema)
        return [{k: tuple(scorecard.BinStats.from_dict(s) for s in v) for k, v in json.loads(text).items()}
                for text in rows["stats"]]

    def combinations(self, plan: Any, binnings: Mapping[str, Any]) -> list[pd.DataFrame]:
        names = list(binnings)
        weights = [T.StructField("goods", T.DoubleType()), T.StructField("bads", T.DoubleType())]
        schema = T.StructType([T.StructField(f"b{k}", T.LongType()) for k in range(len(names))] + weights)

        xyw = self._xyw

        def part(frame: pd.DataFrame, _: int) -> pd.DataFrame:
            table = _d.partition_combinations(plan, binnings, *xyw(frame))
            table.columns = [f"b{k}" for k in range(len(names))] + ["goods", "bads"]
            return table

        table = self._map(part, schema)
        table.columns = [*names, *_d.COMBINATION_WEIGHTS]
        return [table]


def fit(estimator: scorecard.Scorecard, df: DataFrame, *, target: str, weight: str | None = None,
        features: list[str] | None = None, max_rows: int | None = None) -> scorecard.Scorecard:
    """Fit a scorecard on a Spark DataFrame; returns a fitted in-memory clone of ``estimator``.

    Parameters
    ----------
    estimator : jiebei_credit.scorecard.Scorecard
        Unfitted (its parameters are used; it is not changed).
    df : pyspark.sql.DataFrame
        Features, the target and optionally the weights, one row each.
    target : str
        Column of the target (1 bad, 0 good).
    weight : str, optional
        Column of frequency weights.
    features : list of str, optional
        Feature columns, in order; by default every other column.
    max_rows : int, optional
        As in :func:`jiebei_credit.dask.fit`: up to this many rows the card
        is fitted in memory on ``df.toPandas()``.

    Returns
    -------
    Scorecard
        A new fitted in-memory card with ``estimator``'s parameters.

    Raises
    ------
    InvalidInputError, SchemaError
        As :func:`jiebei_credit.dask.fit`; also unknown ``target``,
        ``weight`` or ``features`` columns (before any job). Failures in a
        worker surface as the original library exception.

    Notes
    -----
    The same passes as :func:`jiebei_credit.dask.fit`, each a
    ``mapInPandas`` over the partitions (the sample is seeded by the
    partition id, so it depends on the partitioning): rows per partition,
    a sample for the fine edges, fine-bin statistics (per cross-validation
    fold for ``monotonic='cv'``), and counts of bin combinations. Only those
    results reach the driver; the combinations are a few thousand rows for
    coarse bins, but up to one per row when many features have many fine
    bins.
    """
    func = "jiebei_credit.spark.fit"
    if not isinstance(df, DataFrame):
        raise InvalidInputError(f"{func}: df must be a Spark DataFrame; got {type(df).__name__}")
    named = [("target", target), *([("weight", weight)] if weight is not None else [])]
    for name, col in named:
        if not isinstance(col, str) or col not in df.columns:
            raise InvalidInputError(
                f"{func}: {name} must name a column of df; got {col!r} (columns: {df.columns[:10]})"
            )
    if features is None:
        features = [c for c in df.columns if c not in (target, weight)]
    else:
        unknown = [c for c in features if c not in df.columns]
        if unknown or not features:
            raise InvalidInputError(
                f"{func}: features must name columns of df; got {len(unknown)} unknown "
                f"({unknown[:5]}) of {list(features)[:10]}. Columns: {df.columns[:10]}"
            )
        features = list(features)
    clash = [c for c in features if c in (target, weight)]
    if clash:
        raise InvalidInputError(f"{func}: features must not hold the target or weight column; got {clash}")
    plan = _d.plan_fit(func, estimator, _empty_pandas(df.select(*features)))
    limit = _d.max_rows_of(func, estimator, max_rows)
    fitted: scorecard.Scorecard = _d.fit_scorecard(_SparkFit(df, features, target, weight), estimator, plan,
                                                   max_rows=limit)
    return fitted


# ---- mergeable histograms -------------------------------------------------------------


def _column(df: object, column: str, *, func: str, name: str) -> DataFrame:
    if not isinstance(df, DataFrame) or column not in df.columns:
        raise InvalidInputError(
            f"{func}: {name} must be a Spark DataFrame with column {column!r}; got "
            f"{type(df).__name__}"
        )
    return df.select(column)


def _counts(df: DataFrame, column: str, reference: Any, *, bins: int, edges: Any,
            binning: Any) -> pd.Series:
    schema = T.StructType([T.StructField("part", T.LongType()), T.StructField("pos", T.LongType()),
                           T.StructField("label", T.StringType()), T.StructField("count", T.LongType())])

    @_guarded
    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from pyspark import TaskContext

        ctx = TaskContext.get()
        part = ctx.partitionId() if ctx is not None else 0
        values = [b[column] for b in batches if len(b)]
        if not values:  # an empty partition counts nothing
            return
        x = pd.concat(values, ignore_index=True)
        ref = x if reference is None else reference
        c = _d.bin_counts(ref, x, bins=bins, edges=edges, binning=binning)
        yield _plain(pd.DataFrame({"part": part, "pos": np.arange(len(c)),
                                   "label": np.array([str(v) for v in c.index], dtype=object),
                                   "count": c.to_numpy(dtype=np.int64)}))

    rows = df.mapInPandas(run, schema=schema).toPandas().sort_values(["part", "pos"], kind="stable")
    return _d.merge_counts(
        [pd.Series(g["count"].to_numpy(), index=g["label"].to_numpy())
         for _, g in rows.groupby("part", sort=True)]
    )


def psi(
    reference: DataFrame,
    current: DataFrame,
    *,
    column: str,
    bins: int = 10,
    edges: Vector | None = None,
    binning: metrics.BinningLike | None = None,
    missing: str = "raise",
    smoothing: float = 0.5,
    thresholds: tuple[float, float] = metrics.PSI_THRESHOLDS,
    sample_size: int = DEFAULT_SAMPLE_SIZE,
    seed: int = 0,
) -> metrics.PSIResult:
    """PSI of ``column`` between two Spark DataFrames, from per-partition bin counts.

    Parameters
    ----------
    reference, current : pyspark.sql.DataFrame
        Reference and current rows.
    column : str
        The variable.
    bins : int, default 10
        For numeric input: number of bins, cut at quantiles of the reference
        (left-closed; ties can merge bins). Not used with ``edges`` or
        ``binning``.
    edges : array-like of float, optional
        Strictly increasing interior cut points for numeric input.
    binning : BinningLike, optional
        A fitted binning (e.g. :class:`jiebei_credit.scorecard.Binning`): its
        bins are used as they are, including its missing and special bins.
    missing : {"raise", "bin"}, default "raise"
        Missing values raise, or are counted in a separate ``"missing"`` bin.
        Not used with ``binning``.
    smoothing : float, default 0.5
        Added to every bin's count in both samples before taking shares, so
        bins empty in one sample give a finite PSI; ``0`` gives the textbook
        PSI.
    thresholds : tuple of two floats, default (0.1, 0.25)
        Traffic-light cut-offs ``(amber, red)``, see
        :func:`jiebei_credit.metrics.psi_status`.
    sample_size : int, default 1 000 000
        Quantile edges come from all of ``reference`` up to ``sample_size``
        rows (exact), else from ``reference.sample(fraction, seed)``
        (approximate edges, exact counts), as in :func:`jiebei_credit.dask.psi`.
    seed : int, default 0
        Seed of that sample.

    Returns
    -------
    PSIResult
        As :func:`jiebei_credit.metrics.psi`; equal to the in-memory result
        when the edges are exact.

    Raises
    ------
    InvalidInputError
        As :func:`jiebei_credit.metrics.psi`, raised on the driver.
    """
    func = "jiebei_credit.spark.psi"
    e = _column(reference, column, func=func, name="reference")
    a = _column(current, column, func=func, name="current")
    if missing not in ("raise", "bin"):
        raise InvalidInputError(f"{func}: missing must be 'raise' or 'bin'; got {missing!r}")
    edge_sample = None
    if edges is None and binning is None:
        n = e.count()
        sample = e if n <= sample_size else e.sample(fraction=sample_size / n, seed=seed)
        edge_sample = sample.toPandas()[column]
    with library_errors():
        e_counts = _counts(e, column, edge_sample, bins=bins, edges=edges, binning=binning)
        a_counts = _counts(a, column, edge_sample, bins=bins, edges=edges, binning=binning)
    return _d.psi_from_merged_counts(e_counts, a_counts, smoothing=smoothing, thresholds=thresholds,
                                     missing=missing, func=func)
