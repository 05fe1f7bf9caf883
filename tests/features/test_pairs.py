"""Per-(observation, row) pairs of the point-in-time view: ``Segments.map_pairs`` and ``Pairs``.

Checked against a plain pandas computation per observation written from the
``map_pairs`` / ``Pairs`` docstrings (the segment is the borrower's
instalments of loans drawn before ``as_of``; ``paid_on`` is kept only when
it is before ``as_of``), on generated records with the default budget and a
budget of one pair (one observation per chunk), and on a hand-worked case.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.features import FeatureFamily, FeatureSpec, Pairs, PointInTimeView, extract
from jiebei_credit.records import RecordSet
from tests.strategies import feature_cases

TABLES = ("loans", "installments")
NAMES = ("pairs", "unpaid_principal", "due_passed", "since_first_due", "since_last_paid", "open_loans",
         "pairs_90", "last_seq_unpaid")


def _spec(name: str) -> FeatureSpec:
    return FeatureSpec(name=name, family="pairs", window=None, unit="CNY",
                       description="A pair reduction under test.", description_zh="测试用配对归约",
                       sources=TABLES, category="credit_history", nan_meaning="never NaN")


def _all(p: Pairs) -> dict[str, Any]:
    paid = p.dates("paid_on")  # NaN unless paid before the pair's as_of
    unpaid = np.isnan(paid)
    due = p.dates("due_on")
    # The highest seq among the unpaid instalments, read through order(): the last pair of each
    # observation's pairs sorted by (unpaid flag, seq), kept when it is unpaid.
    order = p.order(unpaid, p.column("seq"))
    last = np.zeros(len(p), dtype=bool)
    if len(p):
        owner = p.owner[order]
        end = np.ones(order.size, dtype=bool)
        end[:-1] = owner[1:] != owner[:-1]
        last[order[end]] = True
    return {
        "pairs": p.count(np.ones(len(p), dtype=bool)),
        "unpaid_principal": p.sum(unpaid * p.column("principal_due")),
        "due_passed": p.count(due < p.as_of),
        "since_first_due": p.observation_as_of - p.min(due),
        "since_last_paid": p.observation_as_of - p.max(paid),
        "open_loans": p.count_distinct(p.codes("loan_id"), where=unpaid),
        "last_seq_unpaid": p.max(np.where(last & unpaid, p.column("seq"), np.nan), empty=0.0),
    }


def _family(budget: int) -> FeatureFamily:
    def compute(v: PointInTimeView) -> dict[str, Any]:
        inst = v.events("installments")
        out = inst.map_pairs(_all, budget=budget)
        out["pairs_90"] = inst.map_pairs(lambda p: {"n": p.count(np.ones(len(p), dtype=bool))},
                                         window=90, budget=budget)["n"]
        return out

    return FeatureFamily("pairs", TABLES, tuple(_spec(n) for n in NAMES), compute)


def _expected(rs: RecordSet, borrower: str, as_of: pd.Timestamp) -> dict[str, float]:
    loans = rs.loans[rs.loans["borrower_id"] == borrower]
    inst = rs.installments.merge(loans[["loan_id", "drawn_on"]], on="loan_id")
    drawn = inst["drawn_on"].dt.floor("D")
    seg = inst[drawn < as_of]
    paid = seg["paid_on"].dt.floor("D").where(seg["paid_on"].dt.floor("D") < as_of)  # masked per pair
    unpaid = paid.isna()
    due = seg["due_on"].dt.floor("D")
    day = pd.Timedelta(days=1)
    recent = inst[(drawn < as_of) & (drawn >= as_of - 90 * day)]
    # Among the unpaid, the pair sorted last by (unpaid, seq) is the highest seq of an unpaid one.
    return {
        "pairs": float(len(seg)),
        "unpaid_principal": float(seg.loc[unpaid, "principal_due"].sum()),
        "due_passed": float((due < as_of).sum()),
        "since_first_due": float((as_of - due.min()) / day) if len(seg) else math.nan,
        "since_last_paid": float((as_of - paid.max()) / day) if paid.notna().any() else math.nan,
        "open_loans": float(seg.loc[unpaid, "loan_id"].nunique()),
        "pairs_90": float(len(recent)),
        "last_seq_unpaid": float(seg.loc[unpaid, "seq"].max()) if unpaid.any() else 0.0,
    }


@given(case=feature_cases())
def test_pairs_match_their_definition_whatever_the_budget(
    case: tuple[dict[str, pd.DataFrame], pd.DataFrame],
) -> None:
    frames, obs = case
    rs = RecordSet.from_frames(**frames)
    if "installments" not in rs:
        return
    got = extract(rs, obs, families=[_family(4_000_000)])
    tiny = extract(rs, obs, families=[_family(1)])  # one observation per chunk
    assert np.array_equal(got.to_numpy(), tiny.to_numpy(), equal_nan=True)  # same bits
    for key, row in obs.iterrows():
        want = _expected(rs, row["borrower_id"], pd.Timestamp(row["as_of"]).floor("D"))
        for name in NAMES:
            g, w = got.loc[key, name], want[name]
            assert (math.isnan(g) and math.isnan(w)) or math.isclose(g, w, rel_tol=1e-12, abs_tol=1e-9), (
                key, name, g, w)


def test_hand_worked_case(small: RecordSet) -> None:
    obs = pd.DataFrame({"borrower_id": ["b1"] * 4,
                        "as_of": ["2024-01-10", "2024-03-20", "2024-06-01", "2024-06-04"]})
    x = extract(small, obs, families=[_family(2)])[list(NAMES)]
    # 2024-01-10: L1 is drawn on as_of, so not yet known: no pair; distances NaN, the rest 0.
    assert x.iloc[0].tolist()[:3] == [0.0, 0.0, 0.0]
    assert math.isnan(x.iloc[0]["since_first_due"])
    assert math.isnan(x.iloc[0]["since_last_paid"])
    # 2024-03-20: L1's three instalments; only the Feb 9 payment is before as_of (Mar 20 is on it):
    # unpaid principal 200; due Feb 10 and Mar 10 passed; first due Feb 10 = 39 days before
    # (Feb has 29 days in 2024: 19 + 20); last payment Feb 9 = 40 days; one open loan; L1 drawn
    # 70 days before as_of, so its 3 pairs are in the 90 days; highest unpaid seq 3.
    assert x.iloc[1].tolist() == [3.0, 200.0, 2.0, 39.0, 40.0, 1.0, 3.0, 3.0]
    # 2024-06-01: L2 (drawn May 15) adds two pairs; paid before Jun 1: Feb 9 and Mar 20
    # (Jun 1 and Jun 3 are not yet): unpaid 100 (L1 #3) + 200 (L2) = 300; due passed Feb 10,
    # Mar 10, Apr 10; first due Feb 10 = 112 days (19 + 31 + 30 + 31 + 1); last payment Mar 20 = 73
    # days (11 + 30 + 31 + 1); open loans L1, L2; in 90 days (from Mar 3) only L2's two; highest
    # unpaid seq 3 (L1 #3).
    assert x.iloc[2].tolist() == [5.0, 300.0, 3.0, 112.0, 73.0, 2.0, 2.0, 3.0]
    # 2024-06-04: the Jun 1 and Jun 3 payments are known: only L2 #2 is unpaid (100); last
    # payment Jun 3 = 1 day; one open loan; highest unpaid seq 2.
    assert x.iloc[3].tolist() == [5.0, 100.0, 3.0, 115.0, 1.0, 1.0, 2.0, 2.0]


def _one(compute: Callable[[PointInTimeView], Mapping[str, Any]]) -> FeatureFamily:
    return FeatureFamily("pairs", TABLES, (_spec("x"),), compute)


def _inst(v: PointInTimeView) -> Any:
    return v.events("installments")


@pytest.mark.parametrize(
    ("compute", "message"),
    [
        (lambda v: _inst(v).map_pairs(lambda p: {"x": p.count(p.owner >= 0)}, budget=0),
         r"budget must be an integer >= 1; got 0"),
        (lambda v: _inst(v).map_pairs(lambda p: {"x": p.count(p.owner >= 0)}, budget=2.5),
         r"budget must be an integer"),
        (lambda v: _inst(v).map_pairs(lambda p: {"x": p.count(p.owner >= 0)}, window=0),
         r"window must be an integer in \[1, 3650\]; got 0"),
        (lambda v: _inst(v).map_pairs("count"), r"fn must be callable"),
        (lambda v: _inst(v).map_pairs(lambda p: [1.0]), r"fn must return a mapping"),
        (lambda v: _inst(v).map_pairs(lambda p: {"x": p.owner.astype(float)}),
         r"fn must return one real value per chunk observation for 'x'"),
        (lambda v: _inst(v).map_pairs(lambda p: {"x": p.sum(p.column("nope"))}),
         r"column must be a column of the table; got 'nope'"),
        (lambda v: _inst(v).map_pairs(lambda p: {"x": p.sum(p.column("loan_id"))}),
         r"column must be numeric for Pairs.column"),
        (lambda v: _inst(v).map_pairs(lambda p: {"x": p.max(p.dates("seq"))}),
         r"column must be a date column for Pairs.dates"),
        (lambda v: _inst(v).map_pairs(lambda p: {"x": p.count_distinct(p.codes("paid_on"))}),
         r"column must not be a later-event column for Pairs.codes"),
        (lambda v: _inst(v).map_pairs(lambda p: {"x": p.sum(np.ones(len(p) + 1))}),
         r"values must be a real \(or boolean\) array with one value per pair"),
        (lambda v: _inst(v).map_pairs(lambda p: {"x": p.count_distinct(p.dates("due_on"))}),
         r"codes must be integers"),
        (lambda v: _inst(v).map_pairs(lambda p: {"x": p.max(p.dates("due_on"), empty="zero")}),
         r"empty must be a number"),
    ],
)
def test_bad_arguments_are_clear_errors(
    compute: Callable[[PointInTimeView], Mapping[str, Any]], message: str, small: RecordSet
) -> None:
    obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": ["2024-06-01"]})
    with pytest.raises(InvalidInputError, match=f"^PointInTimeView: {message}"):
        extract(small, obs, families=[_one(compute)])


def test_changing_names_between_chunks_is_refused(small: RecordSet) -> None:
    # Two observations and a budget of one pair give two chunks; the names must agree.
    def fn(p: Pairs) -> dict[str, Any]:
        return {f"x{p.observation_as_of[0]:.0f}": p.count(p.owner >= 0)}

    obs = pd.DataFrame({"borrower_id": ["b1"] * 2, "as_of": ["2024-06-01", "2024-06-02"]})
    fam = _one(lambda v: {"x": _inst(v).map_pairs(fn, budget=1)["x"]})
    with pytest.raises(InvalidInputError, match=r"^PointInTimeView: fn must return the same names"):
        extract(small, obs, families=[fam])


def _order_breaks(p: Pairs) -> dict[str, Any]:
    """Pairs breaking "loan by loan, each loan's instalments in seq order" (events() docstring)."""
    loan, seq, owner = p.codes("loan_id"), p.column("seq"), p.owner
    same = np.zeros(len(p), dtype=bool)
    back = np.zeros(len(p), dtype=bool)
    if len(p) > 1:
        same[1:] = (owner[1:] == owner[:-1]) & (loan[1:] == loan[:-1])
        back[1:] = same[1:] & (seq[1:] <= seq[:-1])  # seq must rise within a loan's run
    # A loan met again after another loan's run in the same observation is split.
    runs = p.count(~same)
    loans = p.count_distinct(loan)
    return {"x": p.count(back) + (runs - loans)}


@given(case=feature_cases())
def test_instalments_come_loan_by_loan_in_seq_order(
    case: tuple[dict[str, pd.DataFrame], pd.DataFrame],
) -> None:
    frames, obs = case
    # Reversed rows: the order must come from the content, not the input.
    frames = dict(frames, installments=frames["installments"].iloc[::-1])
    rs = RecordSet.from_frames(**frames)
    if "installments" not in rs:
        return
    x = extract(rs, obs, families=[_one(lambda v: _inst(v).map_pairs(_order_breaks))])
    assert (x["x"] == 0.0).all()  # no pair breaks the documented order
