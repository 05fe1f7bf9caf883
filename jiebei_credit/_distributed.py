"""Engine-neutral pieces of the Dask and Spark adapters.

Everything here works on plain pandas frames, one partition at a time, and
calls only the public in-memory functions: the adapters in
:mod:`jiebei_credit.dask` and :mod:`jiebei_credit.spark` move partitions
around; the maths stays in ``features``, ``scorecard``, ``limits`` and
``metrics``.
"""

from __future__ import annotations

import base64
import pickle
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit import features, metrics, records, scorecard, synthetic
from jiebei_credit.errors import InvalidInputError, JiebeiCreditError, Problem, SchemaError
from jiebei_credit.scorecard import _distfit

__all__ = [
    "BORROWER_KEY",
    "ERROR_MARKER",
    "ID_COLUMNS",
    "PART_KEY",
    "CountBinning",
    "bin_counts",
    "check_observation_columns",
    "check_tables",
    "decode_error",
    "encode_error",
    "extract_partition",
    "fit_scorecard",
    "outcomes_partition",
    "part_sizes",
    "psi_from_merged_counts",
    "simulate_part",
    "table_meta",
]

#: Column holding the hash partition of a row's borrower (dropped before the in-memory call).
PART_KEY: Final = "__jc_part"
#: The borrower key of every table (installments get it from their loan).
BORROWER_KEY: Final = "borrower_id"
#: Identifier columns made unique across simulated partitions by a partition prefix.
ID_COLUMNS: Final = ("borrower_id", "loan_id", "transaction_id", "inquiry_id", "counterparty_id")
#: Prefix of an encoded library exception inside an engine's error text.
ERROR_MARKER: Final = "JIEBEI_CREDIT_ERROR:"


# ---- simulation ---------------------------------------------------------------


def part_sizes(n_borrowers: int, npartitions: int) -> list[int]:
    """Borrowers per partition: ``n // P`` each, the first ``n % P`` one more."""
    q, r = divmod(n_borrowers, npartitions)
    return [q + (1 if i < r else 0) for i in range(npartitions)]


def part_prefix(i: int, npartitions: int) -> str:
    """``"P007-"``: the id prefix of partition ``i`` (zero-padded to the width of ``P - 1``)."""
    return f"P{i:0{len(str(max(npartitions - 1, 0)))}d}-"


def simulate_part(
    n: int,
    *,
    part: int,
    npartitions: int,
    start: Any,
    end: Any,
    seed: np.random.SeedSequence,
    config: synthetic.SimulationConfig | None,
    truth: bool,
) -> dict[str, pd.DataFrame]:
    """The tables of one partition: ``synthetic.simulate_portfolio`` with ids prefixed.

    Every identifier column gets the partition prefix (``"P03-B0042"``), so
    ids are unique across partitions and a row's partition can be read from
    its ids. ``seed`` is copied first: ``simulate_portfolio`` spawns from the
    sequence it is given, which advances it, and a partition must come out
    the same however often it is recomputed.
    """
    fresh = np.random.SeedSequence(seed.entropy, spawn_key=seed.spawn_key, pool_size=seed.pool_size)
    portfolio = synthetic.simulate_portfolio(n, start=start, end=end, seed=fresh, config=config)
    prefix = part_prefix(part, npartitions)
    out: dict[str, pd.DataFrame] = {}
    for name in portfolio.records.tables:
        frame = getattr(portfolio.records, name)
        out[name] = _prefixed(frame, prefix)
    if truth:
        t = portfolio.truth.borrowers.reset_index()
        out["truth"] = _prefixed(t, prefix)
    return out


def _prefixed(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    changes = {c: prefix + frame[c] for c in ID_COLUMNS if c in frame.columns}
    return frame.assign(**changes)


# ---- schema checks on the engine's metadata -------------------------------------


def check_tables(names: Iterable[str], *, func: str) -> list[str]:
    """Table names of the mapping, each a known table; ``borrowers`` required."""
    given = list(names)
    unknown = [n for n in given if n not in records.SCHEMAS]
    if unknown:
        raise InvalidInputError(
            f"{func}: tables has unknown table name(s) {unknown}; use names from "
            f"jiebei_credit.records.TABLE_NAMES ({list(records.TABLE_NAMES)})"
        )
    if "borrowers" not in given:
        raise InvalidInputError(
            f"{func}: tables lacks 'borrowers'; every RecordSet needs the borrowers table "
            f"(tables given: {given})"
        )
    if "installments" in given and "loans" not in given:
        raise InvalidInputError(
            f"{func}: tables has 'installments' but not 'loans'; instalments are placed with their "
            "loan's borrower, so pass the loans table too"
        )
    return [n for n in records.TABLE_NAMES if n in given]


def table_meta(name: str, sample: pd.DataFrame, *, unknown_columns: str) -> list[Problem]:
    """Column-level schema problems of table ``name`` seen in an engine's metadata.

    ``sample`` is a small frame with the engine's column names and dtypes
    and made-up values (Dask's ``_meta_nonempty``). ``records.validate``
    runs on it and only the problems about whole columns are kept: missing,
    duplicate or unknown columns and dtypes that cannot hold the column's
    values. Problems about the made-up values are ignored; real rows are
    checked by the workers.
    """
    try:
        records.validate(name, sample, unknown_columns=unknown_columns)  # type: ignore[arg-type]
    except SchemaError as exc:
        return [p for p in exc.problems if p.row is None]
    return []


def check_observation_columns(columns: Sequence[str], *, func: str) -> None:
    """``borrower_id`` and ``as_of`` must be columns of the observations."""
    missing = [c for c in ("borrower_id", "as_of") if c not in columns]
    if missing:
        raise InvalidInputError(
            f"{func}: observations lacks column(s) {missing}; it needs ['borrower_id', 'as_of'] "
            f"(columns present: {[str(c) for c in list(columns)[:10]]})"
        )


# ---- per-partition work -----------------------------------------------------------


def _record_set(frames: Mapping[str, pd.DataFrame], *, unknown_columns: str) -> records.RecordSet:
    clean: dict[str, pd.DataFrame] = {}
    for name, frame in frames.items():
        drop = [c for c in (PART_KEY,) if c in frame.columns]
        if name == "installments" and BORROWER_KEY in frame.columns:
            drop.append(BORROWER_KEY)
        clean[name] = frame.drop(columns=drop) if drop else frame
    return records.RecordSet.from_frames(**clean, unknown_columns=unknown_columns)  # type: ignore[arg-type]


def _observations(obs: pd.DataFrame) -> pd.DataFrame:
    return obs.drop(columns=[PART_KEY]) if PART_KEY in obs.columns else obs


def extract_partition(
    obs: pd.DataFrame,
    frames: Mapping[str, pd.DataFrame],
    *,
    unknown_columns: str,
    kwargs: Mapping[str, Any],
) -> pd.DataFrame:
    """``features.extract`` on one co-partitioned slice of the tables."""
    rs = _record_set(frames, unknown_columns=unknown_columns)
    return features.extract(rs, _observations(obs), **kwargs)


def outcomes_partition(
    obs: pd.DataFrame,
    frames: Mapping[str, pd.DataFrame],
    *,
    unknown_columns: str,
    kwargs: Mapping[str, Any],
) -> pd.Series:
    """``features.outcomes`` on one co-partitioned slice of the tables."""
    rs = _record_set(frames, unknown_columns=unknown_columns)
    return features.outcomes(rs, _observations(obs), **kwargs)


def empty_like_schema(name: str) -> pd.DataFrame:
    """An empty, normalised frame of table ``name`` (the dtypes a partition will have)."""
    columns = list(records.SCHEMAS[name].column_names)
    return records.validate(name, pd.DataFrame({c: pd.Series([], dtype=object) for c in columns}))


def feature_meta(frames: Mapping[str, object], kwargs: Mapping[str, Any], *, func: str) -> pd.DataFrame:
    """The empty output of ``features.extract`` for these tables and keywords.

    Computed by the in-memory function itself on empty tables, so the
    column list and dtypes can never drift from it. ``progress`` other than
    None or False is refused: a callback or bar per partition would run on
    the workers, so the engine's own progress display is the one to use.
    """
    if kwargs.get("progress") not in (None, False):  # "off" is harmless: only feedback is refused
        raise V.fail(func, "progress", "is not taken per partition (it would run on the workers)",
                     f"progress={kwargs['progress']!r}",
                     "Use the engine's progress display: distributed.progress(...) or "
                     "dask.diagnostics.ProgressBar with Dask, the Spark UI with Spark.")
    empty = {n: empty_like_schema(n) for n in frames}
    rs = records.RecordSet.from_frames(**empty)  # type: ignore[arg-type]
    obs = pd.DataFrame({"borrower_id": pd.Series([], dtype="string"),
                        "as_of": pd.Series([], dtype="datetime64[ns]")})
    return features.extract(rs, obs, **kwargs)


# ---- mergeable histograms for PSI --------------------------------------------------


class CountBinning:
    """A :class:`jiebei_credit.metrics.BinningLike` over bins already counted.

    ``bin_index`` reads its input as the bin positions themselves, so
    ``metrics.psi(np.repeat(k, e), np.repeat(k, a), binning=CountBinning(labels))``
    applies the public PSI to merged counts ``e`` and ``a`` without
    re-implementing its formula.
    """

    __slots__ = ("_labels",)

    def __init__(self, labels: Sequence[str]) -> None:
        self._labels = tuple(str(x) for x in labels)

    @property
    def labels(self) -> tuple[str, ...]:
        """One label per bin, in bin order."""
        return self._labels

    def bin_index(self, x: Any) -> npt.NDArray[np.int64]:
        """The positions, as given."""
        return np.asarray(x, dtype=np.int64)


def bin_counts(
    reference: Any,
    values: Any,
    *,
    bins: int,
    edges: Any,
    binning: metrics.BinningLike | None,
) -> pd.Series:
    """Rows of ``values`` per bin (index: bin label), binned as ``metrics.psi`` bins them.

    The bins come from ``reference`` (quantile cuts), from ``edges`` or from
    ``binning``, exactly as in ``metrics.psi(reference, values, ...)``:
    the counts are that call's ``current_count`` column. Missing values are
    always counted (in the ``"missing"`` bin); the caller applies its
    ``missing=`` rule on the merged counts.
    """
    if len(values) == 0:
        return pd.Series([], dtype=np.int64, index=pd.Index([], dtype=object, name="bin"))
    result = metrics.psi(reference, values, bins=bins, edges=edges, binning=binning, missing="bin")
    return result.table["current_count"].astype(np.int64)


def merge_counts(parts: Iterable[pd.Series]) -> pd.Series:
    """Sum per-partition counts, keeping the first-seen order of the bin labels."""
    order: dict[str, None] = {}
    total: dict[str, int] = {}
    for s in parts:
        for label, count in zip(s.index, s.to_numpy(), strict=True):
            key = str(label)
            order.setdefault(key, None)
            total[key] = total.get(key, 0) + int(count)
    labels = list(order)
    return pd.Series([total[k] for k in labels], index=pd.Index(labels, dtype=object, name="bin"),
                     dtype=np.int64)


def psi_from_merged_counts(
    reference: pd.Series,
    current: pd.Series,
    *,
    smoothing: float,
    thresholds: tuple[float, float],
    missing: str,
    func: str,
) -> metrics.PSIResult:
    """``metrics.psi`` of two merged count vectors, through the public function.

    The bins are the union of both label lists (the reference's order first, the
    ``"missing"`` bin last). The samples handed to ``metrics.psi`` are the
    bin positions repeated by their counts, binned by :class:`CountBinning`,
    so ``metrics.psi`` sees exactly these counts and applies its own formula.
    """
    labels = list(dict.fromkeys([*map(str, reference.index), *map(str, current.index)]))
    if "missing" in labels:
        labels.remove("missing")
        labels.append("missing")
        if missing == "raise":
            n_e = int(reference.get("missing", 0))
            n_a = int(current.get("missing", 0))
            raise InvalidInputError(
                f"{func}: the samples have missing (NaN) values ({n_e} in reference, {n_a} in current); "
                "drop them, or pass missing='bin' to count them in a 'missing' bin."
            )
    e = reference.reindex(labels, fill_value=0).to_numpy(dtype=np.int64)
    a = current.reindex(labels, fill_value=0).to_numpy(dtype=np.int64)
    positions = np.arange(len(labels), dtype=np.int64)
    return metrics.psi(
        np.repeat(positions, e), np.repeat(positions, a), binning=CountBinning(labels),
        smoothing=smoothing, thresholds=thresholds,
    )


# ---- carrying a library exception through an engine that only keeps text ------------


def encode_error(exc: JiebeiCreditError) -> str:
    """The exception pickled into a line of text: ``ERROR_MARKER`` + base64 + ``":END"``."""
    return ERROR_MARKER + base64.b64encode(pickle.dumps(exc)).decode("ascii") + ":END"


def decode_error(text: str) -> JiebeiCreditError | None:
    """The library exception encoded in ``text`` by :func:`encode_error`, or ``None``."""
    start = text.find(ERROR_MARKER)
    if start < 0:
        return None
    body = text[start + len(ERROR_MARKER):]
    end = body.find(":END")
    if end < 0:
        return None
    try:
        exc = pickle.loads(base64.b64decode(body[:end]))
    except Exception:
        return None
    return exc if isinstance(exc, JiebeiCreditError) else None


# ---- made-up rows for dtype checks ---------------------------------------------------


def nonempty_sample(empty: pd.DataFrame) -> pd.DataFrame:
    """A two-row frame with ``empty``'s columns and dtypes and made-up values.

    Like Dask's ``_meta_nonempty``, for engines that only give a schema:
    :func:`table_meta` then sees the dtypes with values in them.
    """
    data: dict[Any, Any] = {}
    for name, dtype in empty.dtypes.items():
        if pd.api.types.is_bool_dtype(dtype):
            values: Any = [True, False]
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            values = [pd.Timestamp("2020-01-01"), pd.Timestamp("2020-01-02")]
        elif pd.api.types.is_numeric_dtype(dtype):
            values = [1, 2]
        else:
            values = ["x", "y"]
        try:
            data[name] = pd.Series(values, dtype=dtype)
        except (TypeError, ValueError):
            data[name] = pd.Series(values)
    return pd.DataFrame(data)


# ---- fitting a scorecard from partition statistics ------------------------------------

#: Rows collected for an in-memory fit when the estimator's ``binning.sample_size`` is None.
DEFAULT_MAX_ROWS: Final = 100_000


class FitEngine(Protocol):
    """What an engine does for :func:`fit_scorecard`: run a step on every partition, collect results."""

    def totals(self, plan: _distfit.FitPlan) -> list[tuple[int, float, float]]:
        """:func:`_distfit.partition_totals` of every partition."""

    def collect(self) -> tuple[pd.DataFrame, pd.Series, pd.Series | None]:
        """All rows: ``X``, ``y`` and the weights (or None), as the in-memory fit takes them."""

    def sample(self, plan: _distfit.FitPlan, fraction: float) -> list[pd.DataFrame]:
        """:func:`_distfit.partition_sample` of every partition."""

    def stats(self, plan: _distfit.FitPlan, edges: Mapping[str, Sequence[float]]) -> list[
            dict[str, tuple[scorecard.BinStats, ...]]]:
        """:func:`_distfit.partition_stats` of every partition."""

    def combinations(self, plan: _distfit.FitPlan, binnings: Mapping[str, scorecard.Binning]) -> list[
            pd.DataFrame]:
        """:func:`_distfit.partition_combinations` of every partition."""


#: The per-partition steps, run by the engines (see :mod:`jiebei_credit.scorecard._distfit`).
partition_totals = _distfit.partition_totals
partition_sample = _distfit.partition_sample
partition_stats = _distfit.partition_stats
partition_combinations = _distfit.partition_combinations
#: Names of the good and bad weight columns of a combination table.
COMBINATION_WEIGHTS: Final = (_distfit.GOODS, _distfit.BADS)


def plan_fit(func: str, estimator: Any, meta: pd.DataFrame) -> _distfit.FitPlan:
    """The estimator's parameters and the columns of ``meta`` checked before any compute."""
    return _distfit.plan_fit(func, estimator, meta)


def max_rows_of(func: str, estimator: Any, max_rows: Any) -> int:
    """``max_rows``, by default the estimator's ``binning.sample_size`` (or :data:`DEFAULT_MAX_ROWS`)."""
    if max_rows is None:
        size = getattr(getattr(estimator, "binning", None), "sample_size", None)
        return DEFAULT_MAX_ROWS if size is None else int(size)
    return V.integer(max_rows, func=func, name="max_rows", low=0,
                     fix="Pass the most rows to collect for an in-memory fit, e.g. max_rows=100_000.")


def fit_scorecard(engine: FitEngine, estimator: Any, plan: _distfit.FitPlan, *, max_rows: int) -> Any:
    """Fit a clone of ``estimator``: in memory up to ``max_rows`` rows, else from partition statistics.

    Passes over the data: one (totals) plus, in memory, one collect; from
    statistics, three more (sample, fine-bin statistics, combinations).
    """
    n, _, _ = _distfit.merge_totals(plan.func, engine.totals(plan))
    if n <= max_rows:
        X, y, w = engine.collect()
        return type(estimator)(**estimator.get_params(deep=False)).fit(X, y, w)
    plan.check_statistics_path()
    # sample_size=None asks for exact quantiles, which need every row: sample as many rows as the
    # default max_rows would collect (max_rows=0 used to leave every numeric column one bin)
    target = plan.sample_size if plan.sample_size is not None else DEFAULT_MAX_ROWS
    fraction = min(1.0, target / n)
    parts = [p for p in engine.sample(plan, fraction) if len(p)]
    sample = pd.concat(parts) if parts else pd.DataFrame({c: pd.Series([], dtype=np.float64)
                                                          for c in plan.sampled})
    edges = _distfit.sample_edges(plan, sample)
    binnings = _distfit.fit_binnings_from_stats(plan, _distfit.merge_stats(engine.stats(plan, edges)))
    combos = _distfit.merge_combinations(engine.combinations(plan, binnings))
    return _distfit.fit_combinations(plan, estimator, binnings, combos, n)
