"""Hostile inputs to features: every call gives the right result or a library error naming the culprit.

Hypothesis draws valid records and observations (tests/strategies.py) and
then presents the observations in other forms (datetime64 of any unit,
dates, ISO strings, strings in a declared format, pyarrow timestamp /
date32 / string / large_string, categorical, nullable, extra columns,
shuffled, labelled and multi-level indexes, empty and one-row frames) or
corrupts them (wrong types, numbers as dates, relative words, ambiguous
day/month strings, out-of-range and time-zone aware dates, times of day,
missing values, unknown borrowers, bools and floats as identifiers,
duplicated indexes, missing and repeated columns), and passes hostile
parameters (windows, families, sources, horizon_days, min_dpd,
observed_until, date_format, records) to extract, outcomes and catalog.

Each call must either return the result of the canonical call, itself
checked against the slow reference in tests/features/reference.py, or raise
a :class:`~jiebei_credit.errors.JiebeiCreditError` naming the parameter or
column. No call may change its inputs or ``warnings.filters``.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError, JiebeiCreditError
from jiebei_credit.features import CATALOG, FAMILIES, FAMILY_SOURCES, catalog, extract, outcomes
from jiebei_credit.records import TABLE_NAMES, RecordSet
from tests.features.reference import Reference, reference_frame
from tests.strategies import feature_cases

Case = tuple[dict[str, pd.DataFrame], pd.DataFrame]
#: Families whose reference is quick enough to run on every example.
QUICK = ["line", "zhima", "inquiries", "profile"]
#: Longest horizon and past-due threshold accepted: 1950-01-01 to 2100-12-31 in days.
MAX_DAYS = (dt.date(2100, 12, 31) - dt.date(1950, 1, 1)).days
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


# ------------------------------------------------------------ the harness ---


@contextmanager
def guarded(*frames: pd.DataFrame) -> Iterator[None]:
    """The frames and warnings.filters are the same after the call, however it ends."""
    before = [f.copy(deep=True) for f in frames]
    filters = list(warnings.filters)
    try:
        yield
    finally:
        assert list(warnings.filters) == filters
        for b, f in zip(before, frames, strict=True):
            pd.testing.assert_frame_equal(f, b, check_exact=True)
            assert f.index.equals(b.index)


def attempt(call: Callable[[], Any], *frames: pd.DataFrame) -> Any:
    """The result of ``call``, or the library error it raised (anything else fails the test)."""
    with guarded(*frames):
        try:
            return call()
        except JiebeiCreditError as err:
            return err


def refused(got: Any, func: str, name: str) -> None:
    assert isinstance(got, InvalidInputError), f"{func}: {name} was accepted"
    assert str(got).startswith(f"{func}: {name} "), str(got)


def same_bits(got: pd.DataFrame | pd.Series, want: pd.DataFrame | pd.Series) -> None:
    assert type(got) is type(want)
    assert got.index.equals(want.index)
    if isinstance(got, pd.DataFrame):
        assert isinstance(want, pd.DataFrame)
        assert list(got.columns) == list(want.columns)
    assert got.to_numpy().view(np.int64).tobytes() == want.to_numpy().view(np.int64).tobytes()


def close_to_reference(got: pd.DataFrame, rs: RecordSet, obs: pd.DataFrame) -> None:
    want = reference_frame(rs, obs, QUICK)
    assert set(got.columns) == set(want.columns)
    for col in got.columns:
        np.testing.assert_allclose(
            got[col].to_numpy(), want[col].to_numpy(), rtol=1e-9, atol=1e-7, err_msg=col, equal_nan=True
        )


# ------------------------------------------------ observations, other forms ---


def as_of_form(as_of: pd.Series, how: str) -> tuple[pd.Series, str | None]:
    """The same dates in another form, and the date_format that reads it (None for ISO 8601)."""
    days = pd.to_datetime(as_of)
    if how in ("s", "ms", "us"):
        return days.astype(f"datetime64[{how}]"), None
    if how == "dates":
        return pd.Series([d.date() for d in days], index=as_of.index, dtype=object), None
    if how == "timestamps":
        return pd.Series(list(days), index=as_of.index, dtype=object), None
    if how == "iso":
        return days.dt.strftime("%Y-%m-%d"), None
    if how == "iso-declared":
        return days.dt.strftime("%Y-%m-%d").astype(object), "%Y-%m-%d"
    if how == "day-first":
        return days.dt.strftime("%d/%m/%Y"), "%d/%m/%Y"
    if how == "arrow-timestamp":
        return days.astype(pd.ArrowDtype(pa.timestamp("ms"))), None
    if how == "arrow-date32":
        return days.astype(pd.ArrowDtype(pa.date32())), None
    if how == "category":
        return days.dt.strftime("%Y-%m-%d").astype("category"), None
    return as_of, None


def id_form(ids: pd.Series, how: str) -> pd.Series:
    if how == "string":
        return ids.astype("string")
    if how == "arrow":
        return ids.astype(pd.ArrowDtype(pa.string()))
    if how == "arrow-large":
        return ids.astype(pd.ArrowDtype(pa.large_string()))
    if how == "category":
        return ids.astype("category")
    return ids.astype(object)


INDEXES = ("range", "labels", "multi", "reversed")


def with_index(frame: pd.DataFrame, how: str) -> pd.DataFrame:
    n = len(frame)
    if how == "labels":
        return frame.set_axis(pd.Index([f"app-{7 * i}" for i in range(n)]), axis=0)
    if how == "multi":
        return frame.set_axis(
            pd.MultiIndex.from_arrays([[f"a{i}" for i in range(n)], list(range(n))]), axis=0
        )
    if how == "reversed":
        return frame.set_axis(pd.RangeIndex(n)[::-1], axis=0)
    return frame.set_axis(pd.RangeIndex(n), axis=0)


DATE_FORMS = (
    "ns",
    "s",
    "ms",
    "us",
    "dates",
    "timestamps",
    "iso",
    "iso-declared",
    "day-first",
    "arrow-timestamp",
    "arrow-date32",
    "category",
)
ID_FORMS = ("object", "string", "arrow", "arrow-large", "category")


@pytest.mark.slow  # over 5 s even with the fast Hypothesis profile
@settings(max_examples=20)
@given(
    feature_cases(max_observations=4),
    st.integers(0, len(ID_FORMS) - 1),
    st.sampled_from(INDEXES),
    st.sampled_from(["as is", "extra columns", "one row", "empty"]),
)
def test_observations_in_any_accepted_form_give_the_same_bits(
    case: Case, shift: int, index_how: str, shape: str
) -> None:
    frames, canonical = case
    rs = RecordSet.from_frames(**frames)
    canonical = with_index(canonical, index_how)
    if shape == "one row":
        canonical = canonical.iloc[:1]
    elif shape == "empty":
        canonical = canonical.iloc[:0]
    want = extract(rs, canonical)
    until = pd.Timestamp("2024-06-30")  # a Timestamp needs no date_format
    want_bad = outcomes(rs, canonical, observed_until=until)
    if len(canonical):
        close_to_reference(extract(rs, canonical, families=QUICK), rs, canonical)
    # every form of the dates, each with one of the forms of the identifiers (rotated by example)
    for k, date_how in enumerate(DATE_FORMS):
        id_how = ID_FORMS[(k + shift) % len(ID_FORMS)]
        as_of, fmt = as_of_form(canonical["as_of"], date_how)
        variant = canonical.assign(as_of=as_of, borrower_id=id_form(canonical["borrower_id"], id_how))
        if shape == "extra columns":
            variant = variant.assign(score=1.5, note="x", as_of_local=variant["as_of"])
        got = attempt(lambda v=variant, f=fmt: extract(rs, v, date_format=f), variant)
        assert not isinstance(got, Exception), f"{date_how} / {id_how}: {got}"
        same_bits(got, want)
        got_bad = attempt(
            lambda v=variant, f=fmt: outcomes(rs, v, observed_until=until, date_format=f), variant
        )
        assert not isinstance(got_bad, Exception), f"{date_how} / {id_how}: {got_bad}"
        same_bits(got_bad, want_bad)


# ------------------------------------------------------ hostile observations ---

#: Values no as_of may hold; each must be refused at its row.
BAD_DATES: list[Any] = [
    20240105,
    np.int64(20240105),
    int(pd.Timestamp("2024-01-05").value),
    1.5,
    True,
    "today",
    "now",
    "Yesterday",
    "06/07/2023",
    "13/07/2023",
    "2024-13-45",
    "",
    "0001-01-01",
    "3000-01-01",
    dt.date(1, 1, 1),
    dt.date(1949, 12, 31),
    np.datetime64("2500-01-01", "D"),
    "2024-01-05T10:00:00+08:00",
    dt.datetime(2024, 1, 5, tzinfo=SHANGHAI),
    dt.datetime(2024, 1, 5, 10, 30),
    "2024-01-05 10:30",
    pd.Timedelta(days=1),
    [2024, 1, 5],
    None,
    np.nan,
    pd.NaT,
]
#: Values no borrower_id may hold; each must be refused at its row.
BAD_IDS: list[Any] = [
    True,
    np.bool_(False),
    1.5,
    7.0,
    None,
    np.nan,
    "nobody",
    [1],
    b"b0",
    dt.date(2024, 1, 1),
]


@st.composite
def hostile_observations(draw: st.DrawFn) -> tuple[Case, Any, str, Any]:
    """(case, corrupted observations, the name the error must start with, the row label or None)."""
    case = draw(feature_cases(max_observations=4))
    obs = with_index(case[1], draw(st.sampled_from(INDEXES)))
    n = len(obs)
    pos = draw(st.integers(0, n - 1))
    how = draw(
        st.sampled_from(
            [
                "as_of cell",
                "borrower_id cell",
                "as_of dtype",
                "borrower_id dtype",
                "index",
                "columns",
                "not a frame",
            ]
        )
    )
    event(how)
    if how in ("as_of cell", "borrower_id cell"):
        col = how.split()[0]
        cells = obs[col].astype(object).to_numpy().copy()
        cells[pos] = draw(st.sampled_from(BAD_DATES if col == "as_of" else BAD_IDS))
        bad = obs.assign(**{col: pd.Series(cells, index=obs.index, dtype=object)})
        return case, bad, f"observations.{col}", obs.index[pos]
    if how == "as_of dtype":
        days = pd.to_datetime(obs["as_of"])
        column = draw(
            st.sampled_from(
                [
                    pd.Series(np.arange(n) + 20240101, index=obs.index),
                    pd.Series(np.arange(n) + 0.5, index=obs.index),
                    pd.Series(True, index=obs.index),
                    days.dt.tz_localize("Asia/Shanghai"),
                    days.astype(pd.ArrowDtype(pa.timestamp("us", tz="UTC"))),
                    pd.Series(pd.to_timedelta(np.arange(n), unit="D"), index=obs.index),
                ]
            )
        )
        return case, obs.assign(as_of=column), "observations.as_of", None
    if how == "borrower_id dtype":
        column = draw(
            st.sampled_from(
                [
                    pd.Series(np.arange(n) + 0.5, index=obs.index),
                    pd.Series(True, index=obs.index),
                    pd.Series(pd.Categorical(np.arange(n) + 0.5), index=obs.index),
                    pd.Series(pd.Categorical([True] * n), index=obs.index),
                    pd.Series(pd.to_datetime(["2024-01-01"] * n), index=obs.index),
                ]
            )
        )
        return case, obs.assign(borrower_id=column), "observations.borrower_id", None
    if how == "index":
        if n == 1:
            return case, pd.concat([obs, obs]), "observations.index", None
        labels = list(obs.index)
        labels[pos] = labels[(pos + 1) % n]
        return case, obs.set_axis(pd.Index(labels), axis=0), "observations.index", None
    if how == "columns":
        kind = draw(
            st.sampled_from(["drop as_of", "drop borrower_id", "repeat as_of", "repeat borrower_id", "multi"])
        )
        if kind.startswith("drop"):
            bad = obs.drop(columns=kind.split()[1])
        elif kind.startswith("repeat"):
            name = kind.split()[1]
            bad = obs.copy()
            bad.insert(2, name, obs[name].to_numpy(), allow_duplicates=True)
        else:
            bad = obs.set_axis(pd.MultiIndex.from_tuples([(c, "x") for c in obs.columns]), axis=1)
        return case, bad, "observations", None
    other = draw(st.sampled_from(["dict", "series", "array", "none", "list"]))
    target = {
        "dict": obs.to_dict("list"),
        "series": obs["as_of"],
        "array": obs.to_numpy(),
        "none": None,
        "list": [obs],
    }[other]
    return case, target, "observations", None


@pytest.mark.slow  # over 5 s even with the fast Hypothesis profile
@settings(max_examples=100)
@given(hostile_observations(), st.sampled_from(["extract", "outcomes"]))
def test_hostile_observations_are_refused_by_name(
    drawn: tuple[Case, pd.DataFrame, str, Any], func: str
) -> None:
    (frames, _), bad, name, row = drawn
    rs = RecordSet.from_frames(**frames)
    call = (
        (lambda: extract(rs, bad))
        if func == "extract"
        else (lambda: outcomes(rs, bad, observed_until="2025-01-01"))
    )
    got = attempt(call, *([bad] if isinstance(bad, pd.DataFrame) else []))
    refused(got, func, name)
    if row is not None:
        assert f"row {row!r}." in str(got) or f"rows {row!r}" in str(got) or f"row {row}." in str(got), str(
            got
        )


# -------------------------------------------------------- hostile parameters ---

ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.text(max_size=8),
    st.binary(max_size=3),
    st.sampled_from(
        [
            np.int64(30),
            np.float64(30.0),
            np.bool_(True),
            30 + 0j,
            dt.date(2024, 1, 1),
            object(),
            {"a": 1},
            np.array([[30]]),
        ]
    ),
)
CONTAINERS: dict[str, Callable[[list[Any]], Any]] = {
    "list": list,
    "tuple": tuple,
    "ndarray": lambda v: np.array(v, dtype=object),
    "Index": pd.Index,
    "Series": pd.Series,
    "set": lambda v: set(v) if all(isinstance(x, int | str) for x in v) else list(v),
}


def window_rule(items: list[Any]) -> tuple[int, ...] | None:
    """The windows these items ask for, by the rule in the docstring, or None when refused."""
    ok = items and all(
        isinstance(w, int | np.integer) and not isinstance(w, bool | np.bool_) and 1 <= w <= 3650
        for w in items
    )
    if not ok or len({int(w) for w in items}) != len(items):
        return None
    return tuple(sorted(int(w) for w in items))


WINDOW_ITEMS = st.one_of(
    st.integers(-5, 4000),
    st.sampled_from(
        [
            30,
            90,
            np.int64(7),
            np.int32(45),
            np.uint16(365),
            True,
            np.bool_(True),
            30.0,
            "30",
            None,
            [30],
            1 + 0j,
        ]
    ),
)


@settings(max_examples=30)
@given(
    feature_cases(max_observations=2),
    st.one_of(
        st.lists(st.integers(1, 3650), min_size=1, max_size=4, unique=True),  # valid
        st.lists(WINDOW_ITEMS, max_size=4),
    ),
)
def test_hostile_windows(case: Case, items: list[Any]) -> None:
    frames, obs = case
    rs = RecordSet.from_frames(**frames)
    for container, make in CONTAINERS.items():  # every list-like form of the same items
        try:
            windows = make(items)
        except (TypeError, ValueError):
            continue  # the container itself cannot hold these items
        want = window_rule(sorted(windows, key=repr) if isinstance(windows, set) else list(windows))
        event(f"{'refused' if want is None else 'accepted'}")
        got = attempt(lambda w=windows: extract(rs, obs, windows=w, families=QUICK), obs)
        spec = attempt(lambda w=windows: catalog(w))
        if want is None:
            refused(got, "extract", "windows")
            refused(spec, "catalog", "windows")
            continue
        same_bits(got, extract(rs, obs, windows=want, families=QUICK))
        assert list(spec) == list(catalog(want)), container
    if (want := window_rule(list(items))) is not None:
        close = reference_frame(rs, obs, QUICK, want)
        got = extract(rs, obs, windows=items, families=QUICK)
        for col in got.columns:
            np.testing.assert_allclose(
                got[col].to_numpy(), close[col].to_numpy(), rtol=1e-9, atol=1e-7, equal_nan=True, err_msg=col
            )


@settings(max_examples=60)
@given(
    feature_cases(max_observations=2),
    st.lists(st.one_of(st.sampled_from([*FAMILIES, "cash", "", "Line"]), ODD), max_size=3),
    st.lists(st.one_of(st.sampled_from([*TABLE_NAMES, "bank_statements"]), ODD), max_size=4),
    st.sampled_from(sorted(CONTAINERS)),
    st.booleans(),
)
def test_hostile_families_and_sources(
    case: Case, families: list[Any], sources: list[Any], container: str, whole: bool
) -> None:
    frames, obs = case
    rs = RecordSet.from_frames(**frames)
    try:
        fams, srcs = CONTAINERS[container](families), CONTAINERS[container](sources)
    except (TypeError, ValueError):
        return
    if whole:  # a single name where a list is expected
        fams = "line"
    got = attempt(lambda: extract(rs, obs, families=fams, sources=srcs), obs)
    fam_items = (
        None
        if isinstance(fams, str | bytes)
        or not isinstance(fams, list | tuple | set | np.ndarray | pd.Index | pd.Series)
        else list(fams)
    )
    fam_ok = fam_items is not None and all(isinstance(f, str) and f in FAMILIES for f in fam_items)
    src_ok = all(isinstance(s, str) and s in TABLE_NAMES for s in list(srcs))
    event(f"families {'ok' if fam_ok else 'bad'}, sources {'ok' if src_ok else 'bad'}")
    if not fam_ok:
        refused(got, "extract", "families")
        return
    if not src_ok:
        refused(got, "extract", "sources")
        return
    allowed = set(srcs)
    blocked = [f for f in fam_items if any(t not in allowed or t not in rs for t in FAMILY_SOURCES[f])]
    if blocked:
        refused(got, "extract", "families")
        return
    assert not isinstance(got, Exception), got
    # reference: the catalog's features of the chosen families whose tables are all allowed and present
    names = [
        n
        for n, s in CATALOG.items()
        if s.family in fam_items and all(t in allowed and t in rs for t in s.sources)
    ]
    assert list(got.columns) == names
    same_bits(got, extract(rs, obs)[names])


def date_cases() -> list[tuple[Any, bool]]:
    """(observed_until, accepted) pairs."""
    good = [
        ("2025-06-30", True),
        (dt.date(2025, 6, 30), True),
        (pd.Timestamp("2025-06-30"), True),
        (np.datetime64("2025-06-30", "D"), True),
        (np.datetime64("2025-06-30T00:00:00", "s"), True),
        (dt.datetime(2025, 6, 30), True),
        (pa.scalar(dt.date(2025, 6, 30)), True),
    ]
    bad = [(v, False) for v in BAD_DATES if not isinstance(v, list)]
    return (
        good + bad + [([2025], False), (np.array(["2025-06-30"]), False), (pd.Series(["2025-06-30"]), False)]
    )


ODD_DAYS = st.sampled_from(
    [
        0,
        -1,
        MAX_DAYS,
        MAX_DAYS + 1,
        2**63,
        2**64,
        -(2**63),
        np.int64(180),
        np.int32(30),
        np.uint8(90),
        True,
        np.bool_(True),
        365.0,
        np.float64(90.0),
        "365",
        None,
        1j,
    ]
)


@settings(max_examples=60)
@given(
    feature_cases(max_observations=3),
    st.one_of(st.integers(1, 400), st.integers(1, 400), ODD_DAYS, st.integers(-(2**70), 2**70)),
    st.one_of(st.integers(1, 120), st.integers(1, 120), ODD_DAYS),
    st.one_of(st.sampled_from([c for c in date_cases() if c[1]]), st.sampled_from(date_cases())),
)
def test_hostile_outcome_parameters(case: Case, horizon: Any, min_dpd: Any, until: tuple[Any, bool]) -> None:
    frames, obs = case
    rs = RecordSet.from_frames(**frames)
    until_value, until_ok = until

    def whole(v: Any) -> bool:
        return isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_) and 1 <= v <= MAX_DAYS

    got = attempt(
        lambda: outcomes(rs, obs, horizon_days=horizon, min_dpd=min_dpd, observed_until=until_value), obs
    )
    if not whole(horizon):
        refused(got, "outcomes", "horizon_days")
        return
    if not whole(min_dpd):
        refused(got, "outcomes", "min_dpd")
        return
    if not until_ok:
        refused(got, "outcomes", "observed_until")
        return
    assert not isinstance(got, Exception), got
    event("accepted")
    h, m, end = int(horizon), int(min_dpd), dt.date(2025, 6, 30)
    same_bits(got, outcomes(rs, obs, horizon_days=h, min_dpd=m, observed_until="2025-06-30"))
    ref = Reference(rs)
    for label, b, when in zip(obs.index, obs["borrower_id"], obs["as_of"], strict=True):
        d = pd.Timestamp(when).date()
        if d + dt.timedelta(days=h) > end:
            assert math.isnan(got[label])  # immature: never counted as good
        elif h <= 400:
            assert got[label] == ref.outcome(b, d, horizon=h, min_dpd=m, until=end)


@settings(max_examples=30)
@given(
    feature_cases(max_observations=2), st.one_of(ODD, st.sampled_from(["%Y-%m-%d", "ISO8601", "mixed", "%d"]))
)
def test_hostile_records_and_date_format(case: Case, odd: Any) -> None:
    frames, obs = case
    rs = RecordSet.from_frames(**frames)
    refused(attempt(lambda: extract(odd, obs), obs), "extract", "records")
    refused(attempt(lambda: outcomes(frames, obs, observed_until="2025-01-01"), obs), "outcomes", "records")
    fmt_ok = odd is None or (isinstance(odd, str) and (odd == "ISO8601" or "%" in odd))
    got = attempt(lambda: extract(rs, obs, date_format=odd, families=QUICK), obs)
    if fmt_ok:  # as_of holds datetime64 values, which need no format
        assert not isinstance(got, Exception), got
        same_bits(got, extract(rs, obs, families=QUICK))
    else:
        refused(got, "extract", "date_format")


def test_every_frame_shape_corruption_is_refused_by_name() -> None:
    # The Hypothesis draws above reach each corruption; this lists every one of them once.
    rs = RecordSet.from_frames(
        borrowers=pd.DataFrame(
            {
                "borrower_id": ["b0"],
                "business_type": ["unregistered"],
                "industry": [None],
                "business_registered_on": [None],
                "region": [None],
            }
        ),
        loans=pd.DataFrame(
            columns=[
                "loan_id",
                "borrower_id",
                "drawn_on",
                "principal",
                "term_months",
                "repayment_method",
                "daily_rate",
                "purpose",
            ]
        ),
        installments=pd.DataFrame(
            columns=["loan_id", "seq", "due_on", "principal_due", "interest_due", "paid_on"]
        ),
    )
    obs = pd.DataFrame({"borrower_id": ["b0", "b0"], "as_of": pd.to_datetime(["2024-01-01", "2024-02-01"])})
    repeated_as_of, repeated_id = obs.copy(), obs.copy()
    repeated_as_of.insert(2, "as_of", obs["as_of"].to_numpy(), allow_duplicates=True)
    repeated_id.insert(2, "borrower_id", obs["borrower_id"].to_numpy(), allow_duplicates=True)
    cases: list[tuple[Any, str]] = [
        (obs.drop(columns="as_of"), "observations"),
        (obs.drop(columns="borrower_id"), "observations"),
        (obs.iloc[:, :0], "observations"),
        (repeated_as_of, "observations"),
        (repeated_id, "observations"),
        (
            obs.set_axis(pd.MultiIndex.from_tuples([("borrower_id", "x"), ("as_of", "y")]), axis=1),
            "observations",
        ),
        (obs.set_axis([3, 3], axis=0), "observations.index"),
        (obs.to_dict("list"), "observations"),
        (obs["as_of"], "observations"),
        (obs.to_numpy(), "observations"),
        (None, "observations"),
    ]
    for bad, name in cases:
        frames = [bad] if isinstance(bad, pd.DataFrame) else []
        refused(attempt(lambda b=bad: extract(rs, b), *frames), "extract", name)
        refused(
            attempt(lambda b=bad: outcomes(rs, b, observed_until="2025-01-01"), *frames), "outcomes", name
        )
