"""Champion and challenger: discrimination, calibration, score shift and the swap set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
import pandas as pd

from jiebei_credit._lights import index_thresholds
from jiebei_credit._psi import check_smoothing
from jiebei_credit._types import Vector
from jiebei_credit._validation import (
    BoolArray,
    FloatArray,
    as_frame,
    choice,
    fail,
    frame_columns,
    integer,
    probability,
    same_rows,
)
from jiebei_credit.errors import InvalidInputError
from jiebei_credit.limits import LimitPolicy, assign
from jiebei_credit.metrics import PSI_THRESHOLDS, DeLongResult, PSIResult, auc, delong_test, gini, ks, psi
from jiebei_credit.monitoring._cards import (
    CALIBRATION_COLUMNS,
    calibration_row,
    converted,
    describe_scaling,
    same_scaling,
    scored,
    target,
)
from jiebei_credit.monitoring._report import PointsCard

_FUNC = "compare_cards"
On = Literal["points", "log_odds"]
#: Allowed values of ``on``.
ON_OPTIONS: Final[tuple[On, ...]] = ("points", "log_odds")
#: Decisions of :func:`jiebei_credit.limits.assign`, in the order of the swap-set table.
DECISIONS: Final = ("approve", "refer", "decline")
#: Columns :func:`jiebei_credit.limits.assign` needs besides the PD (``purpose`` is optional).
APPLICANT_COLUMNS: Final = ("monthly_income", "existing_debt_service", "existing_balance")
CARDS: Final = ("champion", "challenger")
_LIGHT_ZH: Final = {"green": "绿灯", "amber": "黄灯", "red": "红灯", "insufficient": "数据不足"}
_DECISION_ZH: Final = {"approve": "通过", "refer": "转人工", "decline": "拒绝"}


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class CardComparison:
    """Result of :func:`compare_cards`: champion against challenger on the same rows.

    Parameters
    ----------
    n : int
        Rows compared.
    on : {"points", "log_odds"}
        The scale the two score distributions were compared on (``score_psi``
        and ``scores``): credit points (only when both cards share a
        scaling) or the log good:bad odds each card's scaling gives.
    same_scaling : bool
        Whether the two cards turn log-odds into the same points.
    scalings : tuple of str
        Each card's scaling, in words (champion, challenger).
    scores : pandas.DataFrame
        Index ``card`` (``champion``, ``challenger``): ``mean``, ``std``,
        ``p10``, ``median``, ``p90`` of the score on the scale ``on``, and
        ``mean_pd``.
    score_psi : PSIResult
        PSI of the challenger's score distribution against the champion's
        (champion quantile bins), on the scale ``on``.
    discrimination : pandas.DataFrame or None
        With outcomes: index ``card``, columns ``auc``, ``gini``, ``ks``.
    delong : DeLongResult or None
        With outcomes: the paired DeLong test of challenger minus champion
        (``auc_a`` is the challenger's AUC, ``auc_b`` the champion's).
    calibration : pandas.DataFrame or None
        With outcomes: index ``card``, columns ``n``, ``bads``,
        ``bad_rate``, ``mean_pd``, ``binomial_p`` (one-sided exact test of
        the mean PD, small = PDs too low), ``hl_statistic``, ``hl_dof``,
        ``hl_p`` (Hosmer–Lemeshow), ``intercept``, ``intercept_se``,
        ``intercept_p`` (calibration in the large, Wald test of 0),
        ``slope``, ``slope_se``, ``slope_p`` (Wald test of slope 1) and
        ``brier``. A test undefined on the data is NaN and ``notes`` says why.
    swap_sets : pandas.DataFrame or None
        With a policy: one row per (champion decision, challenger decision)
        pair, all nine in the order approve, refer, decline (index levels
        ``champion``, ``challenger``), with ``count``, ``share``, ``bads``
        and ``bad_rate`` (NaN without outcomes or rows), and the totals
        ``champion_limit``, ``challenger_limit`` and ``limit_change``
        (challenger - champion), CNY.
    notes : tuple of str
        Tests that could not be computed, and why.
    """

    n: int
    on: On
    same_scaling: bool
    scalings: tuple[str, str]
    scores: pd.DataFrame
    score_psi: PSIResult
    discrimination: pd.DataFrame | None
    delong: DeLongResult | None
    calibration: pd.DataFrame | None
    swap_sets: pd.DataFrame | None
    notes: tuple[str, ...]

    def __repr__(self) -> str:
        # the dataclass repr would print every table in full; this one stays on one line
        p = "n/a" if self.delong is None else f"{self.delong.p_value:.4g}"
        return (f"CardComparison(n={self.n}, on={self.on!r}, score_psi={self.score_psi.value:.4g} "
                f"({self.score_psi.status}), delong_p={p}, "
                f"swap_sets={'yes' if self.swap_sets is not None else 'no'})")

    def _repr_html_(self) -> str:
        """Notebook display: the comparison's key figures, then both cards side by side."""
        from jiebei_credit._html import render

        rows: list[tuple[str, Any]] = [("rows", self.n), ("scale", self.on),
                                       ("same scaling", self.same_scaling),
                                       ("score PSI", self.score_psi.value),
                                       ("score PSI status", self.score_psi.status)]
        if self.delong is not None:
            rows += [("AUC difference", self.delong.difference), ("DeLong p-value", self.delong.p_value)]
        rows += [("note", note) for note in self.notes]
        return render("CardComparison", rows, self.to_frame(), caption="Champion and challenger")

    def to_frame(self) -> pd.DataFrame:
        """Every figure of both cards side by side.

        Returns
        -------
        pandas.DataFrame
            Index ``metric``; columns ``champion``, ``challenger`` and
            ``difference`` (challenger - champion). Rows: ``mean_score``
            (on the scale ``on``), ``mean_pd``; with outcomes ``auc``,
            ``gini``, ``ks``, ``bad_rate``, ``hl_p``, ``intercept``,
            ``slope``, ``brier``; with a policy ``approve_rate``,
            ``decline_rate`` and ``total_limit``.
        """
        rows: dict[str, tuple[float, float]] = {
            "mean_score": _pair(self.scores["mean"]),
            "mean_pd": _pair(self.scores["mean_pd"]),
        }
        if self.discrimination is not None:
            rows.update({m: _pair(self.discrimination[m]) for m in ("auc", "gini", "ks")})
        if self.calibration is not None:
            rows.update({m: _pair(self.calibration[m])
                         for m in ("bad_rate", "hl_p", "intercept", "slope", "brier")})
        if self.swap_sets is not None:
            share = self.swap_sets["share"]
            rows["approve_rate"] = (float(share.xs("approve", level="champion").sum()),
                                    float(share.xs("approve", level="challenger").sum()))
            rows["decline_rate"] = (float(share.xs("decline", level="champion").sum()),
                                    float(share.xs("decline", level="challenger").sum()))
            rows["total_limit"] = (float(self.swap_sets["champion_limit"].sum()),
                                   float(self.swap_sets["challenger_limit"].sum()))
        out = pd.DataFrame.from_dict(rows, orient="index", columns=["champion", "challenger"])
        out["difference"] = out["challenger"] - out["champion"]
        out.index.name = "metric"
        return out

    def _swaps(self) -> list[tuple[str, str, int, float, float, float]]:
        """Off-diagonal swap sets with rows: (from, to, count, bad rate, champion, challenger limit)."""
        if self.swap_sets is None:
            return []
        t = self.swap_sets
        out = []
        for k, (a, b) in enumerate(t.index.to_list()):
            count = int(t["count"].iloc[k])
            if a != b and count > 0:
                out.append((str(a), str(b), count, float(t["bad_rate"].iloc[k]),
                            float(t["champion_limit"].iloc[k]), float(t["challenger_limit"].iloc[k])))
        return out

    def _figures(self) -> dict[str, dict[str, float]]:
        """Per card: auc, gini, ks and the calibration figures, as plain floats."""
        out: dict[str, dict[str, float]] = {card: {} for card in CARDS}
        for table in (self.discrimination, self.calibration):
            if table is not None:
                rows = table.to_dict(orient="index")
                for card in CARDS:
                    out[card].update({str(k): float(v) for k, v in rows[card].items()})
        return out

    def summary(self) -> str:
        """The comparison in a few English sentences, one per line.

        Returns
        -------
        str
            Lines joined by newlines: rows and scale, then discrimination (with the DeLong test),
            calibration and the policy's swap sets when they were computed.
        """
        scale = ("on points (same scaling)" if self.on == "points" else
                 "on log-odds" + ("" if self.same_scaling else " (the cards' scalings differ: "
                                  f"champion {self.scalings[0]}; challenger {self.scalings[1]})"))
        lines = [f"Champion against challenger on {self.n:,} rows, scores compared {scale}."]
        if self.discrimination is not None and self.delong is not None:
            a, b = self._figures().values()
            dl = self.delong
            lines.append(
                f"AUC {a['auc']:.3f} -> {b['auc']:.3f} "
                f"(difference {dl.difference:+.3f}, {dl.level:.0%} CI [{dl.ci_lower:+.3f}, "
                f"{dl.ci_upper:+.3f}], DeLong p = {dl.p_value:.3g}); Gini "
                f"{a['gini']:.3f} -> {b['gini']:.3f}; KS {a['ks']:.3f} -> {b['ks']:.3f}.")
        else:
            lines.append("No outcomes given: discrimination and calibration not assessed.")
        if self.calibration is not None:
            figures = self._figures()
            for card in CARDS:
                c = figures[card]
                lines.append(
                    f"Calibration, {card}: mean PD {c['mean_pd']:.2%} against bad rate "
                    f"{c['bad_rate']:.2%}, "
                    f"Hosmer-Lemeshow p = {c['hl_p']:.3g}, calibration intercept {c['intercept']:+.3f} "
                    f"(p = {c['intercept_p']:.3g}), slope {c['slope']:.3f} (p = {c['slope_p']:.3g}).")
        lines.append(f"PSI of the challenger's scores against the champion's: {self.score_psi.value:.4f} "
                     f"({self.score_psi.status}).")
        if self.swap_sets is not None:
            swaps = self._swaps()
            if not swaps:
                lines.append("Swap set: both cards take the same decision on every row.")
            for src, dst, count, rate, lim_a, lim_b in swaps:
                bad = "" if np.isnan(rate) else f", bad rate {rate:.2%}"
                lines.append(f"Swap {src} -> {dst}: {count:,} rows{bad}, limits {lim_a:,.0f} -> "
                             f"{lim_b:,.0f} CNY.")
        lines += [f"Note: {note}" for note in self.notes]
        return "\n".join(lines)

    def summary_zh(self) -> str:
        """The comparison in Chinese (简体中文), one sentence per line.

        Returns
        -------
        str
            The sentences of :meth:`summary` in Chinese, joined by newlines.
        """
        scale = ("按分数比较(评分刻度相同)" if self.on == "points" else
                 "按对数几率比较" + ("" if self.same_scaling else "(两张评分卡刻度不同:"
                                  f"冠军 {self.scalings[0]};挑战者 {self.scalings[1]})"))
        lines = [f"冠军模型与挑战者模型对比,共 {self.n:,} 笔,{scale}。"]
        if self.discrimination is not None and self.delong is not None:
            a, b = self._figures().values()
            dl = self.delong
            lines.append(
                f"AUC {a['auc']:.3f} → {b['auc']:.3f}"
                f"(差异 {dl.difference:+.3f},{dl.level:.0%} 置信区间 [{dl.ci_lower:+.3f}, "
                f"{dl.ci_upper:+.3f}],DeLong 检验 p = {dl.p_value:.3g});基尼系数 "
                f"{a['gini']:.3f} → {b['gini']:.3f};KS {a['ks']:.3f} → {b['ks']:.3f}。")
        else:
            lines.append("未提供表现结果(y):未评估区分能力与校准。")
        if self.calibration is not None:
            figures = self._figures()
            for card, name in zip(CARDS, ("冠军模型", "挑战者模型"), strict=True):
                c = figures[card]
                lines.append(
                    f"校准,{name}:平均 PD {c['mean_pd']:.2%},实际坏账率 {c['bad_rate']:.2%};"
                    f"Hosmer-Lemeshow 检验 p = {c['hl_p']:.3g};校准截距 {c['intercept']:+.3f}"
                    f"(p = {c['intercept_p']:.3g}),校准斜率 {c['slope']:.3f}(p = {c['slope_p']:.3g})。")
        lines.append(f"挑战者相对冠军的分数分布 PSI:{self.score_psi.value:.4f}"
                     f"({_LIGHT_ZH[self.score_psi.status]})。")
        if self.swap_sets is not None:
            swaps = self._swaps()
            if not swaps:
                lines.append("换入换出:两张评分卡对每笔申请的决策相同。")
            for src, dst, count, rate, lim_a, lim_b in swaps:
                bad = "" if np.isnan(rate) else f",坏账率 {rate:.2%}"
                lines.append(f"换入换出 {_DECISION_ZH[src]} → {_DECISION_ZH[dst]}:{count:,} 笔{bad},"
                             f"额度合计 {lim_a:,.0f} → {lim_b:,.0f} 元。")
        lines += [f"备注:{note}" for note in self.notes]
        return "\n".join(lines)


def _pair(column: pd.Series) -> tuple[float, float]:
    return float(column.loc["champion"]), float(column.loc["challenger"])


def _summary_row(values: FloatArray, pd_: FloatArray) -> dict[str, float]:
    q10, q50, q90 = np.quantile(values, [0.1, 0.5, 0.9])
    return {"mean": float(values.mean()), "std": float(values.std(ddof=1)) if values.size > 1 else np.nan,
            "p10": float(q10), "median": float(q50), "p90": float(q90), "mean_pd": float(pd_.mean())}


def _decisions(applicants: pd.DataFrame, pd_: FloatArray, policy: LimitPolicy, who: str
               ) -> tuple[np.ndarray[Any, np.dtype[np.int64]], FloatArray]:
    """Decision code (index in :data:`DECISIONS`) and limit of every row under ``policy``."""
    columns = [c for c in (*APPLICANT_COLUMNS, "purpose") if c in applicants.columns]
    frame = applicants.loc[:, columns].assign(pd=pd_)
    try:
        out = assign(frame, policy)
    except InvalidInputError as exc:
        text = str(exc)
        text = f"{_FUNC}:" + text[len("assign:"):] if text.startswith("assign:") else f"{_FUNC}: {text}"
        raise InvalidInputError(f"{text} (assigning limits for the {who})") from exc
    codes = pd.Categorical(out["decision"].astype(str), categories=DECISIONS).codes.astype(np.int64)
    return codes, out["limit"].to_numpy(dtype=np.float64)


def _swap_table(champ: tuple[Any, FloatArray], chall: tuple[Any, FloatArray], is_bad: BoolArray | None
                ) -> pd.DataFrame:
    k = len(DECISIONS)
    cell = champ[0] * k + chall[0]
    count = np.bincount(cell, minlength=k * k)
    lim_a = np.bincount(cell, weights=champ[1], minlength=k * k)
    lim_b = np.bincount(cell, weights=chall[1], minlength=k * k)
    if is_bad is None:
        bads = np.full(k * k, np.nan)
    else:
        bads = np.bincount(cell, weights=is_bad.astype(np.float64), minlength=k * k)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(count > 0, bads / np.maximum(count, 1), np.nan)
    index = pd.MultiIndex.from_product([DECISIONS, DECISIONS], names=["champion", "challenger"])
    return pd.DataFrame({
        "count": count.astype(np.int64),
        "share": count / max(int(cell.size), 1),
        "bads": bads,
        "bad_rate": rate,
        "champion_limit": lim_a,
        "challenger_limit": lim_b,
        "limit_change": lim_b - lim_a,
    }, index=index)


def compare_cards(
    champion: PointsCard,
    challenger: PointsCard,
    X: pd.DataFrame,
    y: Vector | None = None,
    *,
    policy: LimitPolicy | None = None,
    applicants: pd.DataFrame | None = None,
    on: On | None = None,
    grades: int = 10,
    bins: int = 10,
    smoothing: float = 0.5,
    psi_thresholds: tuple[float, float] = PSI_THRESHOLDS,
    level: float = 0.95,
) -> CardComparison:
    r"""Compare a challenger scorecard with the champion in production, on the same rows.

    Parameters
    ----------
    champion, challenger : Scorecard
        Fitted cards (e.g. :class:`jiebei_credit.scorecard.Scorecard`): a
        ``points(X)`` method (higher = safer) and a ``scaling_`` (the
        :class:`~jiebei_credit.scorecard.Scaling` that turns points into PDs).
    X : pandas.DataFrame
        Feature table holding the features of both cards, one row per
        applicant. Not modified.
    y : array-like of shape (n,), optional
        Outcome of each row of ``X`` (1 = bad, 0 = good), at least two of
        each; a Series must carry ``X``'s index. Without it, discrimination
        and calibration are not assessed.
    policy : LimitPolicy, optional
        Limit policy under which both cards' PDs are turned into decisions
        and limits (:func:`jiebei_credit.limits.assign`), giving the swap set.
    applicants : pandas.DataFrame, optional
        With ``policy``: the columns ``monthly_income``,
        ``existing_debt_service``, ``existing_balance`` (and optionally
        ``purpose``) of the rows of ``X``, on ``X``'s index. Default: read
        them from ``X``. Any ``pd`` or ``score`` column is ignored (each
        card supplies its own PD).
    on : {"points", "log_odds"}, optional
        The scale on which the two score distributions are compared (PSI,
        score summary). ``"points"`` needs both cards on the same scaling;
        ``"log_odds"`` compares ln(good:bad odds) as each card's scaling
        gives them (the same as comparing PDs, see Notes). Default: points
        when the scalings agree; when they differ there is no default and
        ``on`` must be given.
    grades : int, default 10
        PD quantile grades of the Hosmer–Lemeshow test.
    bins : int, default 10
        Quantile bins of the champion's score for the PSI.
    smoothing : float, default 0.5
        PSI smoothing, see :func:`jiebei_credit.metrics.psi`.
    psi_thresholds : tuple of two floats, default (0.1, 0.25)
        Traffic-light cut-offs of the PSI.
    level : float, default 0.95
        Coverage of the DeLong confidence interval.

    Returns
    -------
    CardComparison
        Scores, PSI, discrimination with the DeLong test, calibration tests,
        the swap set; ``summary()`` (English), ``summary_zh()`` (Chinese) and
        ``to_frame()``.

    Raises
    ------
    NotFittedError
        If a card has no ``scaling_``.
    SchemaError
        If ``X`` lacks a feature of a card (raised by the card).
    InvalidInputError
        If ``X`` or ``applicants`` is not a DataFrame; a card has no
        ``points`` method or its points are not one finite number per row;
        ``y`` is not 0/1, holds fewer than two bads or two goods, or does not
        match ``X``'s rows or index; ``on="points"`` (or no ``on``) with
        cards of different scalings; ``applicants`` without ``policy``, or
        lacking a column or holding invalid amounts; ``policy`` is not a
        LimitPolicy; or a parameter has the wrong type or is out of range.

    Notes
    -----
    **Discrimination** is computed on each card's points
    (``higher="safer"``): AUC, Gini :math:`= 2\,\mathrm{AUC} - 1` and KS
    (:mod:`jiebei_credit.metrics`), and the paired DeLong test
    (:func:`jiebei_credit.metrics.delong_test`) of
    :math:`\mathrm{AUC}_\text{challenger} - \mathrm{AUC}_\text{champion}`.
    These depend only on the ranking, so they do not depend on the scaling.
    Comparing a card with itself gives a difference of 0, a standard error
    of 0, :math:`z = 0` and p-value 1.

    **Calibration** reads the PD each card's own scaling gives:
    Hosmer–Lemeshow over ``grades`` PD quantile grades, the calibration
    intercept and slope (:func:`jiebei_credit.metrics.calibration_slope`;
    p-values are two-sided Wald tests of intercept 0 and slope 1), the
    exact binomial test of the mean PD and the Brier score.

    **Scales.** Points of cards with different scalings are different
    units (600 points at 50:1 is not 600 points at 1:19), so they are never
    compared silently. On ``"log_odds"`` each card's points become
    :math:`\ln(\text{good:bad odds})` through its own scaling; the PSI uses
    quantile bins of the champion, so it is the same on PDs (a monotone
    function of the log-odds), up to ties.

    **Swap set.** Each row is assigned by :func:`jiebei_credit.limits.assign`
    twice, with each card's PD. The table counts the rows for every pair
    (champion decision → challenger decision), e.g. approve → decline (the
    challenger's "swap-outs") and decline → approve ("swap-ins"), with
    their observed bad rate and the total limits each card grants them.

    References
    ----------
    .. [1] Siddiqi, N. (2017). *Intelligent Credit Scoring*, 2nd ed., Wiley,
       chapters 12 (swap sets) and 14 (stability).
    .. [2] DeLong, E. R., DeLong, D. M. and Clarke-Pearson, D. L. (1988).
       Comparing the areas under two or more correlated ROC curves.
       *Biometrics* 44(3), 837–845.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from jiebei_credit.scorecard import BinningParams, Scorecard
    >>> from jiebei_credit.monitoring import compare_cards
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"util": rng.random(3000), "inq": rng.poisson(1.0, 3000).astype(float)})
    >>> y = (rng.random(3000) < 0.05 + 0.15 * X["util"] + 0.03 * X["inq"]).astype(int)
    >>> champion = Scorecard(binning=BinningParams(max_bins=3)).fit(X[["util"]], y)
    >>> challenger = Scorecard(binning=BinningParams(max_bins=3)).fit(X, y)
    >>> result = compare_cards(champion, challenger, X, y)
    >>> result.on, result.delong.difference > 0
    ('points', True)
    >>> result.to_frame().loc[["auc", "gini"], ["champion", "challenger"]].round(3)
            champion  challenger
    metric
    auc        0.603       0.615
    gini       0.207       0.231
    """
    X = as_frame(X, func=_FUNC, name="X")
    chosen_on: On | None = None if on is None else choice(on, ON_OPTIONS, func=_FUNC, name="on")
    n_grades = integer(grades, func=_FUNC, name="grades", low=1)
    n_bins = integer(bins, func=_FUNC, name="bins", low=1)
    alpha = check_smoothing(smoothing, func=_FUNC)
    cut_offs = index_thresholds(psi_thresholds, func=_FUNC, name="psi_thresholds")
    lev = probability(level, func=_FUNC, name="level", low_open=True, high_open=True,
                      fix="E.g. level=0.95 for a 95 % interval.")
    given_policy: object = policy
    if given_policy is not None and not isinstance(given_policy, LimitPolicy):
        raise fail(_FUNC, "policy", "must be a LimitPolicy or None", f"a {type(given_policy).__name__}",
                   "Use jiebei_credit.limits.LimitPolicy(...) or one of limits.PRESETS.")
    if applicants is not None and policy is None:
        raise fail(_FUNC, "applicants", "is only used with a policy", "applicants without policy",
                   "Pass policy=LimitPolicy(...) to get the swap set, or drop applicants.")
    if X.empty:
        raise fail(_FUNC, "X", "must have at least one row", "an empty table")

    scale_a, points_a, pd_a = scored(champion, X, func=_FUNC, name="champion", frame_name="X")
    scale_b, points_b, pd_b = scored(challenger, X, func=_FUNC, name="challenger", frame_name="X")
    same = same_scaling(scale_a, scale_b)
    words = (describe_scaling(scale_a), describe_scaling(scale_b))
    if chosen_on is None and not same:
        raise fail(_FUNC, "on", "must be given when the cards' scalings differ (their points are "
                   "different units)", f"None with champion {words[0]} and challenger {words[1]}",
                   "Pass on='log_odds' to compare log-odds (PDs), or refit one card on the other's scaling.")
    if chosen_on == "points" and not same:
        raise fail(_FUNC, "on", "must not be 'points' when the cards' scalings differ (their points are "
                   "different units)", f"'points' with champion {words[0]} and challenger {words[1]}",
                   "Pass on='log_odds' to compare log-odds (PDs).")
    scale_on: On = chosen_on or "points"
    if scale_on == "points":
        values_a, values_b = points_a, points_b
    else:
        values_a = converted(scale_a, points_a, "log_odds_from_score", func=_FUNC, name="champion")
        values_b = converted(scale_b, points_b, "log_odds_from_score", func=_FUNC, name="challenger")
        for values, who in ((values_a, "champion"), (values_b, "challenger")):
            if not np.isfinite(values).all():
                raise fail(_FUNC, f"{who}.scaling_", "must give finite log-odds",
                           "infinite values", "Check the card's points.")
    score_psi = psi(values_a, values_b, bins=n_bins, smoothing=alpha, thresholds=cut_offs)
    scores = pd.DataFrame([_summary_row(values_a, pd_a), _summary_row(values_b, pd_b)],
                          index=pd.Index(CARDS, name="card"))

    is_bad: BoolArray | None = None
    discrimination = calibration = None
    delong = None
    notes: list[str] = []
    if y is not None:
        is_bad = target(y, X, func=_FUNC)
        yy = is_bad.astype(np.int64)
        discrimination = pd.DataFrame(
            [{"auc": auc(yy, p, higher="safer"), "gini": gini(yy, p, higher="safer"),
              "ks": ks(yy, p, higher="safer")} for p in (points_a, points_b)],
            index=pd.Index(CARDS, name="card"))
        delong = delong_test(yy, points_b, points_a, higher="safer", level=lev)
        calibration = pd.DataFrame(
            [calibration_row(is_bad, p, grades=n_grades, notes=notes, who=who)
             for p, who in ((pd_a, "champion"), (pd_b, "challenger"))],
            index=pd.Index(CARDS, name="card"), columns=list(CALIBRATION_COLUMNS))
        calibration = calibration.astype({"n": np.int64, "bads": np.int64})

    swap_sets = None
    if policy is not None:
        source = X if applicants is None else as_frame(applicants, func=_FUNC, name="applicants")
        name = "X" if applicants is None else "applicants"
        frame_columns(source, APPLICANT_COLUMNS, func=_FUNC, name=name,
                      fix="Give each applicant's monthly_income, existing_debt_service and "
                      "existing_balance (CNY), in X or in applicants.")
        if applicants is not None:
            same_rows(_FUNC, ("X", len(X), X.index), ("applicants", len(source), source.index))
        swap_sets = _swap_table(_decisions(source, pd_a, policy, "champion"),
                                _decisions(source, pd_b, policy, "challenger"), is_bad)
    return CardComparison(
        n=len(X), on=scale_on, same_scaling=same, scalings=words, scores=scores, score_psi=score_psi,
        discrimination=discrimination, delong=delong, calibration=calibration, swap_sets=swap_sets,
        notes=tuple(notes),
    )
