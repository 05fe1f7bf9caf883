# Dask is only partly typed (untyped calls, re-exports mypy cannot see):
# mypy: disable-error-code="no-untyped-call,no-any-return,attr-defined"
"""The flow on Dask DataFrames (optional extra ``dask``).

Thin adapters over the in-memory functions: the tables are co-partitioned
by borrower with one hash shuffle each, every partition becomes one
:class:`~jiebei_credit.records.RecordSet`, and the in-memory function runs
on it unchanged. Row-wise steps (scores, reasons, limits) are
``map_partitions``; PSI and the stability report add per-partition bin
counts and apply :func:`jiebei_credit.metrics.psi` to the sums. No formula
is re-implemented here, and nothing reads or writes files: the caller's
Dask reads the tables (``dd.read_parquet(...)``).

Importing this module imports Dask; ``import jiebei_credit`` does not.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Hashable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

try:
    import dask
    import dask.array as da
    import dask.dataframe as dd
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "jiebei_credit.dask needs Dask: pip install 'jiebei_credit[dask]' "
        "(dask[dataframe] and distributed)"
    ) from exc

from jiebei_credit import _distributed as _d
from jiebei_credit import limits, metrics, monitoring, synthetic
from jiebei_credit._types import DateLike, Vector
from jiebei_credit.errors import InvalidInputError, Problem, SchemaError

if TYPE_CHECKING:
    from jiebei_credit.scorecard import Scorecard

__all__ = [
    "assign",
    "explain",
    "extract",
    "fit",
    "outcomes",
    "predict_proba",
    "psi",
    "score",
    "simulate_portfolio",
    "stability_report",
]

#: Largest reference sample collected whole for exact quantile bin edges.
DEFAULT_SAMPLE_SIZE: Final = 1_000_000


def _int(value: object, *, func: str, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not low <= value <= high:
        raise InvalidInputError(
            f"{func}: {name} must be a whole number in [{low}, {high}]; got {value!r}. "
            f"Pass e.g. {name}={max(low, 1)}."
        )
    return int(value)


# ---- simulation -----------------------------------------------------------------


def simulate_portfolio(
    n_borrowers: int,
    *,
    start: DateLike,
    end: DateLike,
    seed: int | np.random.SeedSequence,
    npartitions: int,
    config: synthetic.SimulationConfig | None = None,
) -> Mapping[str, dd.DataFrame]:
    """A simulated portfolio as lazy Dask DataFrames, one partition per seed.

    Parameters
    ----------
    n_borrowers : int
        Borrowers in all, at least ``npartitions``.
    start, end : date
        The observation ``[start, end)``, as in
        :func:`jiebei_credit.synthetic.simulate_portfolio`.
    seed : int or numpy.random.SeedSequence
        Partition ``i`` uses the ``i``-th child of
        ``SeedSequence(seed).spawn(npartitions)``.
    npartitions : int
        Partitions; partition ``i`` holds ``n // P`` borrowers (one more for
        the first ``n % P``).
    config : SimulationConfig, optional
        Passed to every partition.

    Returns
    -------
    mapping of str to dask.dataframe.DataFrame
        The seven record tables (:data:`jiebei_credit.records.TABLE_NAMES`)
        and ``"truth"`` (``Truth.borrowers`` with ``borrower_id`` as a
        column). Lazy: nothing is generated until computed. Tables computed
        together share one generation per partition.

    Raises
    ------
    InvalidInputError
        For a bad ``n_borrowers``, ``npartitions``, ``seed``, date or config
        (checked before anything is generated).

    Notes
    -----
    Each partition is ``synthetic.simulate_portfolio(n_i, seed=child_i)``
    with every identifier prefixed by ``"P<i>-"`` (``"P03-B0042"``), so ids
    are unique across partitions. The result depends only on ``seed`` and
    ``npartitions``, never on the scheduler; it is not the same portfolio
    as the in-memory generator with the same seed (that one draws all
    borrowers from one stream).

    Examples
    --------
    >>> import jiebei_credit.dask as jcd
    >>> t = jcd.simulate_portfolio(40, start="2024-01-01", end="2024-06-01", seed=1, npartitions=2)
    >>> t["borrowers"].npartitions
    2
    >>> b = t["borrowers"].compute(scheduler="sync")
    >>> len(b), b["borrower_id"].is_unique, b["borrower_id"].iloc[0]
    (40, True, 'P0-B00')
    """
    func = "jiebei_credit.dask.simulate_portfolio"
    n = _int(n_borrowers, func=func, name="n_borrowers", low=1, high=10**9)
    p = _int(npartitions, func=func, name="npartitions", low=1, high=n)
    if isinstance(seed, np.random.SeedSequence):
        root = seed
    elif isinstance(seed, int | np.integer) and not isinstance(seed, bool) and seed >= 0:
        root = np.random.SeedSequence(int(seed))
    else:
        raise InvalidInputError(
            f"{func}: seed must be a non-negative int or a numpy.random.SeedSequence; got {seed!r}. "
            "A Generator carries state, so partitions could not be regenerated alike."
        )
    children = root.spawn(p)
    # The in-memory generator checks dates and config; a one-borrower run gives the dtypes too.
    sample = _d.simulate_part(1, part=0, npartitions=p, start=start, end=end,
                              seed=np.random.SeedSequence(0), config=config, truth=True)
    meta = {name: frame.iloc[:0] for name, frame in sample.items()}
    sizes = _d.part_sizes(n, p)
    parts = [
        dask.delayed(_d.simulate_part, pure=True)(
            sizes[i], part=i, npartitions=p, start=start, end=end, seed=children[i], config=config,
            truth=True, dask_key_name=f"jiebei-simulate-{root.entropy}-{p}-{n}-{i}",
        )
        for i in range(p)
    ]
    return {
        name: dd.from_delayed(
            [dask.delayed(operator.getitem, pure=True)(part, name) for part in parts],
            meta=meta[name], verify_meta=False,
        )
        for name in meta
    }


# ---- co-partitioning -------------------------------------------------------------


def _with_part(frame: pd.DataFrame, npartitions: int) -> pd.DataFrame:
    ids = frame["borrower_id"].astype("string").to_numpy(dtype=object, na_value="")
    part = (pd.util.hash_array(ids) % np.uint64(npartitions)).astype(np.int64)
    return frame.assign(**{_d.PART_KEY: part})


def _keyed(frame: dd.DataFrame, npartitions: int) -> dd.DataFrame:
    meta = frame._meta.assign(**{_d.PART_KEY: np.array([], dtype=np.int64)})
    keyed = frame.map_partitions(_with_part, npartitions, meta=meta)
    return keyed.shuffle(on=_d.PART_KEY, npartitions=npartitions)


def _check_frames(
    tables: object, observations: object, *, func: str, unknown_columns: str
) -> list[str]:
    if not isinstance(tables, Mapping):
        raise InvalidInputError(
            f"{func}: tables must be a mapping of table name to dask DataFrame; got "
            f"{type(tables).__name__}"
        )
    names = _d.check_tables(tables.keys(), func=func)
    wrong = [n for n in names if not isinstance(tables[n], dd.DataFrame)]
    if wrong:
        raise InvalidInputError(
            f"{func}: tables {wrong} must be dask DataFrames; got "
            f"{[type(tables[n]).__name__ for n in wrong]}. Wrap pandas frames with dd.from_pandas"
        )
    if not isinstance(observations, dd.DataFrame):
        raise InvalidInputError(
            f"{func}: observations must be a dask DataFrame with columns borrower_id and as_of; got "
            f"{type(observations).__name__}"
        )
    _d.check_observation_columns(list(observations.columns), func=func)
    problems: list[Problem] = []
    for n in names:  # schema problems visible in the metadata: before any compute
        problems += _d.table_meta(n, tables[n]._meta_nonempty, unknown_columns=unknown_columns)
    if problems:
        raise SchemaError(problems, context=func)
    return names


def _copartition(
    tables: Mapping[str, dd.DataFrame], names: list[str], observations: dd.DataFrame,
    npartitions: int | None, *, func: str, aligned: bool = False,
) -> tuple[dd.DataFrame, list[dd.DataFrame]]:
    if aligned:
        counts = {n: tables[n].npartitions for n in names} | {"observations": observations.npartitions}
        if len(set(counts.values())) != 1:
            raise InvalidInputError(
                f"{func}: partitioned_by_borrower=True needs the same number of partitions in every "
                f"table and the observations; got {counts}. Repartition them alike, or leave "
                "partitioned_by_borrower=False to shuffle by borrower"
            )
        return observations, [tables[n] for n in names]
    if npartitions is None:
        npartitions = max([observations.npartitions] + [tables[n].npartitions for n in names])
    p = _int(npartitions, func=func, name="npartitions", low=1, high=10**6)
    frames = []
    for n in names:
        frame = tables[n]
        if n == "installments":
            owners = tables["loans"][["loan_id", "borrower_id"]]
            frame = frame.merge(owners, on="loan_id", how="left")
        frames.append(_keyed(frame, p))
    return _keyed(observations, p), frames


def _extract_part(obs: pd.DataFrame, *frames: pd.DataFrame, names: list[str], unknown_columns: str,
                  kwargs: dict[str, Any]) -> pd.DataFrame:
    return _d.extract_partition(obs, dict(zip(names, frames, strict=True)),
                                unknown_columns=unknown_columns, kwargs=kwargs)


def _outcomes_part(obs: pd.DataFrame, *frames: pd.DataFrame, names: list[str], unknown_columns: str,
                   kwargs: dict[str, Any]) -> pd.Series:
    return _d.outcomes_partition(obs, dict(zip(names, frames, strict=True)),
                                 unknown_columns=unknown_columns, kwargs=kwargs)


def extract(
    tables: Mapping[str, dd.DataFrame],
    observations: dd.DataFrame,
    *,
    npartitions: int | None = None,
    unknown_columns: str = "raise",
    partitioned_by_borrower: bool = False,
    **kwargs: Any,
) -> dd.DataFrame:
    """Point-in-time features of Dask observations, with :func:`jiebei_credit.features.extract`.

    Parameters
    ----------
    tables : mapping of str to dask.dataframe.DataFrame
        Record tables by name (``borrowers`` required; ``installments``
        needs ``loans``), as the caller's Dask reads them.
    observations : dask.dataframe.DataFrame
        Columns ``borrower_id`` and ``as_of``; a unique index.
    npartitions : int, optional
        Borrower buckets after the shuffle; by default the largest input
        partition count. Each bucket becomes one RecordSet in one worker.
    unknown_columns : {"raise", "keep", "drop"}, default "raise"
        Passed to :meth:`RecordSet.from_frames`.
    partitioned_by_borrower : bool, default False
        True when partition ``i`` of every table and of the observations
        already holds all the rows of the same borrowers (as
        :func:`simulate_portfolio` makes them, or a dataset written by
        borrower bucket): no shuffle is done. A borrower split across
        partitions then fails the foreign-key checks of its partitions.
    **kwargs
        Keywords of :func:`jiebei_credit.features.extract` (``windows``,
        ``families``, ``sources``).

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy; one row per observation with the observations' index, one
        float64 column per feature (the in-memory columns). Rows come
        grouped by borrower bucket: join or sort on the index.

    Raises
    ------
    SchemaError
        A missing column or a wrong dtype seen in the tables' metadata
        (raised here, before any compute); a row-level problem (an
        instalment of an absent loan, a duplicate key...) raised by the
        worker when computed, as the original exception.
    InvalidInputError
        Bad keywords (raised here) or an unknown borrower in the
        observations (raised when computed).

    Notes
    -----
    Each row of every table gets bucket ``hash(borrower_id) mod P``;
    instalments take the borrower of their loan (a left merge on
    ``loan_id``; an orphan instalment lands in some bucket and fails the
    foreign-key check there). Each table and the observations are then
    shuffled once on the bucket, so a borrower's rows and observations meet
    in one partition, and ``features.extract`` runs on that partition's
    RecordSet. A feature reads only its borrower's rows, so the result
    equals in-memory extraction.
    """
    func = "jiebei_credit.dask.extract"
    names = _check_frames(tables, observations, func=func, unknown_columns=unknown_columns)
    meta = _d.feature_meta({n: tables[n]._meta for n in names}, kwargs, func=func)  # checks the keywords
    obs, frames = _copartition(tables, names, observations, npartitions, func=func,
                               aligned=partitioned_by_borrower)
    meta.index = pd.Index([], dtype=observations._meta.index.dtype, name=observations._meta.index.name)
    return dd.map_partitions(
        _extract_part, obs, *frames, names=names, unknown_columns=unknown_columns,
        kwargs=dict(kwargs), meta=meta, align_dataframes=False, enforce_metadata=False,
    )


def outcomes(
    tables: Mapping[str, dd.DataFrame],
    observations: dd.DataFrame,
    *,
    npartitions: int | None = None,
    unknown_columns: str = "raise",
    partitioned_by_borrower: bool = False,
    **kwargs: Any,
) -> dd.Series:
    """The bad flag of Dask observations, with :func:`jiebei_credit.features.outcomes`.

    Parameters
    ----------
    tables : mapping of str to dask.dataframe.DataFrame
        Needs ``borrowers``, ``loans`` and ``installments`` (other tables
        are not read).
    observations : dask.dataframe.DataFrame
        Columns ``borrower_id`` and ``as_of``; a unique index.
    npartitions : int, optional
        Borrower buckets after the shuffle, as in :func:`extract`.
    unknown_columns : {"raise", "keep", "drop"}, default "raise"
        Passed to :meth:`RecordSet.from_frames`, as in :func:`extract`.
    partitioned_by_borrower : bool, default False
        True when the inputs are already partitioned by borrower (no
        shuffle), as in :func:`extract`.
    **kwargs
        Keywords of :func:`jiebei_credit.features.outcomes`
        (``observed_until`` is required).

    Returns
    -------
    dask.dataframe.Series
        float64 named ``"bad"``, with the observations' index.

    Raises
    ------
    SchemaError, InvalidInputError
        As :func:`extract`; also when ``loans`` or ``installments`` is
        absent.
    """
    func = "jiebei_credit.dask.outcomes"
    if isinstance(tables, Mapping):
        missing = [t for t in ("borrowers", "loans", "installments") if t not in tables]
        if missing:
            raise InvalidInputError(
                f"{func}: tables lacks {missing}; the bad flag is defined on instalments, so pass "
                "borrowers, loans and installments"
            )
        tables = {n: tables[n] for n in ("borrowers", "loans", "installments")}
    names = _check_frames(tables, observations, func=func, unknown_columns=unknown_columns)
    if "observed_until" not in kwargs:
        raise InvalidInputError(f"{func}: observed_until is required (the data extraction date)")
    obs, frames = _copartition(tables, names, observations, npartitions, func=func,
                               aligned=partitioned_by_borrower)
    meta = pd.Series([], dtype=np.float64, name="bad",
                     index=pd.Index([], dtype=observations._meta.index.dtype,
                                    name=observations._meta.index.name))
    return dd.map_partitions(
        _outcomes_part, obs, *frames, names=names, unknown_columns=unknown_columns,
        kwargs=dict(kwargs), meta=meta, align_dataframes=False, enforce_metadata=False,
    )


# ---- row-wise steps -------------------------------------------------------------


def _row_meta(fn: Callable[[pd.DataFrame], Any], X: dd.DataFrame) -> Any:
    """The in-memory function's output on the metadata frame (its empty output)."""
    return fn(X._meta)


def _points(part: pd.DataFrame, card: Any) -> pd.Series:
    return card.points(part)


def _proba(part: pd.DataFrame, card: Any) -> Any:
    return card.predict_proba(part)


def _explain(part: pd.DataFrame, card: Any, top: int, descriptions: Any) -> pd.DataFrame:
    return card.explain(part, top=top, descriptions=descriptions)


def _assign(part: pd.DataFrame, policy: limits.LimitPolicy, kwargs: dict[str, Any]) -> pd.DataFrame:
    return limits.assign(part, policy, **kwargs)


def _check_dask_frame(X: object, *, func: str, name: str = "X") -> dd.DataFrame:
    if not isinstance(X, dd.DataFrame):
        raise InvalidInputError(f"{func}: {name} must be a dask DataFrame; got {type(X).__name__}")
    return X


def score(card: Scorecard, X: dd.DataFrame) -> dd.Series:
    """Credit points per row: ``card.points`` on each partition.

    Parameters
    ----------
    card : jiebei_credit.scorecard.Scorecard
        Fitted.
    X : dask.dataframe.DataFrame
        Features.

    Returns
    -------
    dask.dataframe.Series
        The in-memory ``card.points`` output, partition by partition (same
        index, name and dtype).

    Raises
    ------
    InvalidInputError, SchemaError, NotFittedError
        As ``card.points`` (on the metadata here, or from a worker).
    """
    X = _check_dask_frame(X, func="jiebei_credit.dask.score")
    meta = _row_meta(lambda f: card.points(f), X)
    return X.map_partitions(_points, card, meta=meta)


def predict_proba(card: Scorecard, X: dd.DataFrame) -> da.Array:
    """``[P(good), P(bad)]`` per row: ``card.predict_proba`` on each partition.

    Parameters
    ----------
    card : jiebei_credit.scorecard.Scorecard
        A fitted card.
    X : dask.dataframe.DataFrame
        Features.

    Returns
    -------
    dask.array.Array
        Shape ``(n, 2)`` float64, chunked by partition (unknown chunk
        sizes until computed).

    Raises
    ------
    InvalidInputError, SchemaError, NotFittedError
        As ``card.predict_proba`` (on the metadata here, or from a worker).
    """
    X = _check_dask_frame(X, func="jiebei_credit.dask.predict_proba")
    card.predict_proba(X._meta)  # the in-memory checks on the metadata
    return da.concatenate([
        da.from_delayed(dask.delayed(_proba)(part, card), shape=(np.nan, 2), dtype=np.float64)
        for part in X.to_delayed()
    ], allow_unknown_chunksizes=True)


def explain(card: Scorecard, X: dd.DataFrame, top: int = 4, *,
            descriptions: Mapping[str, tuple[str, str]] | None = None) -> dd.DataFrame:
    """The reasons per row: ``card.explain`` on each partition (same columns and index).

    Parameters
    ----------
    card : jiebei_credit.scorecard.Scorecard
        A fitted card.
    X : dask.dataframe.DataFrame
        Features.
    top : int, default 4
        Reasons per row (fewer when fewer features lost points).
    descriptions : mapping of str to (English, Chinese), optional
        Texts per feature, as for :func:`jiebei_credit.scorecard.explain`.

    Returns
    -------
    dask.dataframe.DataFrame
        The in-memory ``card.explain`` output, partition by partition: one row
        per reason (``row``, ``rank``, ``feature``, ``bin``, ``points``,
        ``points_lost``, ``reason``, ``reason_zh``).

    Raises
    ------
    InvalidInputError, SchemaError, NotFittedError
        As ``card.explain`` (on the metadata here, or from a worker).
    """
    X = _check_dask_frame(X, func="jiebei_credit.dask.explain")
    meta = _row_meta(lambda f: card.explain(f, top=top, descriptions=descriptions), X)
    return X.map_partitions(_explain, card, top, descriptions, meta=meta)


def assign(applicants: dd.DataFrame, policy: limits.LimitPolicy, **kwargs: Any) -> dd.DataFrame:
    """The limits and decisions per applicant: :func:`jiebei_credit.limits.assign` on each partition.

    Parameters
    ----------
    applicants : dask.dataframe.DataFrame
        One row per applicant, with the columns :func:`jiebei_credit.limits.assign` reads.
    policy : jiebei_credit.limits.LimitPolicy
        Caps, capacity assumptions, cut-offs and rounding.
    **kwargs
        Keywords of :func:`jiebei_credit.limits.assign` (e.g. ``scaling``,
        required when ``applicants`` has a ``score`` column).

    Returns
    -------
    dask.dataframe.DataFrame
        The in-memory output, partition by partition (same index and columns).

    Raises
    ------
    InvalidInputError, SchemaError
        As :func:`jiebei_credit.limits.assign` (on the metadata here, or from a worker).
    """
    applicants = _check_dask_frame(applicants, func="jiebei_credit.dask.assign", name="applicants")
    meta = _row_meta(lambda f: limits.assign(f, policy, **kwargs), applicants)
    return applicants.map_partitions(_assign, policy, dict(kwargs), meta=meta)


# ---- fitting -------------------------------------------------------------------


class _DaskFit:
    """The steps of :func:`jiebei_credit._distributed.fit_scorecard` on Dask partitions."""

    def __init__(self, X: dd.DataFrame, y: dd.Series, w: dd.Series | None) -> None:
        self.X, self.y, self.w = X, y, w
        self.parts = list(zip(X.to_delayed(), y.to_delayed(),
                              w.to_delayed() if w is not None else [None] * X.npartitions, strict=True))

    def _run(self, fn: Callable[..., Any], *args: Any) -> list[Any]:
        step = dask.delayed(fn, pure=True)
        return list(dask.compute(*[step(*args, x, y, w) for x, y, w in self.parts]))

    def totals(self, plan: Any) -> list[tuple[int, float, float]]:
        return self._run(_d.partition_totals, plan)

    def collect(self) -> tuple[pd.DataFrame, pd.Series, pd.Series | None]:
        if self.w is None:
            X, y = dask.compute(self.X, self.y)
            return X, y, None
        return dask.compute(self.X, self.y, self.w)

    def sample(self, plan: Any, fraction: float) -> list[pd.DataFrame]:
        step = dask.delayed(_d.partition_sample, pure=True)
        return list(dask.compute(*[step(plan, x, fraction=fraction, part=i)
                                   for i, (x, _, _) in enumerate(self.parts)]))

    def stats(self, plan: Any, edges: Mapping[str, Any]) -> list[Any]:
        return self._run(_d.partition_stats, plan, edges)

    def combinations(self, plan: Any, binnings: Mapping[str, Any]) -> list[pd.DataFrame]:
        return self._run(_d.partition_combinations, plan, binnings)


def fit(estimator: Scorecard, X: dd.DataFrame, y: dd.Series, *, sample_weight: dd.Series | None = None,
        max_rows: int | None = None) -> Scorecard:
    """Fit a scorecard on Dask data; returns a fitted in-memory clone of ``estimator``.

    Parameters
    ----------
    estimator : jiebei_credit.scorecard.Scorecard
        Unfitted (its parameters are used; it is not changed).
    X : dask.dataframe.DataFrame
        Features, one column per candidate feature.
    y : dask.dataframe.Series
        Target (1 bad, 0 good), partitioned like ``X`` (same partitions,
        same index labels in each).
    sample_weight : dask.dataframe.Series, optional
        Frequency weights, partitioned like ``X``.
    max_rows : int, optional
        Up to this many rows, ``X``, ``y`` and the weights are collected and
        the card is fitted in memory. Default: ``estimator.binning.sample_size``
        (100 000), or 100 000 when that is None.

    Returns
    -------
    Scorecard
        A new, fitted, ordinary in-memory card with ``estimator``'s
        parameters.

    Raises
    ------
    InvalidInputError
        ``X``, ``y`` or ``sample_weight`` not Dask objects, or partitioned
        differently; invalid parameters or unsupported column types (raised
        before any compute); a target that is not 0/1, misaligned labels or
        bad weights in a partition (raised from the worker, as in memory);
        a target with one class; on the statistics path, ``ordinal``
        columns, ordered categoricals and ``penalty_strength='cv'``; and
        everything :meth:`Scorecard.fit` raises.
    SchemaError
        Column names that are not unique strings.

    Notes
    -----
    Up to ``max_rows`` rows the result is ``estimator.fit(X.compute(),
    y.compute())``, exactly. Above, no row is collected:

    1. rows, goods and bads per partition (the row checks), summed;
    2. a Bernoulli sample of about ``binning.sample_size`` rows (100 000
       when that is None) of the numeric columns
       (``default_rng([binning.seed, partition])``): its quantiles are the
       fine edges (approximate: the in-memory fit takes them from a
       sample of the whole column);
    3. :class:`~jiebei_credit.scorecard.BinStats` per partition on those
       edges (per cross-validation fold for ``monotonic='cv'``, the folds
       dealt within each partition), added, and merged into bins exactly
       as in memory;
    4. goods and bads per distinct combination of bins per partition,
       added: a few thousand rows for coarse bins, but up to one per row
       when many features have many fine bins (``monotonic='cv'`` on a
       large book), all of them collected on the client.

    The card is then fitted on one row per combination and class, weighted
    by its count, with the bins frozen. WOE, IV, the correlation and VIF
    filters, the selection and the logistic likelihood depend only on
    these counts, so the coefficients equal those of an in-memory fit with
    the same bins (to rounding, below 1e-8). Each step reads all of ``X``
    once (four passes; persist ``X`` first when it is expensive to
    compute).

    Examples
    --------
    >>> import numpy as np, pandas as pd, dask, dask.dataframe as dd
    >>> import jiebei_credit.dask as jcd
    >>> from jiebei_credit.scorecard import BinningParams, Scorecard
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"util": rng.random(3000), "inq": rng.poisson(1.0, 3000)})
    >>> y = pd.Series((rng.random(3000) < 1 / (1 + np.exp(3 - 2 * X["util"]))).astype(int))
    >>> Xd, yd = dd.from_pandas(X, npartitions=3), dd.from_pandas(y, npartitions=3)
    >>> with dask.config.set(scheduler="sync"):
    ...     card = jcd.fit(Scorecard(binning=BinningParams(max_bins=4)), Xd, yd)
    >>> card.to_dict() == Scorecard(binning=BinningParams(max_bins=4)).fit(X, y).to_dict()
    True
    """
    func = "jiebei_credit.dask.fit"
    X = _check_dask_frame(X, func=func)
    yd = _series(y, func=func, name="y")
    w = None if sample_weight is None else _series(sample_weight, func=func, name="sample_weight")
    counts = {"X": X.npartitions, "y": yd.npartitions}
    if w is not None:
        counts["sample_weight"] = w.npartitions
    if len(set(counts.values())) != 1:
        raise InvalidInputError(
            f"{func}: X, y and sample_weight must have the same partitions; got {counts} partitions. "
            "Build y from the same frame as X (e.g. frame['bad']) or repartition them alike."
        )
    plan = _d.plan_fit(func, estimator, X._meta)
    limit = _d.max_rows_of(func, estimator, max_rows)
    return _d.fit_scorecard(_DaskFit(X, yd, w), estimator, plan, max_rows=limit)


# ---- mergeable histograms -------------------------------------------------------


def _series(x: object, *, func: str, name: str) -> dd.Series:
    if not isinstance(x, dd.Series):
        raise InvalidInputError(
            f"{func}: {name} must be a dask Series (e.g. frame['score']); got {type(x).__name__}"
        )
    return x


def _reference(sample: dd.Series, *, sample_size: int, seed: int) -> tuple[Any, bool]:
    """The reference values for quantile edges: all of ``sample`` if small, else a sample."""
    n = int(sample.shape[0].compute())
    if n <= sample_size:
        return sample.compute(), True
    return sample.sample(frac=sample_size / n, random_state=seed).compute(), False


def _partition_counts(x: dd.Series, reference: Any, *, bins: int, edges: Any, binning: Any) -> list[Any]:
    ref = dask.delayed(reference) if reference is not None else None
    tasks = [
        dask.delayed(_count_part)(part, ref, bins, edges, binning)
        for part in x.to_delayed()
    ]
    return list(dask.compute(*tasks))


def _count_part(part: pd.Series, reference: Any, bins: int, edges: Any, binning: Any) -> pd.Series:
    ref = part if reference is None else reference
    return _d.bin_counts(ref, part, bins=bins, edges=edges, binning=binning)


def psi(
    reference: dd.Series,
    current: dd.Series,
    *,
    bins: int = 10,
    edges: Vector | None = None,
    binning: metrics.BinningLike | None = None,
    missing: str = "raise",
    smoothing: float = 0.5,
    thresholds: tuple[float, float] = metrics.PSI_THRESHOLDS,
    sample_size: int = DEFAULT_SAMPLE_SIZE,
    seed: int = 0,
) -> metrics.PSIResult:
    """PSI of two Dask Series from per-partition bin counts.

    Parameters
    ----------
    reference, current : dask.dataframe.Series
        Reference and current samples.
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
        Quantile edges (numeric input without ``edges`` or ``binning``) come
        from all of ``reference`` when it has at most this many rows (exact:
        the in-memory result), else from a Bernoulli sample of about
        ``sample_size`` rows drawn with ``seed`` (approximate edges; the
        counts are still exact for those edges).
    seed : int, default 0
        Seed of that sample; with the same partitions the sample is the same.

    Returns
    -------
    PSIResult
        As :func:`jiebei_credit.metrics.psi`; equal to the in-memory result
        when the edges are exact.

    Raises
    ------
    InvalidInputError
        As :func:`jiebei_credit.metrics.psi`.

    Notes
    -----
    Each partition's counts are the ``current_count`` of
    ``metrics.psi(reference, partition, ...)`` (the bins of the reference,
    the edges or the binning). Counts are summed per bin label, and
    ``metrics.psi`` is applied to the sums; see that function for the
    formula. Only the reference (up to ``sample_size`` values) and the
    per-bin counts reach the client.
    """
    func = "jiebei_credit.dask.psi"
    e = _series(reference, func=func, name="reference")
    a = _series(current, func=func, name="current")
    if missing not in ("raise", "bin"):
        raise InvalidInputError(f"{func}: missing must be 'raise' or 'bin'; got {missing!r}")
    size = _int(sample_size, func=func, name="sample_size", low=1, high=10**9)
    edge_sample = None
    if edges is None and binning is None:
        edge_sample, _ = _reference(e, sample_size=size, seed=seed)
    e_parts = _partition_counts(e, edge_sample, bins=bins, edges=edges, binning=binning)
    a_parts = _partition_counts(a, edge_sample, bins=bins, edges=edges, binning=binning)
    return _d.psi_from_merged_counts(
        _d.merge_counts(e_parts), _d.merge_counts(a_parts), smoothing=smoothing,
        thresholds=thresholds, missing=missing, func=func,
    )


def stability_report(
    card: Scorecard,
    X_reference: dd.DataFrame,
    X_current: dd.DataFrame,
    *,
    bins: int = 10,
    smoothing: float = 0.5,
    psi_thresholds: tuple[float, float] = metrics.PSI_THRESHOLDS,
    sample_size: int = DEFAULT_SAMPLE_SIZE,
    seed: int = 0,
) -> monitoring.StabilityReport:
    """Score PSI and feature CSI of a scorecard on Dask frames (no outcome comparison yet).

    Parameters
    ----------
    card : jiebei_credit.scorecard.Scorecard
        Fitted.
    X_reference, X_current : dask.dataframe.DataFrame
        Feature tables holding the card's features.
    bins : int, default 10
        Score bands: quantiles of the reference score (left-closed).
    smoothing : float, default 0.5
        PSI smoothing, see :func:`jiebei_credit.metrics.psi`.
    psi_thresholds : tuple of two floats, default (0.1, 0.25)
        Amber and red cut-offs for PSI and CSI.
    sample_size : int, default 1 000 000
        Size of the sample the reference score bands come from, as in :func:`psi`.
    seed : int, default 0
        Seed of that sample.

    Returns
    -------
    jiebei_credit.monitoring.StabilityReport
        ``score_psi``, ``features`` and ``feature_psi`` as in memory;
        ``bad_rates`` and ``discrimination`` are ``None``.

    Raises
    ------
    SchemaError
        If a feature of the card is missing from either frame.
    NotFittedError
        If the card is not fitted.
    """
    func = "jiebei_credit.dask.stability_report"
    ref = _check_dask_frame(X_reference, func=func, name="X_reference")
    cur = _check_dask_frame(X_current, func=func, name="X_current")
    names = [str(f) for f in card.features_]
    problems = [
        Problem(table=table, column=f, row=None, value=None, rule="missing feature of the card")
        for table, frame in (("X_reference", ref), ("X_current", cur))
        for f in names
        if f not in frame.columns
    ]
    if problems:
        raise SchemaError(problems, context=func)
    score_psi = psi(score(card, ref), score(card, cur), bins=bins, smoothing=smoothing,
                    thresholds=psi_thresholds, sample_size=sample_size, seed=seed)
    feature_psi: dict[Hashable, metrics.PSIResult] = {
        f: psi(ref[f], cur[f], binning=card.binnings_[f], smoothing=smoothing,
               thresholds=psi_thresholds, missing="bin")
        for f in names
    }
    features = pd.DataFrame(
        [(r.value, r.status, len(r.table), len(r.empty_bins)) for r in feature_psi.values()],
        columns=["csi", "status", "bins", "empty_bins"],
        index=pd.Index(names, name="feature"),
    )
    return monitoring.StabilityReport(
        score_psi=score_psi, features=features, feature_psi=MappingProxyType(feature_psi),
        bad_rates=None, discrimination=None,
    )
