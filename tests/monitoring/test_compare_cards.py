"""compare_cards: every figure recomputed by the metrics it reuses, or by a slow reference."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError, NotFittedError, SchemaError
from jiebei_credit.limits import LimitPolicy
from jiebei_credit.monitoring import CardComparison, compare_cards
from jiebei_credit.scorecard import BinningParams, Scaling, Scorecard

POLICY = LimitPolicy(product_cap=50_000, income_multiple=3.0, pd_cutoff=0.20, refer_pd=0.12)
DECISIONS = ("approve", "refer", "decline")


def _data(n: int, seed: int) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "util": rng.random(n),
        "inq": rng.poisson(1.0, n).astype(float),
        "monthly_income": rng.uniform(3_000.0, 20_000.0, n),
        "existing_debt_service": rng.uniform(0.0, 2_000.0, n),
        "existing_balance": np.zeros(n),
    }, index=pd.RangeIndex(100, 100 + n))
    p = 0.03 + 0.15 * X["util"] + 0.04 * X["inq"]
    y = pd.Series((rng.random(n) < p).astype(int), index=X.index)
    return X, y


@cache
def setting() -> tuple[pd.DataFrame, pd.Series, Scorecard, Scorecard]:
    X, y = _data(3000, 7)
    champion = Scorecard(binning=BinningParams(max_bins=4)).fit(X[["util"]], y)
    challenger = Scorecard(binning=BinningParams(max_bins=4)).fit(X[["util", "inq"]], y)
    return X, y, champion, challenger


def test_discrimination_and_delong_are_the_metrics_of_the_points() -> None:
    X, y, champion, challenger = setting()
    r = compare_cards(champion, challenger, X, y)
    assert isinstance(r, CardComparison)
    pa, pb = champion.points(X), challenger.points(X)
    for card, points in (("champion", pa), ("challenger", pb)):
        # independent implementation: scikit-learn's AUC of the risk ordering (minus points)
        assert r.discrimination is not None
        assert r.discrimination.loc[card, "auc"] == pytest.approx(roc_auc_score(y, -points), rel=1e-12)
        assert r.discrimination.loc[card, "ks"] == pytest.approx(jc.metrics.ks(y, points, higher="safer"))
        assert r.discrimination.loc[card, "gini"] == pytest.approx(
            2 * roc_auc_score(y, -points) - 1, rel=1e-12)
    want = jc.metrics.delong_test(y, pb, pa, higher="safer")  # challenger minus champion
    assert r.delong == want
    assert r.delong.difference == pytest.approx(
        r.discrimination.loc["challenger", "auc"] - r.discrimination.loc["champion", "auc"], abs=1e-12)
    assert r.delong.difference > 0  # the challenger uses the second risk driver


def test_calibration_is_that_of_each_cards_own_pd() -> None:
    X, y, champion, challenger = setting()
    r = compare_cards(champion, challenger, X, y, grades=5)
    assert r.calibration is not None
    for card, model in (("champion", champion), ("challenger", challenger)):
        pd_ = model.predict_proba(X)[:, 1]
        row = r.calibration.loc[card]
        hl = jc.metrics.hosmer_lemeshow(y, pd_, grades=5)
        cs = jc.metrics.calibration_slope(y, pd_)
        assert row["hl_statistic"] == pytest.approx(hl.statistic, rel=1e-9)
        assert row["hl_p"] == pytest.approx(hl.p_value, rel=1e-9)
        assert row["intercept"] == pytest.approx(cs.intercept, abs=1e-9)
        assert row["slope"] == pytest.approx(cs.slope, rel=1e-9)
        assert row["mean_pd"] == pytest.approx(pd_.mean(), rel=1e-12)
        assert row["bad_rate"] == pytest.approx(y.mean(), rel=1e-12)
        assert row["brier"] == pytest.approx(jc.metrics.brier_score(y, pd_), rel=1e-12)
        # slope p-value: two-sided Wald test of slope 1, written out from the normal CDF
        from scipy.stats import norm
        assert row["slope_p"] == pytest.approx(2 * norm.sf(abs(cs.slope - 1) / cs.slope_se), rel=1e-9)
    assert r.notes == ()


def test_score_psi_is_metrics_psi_of_the_two_point_distributions() -> None:
    X, _y, champion, challenger = setting()
    r = compare_cards(champion, challenger, X, bins=8)
    want = jc.metrics.psi(champion.points(X), challenger.points(X), bins=8)
    assert r.on == "points"
    assert r.same_scaling
    assert r.score_psi.value == pytest.approx(want.value, rel=1e-12)
    assert r.discrimination is None
    assert r.delong is None
    assert r.calibration is None
    assert "No outcomes given" in r.summary()


def _slow_swap_table(X: pd.DataFrame, y: pd.Series | None, champion: Scorecard, challenger: Scorecard
                     ) -> dict[tuple[str, str], list[float]]:
    """Row by row: assign each applicant alone under each card, then tally the pairs."""
    cells: dict[tuple[str, str], list[float]] = {
        (a, b): [0, 0, 0.0, 0.0] for a in DECISIONS for b in DECISIONS}
    columns = ["monthly_income", "existing_debt_service", "existing_balance"]
    for i in range(len(X)):
        row = X.iloc[[i]]
        out = []
        for card in (champion, challenger):
            app = row[columns].assign(pd=card.predict_proba(row)[:, 1])
            got = jc.limits.assign(app, POLICY)
            out.append((str(got["decision"].iloc[0]), float(got["limit"].iloc[0])))
        cell = cells[(out[0][0], out[1][0])]
        cell[0] += 1
        cell[1] += 0 if y is None else int(y.iloc[i])
        cell[2] += out[0][1]
        cell[3] += out[1][1]
    return cells


def test_swap_set_matches_a_row_by_row_reference() -> None:
    X, y, champion, challenger = setting()
    Xs, ys = X.iloc[:300], y.iloc[:300]
    r = compare_cards(champion, challenger, Xs, ys, policy=POLICY)
    assert r.swap_sets is not None
    slow = _slow_swap_table(Xs, ys, champion, challenger)
    assert list(r.swap_sets.index) == list(slow)
    for key, (count, bads, lim_a, lim_b) in slow.items():
        row = r.swap_sets.loc[key]
        assert row["count"] == count
        assert row["share"] == pytest.approx(count / 300)
        assert row["champion_limit"] == pytest.approx(lim_a, abs=1e-6)
        assert row["challenger_limit"] == pytest.approx(lim_b, abs=1e-6)
        assert row["limit_change"] == pytest.approx(lim_b - lim_a, abs=1e-6)
        if count:
            assert row["bad_rate"] == pytest.approx(bads / count)
        else:
            assert np.isnan(row["bad_rate"])  # no rows: nothing to rate, never 0
    assert r.swap_sets["count"].sum() == 300
    # the policy's grey band makes some rows move between refer and approve or decline
    off = [k for k in slow if k[0] != k[1] and slow[k][0] > 0]
    assert off
    assert all(f"Swap {a} -> {b}" in r.summary() for a, b in off)


def test_swap_set_without_outcomes_has_no_bad_rates_and_applicants_can_be_separate() -> None:
    X, _, champion, challenger = setting()
    features = X[["util", "inq"]]
    applicants = X[["monthly_income", "existing_debt_service", "existing_balance"]]
    a = compare_cards(champion, challenger, features, policy=POLICY, applicants=applicants)
    b = compare_cards(champion, challenger, X, policy=POLICY)
    assert a.swap_sets is not None
    assert b.swap_sets is not None
    pd.testing.assert_frame_equal(a.swap_sets, b.swap_sets)
    assert a.swap_sets["bad_rate"].isna().all()
    frame = a.to_frame()
    assert frame.loc["total_limit", "champion"] == pytest.approx(a.swap_sets["champion_limit"].sum())
    assert frame.loc["approve_rate", "challenger"] == pytest.approx(
        a.swap_sets.xs("approve", level="challenger")["share"].sum())


@cache
def _tiny_card(seed: int) -> tuple[pd.DataFrame, pd.Series, Scorecard]:
    X, y = _data(400, seed)
    return X, y, Scorecard(binning=BinningParams(max_bins=3)).fit(X[["util", "inq"]], y)


@given(seed=st.integers(0, 5), rows=st.integers(40, 400), with_policy=st.booleans())
def test_a_card_against_itself_shows_no_difference(seed: int, rows: int, with_policy: bool) -> None:
    X, y, card = _tiny_card(seed)
    Xs, ys = X.iloc[:rows], y.iloc[:rows]
    if ys.sum() < 2 or (1 - ys).sum() < 2:
        return
    r = compare_cards(card, card, Xs, ys, policy=POLICY if with_policy else None)
    assert r.delong is not None
    # documented: identical rankings give difference 0, se 0, z 0 and p-value 1
    assert (r.delong.difference, r.delong.se, r.delong.z, r.delong.p_value) == (0.0, 0.0, 0.0, 1.0)
    assert r.score_psi.value == 0.0
    assert (r.to_frame()["difference"].fillna(0.0) == 0.0).all()
    if with_policy:
        assert r.swap_sets is not None
        off = [k for k in r.swap_sets.index if k[0] != k[1]]
        assert (r.swap_sets.loc[off, "count"] == 0).all()
        assert "same decision on every row" in r.summary()


def test_different_scalings_are_never_compared_on_points_silently() -> None:
    X, y, champion, _ = setting()
    other = Scorecard(
        binning=BinningParams(max_bins=4), scaling=Scaling.r_scorecard()).fit(X[["util", "inq"]], y)
    with pytest.raises(InvalidInputError, match=r"^compare_cards: on must be given when the cards' scalings "
                       r"differ .*got None with champion 600 at 50 good:bad, PDO 20 and challenger 600 at "
                       r"0\.0526316 bad:good, PDO 50\. Pass on='log_odds'"):
        compare_cards(champion, other, X, y)
    with pytest.raises(InvalidInputError, match=r"^compare_cards: on must not be 'points' when the cards' "
                       r"scalings differ"):
        compare_cards(champion, other, X, y, on="points")
    r = compare_cards(champion, other, X, y, on="log_odds")
    assert r.on == "log_odds"
    assert not r.same_scaling
    # log-odds through each card's own Scaling (the one home of the formula)
    la = champion.scaling_.log_odds_from_score(champion.points(X).to_numpy())
    lb = other.scaling_.log_odds_from_score(other.points(X).to_numpy())
    assert r.score_psi.value == pytest.approx(jc.metrics.psi(la, lb).value, rel=1e-12)
    # rank statistics do not depend on the scaling
    same = Scorecard(binning=BinningParams(max_bins=4)).fit(X[["util", "inq"]], y)
    assert r.delong == compare_cards(champion, same, X, y).delong
    assert "scalings differ" in r.summary()
    assert "刻度不同" in r.summary_zh()


def test_equivalent_scalings_count_as_the_same() -> None:
    X, y, champion, _ = setting()
    # 600 at 50:1 good:bad is 600 at 1:50 bad:good: same offset and factor
    twin = Scorecard(binning=BinningParams(max_bins=4),
                     scaling=Scaling(base_odds=1 / 50, odds="bad:good")).fit(X[["util"]], y)
    r = compare_cards(champion, twin, X, y)
    assert r.same_scaling
    assert r.on == "points"


def test_summaries_carry_the_numbers_in_both_languages() -> None:
    X, y, champion, challenger = setting()
    r = compare_cards(champion, challenger, X, y, policy=POLICY)
    en, zh = r.summary(), r.summary_zh()
    assert r.delong is not None
    assert f"DeLong p = {r.delong.p_value:.3g}" in en
    assert f"DeLong 检验 p = {r.delong.p_value:.3g}" in zh
    assert f"{r.score_psi.value:.4f}" in en
    assert f"{r.score_psi.value:.4f}" in zh
    assert "冠军模型" in zh
    assert "换入换出" in zh
    assert "坏账率" in zh
    assert len(en.splitlines()) == len(zh.splitlines())


def test_inputs_are_not_modified() -> None:
    X, y, champion, challenger = setting()
    X0, y0 = X.copy(), y.copy()
    compare_cards(champion, challenger, X, y, policy=POLICY)
    pd.testing.assert_frame_equal(X, X0)
    pd.testing.assert_series_equal(y, y0)


def test_bad_inputs_get_library_errors() -> None:
    X, y, champion, challenger = setting()
    cases = [
        (lambda: compare_cards(champion, challenger, X, np.zeros(len(X))),
         (r"^compare_cards: y must hold at least two bads \(1\) and two goods \(0\); "
         r"got 0 bads and 3000 goods")),
        (lambda: compare_cards(champion, challenger, X, y.iloc[:-1]),
         r"^compare_cards: y must have one value per row of X \(3000\); got 2999 values"),
        (lambda: compare_cards(champion, challenger, X, y.set_axis(y.index[::-1])),
         r"^compare_cards: y must have the same index as X"),
        (lambda: compare_cards(champion, challenger, X, y.replace(1, 2)),
         r"^compare_cards: y must hold 1 \(bad\) or 0 \(good\)"),
        (lambda: compare_cards(champion, challenger, X.to_numpy(), y),
         r"^compare_cards: X must be a pandas DataFrame; got a ndarray"),
        (lambda: compare_cards(champion, challenger, X.iloc[:0]),
         r"^compare_cards: X must have at least one row"),
        (lambda: compare_cards(champion, challenger, X, y, on="pd"),
         r"^compare_cards: on must be one of 'points', 'log_odds'; got 'pd'"),
        (lambda: compare_cards(champion, challenger, X, y, policy={"pd_cutoff": 0.1}),
         r"^compare_cards: policy must be a LimitPolicy or None; got a dict"),
        (lambda: compare_cards(champion, challenger, X, y, applicants=X),
         r"^compare_cards: applicants is only used with a policy"),
        (lambda: compare_cards(champion, challenger, X[["util", "inq"]], y, policy=POLICY),
         r"^compare_cards: X must have the column\(s\) 'monthly_income'"),
        (lambda: compare_cards(champion, challenger, X.assign(monthly_income=-1.0), y, policy=POLICY),
         r"^compare_cards: column 'monthly_income' must lie in .* \(assigning limits for the champion\)$"),
        (lambda: compare_cards(champion, challenger, X, y, policy=POLICY, applicants=X.iloc[::-1]),
         r"^compare_cards: applicants must have the same index as X"),
        (lambda: compare_cards(champion, challenger, X, y, grades=0),
         r"^compare_cards: grades must be an integer >= 1; got 0"),
        (lambda: compare_cards(champion, challenger, X, y, level=1.0), r"^compare_cards: level must be"),
        (lambda: compare_cards(champion, challenger, X, y, psi_thresholds=(0.3, 0.1)),
         r"^compare_cards: psi_thresholds must be a pair"),
        (lambda: compare_cards(champion, 5, X, y),
         r"^compare_cards: challenger must be a fitted scorecard \(an object with a points\(\) method\)"),
    ]
    for call, pattern in cases:
        with pytest.raises(InvalidInputError, match=pattern):
            call()
    with pytest.raises(NotFittedError, match=r"^compare_cards: champion has no scaling_ \(is it fitted\?\); "
                       r"call champion.fit\(X, y\) first\.$"):
        compare_cards(Scorecard(), challenger, X, y)
    with pytest.raises(SchemaError):
        compare_cards(champion, challenger, X[["util"]], y)


def test_one_bad_is_not_enough_for_the_delong_variance() -> None:
    X, _y, champion, challenger = setting()
    one = pd.Series(np.r_[1, np.zeros(len(X) - 1)].astype(int), index=X.index)
    with pytest.raises(InvalidInputError, match=r"got 1 bad and 2999 goods\. .*bads - 1 and goods - 1"):
        compare_cards(champion, challenger, X, one)
