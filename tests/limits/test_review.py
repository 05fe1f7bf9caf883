"""review_line and LineReviewPolicy."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.limits import LineReviewPolicy, review_line
from tests.strategies import line_review_policies, review_frames

RANK = {"freeze": 0, "decrease": 1, "keep": 2, "increase": 3}


def line(**cols: float) -> pd.DataFrame:
    base = {"limit": 20_000.0, "utilisation": 0.6, "dpd_now": 0.0, "max_dpd_recent": 0.0,
            "months_on_book": 12.0, "score": 650.0, "score_change": 0.0,
            "cashflow_change": 0.0}
    base.update(cols)
    return pd.DataFrame({k: [v] for k, v in base.items()})


@pytest.mark.parametrize(
    ("cols", "action", "new_limit", "reason"),
    [
        # 20 000 x 1.2 = 24 000.
        ({}, "increase", 24_000.0, "clean history, score, tenure and use"),
        ({"dpd_now": 30.0, "max_dpd_recent": 30.0}, "freeze", 20_000.0, "dpd_now at freeze_dpd"),
        # 20 000 x 0.7 = 14 000.
        ({"dpd_now": 3.0, "max_dpd_recent": 3.0}, "decrease", 14_000.0, "dpd_now at decrease_dpd"),
        ({"max_dpd_recent": 10.0}, "decrease", 14_000.0, "recent DPD"),
        ({"score_change": -40.0}, "decrease", 14_000.0, "score drop"),
        ({"utilisation": 0.97}, "decrease", 14_000.0, "utilisation spike"),
        ({"cashflow_change": -0.5}, "decrease", 14_000.0, "cash-flow fall"),
        ({"months_on_book": 3.0}, "keep", 20_000.0, "months on book below minimum"),
        ({"score": 590.0}, "keep", 20_000.0, "score below minimum"),
        ({"utilisation": 0.1}, "keep", 20_000.0, "utilisation below minimum"),
        ({"limit": 0.0, "score_change": -90.0}, "keep", 0.0,
         "decrease trigger with the limit already 0"),
    ],
)
def test_rules(cols: dict[str, float], action: str, new_limit: float, reason: str) -> None:
    out = review_line(line(**cols), LineReviewPolicy()).iloc[0]
    assert (out["action"], out["new_limit"], out["reason"]) == (action, new_limit, reason)
    assert out["limit_change"] == new_limit - line(**cols)["limit"].iloc[0]


def test_caps_on_increases() -> None:
    # Policy cap 22 000 and a per-line max_limit 21 050 (floored to 21 000).
    out = review_line(line(), LineReviewPolicy(max_limit=22_000)).iloc[0]
    assert out["new_limit"] == 22_000.0
    out = review_line(line().assign(max_limit=21_050.0), LineReviewPolicy()).iloc[0]
    assert out["new_limit"] == 21_000.0
    out = review_line(line().assign(max_limit=20_000.0), LineReviewPolicy()).iloc[0]
    assert (out["action"], out["reason"]) == ("keep", "at the cap")


@given(review_frames(), line_review_policies)
def test_review_properties(frame: pd.DataFrame, policy: LineReviewPolicy) -> None:
    before = frame.copy(deep=True)
    out = review_line(frame, policy)
    pd.testing.assert_frame_equal(frame, before)
    assert out.index.equals(frame.index)
    old, new = frame["limit"].to_numpy(), out["new_limit"].to_numpy()
    action = out["action"].astype(str).to_numpy()
    assert (new >= 0).all()
    assert (new[action == "increase"] > old[action == "increase"]).all()
    assert (new[action == "decrease"] < old[action == "decrease"]).all()
    assert (new[np.isin(action, ["keep", "freeze"])] == old[np.isin(action, ["keep", "freeze"])]).all()
    np.testing.assert_array_equal(out["limit_change"], new - old)
    assert ((action == "freeze") == (frame["dpd_now"].to_numpy() >= policy.freeze_dpd)).all()
    if policy.max_limit is not None:
        assert (new[action == "increase"] <= policy.max_limit).all()
    # Any DPD rules out an increase.
    dpd = (frame["dpd_now"] > 0) | (frame["max_dpd_recent"] > 0)
    assert not (action[dpd.to_numpy()] == "increase").any()


@given(review_frames(), line_review_policies, st.integers(0, 120))
def test_more_dpd_never_improves_the_action(frame: pd.DataFrame, policy: LineReviewPolicy,
                                            extra: int) -> None:
    worse = frame.assign(dpd_now=frame["dpd_now"] + extra,
                         max_dpd_recent=frame["max_dpd_recent"] + extra)
    a = review_line(frame, policy)["action"].astype(str).map(RANK)
    b = review_line(worse, policy)["action"].astype(str).map(RANK)
    assert (b <= a).all()


@given(line_review_policies)
def test_policy_round_trip(policy: LineReviewPolicy) -> None:
    assert LineReviewPolicy.from_dict(json.loads(json.dumps(policy.to_dict()))) == policy


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"decrease_dpd": 40, "freeze_dpd": 30}, r"decrease_dpd must be an integer in \[1, 30\]"),
        ({"min_utilisation": 0.99}, r"min_utilisation must be a finite number in \[0, 0.95\]"),
        ({"decrease_fraction": 0.0}, r"decrease_fraction must be a finite number in \(0, 1\]"),
    ],
)
def test_bad_policy(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        LineReviewPolicy(**kwargs)  # type: ignore[arg-type]


def test_bad_lines_name_column_and_rows() -> None:
    with pytest.raises(InvalidInputError,
                       match=r"review_line: lines must have the column\(s\) .*missing 'score_change'"):
        review_line(line().drop(columns="score_change"), LineReviewPolicy())
    frame = pd.concat([line(), line(dpd_now=-1.0), line(dpd_now=float("nan"))],
                      ignore_index=True)
    # Missing values are reported first, then values out of range.
    with pytest.raises(InvalidInputError,
                       match=r"review_line: column 'dpd_now' must not be missing \(NaN\); got 1 value "
                             r"\(nan\) at row 2"):
        review_line(frame, LineReviewPolicy())
    with pytest.raises(InvalidInputError,
                       match=r"review_line: column 'dpd_now' must lie in \[0, 100000\]; got 1 value "
                             r"\(-1.0\) at row 1"):
        review_line(frame.iloc[:2], LineReviewPolicy())
    with pytest.raises(InvalidInputError, match="policy must be a LineReviewPolicy"):
        review_line(line(), None)  # type: ignore[arg-type]


def test_day_and_month_counts_are_integers() -> None:
    # Regression: LineReviewPolicy(freeze_dpd=30.0) was accepted although 30.0 is a float.
    with pytest.raises(InvalidInputError,
                       match=r"LineReviewPolicy: freeze_dpd must be an integer .*30.0 \(float\)"):
        LineReviewPolicy(freeze_dpd=30.0)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"min_months_on_book must be an integer .*True \(a bool\)"):
        LineReviewPolicy(min_months_on_book=True)  # type: ignore[arg-type]
    p = LineReviewPolicy(freeze_dpd=np.int64(60), decrease_dpd=np.int32(5))  # type: ignore[arg-type]
    assert (type(p.freeze_dpd), p.freeze_dpd, p.decrease_dpd) == (int, 60, 5)


def test_non_numeric_columns_are_refused() -> None:
    for column in (pd.Series([True]), pd.Series([1 + 0j]), pd.Series(pd.to_timedelta([1], unit="D")),
                   pd.Series(["0"]), pd.Series([0.0], dtype="category")):
        with pytest.raises(InvalidInputError, match="review_line: column 'dpd_now' must hold real numbers"):
            review_line(line().assign(dpd_now=column), LineReviewPolicy())
    # pyarrow and nullable numbers are numbers.
    arrow = line().astype({"limit": "double[pyarrow]", "dpd_now": "Int64"})
    pd.testing.assert_frame_equal(review_line(arrow, LineReviewPolicy()),
                                  review_line(line(), LineReviewPolicy()))
