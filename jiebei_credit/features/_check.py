"""``check_point_in_time``: run a family on the user's data and report every feature that leaks or drifts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit.errors import InvalidInputError
from jiebei_credit.features._catalog import DEFAULT_WINDOWS, catalog, check_windows
from jiebei_credit.features._extract import BUILTIN_FAMILIES, extract
from jiebei_credit.features._family import FeatureFamily
from jiebei_credit.features._observations import check_observations, check_records
from jiebei_credit.records import RecordSet

__all__ = ["CHECKS", "PointInTimeFailure", "PointInTimeReport", "check_point_in_time"]

#: The checks, in the order they run.
CHECKS: Final[tuple[str, ...]] = (
    "output",
    "catalog",
    "determinism",
    "alone",
    "shuffled_observations",
    "partitioned_observations",
    "shuffled_rows",
    "truncation",
    "altered_future",
)
#: Most observations checked one at a time, and most distinct as_of dates truncated.
_MAX_ALONE: Final = 20
_MAX_DATES: Final = 5


@dataclass(frozen=True, slots=True)
class PointInTimeFailure:
    """One feature failing one check: ``check`` (a name of :data:`CHECKS`), ``feature`` and what differed.

    Built by :func:`check_point_in_time`; a plain frozen record with no checks
    of its own.

    Parameters
    ----------
    check : str
        The check that failed, one of :data:`CHECKS` (e.g. ``"truncation"``).
    feature : str
        The output column that failed it.
    detail : str
        What differed: how many observations, and the first one's expected
        and actual values.
    """

    check: str
    feature: str
    detail: str


@dataclass(frozen=True, slots=True)
class PointInTimeReport:
    """The result of :func:`check_point_in_time`: ``family``, the ``checks`` run and the ``failures``.

    Built by :func:`check_point_in_time`; ``str(report)`` lists the failures
    one per line.

    Parameters
    ----------
    family : str
        Name of the family checked.
    checks : tuple of str
        The checks run, in the order they ran (names of :data:`CHECKS`).
    failures : tuple of PointInTimeFailure
        One entry per ``(check, feature)`` that failed; empty when every
        check passed.
    """

    family: str
    checks: tuple[str, ...]
    failures: tuple[PointInTimeFailure, ...]

    @property
    def passed(self) -> bool:
        """True when no feature failed any check."""
        return not self.failures

    def failing_features(self) -> tuple[str, ...]:
        """The features with at least one failure, in first-failure order.

        Returns
        -------
        tuple of str
            Each failing feature once, in the order of its first failure;
            empty when the report passed.
        """
        return tuple(dict.fromkeys(f.feature for f in self.failures))

    def __str__(self) -> str:
        if self.passed:
            return f"{self.family}: all {len(self.checks)} checks passed"
        lines = [f"{self.family}: {len(self.failures)} failure(s)"]
        lines += [f"  {f.check}: {f.feature}: {f.detail}" for f in self.failures]
        return "\n".join(lines)


def _bits(frame: pd.DataFrame) -> np.ndarray:
    values = frame.to_numpy(dtype=np.float64)
    out: np.ndarray = np.where(np.isnan(values), np.nan, values).view(np.int64)
    return out


def _compare(check: str, expected: pd.DataFrame, got: pd.DataFrame, out: list[PointInTimeFailure]) -> None:
    """Record every column whose bits differ (NaN equal to NaN) between two frames of the same rows."""
    got = got.reindex(index=expected.index, columns=expected.columns)
    a, b = _bits(expected), _bits(got)
    nan = np.isnan(expected.to_numpy(dtype=np.float64)) & np.isnan(got.to_numpy(dtype=np.float64))
    differ = (a != b) & ~nan
    for j in np.flatnonzero(differ.any(axis=0)):
        rows = np.flatnonzero(differ[:, j])
        first = V.plain(expected.index[rows[0]])
        out.append(
            PointInTimeFailure(
                check,
                str(expected.columns[int(j)]),
                f"{rows.size} of {len(expected)} observation(s) differ, e.g. {first!r}: "
                f"{V.plain(expected.to_numpy()[rows[0], j])!r} vs {V.plain(got.to_numpy()[rows[0], j])!r}",
            )
        )


def _known_before(rs: RecordSet, tables: Iterable[str], day: np.datetime64) -> dict[str, pd.DataFrame]:
    """The family's tables restricted to what is known before ``day``."""
    frames: dict[str, pd.DataFrame] = {}
    limit = pd.Timestamp(day)
    for t in tables:
        if t not in rs:
            continue
        f = rs[t]
        known = rs.schema(t).known_at  # the event date of a built-in table
        if known is not None:
            frames[t] = f[~(pd.to_datetime(f[known]) >= limit)]
    if "installments" in tables and "installments" in rs and "loans" in rs:
        loans = frames.get("loans")
        if loans is None:
            loans = rs["loans"][~(pd.to_datetime(rs["loans"]["drawn_on"]) >= limit)]
        inst = rs["installments"]
        inst = inst[inst["loan_id"].isin(loans["loan_id"])].copy()
        paid = pd.to_datetime(inst["paid_on"])
        inst.loc[(paid >= limit).to_numpy(), "paid_on"] = pd.NaT
        frames["loans"] = loans
        frames["installments"] = inst
    return frames


def _altered(
    rs: RecordSet, tables: Iterable[str], day: np.datetime64, rng: np.random.Generator
) -> dict[str, pd.DataFrame]:
    """Event tables with the numeric values of rows known on or after ``day`` permuted among those rows."""
    frames: dict[str, pd.DataFrame] = {}
    limit = pd.Timestamp(day)
    for t in tables:
        known = rs.schema(t).known_at if t in rs else None
        if known is None or t == "loans":
            continue
        f = rs[t].copy()
        future = np.flatnonzero((pd.to_datetime(f[known]) >= limit).to_numpy())
        if future.size < 2:
            continue
        for col in f.columns:
            if pd.api.types.is_float_dtype(f[col]):
                values = f[col].to_numpy(copy=True)
                values[future] = values[future][rng.permutation(future.size)]
                f[col] = values
        frames[t] = f
    return frames


def check_point_in_time(
    family: FeatureFamily | str,
    records: RecordSet,
    observations: pd.DataFrame,
    *,
    windows: Iterable[int] = DEFAULT_WINDOWS,
    seed: int = 0,
    raise_on_failure: bool = False,
) -> PointInTimeReport:
    """Check a feature family for leakage and batch dependence on your own data.

    In the spirit of scikit-learn's ``check_estimator``: the family is run
    through :func:`extract` on ``records`` and ``observations`` and on
    variations of them that must not change a single bit of any feature.

    Parameters
    ----------
    family : FeatureFamily or str
        A user family or a built-in one (by name or object).
    records : jiebei_credit.records.RecordSet
        Records holding the family's tables.
    observations : pandas.DataFrame
        ``borrower_id`` and ``as_of`` as for :func:`extract`; a few dozen
        observations on varied dates are enough.
    windows : sequence of int, default (30, 90, 180, 365)
        Windows passed to :func:`extract`.
    seed : int, default 0
        Seed of the shuffles and permutations.
    raise_on_failure : bool, default False
        Raise :class:`~jiebei_credit.errors.InvalidInputError` listing the
        failures instead of returning them.

    Returns
    -------
    PointInTimeReport
        Every ``(check, feature)`` that failed, with what differed. The
        checks (:data:`CHECKS`): output shape, dtype and index; a catalog
        entry for every column; determinism (two runs); each observation
        alone, the observations shuffled and split in two partitions; the
        table rows shuffled; truncation (everything known on or after an
        observation's ``as_of`` removed) and altered future (the values of
        rows known on or after ``as_of`` permuted among those rows).
        "Known" is the knowledge time: the event date of a built-in table,
        ``TableSchema.known_at`` of a user table.

    Raises
    ------
    InvalidInputError
        For invalid arguments, or with ``raise_on_failure=True`` when a
        check fails.

    Notes
    -----
    Equality is bitwise (NaN equal to NaN): a feature on a bin edge must
    not flip its bin because of who else is in the batch. Truncation
    checks at most five distinct ``as_of`` dates and the "alone" check at
    most twenty observations. The truncation checks vary ``records``: a
    family that reads data from outside its view (a frame captured in a
    closure) escapes them, and only the batch checks can still catch it.
    Write families against the :class:`PointInTimeView` alone.

    Examples
    --------
    >>> import pandas as pd
    >>> from jiebei_credit.features import check_point_in_time
    >>> from jiebei_credit.synthetic import simulate_portfolio
    >>> rs = simulate_portfolio(30, start="2023-01-01", end="2024-01-01", seed=1).records
    >>> obs = pd.DataFrame({"borrower_id": rs.borrowers["borrower_id"][:10],
    ...                     "as_of": pd.Timestamp("2023-09-01")})
    >>> check_point_in_time("inquiries", rs, obs).passed
    True
    """
    func = "check_point_in_time"
    if isinstance(family, str):
        name = V.choice(family, tuple(BUILTIN_FAMILIES), func=func, name="family")
        fam = BUILTIN_FAMILIES[name]
    elif isinstance(family, FeatureFamily):
        fam = family
    else:
        raise V.fail(
            func,
            "family",
            "must be a FeatureFamily or a built-in family name",
            type(family).__name__,
            f"Use one of {list(BUILTIN_FAMILIES)} or a FeatureFamily.",
        )
    rs = check_records(records, func=func)
    ws = check_windows(windows, func=func)
    s = V.seed(seed, func=func, name="seed")
    V.flag(raise_on_failure, func=func, name="raise_on_failure")
    checked = check_observations(observations, rs, func=func)
    obs = pd.DataFrame(
        {
            "borrower_id": rs.borrowers["borrower_id"].to_numpy()[checked.code],
            "as_of": checked.day.astype("datetime64[D]").astype("datetime64[ns]"),
        },
        index=checked.index,
    )
    rng = np.random.default_rng(s)
    failures: list[PointInTimeFailure] = []

    def run(r: RecordSet, o: pd.DataFrame) -> pd.DataFrame:
        return extract(r, o, windows=ws, families=[fam])

    try:
        base = run(rs, obs)
    except InvalidInputError as exc:
        failures.append(PointInTimeFailure("output", "*", str(exc)))
        return _report(fam, failures, raise_on_failure, func)
    expected = (
        [s_.name for s_ in catalog(ws).values() if s_.family == fam.name]
        if BUILTIN_FAMILIES.get(fam.name) is fam
        else list(fam.feature_names)
    )
    if not base.index.equals(obs.index) or any(base.dtypes != np.float64):
        failures.append(PointInTimeFailure("output", "*", "index or dtypes differ from the observations"))
    for col in base.columns:
        if col not in expected:
            failures.append(PointInTimeFailure("catalog", str(col), "no catalog entry"))
    _compare("determinism", base, run(rs, obs), failures)
    alone = [run(rs, obs.iloc[[i]]) for i in range(min(len(obs), _MAX_ALONE))]
    if alone:
        _compare("alone", base.iloc[: len(alone)], pd.concat(alone), failures)
    _compare("shuffled_observations", base, run(rs, obs.iloc[rng.permutation(len(obs))]), failures)
    cut = len(obs) // 2
    parts = [run(rs, p) for p in (obs.iloc[:cut], obs.iloc[cut:]) if len(p)]
    _compare("partitioned_observations", base, pd.concat(parts), failures)
    present = [t for t in fam.tables if t in rs and t != "borrowers"]
    shuffled = rs.replace(**{t: rs[t].iloc[rng.permutation(len(rs[t]))] for t in present})
    _compare("shuffled_rows", base, run(shuffled, obs), failures)
    for day in np.unique(obs["as_of"].to_numpy())[:_MAX_DATES]:
        mine = obs[obs["as_of"].to_numpy() == day]
        _compare(
            "truncation",
            base.loc[mine.index],
            run(rs.replace(**_known_before(rs, present, day)), mine),
            failures,
        )
        altered = _altered(rs, present, day, rng)
        if altered:
            _compare("altered_future", base.loc[mine.index], run(rs.replace(**altered), mine), failures)
    return _report(fam, failures, raise_on_failure, func)


def _report(
    fam: FeatureFamily, failures: list[PointInTimeFailure], raise_: bool, func: str
) -> PointInTimeReport:
    report = PointInTimeReport(fam.name, CHECKS, tuple(failures))
    if raise_ and failures:
        raise V.fail(
            func,
            "family",
            "must pass every point-in-time check",
            f"{len(failures)} failure(s) in {list(report.failing_features())[:5]}",
            str(report),
        )
    return report
