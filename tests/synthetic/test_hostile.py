"""Hostile inputs for every public function of ``jiebei_credit.synthetic``.

As in ``tests/limits/test_hostile.py``: each test draws one hostile argument
(wrong types, numpy scalars, NaN and infinities, extreme values, dates as
numbers, relative words, time zones, out-of-range dates, pyarrow and
categorical columns, duplicated indexes, empty and one-row frames) and keeps
the others valid. An oracle from the documented rules says whether the
argument is acceptable; an acceptable call must return the correct result
(checked against a reference: the records' own schemas, the call with the
plain value, and formulas over the public ground truth), any other must
raise a ``JiebeiCreditError`` naming the function and the argument. No input
may be mutated and ``warnings.filters`` must not change.

Portfolios are tiny (at most 6 borrowers over 90 to 150 days) so that the
suite stays fast.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import jiebei_credit as jc
from jiebei_credit.synthetic import Portfolio, SimulationConfig, simulate_portfolio
from tests.limits.hostile import (
    Refused,
    call,
    date_ok,
    expect,
    hostile_scalar,
    int_ok,
    real_ok,
)

START_MIN, END_MAX = pd.Timestamp("1980-01-02"), pd.Timestamp("2100-01-01")
EVENT_COLUMNS = {  # table: column of events that happen inside [start, end)
    "credit_line_events": "effective_on", "loans": "drawn_on", "transactions": "occurred_at",
    "zhima_scores": "observed_on", "inquiries": "inquired_on",
}


def check_portfolio(p: Portfolio, n: int, start: pd.Timestamp, end: pd.Timestamp) -> None:
    """Reference checks of a simulated portfolio: its records pass their own schemas, dates in range."""
    tables = {t: getattr(p.records, t) for t in p.records.tables}
    jc.records.RecordSet.from_frames(**tables)  # validates every table: raises SchemaError otherwise
    assert len(p.records.borrowers) == n
    assert (p.start, p.end) == (start, end)
    for table, column in EVENT_COLUMNS.items():
        when = tables[table][column]
        assert ((when >= start) & (when < end)).all(), table
    for frame in tables.values():
        for column in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[column]):
                d = frame[column].dropna()
                assert ((d >= pd.Timestamp("1950-01-01")) & (d < pd.Timestamp("2101-01-01"))).all()


def date_forms(day: dt.date) -> list[Any]:
    """The same date in every accepted form."""
    return [day.isoformat(), day, pd.Timestamp(day), np.datetime64(day, "D"), np.datetime64(day, "ns"),
            dt.datetime(day.year, day.month, day.day)]


BAD_DATES = [
    20230101, 20230101.0, np.int64(20230101), 1_672_531_200_000_000_000, True, None, math.nan, pd.NaT,
    np.datetime64("NaT", "ns"), "now", "today", "", "not a date", "01/02/2023", "2023-02-30",
    "2023-01-01 10:30", dt.datetime(2023, 1, 1, 10, 30), pd.Timestamp("2023-01-01", tz="Asia/Shanghai"),
    b"2023-01-01", ["2023-01-01"], pd.Timedelta(days=1), "1949-12-31", "2262-01-01", "1677-01-01",
]


@st.composite
def simulation_args(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """Valid arguments with one of them made hostile; and the name of that one."""
    start = draw(st.dates(START_MIN.date(), (END_MAX - pd.Timedelta(days=150)).date()))
    span = draw(st.integers(90, 150))
    args: dict[str, Any] = {
        "n_borrowers": draw(st.integers(1, 6)), "start": start.isoformat(),
        "end": (pd.Timestamp(start) + pd.Timedelta(days=span)).date().isoformat(),
        "seed": draw(st.integers(0, 2**32)), "config": None,
    }
    target = draw(st.sampled_from([None, *args]))
    if target == "n_borrowers":
        args[target] = draw(hostile_scalar(st.integers(1, 6)) | st.sampled_from([0, -1, 5_000_001, 2**70]))
    elif target in ("start", "end"):
        day = pd.Timestamp(args[target]).date()
        edge = st.sampled_from(["1980-01-01", "1980-01-02", "1979-06-01", "2100-01-01", "2100-01-02",
                                "2100-06-01"])
        args[target] = draw(st.sampled_from(date_forms(day)) | st.sampled_from(BAD_DATES) | edge)
    elif target == "seed":
        args[target] = draw(hostile_scalar(st.integers(0, 2**32)) | st.sampled_from(
            [2**63, 2**63 - 1, -1, np.random.default_rng(3), np.random.SeedSequence(3), np.uint64(2**63)]))
    elif target == "config":
        args[target] = draw(st.sampled_from([SimulationConfig(), SimulationConfig(default_intensity=2.0),
                                             {"default_intensity": 2.0}, "default", 1, SimulationConfig]))
    return args, str(target)


def _seed_ok(v: Any) -> Any:
    if isinstance(v, np.random.Generator | np.random.SeedSequence):
        return v
    return int_ok(v, 0, 2**63 - 1)


@given(simulation_args())
# A 0-d array seed is its one value, as for every integer parameter (was refused).
@example(({"n_borrowers": 1, "start": "2000-01-01", "end": "2000-03-31", "seed": np.array(0), "config": None},
          "seed"))
def test_simulate_portfolio(drawn: tuple[dict[str, Any], str]) -> None:
    args, _ = drawn

    def verdict() -> tuple[int, pd.Timestamp, pd.Timestamp]:
        n = int_ok(args["n_borrowers"], 1, 5_000_000)
        start, end = date_ok(args["start"], time_ok=False), date_ok(args["end"], time_ok=False)
        if start < START_MIN or end > END_MAX or (end - start).days < 90:
            raise Refused
        _seed_ok(args["seed"])
        if args["config"] is not None and not isinstance(args["config"], SimulationConfig):
            raise Refused
        return n, start, end

    got, out = expect(verdict, simulate_portfolio, args["n_borrowers"],
                      names=("n_borrowers", "start", "end", "seed", "config"),
                      **{k: v for k, v in args.items() if k != "n_borrowers"})
    if got is not None:
        n, start, end = got
        check_portfolio(out, n, start, end)
        if not isinstance(args["seed"], np.random.Generator):
            # The same portfolio as with plain Python values (a Generator advances, so not for it).
            plain = simulate_portfolio(n, start=start.date().isoformat(), end=end.date().isoformat(),
                                       seed=args["seed"] if isinstance(args["seed"], np.random.SeedSequence)
                                       else int(args["seed"]), config=args["config"])
            assert out.records == plain.records


def test_simulation_date_range_regressions() -> None:
    # Regression: outside about 1950-2100 the records failed their own schema. Now the bounds are
    # the ones that keep every date of the records in 1950-01-01 .. 2100-12-31, and they hold.
    for start, end in (("1980-01-02", "1980-04-01"), ("2099-10-03", "2100-01-01")):
        p = simulate_portfolio(40, start=start, end=end, seed=5)
        check_portfolio(p, 40, pd.Timestamp(start), pd.Timestamp(end))
    for start, end, name in (("1980-01-01", "1980-06-01", "start"), ("2099-06-01", "2100-01-02", "end"),
                             ("1900-01-01", "1900-06-01", "start"), ("2262-01-01", "2262-06-01", "start")):
        ok, err = call(simulate_portfolio, 5, start=start, end=end, seed=1, names=(name,))
        assert not ok
        assert f"simulate_portfolio: {name} must" in str(err)


# ----------------------------------------------------------- SimulationConfig ---

CONFIG_FIELDS = {
    "default_intensity": (lambda v: real_ok(v, 0.0, 20.0, True), st.floats(0.1, 20)),
    "onboarding_days": (lambda v: int_ok(v, 0, 3650), st.integers(0, 3650)),
    "sales_per_month": (lambda v: real_ok(v, 0.0, 1000.0, True), st.floats(0.1, 1000)),
    "review_months": (lambda v: int_ok(v, 1, 36), st.integers(1, 36)),
    "min_limit": (lambda v: real_ok(v, 1.0, 10_000_000.0), st.floats(1, 150_000)),
    "max_limit": (lambda v: real_ok(v, 1.0, 10_000_000.0), st.floats(200_000, 10_000_000)),
}


@given(st.data())
def test_simulation_config(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(CONFIG_FIELDS)))
    rule, valid = CONFIG_FIELDS[name]
    value = data.draw(hostile_scalar(valid) | st.none())

    def verdict() -> Any:
        v = rule(value)
        # min_limit < max_limit, the defaults being 1 000 and 200 000.
        if (name == "min_limit" and v >= 200_000.0) or (name == "max_limit" and v <= 1_000.0):
            raise Refused
        return v

    got, cfg = expect(verdict, SimulationConfig, names=(name,), **{name: value})
    if cfg is not None:
        assert getattr(cfg, name) == got
        assert type(getattr(cfg, name)) is type(got)
        # Fields are plain Python numbers: the JSON round trip gives an equal config.
        assert SimulationConfig.from_dict(json.loads(json.dumps(cfg.to_dict()))) == cfg


@given(name=st.sampled_from(sorted(CONFIG_FIELDS)),
       value=st.sampled_from(["2.0", "30", True, None, [1], {"a": 1}, math.nan, 30.0, 1e400]))
def test_simulation_config_payloads(name: str, value: Any) -> None:
    payload = {**SimulationConfig().to_dict(), name: value}
    try:
        expected_ok = True
        SimulationConfig(**{k: v for k, v in payload.items() if k not in ("schema", "version")})
    except jc.errors.JiebeiCreditError:
        expected_ok = False
    ok, _ = call(SimulationConfig.from_dict, payload, names=(name,), public="SimulationConfig")
    assert ok == expected_ok


# ------------------------------------------------------------------- Truth ---

START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-01-01")


@pytest.fixture(scope="module")
def truth() -> jc.synthetic.Truth:
    return simulate_portfolio(40, start=START.date().isoformat(), end=END.date().isoformat(), seed=9).truth


hostile_as_of = st.one_of(
    st.dates(START.date(), END.date()).flatmap(lambda d: st.sampled_from(date_forms(d))),
    st.sampled_from([*BAD_DATES, "2022-12-31", "2024-01-02", "2023-06-01T00:00:00"]),
)
hostile_horizon = hostile_scalar(st.integers(1, 3650)) | st.sampled_from([0, 3651, 2**63, 2**70])


def ref_outcome(default: pd.Series, as_of: pd.Timestamp, h: int) -> pd.Series:
    """1 if the default date lies in (as_of, as_of + h], 0 if not, NaN if unknown (Truth.outcome docs)."""
    d = default
    flag = ((d > as_of) & (d <= as_of + pd.Timedelta(days=h))).astype(float)
    flag[(d <= as_of) | (as_of + pd.Timedelta(days=h) > END)] = np.nan
    return flag


@given(as_of=hostile_as_of, horizon=hostile_horizon)
def test_truth_pd_and_outcome(truth: jc.synthetic.Truth, as_of: Any, horizon: Any) -> None:
    def verdict() -> tuple[pd.Timestamp, int]:
        when = date_ok(as_of, time_ok=False)
        if not START <= when <= END:
            raise Refused
        return when, int_ok(horizon, 1, 3650)

    got, pd_ = expect(verdict, truth.pd, as_of, names=("as_of", "horizon_days"), public="Truth.pd",
                      horizon_days=horizon)
    if got is not None:
        when, h = got
        assert ((pd_ >= 0) & (pd_ <= 1)).all()
        pd.testing.assert_series_equal(pd_, truth.pd(when.date().isoformat(), horizon_days=h))
        # Borrowers that stopped paying before as_of: PD is 1 exactly when default (stop + 90 days)
        # falls by as_of + h (the class Notes).
        stop = truth.borrowers["stop_date"]
        stopped = stop < when
        known = (stop + pd.Timedelta(days=90) <= when + pd.Timedelta(days=h)).astype(float)
        pd.testing.assert_series_equal(pd_[stopped], known[stopped], check_names=False)
    got, out = expect(verdict, truth.outcome, as_of, names=("as_of", "horizon_days"),
                      public="Truth.outcome", horizon_days=horizon)
    if got is not None:
        when, h = got
        pd.testing.assert_series_equal(out, ref_outcome(truth.default_date, when, h), check_names=False)


@given(st.data())
def test_truth_pd_for(truth: jc.synthetic.Truth, data: st.DataObject) -> None:
    ids = truth.borrowers.index.tolist()
    n = data.draw(st.integers(0, 4))
    who = data.draw(st.lists(st.sampled_from(ids), min_size=n, max_size=n))
    days = data.draw(st.lists(st.dates(START.date(), END.date()), min_size=n, max_size=n))
    frame = pd.DataFrame({"borrower_id": who, "as_of": [d.isoformat() for d in days]},
                         index=data.draw(st.sampled_from([pd.RangeIndex(n), pd.Index([7] * n),
                                                          pd.Index([f"o{k}" for k in range(n)])])))
    form = data.draw(st.sampled_from(["iso", "timestamps", "arrow", "date32", "category", "ids_arrow",
                                      "ids_category", "numbers", "now", "range", "missing", "unknown_id",
                                      "time", "two_as_of", "no_as_of", "list"]))
    valid = True
    observations: Any = frame
    if form == "timestamps":
        frame["as_of"] = pd.to_datetime(frame["as_of"])
    elif form == "arrow":
        frame["as_of"] = pd.to_datetime(frame["as_of"]).astype("timestamp[ns][pyarrow]")
    elif form == "date32":
        frame["as_of"] = pd.Series(days, dtype="date32[pyarrow]", index=frame.index)
    elif form == "category":
        frame["as_of"] = frame["as_of"].astype("category")
    elif form == "ids_arrow":
        frame["borrower_id"] = frame["borrower_id"].astype("string[pyarrow]")
    elif form == "ids_category":
        frame["borrower_id"] = frame["borrower_id"].astype("category")
    elif n and form in ("numbers", "now", "range", "missing", "unknown_id", "time"):
        column = "borrower_id" if form == "unknown_id" else "as_of"
        bad = {"numbers": 20230601, "now": "now", "range": "2022-06-01", "missing": None,
               "unknown_id": "nobody", "time": "2023-06-01 10:00"}[form]
        frame[column] = [*frame[column].iloc[:-1], bad]
        valid = False
    elif form == "two_as_of":
        observations = pd.concat([frame, frame[["as_of"]]], axis=1)
        valid = False
    elif form == "no_as_of":
        observations = frame.drop(columns="as_of")
        valid = False
    elif form == "list":
        observations = frame.to_numpy().tolist()
        valid = False
    horizon = data.draw(st.sampled_from([365, 90, np.int64(30)]))

    def verdict() -> bool:
        if not valid:
            raise Refused
        return True

    _, out = expect(verdict, truth.pd_for, observations, public="Truth.pd_for",
                    names=("observations", "column 'as_of'", "column 'borrower_id'"), horizon_days=horizon)
    if out is not None:
        # Reference: each row is Truth.pd of its borrower at its own date.
        assert out.index.equals(frame.index)
        for k in range(n):
            want = truth.pd(days[k].isoformat(), horizon_days=int(horizon))[who[k]]
            assert out.iloc[k] == want


def test_truth_reads_no_number_as_a_date(truth: jc.synthetic.Truth) -> None:
    # Regression: observations with as_of 20230601 were read as nanoseconds since 1970.
    obs = pd.DataFrame({"borrower_id": [truth.borrowers.index[0]], "as_of": [20230601]})
    ok, err = call(truth.pd_for, obs, names=("column 'as_of'",), public="Truth.pd_for")
    assert not ok
    assert "numbers are never dates" in str(err)
