"""Every family of extract() against the slow per-observation reference in reference.py.

The reference recomputes each status from its definition for every day it
needs (plain loops over rows), so agreement on generated records checks the
vectorised kernels, the window boundaries and the NaN rules of every family.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given

from jiebei_credit.features import CATALOG, FAMILIES, extract
from jiebei_credit.records import RecordSet
from tests.features.reference import reference_frame
from tests.strategies import feature_cases

# Sums are cumulative-sum differences in extract() and plain sums in the reference:
# equal up to float rounding (amounts below 10**5 CNY, at most ~100 rows per table).
RTOL = 1e-9
ATOL = 1e-7


def assert_same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(got.index) == list(want.index)
    assert set(got.columns) == set(want.columns), set(got.columns) ^ set(want.columns)
    for col in got.columns:
        np.testing.assert_allclose(
            got[col].to_numpy(), want[col].to_numpy(), rtol=RTOL, atol=ATOL, err_msg=col, equal_nan=True
        )


@given(case=feature_cases())
def test_every_family_matches_reference(case: tuple[dict[str, pd.DataFrame], pd.DataFrame]) -> None:
    frames, obs = case
    rs = RecordSet.from_frames(**frames)
    got = extract(rs, obs)
    # These records hold the seven tables, not vat_invoices: every feature but the invoices
    # family's, whose row-by-row reference is in test_invoices.py.
    assert list(got.columns) == [n for n, s in CATALOG.items() if s.family != "invoices"]
    assert all(dtype == np.float64 for dtype in got.dtypes)
    assert_same(got, reference_frame(rs, obs, [f for f in FAMILIES if f != "invoices"]))


@given(case=feature_cases(max_observations=3))
def test_custom_windows_match_reference(case: tuple[dict[str, pd.DataFrame], pd.DataFrame]) -> None:
    frames, obs = case
    rs = RecordSet.from_frames(**frames)
    windows = (7, 45, 120)
    families = ["line", "utilisation", "repayment", "cashflow", "capacity", "zhima"]
    got = extract(rs, obs, windows=windows, families=families)
    assert_same(got, reference_frame(rs, obs, families, windows))


@given(case=feature_cases())
def test_utilisation_is_exactly_zero_without_outstanding_principal(
    case: tuple[dict[str, pd.DataFrame], pd.DataFrame],
) -> None:
    # outstanding_now sums the open instalments directly; util_now comes from cumulative sums,
    # whose rounding noise must not turn a repaid line into a utilisation of 1e-12.
    frames, obs = case
    x = extract(RecordSet.from_frames(**frames), obs, families=["line", "utilisation", "repayment"])
    line = (x["limit_now"] > 0).to_numpy()
    repaid = (x["outstanding_now"].fillna(0.0) == 0).to_numpy()
    np.testing.assert_array_equal((x["util_now"] == 0).to_numpy()[line], repaid[line])
