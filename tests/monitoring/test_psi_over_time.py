"""psi_over_time: each period's PSI is metrics.psi on that period's rows; empty periods are NaN."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError
from jiebei_credit.monitoring import PSIOverTime, psi_over_time


def _sample(n: int, seed: int) -> tuple[np.ndarray, pd.Series, pd.Series]:
    rng = np.random.default_rng(seed)
    reference = rng.normal(600.0, 40.0, 3000)
    day = rng.integers(0, 365, n)
    when = pd.Series(pd.Timestamp("2024-01-01") + pd.to_timedelta(day, unit="D"))
    values = pd.Series(rng.normal(600.0, 40.0, n) + 0.1 * day)  # drifts through the year
    return reference, values, when


def _slow(reference: Any, values: pd.Series, when: pd.Series, starts: list[pd.Timestamp], freq: str,
          **kwargs: Any) -> list[tuple[int, float]]:
    """For each period: its rows by a direct comparison of dates, then metrics.psi on them."""
    out = []
    offset = pd.tseries.frequencies.to_offset(freq)
    for start in starts:
        mask = ((when >= start) & (when < start + offset)).to_numpy()
        n = int(mask.sum())
        out.append((n, jc.metrics.psi(reference, values[mask], **kwargs).value if n else np.nan))
    return out


@pytest.mark.parametrize("freq", ["MS", "QS", "YS", "W-MON"])
def test_each_period_is_metrics_psi_on_its_rows(freq: str) -> None:
    reference, values, when = _sample(2000, 1)
    r = psi_over_time(reference, values, when, freq=freq)
    assert isinstance(r, PSIOverTime)
    starts = list(r.table.index)
    # the calendar: pandas' own period starts from the first to the last date
    first = when.min().to_period({"MS": "M", "QS": "Q", "YS": "Y", "W-MON": "W-SUN"}[freq]).start_time
    assert starts == list(pd.date_range(first, when.max(), freq=freq))
    slow = _slow(reference, values, when, starts, freq)
    assert r.table["n"].tolist() == [n for n, _ in slow]
    np.testing.assert_allclose(r.table["psi"].to_numpy(), [v for _, v in slow], rtol=1e-12)
    assert r.table["status"].tolist() == [jc.metrics.psi_status(v) for _, v in slow]
    assert r.reference_n == 3000


def test_edges_binning_and_categories_are_read_as_metrics_psi_reads_them() -> None:
    reference, values, when = _sample(600, 2)
    r = psi_over_time(reference, values, when, edges=[560, 600, 640], smoothing=0.1)
    slow = _slow(reference, values, when, list(r.table.index), "MS", edges=[560, 600, 640], smoothing=0.1)
    np.testing.assert_allclose(r.table["psi"], [v for _, v in slow], rtol=1e-12)

    rng = np.random.default_rng(3)
    ref_cat = rng.choice(["a", "b", "c"], 500)
    cur_cat = pd.Series(rng.choice(["a", "b", "c", "d"], 600, p=[0.4, 0.3, 0.2, 0.1]))
    r = psi_over_time(ref_cat, cur_cat, when)
    slow = _slow(ref_cat, cur_cat, when, list(r.table.index), "MS")
    np.testing.assert_allclose(r.table["psi"], [v for _, v in slow], rtol=1e-12)
    assert (r.table["empty_bins"] == 1).all()  # 'd' is unseen in the reference

    @dataclass(frozen=True)
    class Halves:
        labels: tuple[str, ...] = ("low", "high")

        def bin_index(self, x: Any) -> np.ndarray:
            return (np.asarray(x, dtype=float) >= 600.0).astype(np.int64)

    r = psi_over_time(reference, values, when, binning=Halves())
    slow = _slow(reference, values, when, list(r.table.index), "MS", binning=Halves())
    np.testing.assert_allclose(r.table["psi"], [v for _, v in slow], rtol=1e-12)


def test_empty_periods_are_nan_with_n_zero_never_zero() -> None:
    when = pd.to_datetime(["2024-01-31", "2024-01-02", "2024-04-15", "2024-04-01"])
    r = psi_over_time(np.arange(100.0), np.array([10.0, 20.0, 80.0, 90.0]), when)
    assert [str(d.date()) for d in r.table.index] == ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]
    assert r.table["n"].tolist() == [2, 0, 0, 2]
    empty = r.table.loc[r.table["n"] == 0]
    assert empty["psi"].isna().all()
    assert (empty["status"] == "insufficient").all()
    assert r.results[1] is None
    assert r.results[0] is not None
    assert r.status in ("insufficient", "amber", "red")  # an empty month keeps the series from green
    pd.testing.assert_frame_equal(r.to_frame(), r.table)


@given(seed=st.integers(0, 50), n=st.integers(1, 300), freq=st.sampled_from(["MS", "QS", "W-MON"]))
def test_row_order_does_not_matter(seed: int, n: int, freq: str) -> None:
    reference, values, when = _sample(n, seed)
    order = np.random.default_rng(seed + 1).permutation(n)
    a = psi_over_time(reference, values, when, freq=freq)
    b = psi_over_time(reference, values.iloc[order], when.iloc[order], freq=freq)
    pd.testing.assert_frame_equal(a.table, b.table)  # numeric bins: exactly equal
    assert a.table["n"].sum() == n


def test_inputs_are_not_modified() -> None:
    reference, values, when = _sample(300, 4)
    r0, v0, w0 = reference.copy(), values.copy(), when.copy()
    psi_over_time(reference, values, when)
    np.testing.assert_array_equal(reference, r0)
    pd.testing.assert_series_equal(values, v0)
    pd.testing.assert_series_equal(when, w0)


def test_bad_inputs_get_library_errors() -> None:
    reference, values, when = _sample(50, 5)
    with_nat = when.copy()
    with_nat.iloc[3] = pd.NaT
    cases = [
        (lambda: psi_over_time(reference, values, with_nat),
         r"^psi_over_time: dates must not be missing; got 1 value at row 3"),
        (lambda: psi_over_time(reference, values, when.iloc[:-1]),
         r"^psi_over_time: dates must have one value per row of current \(50\); got 49 values"),
        (lambda: psi_over_time(reference, values, when.set_axis(when.index + 1)),
         r"^psi_over_time: dates must have the same index as current"),
        (lambda: psi_over_time(reference, values, np.arange(50)),
         r"^psi_over_time: dates .*numbers are never dates"),
        (lambda: psi_over_time(reference, values, when, freq="M"),
         r"^psi_over_time: freq must be one of 'W-MON', 'MS', 'QS', 'YS'; got 'M'"),
        (lambda: psi_over_time(reference, values.iloc[:0], when.iloc[:0]),
         r"^psi_over_time: current must not be empty"),
        (lambda: psi_over_time([], values, when), r"^psi_over_time: reference must not be empty"),
        (lambda: psi_over_time(reference, values.where(values > 600), when),
         r"^psi_over_time: current must not be missing \(NaN\)"),
        (lambda: psi_over_time(reference, values, when, bins=0),
         r"^psi_over_time: bins must be an integer >= 1"),
        (lambda: psi_over_time(reference, values, when, thresholds=(0.3, 0.1)),
         r"^psi_over_time: thresholds must be a pair"),
        (lambda: psi_over_time(reference, values, when, smoothing=-1),
         r"^psi_over_time: smoothing must be a finite number >= 0"),
        (lambda: psi_over_time(reference, values, when.astype(str).str.replace("2024-", "24-", regex=False)),
         r"^psi_over_time: dates"),
        (lambda: psi_over_time(reference, values, when.dt.tz_localize("Asia/Shanghai")),
         r"^psi_over_time: dates .*time-zone"),
    ]
    for call, pattern in cases:
        with pytest.raises(InvalidInputError, match=pattern):
            call()


def test_times_of_day_fall_in_their_days_period() -> None:
    reference, values, when = _sample(120, 7)
    timed = when + pd.Timedelta(hours=23, minutes=59)
    a = psi_over_time(reference, values, when)
    b = psi_over_time(reference, values, timed)
    pd.testing.assert_frame_equal(a.table, b.table)


def test_missing_values_can_be_binned() -> None:
    reference, values, when = _sample(200, 6)
    gappy = values.where(values.index % 7 != 0)
    r = psi_over_time(reference, gappy, when, missing="bin")
    slow = _slow(reference, gappy, when, list(r.table.index), "MS", missing="bin")
    np.testing.assert_allclose(r.table["psi"], [v for _, v in slow], rtol=1e-12)
