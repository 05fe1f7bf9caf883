"""assign: candidates, decision, binding constraint and the policy properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.limits import LimitPolicy, MultipleBand, assign, max_principal
from jiebei_credit.scorecard import Scaling
from tests.strategies import applicant_frames, limit_policies

POLICY = LimitPolicy(
    product_cap=50_000, regulatory_cap=200_000, income_multiple=3.0, dsr=0.5,
    pd_cutoff=0.10, refer_pd=0.05, el_budget=300.0, lgd=0.45, ccf=1.0,
    min_limit=1_000, rounding_step=100,
)
CANDIDATES = ["limit_regulatory_cap", "limit_product_cap", "limit_income_multiple",
              "limit_capacity", "limit_expected_loss"]


def apps(**cols: list[float] | list[str]) -> pd.DataFrame:
    base: dict[str, list[float] | list[str]] = {
        "pd": [0.01], "monthly_income": [12_000.0], "existing_debt_service": [1_500.0],
        "existing_balance": [0.0],
    }
    base.update(cols)
    return pd.DataFrame(base)


def test_worked_example() -> None:
    # Hand computation (docs/user_guide/06_limits.rst):
    #   income multiple 3 x 12 000 = 36 000;
    #   capacity: 0.5 x 12 000 - 1 500 = 4 500 a month over 12 months at 1.2 %,
    #     4 500 x (1 - 1.012^-12) / 0.012 = 50 013.6 (before fen rounding);
    #   expected loss: 300 / (0.01 x 0.45) = 66 666.67;
    #   min with the caps 50 000 and 200 000 -> 36 000, set by the income multiple.
    out = assign(apps(), POLICY)
    row = out.iloc[0]
    a_12 = (1 - 1.012**-12) / 0.012
    assert row["limit_capacity"] == pytest.approx(4_500 * a_12, abs=0.2)
    assert row["limit_capacity"] == max_principal(4_500, 0.144, 12, method="equal_installment")
    assert row["limit_expected_loss"] == pytest.approx(300 / (0.01 * 0.45))
    assert row[["limit_regulatory_cap", "limit_product_cap", "limit_income_multiple"]].tolist() == [
        200_000.0, 50_000.0, 36_000.0]
    assert (row["limit"], row["decision"], row["binding_constraint"]) == (
        36_000.0, "approve", "income_multiple")
    # EL at the granted limit: 0.01 x 0.45 x 36 000 = 162.
    assert row["expected_loss"] == pytest.approx(162.0)
    assert row["reason"] == "approved: limit set by the income multiple (3 × monthly income)"


def test_each_constraint_can_bind() -> None:
    frame = pd.DataFrame(
        {
            "pd": [0.001, 0.001, 0.04, 0.01, 0.06, 0.2, 0.01],
            "monthly_income": [90_000.0, 90_000.0, 60_000.0, 12_000.0, 12_000.0, 12_000.0, 0.0],
            "existing_debt_service": [0.0, 44_000.0, 0.0, 5_800.0, 0.0, 0.0, 0.0],
            "existing_balance": [0.0] * 7,
        },
        index=list("abcdefg"),
    )
    out = assign(frame, POLICY)
    assert out["binding_constraint"].tolist() == [
        "product_cap", "capacity", "expected_loss", "capacity", "expected_loss",
        "pd_cutoff", "income_multiple",
    ]
    # d: 200 spare a month -> about 2 200 of principal; e: PD 6 % in (5 %, 10 %] -> refer;
    # g: no income, so the income multiple and capacity tie at 0 and the first listed binds.
    assert out["decision"].tolist() == [
        "approve", "approve", "approve", "approve", "refer", "decline", "decline",
    ]
    # c: 300 / (0.04 x 0.45) = 16 666.67, floored to 16 600.
    assert out.loc["c", "limit"] == 16_600.0
    assert out.loc["g", "reason"].startswith("declined: the income multiple")
    assert "minimum limit 1,000" in out.loc["g", "reason"]
    assert out.loc["f", "reason"] == "declined: PD above the cut-off 10.00%"


def test_output_layout() -> None:
    out = assign(apps(), POLICY)
    assert list(out.columns) == ["pd", *CANDIDATES, "limit_raw", "limit", "decision",
                                 "binding_constraint", "expected_loss", "reason"]
    assert list(out["decision"].cat.categories) == ["approve", "refer", "decline"]
    assert list(out["binding_constraint"].cat.categories) == [
        "regulatory_cap", "product_cap", "income_multiple", "capacity", "expected_loss",
        "pd_cutoff", "purpose"]
    # Constraints the policy does not set are +inf.
    out = assign(apps(), LimitPolicy(product_cap=10_000))
    assert np.isinf(out[["limit_regulatory_cap", "limit_income_multiple",
                         "limit_expected_loss"]].to_numpy()).all()


@given(applicant_frames(), limit_policies())
def test_policy_properties(frame: pd.DataFrame, policy: LimitPolicy) -> None:
    before = frame.copy(deep=True)
    out = assign(frame, policy)
    pd.testing.assert_frame_equal(frame, before)  # input never mutated
    assert out.index.equals(frame.index)  # index kept, same order
    cap = min(policy.product_cap, policy.regulatory_cap or math.inf)
    limit = out["limit"].to_numpy()
    assert ((limit >= 0) & (limit <= cap)).all()
    # Rounding never lifts a limit above any candidate (or cap).
    cands = out[CANDIDATES].to_numpy()
    assert (limit <= out["limit_raw"].to_numpy()).all()
    assert (limit[:, None] <= cands).all()
    np.testing.assert_allclose(out["limit_raw"], np.maximum(cands.min(axis=1), 0))
    steps = limit / policy.rounding_step
    np.testing.assert_allclose(steps, np.round(steps), atol=1e-6)
    # decline <=> limit 0; PD above the cut-off or an uncovered purpose => decline.
    decision = out["decision"].astype(str).to_numpy()
    assert ((decision == "decline") == (limit == 0)).all()
    p = frame["pd"].to_numpy()
    assert (decision[p > policy.pd_cutoff] == "decline").all()
    uncovered = ~frame["purpose"].isin(policy.purposes).to_numpy()
    assert (decision[uncovered] == "decline").all()
    assert ((limit == 0) | (limit >= policy.min_limit)).all()
    # Refer band honoured: refer exactly for non-declined PDs in (refer_pd, cut-off].
    in_band = (p > policy.refer_pd) if policy.refer_pd is not None else np.zeros(p.size, bool)
    assert ((decision == "refer") == (in_band & (decision != "decline"))).all()
    # Candidates follow their formulas.
    y, ds, b = (frame[c].to_numpy() for c in
                ("monthly_income", "existing_debt_service", "existing_balance"))
    spare = np.maximum(policy.dsr * y - ds, 0.0)
    cap_p = max_principal(spare, policy.capacity_annual_rate, policy.capacity_term_months,
                          method=policy.capacity_method)
    np.testing.assert_allclose(out["limit_capacity"], b + cap_p, rtol=1e-12)


@given(applicant_frames(), limit_policies(), st.floats(0, 50_000))
def test_limit_never_falls_when_income_rises(frame: pd.DataFrame, policy: LimitPolicy,
                                             extra: float) -> None:
    richer = frame.assign(monthly_income=frame["monthly_income"] + round(extra, 2))
    assert (assign(richer, policy)["limit"] >= assign(frame, policy)["limit"]).all()


@given(applicant_frames(), limit_policies(), st.floats(0, 1))
def test_limit_never_rises_with_pd(frame: pd.DataFrame, policy: LimitPolicy, extra: float) -> None:
    riskier = frame.assign(pd=np.minimum(frame["pd"] + extra, 1.0))
    assert (assign(riskier, policy)["limit"] <= assign(frame, policy)["limit"]).all()


@given(applicant_frames(score=True))
def test_score_input_uses_the_design_scaling(frame: pd.DataFrame) -> None:
    # DESIGN.md: 600 points at 50:1, PDO 20 -> factor 28.8539, offset 487.1229;
    # odds = exp((score - offset) / factor), PD = 1 / (1 + odds). The scaling is
    # passed explicitly: there is no default scaling.
    out = assign(frame, POLICY, scaling=Scaling())
    odds = np.exp((frame["score"] - 487.1229) / 28.8539)
    np.testing.assert_allclose(out["pd"], 1 / (1 + odds), rtol=1e-5)


def test_r_scorecard_scaling_gives_a_pd_of_five_percent_at_600() -> None:
    # Regression: R scorecard's scaling puts 600 points at 1:19 bad:good odds,
    # so PD(600) = 1 / (1 + 19) = 0.05 (the re-implemented formula gave 0.95
    # and declined the applicant).
    frame = apps().drop(columns="pd").assign(score=[600.0])
    out = assign(frame, POLICY, scaling=Scaling.r_scorecard())
    assert out["pd"].iloc[0] == pytest.approx(0.05, rel=1e-12)
    assert out["decision"].iloc[0] != "decline"
    assert out["limit"].iloc[0] > 0


_conventions = st.sampled_from(["good:bad", "bad:good"])


@given(
    # Ranges keep exp(log-odds) finite in the reference call (|log-odds| < 200).
    st.lists(st.floats(-1_000, 2_000), min_size=1, max_size=20),
    st.floats(0.01, 1_000), st.floats(10, 100), st.floats(200, 900), _conventions,
)
def test_pd_is_the_scalings_pd_for_both_odds_conventions(
    scores: list[float], base_odds: float, pdo: float, base_score: float, odds: str
) -> None:
    # One implementation: assign's PD is exactly Scaling.pd_from_score of the score.
    s = Scaling(base_score=base_score, base_odds=base_odds, pdo=pdo, odds=odds)  # type: ignore[arg-type]
    frame = pd.DataFrame({"score": scores, "monthly_income": 10_000.0, "existing_debt_service": 0.0,
                          "existing_balance": 0.0})
    out = assign(frame, POLICY, scaling=s)
    np.testing.assert_array_equal(out["pd"].to_numpy(), s.pd_from_score(np.array(scores)))


def test_score_needs_a_scaling() -> None:
    frame = apps().drop(columns="pd").assign(score=[600.0])
    with pytest.raises(InvalidInputError,
                       match=r"assign: scaling is required with a 'score' column \(there is no default"):
        assign(frame, POLICY)


def test_pd_and_score_must_agree_under_the_scaling() -> None:
    s = Scaling()
    # 0.02 and the score of PD 0.02 under the default scaling agree: the pd is used.
    both = apps(pd=[0.02]).assign(score=[float(s.score_from_pd(0.02))])
    assert assign(both, POLICY, scaling=s)["pd"].iloc[0] == 0.02
    # A score 20 points higher halves the odds of bad: refused, naming the row.
    off = pd.concat([both, apps(pd=[0.02]).assign(score=[float(s.score_from_pd(0.02)) + 20])],
                    ignore_index=True)
    with pytest.raises(InvalidInputError,
                       match=r"assign: column 'pd' must agree with the PD of column 'score' under "
                             r"scaling.*got 1 value \(0.02\) at row 1, where the scores give 0.0101"):
        assign(off, POLICY, scaling=s)
    # Both columns and no scaling to check them with: refused.
    with pytest.raises(InvalidInputError, match="scaling is required with a 'score' column"):
        assign(both, POLICY)


class _BadScaling:
    def __init__(self, result: object) -> None:
        self.result = result

    def pd_from_score(self, score: np.ndarray) -> object:
        if isinstance(self.result, Exception):
            raise self.result
        return self.result


@pytest.mark.parametrize(
    ("scaling", "message"),
    [
        (object(), r"assign: scaling must have a pd_from_score method \(a score scaling\); got a object"),
        (Scaling.to_dict(Scaling()), "scaling must have a pd_from_score method.*got a dict"),
        (_BadScaling(np.array([np.nan])), r"scaling must turn every score into one PD in \[0, 1\].*nan"),
        (_BadScaling(np.array([1.5])), r"scaling must turn every score into one PD.*1.5"),
        (_BadScaling(np.array([0.1, 0.2])), "scaling must turn every score.*got 2 values for 1 scores"),
        (_BadScaling("0.1"), "scaling must turn every score.*dtype <U3"),
        (_BadScaling(TypeError("unsupported")), "scaling must turn every score.*TypeError: unsupported"),
    ],
)
def test_bad_scaling_is_refused_by_name(scaling: object, message: str) -> None:
    frame = apps().drop(columns="pd").assign(score=[600.0])
    with pytest.raises(InvalidInputError, match=message):
        assign(frame, POLICY, scaling=scaling)  # type: ignore[arg-type]


def test_scaling_is_not_used_when_only_pd_is_given() -> None:
    out = assign(apps(), POLICY, scaling=Scaling.r_scorecard())
    assert out["pd"].iloc[0] == apps()["pd"].iloc[0]
    # ... but it is still checked.
    with pytest.raises(InvalidInputError, match="scaling must have a pd_from_score method"):
        assign(apps(), POLICY, scaling=object())  # type: ignore[arg-type]


def test_bands() -> None:
    policy = LimitPolicy(product_cap=1e6, income_multiple_bands=(
        MultipleBand(max_pd=0.02, multiple=8), MultipleBand(max_pd=0.05, multiple=4)),
        pd_cutoff=1.0, min_limit=0)
    out = assign(pd.DataFrame({"pd": [0.02, 0.03, 0.06], "monthly_income": [1_000.0] * 3,
                               "existing_debt_service": [0.0] * 3,
                               "existing_balance": [0.0] * 3}), policy)
    assert out["limit_income_multiple"].tolist() == [8_000.0, 4_000.0, 0.0]


def test_existing_balance_in_capacity_and_el() -> None:
    # Capacity adds B to the principal the spare capacity supports; EL:
    # L = B + (budget / (PD x LGD) - B) / CCF = 5 000 + (300 / 0.0045 - 5 000) / 0.5.
    policy = LimitPolicy(product_cap=1e6, el_budget=300.0, lgd=0.45, ccf=0.5)
    out = assign(apps(existing_balance=[5_000.0]), policy).iloc[0]
    assert out["limit_capacity"] == 5_000 + max_principal(4_500, 0.144, 12,
                                                          method="equal_installment")
    assert out["limit_expected_loss"] == pytest.approx(5_000 + (300 / 0.0045 - 5_000) / 0.5)


def test_purpose_not_covered() -> None:
    policy = LimitPolicy(product_cap=50_000, purposes=("consumption",))
    out = assign(apps(purpose=["business"]), policy).iloc[0]
    assert (out["limit"], out["decision"], out["binding_constraint"]) == (0.0, "decline",
                                                                          "purpose")
    assert out["reason"] == "declined: purpose not covered by the policy (covers consumption)"


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (apps().drop(columns=["existing_debt_service", "existing_balance"]),
         (r"assign: applicants must have the column\(s\) 'monthly_income', 'existing_debt_service', "
          r"'existing_balance'; got 2 columns \('pd', 'monthly_income'\), missing "
          r"'existing_debt_service', 'existing_balance'")),
        (apps().drop(columns="pd"), "must have the column.*missing 'pd'.*or a 'score' column"),
        (pd.DataFrame({"pd": [0.1, 0.2, 0.3], "monthly_income": [1.0, -5.0, -7.0],
                       "existing_debt_service": [0.0] * 3, "existing_balance": [0.0] * 3},
                      index=["x", "y", "z"]),
         (r"assign: column 'monthly_income' must lie in \[0, 1e\+08\]; got 2 values "
          r"\(-5.0, -7.0\) at rows 'y', 'z'")),
        (apps(pd=[float("nan")]), r"column 'pd' must not be missing \(NaN\); got 1 value \(nan\) at row 0"),
        (apps(pd=["low"]), r"column 'pd' must hold real numbers; got 1 value \('low'\) at row 0"),
        (apps(purpose=["housing"]), "column 'purpose' must be one of 'consumption'"),
    ],
)
def test_bad_input_names_column_and_rows(frame: pd.DataFrame, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        assign(frame, POLICY)


def test_not_a_frame_or_policy() -> None:
    with pytest.raises(InvalidInputError, match="applicants must be a pandas DataFrame"):
        assign({"pd": [0.1]}, POLICY)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="policy must be a LimitPolicy"):
        assign(apps(), {"product_cap": 1})  # type: ignore[arg-type]


def test_nullable_and_integer_columns() -> None:
    frame = apps(monthly_income=[12_000], existing_debt_service=[1_500]).astype(
        {"monthly_income": "Int64", "existing_debt_service": "int64"})
    assert assign(frame, POLICY)["limit"].iloc[0] == 36_000.0


def test_column_types_follow_the_one_rule() -> None:
    # Booleans, complex numbers and timedeltas are not amounts; pyarrow and nullable numbers are.
    for bad, what in ((pd.Series([True]), "booleans"), (pd.Series([1 + 0j]), "complex numbers"),
                      (pd.Series(pd.to_timedelta([1], unit="D")), "timedeltas")):
        with pytest.raises(InvalidInputError,
                           match=f"assign: column 'monthly_income' must hold real numbers; got {what}"):
            assign(apps(monthly_income=bad), POLICY)  # type: ignore[arg-type]
    arrow = apps().astype({"pd": "double[pyarrow]", "monthly_income": "Float64"})
    pd.testing.assert_frame_equal(assign(arrow, POLICY), assign(apps(), POLICY))
    # Purposes may be categorical or pyarrow strings; the policy reads their values.
    cat = apps(purpose=["business"]).astype({"purpose": "category"})
    out = assign(cat, LimitPolicy(product_cap=50_000, purposes=("consumption",)))
    assert out["decision"].iloc[0] == "decline"
    with pytest.raises(InvalidInputError, match=r"column 'purpose' must be one of .*got 1 value \(None\)"):
        assign(apps(purpose=[None]), POLICY)  # type: ignore[list-item]


def test_repeated_column_labels_are_refused() -> None:
    frame = pd.concat([apps(), apps()[["pd"]]], axis=1)
    with pytest.raises(InvalidInputError,
                       match=r"assign: applicants must not repeat a column label; got repeats of 'pd'"):
        assign(frame, POLICY)
