"""Model health: keep, recalibrate or rebuild a card, by rules a risk committee can read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
import pandas as pd

from jiebei_credit._lights import index_thresholds
from jiebei_credit._types import Vector
from jiebei_credit._validation import as_frame, fail, integer, probability, real
from jiebei_credit.metrics import PSI_THRESHOLDS, delong_test
from jiebei_credit.monitoring._cards import calibration_row, scored, target
from jiebei_credit.monitoring._report import HealthCard, StabilityReport, build_report

_FUNC = "model_health"
Verdict = Literal["keep", "recalibrate", "rebuild"]
#: Verdicts in order of severity.
VERDICTS: Final[tuple[Verdict, ...]] = ("keep", "recalibrate", "rebuild")
#: Default largest CSI of a feature before the card is recalibrated (Siddiqi's "major shift").
CSI_THRESHOLD: Final = 0.25
#: Default significance level of the calibration tests.
CALIBRATION_ALPHA: Final = 0.05
#: Default largest tolerated fall of the AUC below development (0.05 AUC = 0.10 Gini).
MAX_AUC_DROP: Final = 0.05
_RULE_COLUMNS: Final = ("value", "threshold", "triggered", "action", "evidence", "reason")
_VERDICT_ZH: Final = {"keep": "继续使用", "recalibrate": "重新校准", "rebuild": "重新开发"}
_RULE_ZH: Final = {
    "score_psi_shift": "分数 PSI(轻度偏移)",
    "score_psi_major": "分数 PSI(显著偏移)",
    "feature_csi": "特征 CSI",
    "calibration_in_the_large": "整体校准(截距)",
    "calibration_slope": "校准斜率",
    "hosmer_lemeshow": "Hosmer-Lemeshow 检验",
    "auc_drop": "AUC 较开发期下降",
}


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ModelHealth:
    """Result of :func:`model_health`: a verdict and the evidence of every rule.

    Parameters
    ----------
    verdict : {"keep", "recalibrate", "rebuild"}
        The most severe action among the rules triggered (``"keep"`` when
        none is).
    rules : pandas.DataFrame
        One row per rule (index ``rule``): ``value`` (the statistic),
        ``threshold``, ``triggered`` (True, False, or None when the rule
        could not run), ``action`` (what a trigger calls for), ``evidence``
        (``"ran"`` or ``"not run"``) and ``reason`` (in words).
    complete : bool
        Whether every rule ran. Without ``y_current`` the calibration rules
        and without ``development_auc`` the AUC rule do not run: a ``"keep"``
        then rests on stability alone, and ``summary()`` says so.
    stability : StabilityReport
        Score PSI and the CSI of every feature, from
        :func:`stability_report`.
    calibration : pandas.Series or None
        With outcomes: the calibration evidence on the current rows (as a
        row of :attr:`CardComparison.calibration`).
    auc : float or None
        With outcomes: the AUC on the current rows.
    auc_ci : tuple of two floats or None
        Its DeLong confidence interval at ``level``.
    development_auc : float or None
        The AUC at development, as given.
    notes : tuple of str
        Tests that could not be computed, and why.
    """

    verdict: Verdict
    rules: pd.DataFrame
    complete: bool
    stability: StabilityReport
    calibration: pd.Series | None
    auc: float | None
    auc_ci: tuple[float, float] | None
    development_auc: float | None
    notes: tuple[str, ...]

    def __repr__(self) -> str:
        # the dataclass repr would print the stability report and every table; this one stays short
        fired = sum(v is True for v in self.rules["triggered"])  # None: the rule could not run
        auc = "n/a" if self.auc is None else f"{self.auc:.4g}"
        return (f"ModelHealth(verdict={self.verdict!r}, complete={self.complete}, auc={auc}, "
                f"rules={len(self.rules)} ({fired} triggered))")

    def _repr_html_(self) -> str:
        """Notebook display: the verdict, then every rule with its evidence."""
        from jiebei_credit._html import render

        rows: list[tuple[str, Any]] = [("verdict", self.verdict), ("complete", self.complete),
                                       ("AUC", self.auc), ("development AUC", self.development_auc)]
        rows += [("note", note) for note in self.notes]
        return render("ModelHealth", rows, self.rules, caption="Rules")

    def to_frame(self) -> pd.DataFrame:
        """The rule table (a copy of :attr:`rules`).

        Returns
        -------
        pandas.DataFrame
            One row per rule, as :attr:`rules`; changing it does not change this object.
        """
        return self.rules.copy()

    def summary(self) -> str:
        """The verdict and every rule, in English, one per line.

        Returns
        -------
        str
            The verdict, then one line per rule (triggered, passed or not run, with its
            reason), then the notes; joined by newlines.
        """
        partial = "" if self.complete else " (on partial evidence: some rules could not run)"
        lines = [f"Verdict: {self.verdict}{partial}."]
        for name, r in self.rules.iterrows():
            mark = ("TRIGGERED -> " + str(r["action"]) if r["triggered"] is True else
                    "passed" if r["triggered"] is False else "not run")
            lines.append(f"- {name}: {mark}. {r['reason']}")
        lines += [f"Note: {note}" for note in self.notes]
        return "\n".join(lines)

    def summary_zh(self) -> str:
        """The verdict and every rule, in Chinese (简体中文), one per line.

        Returns
        -------
        str
            The verdict, then one line per rule with its value and threshold; joined by newlines.
        """
        partial = "" if self.complete else "(证据不完整:部分规则未能执行)"
        lines = [f"结论:{_VERDICT_ZH[self.verdict]}{partial}。"]
        for name, r in self.rules.iterrows():
            mark = (f"触发 → {_VERDICT_ZH[str(r['action'])]}" if r["triggered"] is True else
                    "通过" if r["triggered"] is False else "未执行")
            value = "—" if np.isnan(r["value"]) else f"{r['value']:.4g}"
            lines.append(f"- {_RULE_ZH[str(name)]}:{mark}(数值 {value},阈值 {r['threshold']:.4g})。")
        return "\n".join(lines)


def _rule(value: float, threshold: float, triggered: bool | None, action: Verdict, reason: str
          ) -> dict[str, Any]:
    return {"value": value, "threshold": threshold, "triggered": triggered, "action": action,
            "evidence": "not run" if triggered is None else "ran", "reason": reason}


def model_health(
    card: HealthCard,
    X_reference: pd.DataFrame,
    X_current: pd.DataFrame,
    y_current: Vector | None = None,
    *,
    development_auc: float | None = None,
    psi_thresholds: tuple[float, float] = PSI_THRESHOLDS,
    csi_threshold: float = CSI_THRESHOLD,
    alpha: float = CALIBRATION_ALPHA,
    max_auc_drop: float = MAX_AUC_DROP,
    grades: int = 10,
    bins: int = 10,
    level: float = 0.95,
) -> ModelHealth:
    r"""Whether a card in production should be kept, recalibrated or rebuilt, with the evidence.

    Parameters
    ----------
    card : Scorecard
        A fitted card: ``features_``, ``binnings_``, ``points(X)`` and
        ``scaling_`` (e.g. :class:`jiebei_credit.scorecard.Scorecard`).
    X_reference : pandas.DataFrame
        Feature table of the development (reference) population.
    X_current : pandas.DataFrame
        Feature table of the current population.
    y_current : array-like of shape (n_current,), optional
        Outcomes of the rows of ``X_current`` (1 bad, 0 good; at least two of
        each), for the calibration and AUC rules.
    development_auc : float, optional
        The card's AUC at development, in (0, 1), for the AUC rule.
    psi_thresholds : tuple of two floats, default (0.10, 0.25)
        Score PSI: at or above the first, recalibrate; above the second,
        rebuild. Industry convention (Siddiqi): < 0.10 stable, 0.10–0.25
        investigate, > 0.25 major shift.
    csi_threshold : float, default 0.25
        Recalibrate when a feature's CSI exceeds it (the same "major shift"
        convention applied to one characteristic).
    alpha : float, default 0.05
        Significance level of the calibration tests (conventional 5 %).
    max_auc_drop : float, default 0.05
        Largest tolerated fall of the AUC below ``development_auc`` (0.05 AUC
        is 0.10 Gini). A convention of practice, not a published standard.
    grades : int, default 10
        PD quantile grades of the Hosmer–Lemeshow test (deciles, as
        Hosmer and Lemeshow propose).
    bins : int, default 10
        Score bands of the PSI (reference quantiles).
    level : float, default 0.95
        Coverage of the AUC confidence interval.

    Returns
    -------
    ModelHealth
        ``verdict``, the ``rules`` table, the stability report and the
        calibration and AUC evidence; ``summary()`` and ``summary_zh()``.

    Raises
    ------
    NotFittedError
        If the card is not fitted.
    SchemaError
        If a feature of the card is missing from a table.
    InvalidInputError
        If a table is not a DataFrame; ``y_current`` is not 0/1, holds
        fewer than two bads or two goods, or does not match ``X_current``;
        or a threshold or parameter has the wrong type or is out of range.

    Notes
    -----
    The rules, and why each calls for its action:

    ============================  ===================================  ============
    rule                          triggered when                       action
    ============================  ===================================  ============
    ``score_psi_shift``           score PSI >= ``psi_thresholds[0]``   recalibrate
    ``score_psi_major``           score PSI > ``psi_thresholds[1]``    rebuild
    ``feature_csi``               max CSI > ``csi_threshold``          recalibrate
    ``calibration_in_the_large``  intercept p-value < ``alpha``        recalibrate
    ``calibration_slope``         slope-1 p-value < ``alpha``          recalibrate
    ``hosmer_lemeshow``           HL p-value < ``alpha``               recalibrate
    ``auc_drop``                  drop > ``max_auc_drop`` and the      rebuild
                                  CI's upper end < development AUC
    ============================  ===================================  ============

    The verdict is the most severe action triggered. A shifted population or
    miscalibrated PDs with an intact ranking are repaired by recalibration
    (a new intercept, or intercept and slope, on the card's log-odds). A lost
    ranking is not: recalibration is a monotone map of the score, which
    leaves the AUC unchanged, so a significant AUC drop calls for a rebuild,
    and so does a major score shift (the card's bins no longer describe the
    population).

    **After a recalibration** the population is still shifted against the
    development sample (recalibration changes the PDs, not the people), so
    the stability rules keep triggering while ``X_reference`` is the
    development sample. Pass the recalibration sample as ``X_reference``:
    it is the population the recalibrated PDs describe.

    **AUC interval.** The current AUC's standard error is DeLong's
    (DeLong et al. 1988), obtained from
    :func:`jiebei_credit.metrics.delong_test` against a constant score (whose
    structural components are constant, so the variance of the difference is
    that of the one AUC). It is deterministic and :math:`O(n \log n)`; a
    bootstrap would need a random seed and many refits of the AUC for the
    same answer in large samples. The development AUC is taken as fixed
    (its own sampling error is not known here), so the rule asks the drop to
    be both material (above ``max_auc_drop``) and significant (the whole
    interval below the development AUC).

    **Calibration** tests are those of :func:`compare_cards` (calibration
    intercept and slope by :func:`jiebei_credit.metrics.calibration_slope`,
    Wald p-values; Hosmer–Lemeshow with ``grades`` degrees of freedom, the
    validation-sample convention of BCBS WP 14). A test undefined on the
    data does not run and is listed in ``notes``.

    References
    ----------
    .. [1] Siddiqi, N. (2017). *Intelligent Credit Scoring*, 2nd ed., Wiley,
       chapter 14 (stability and characteristic analysis).
    .. [2] Basel Committee on Banking Supervision (2005). Studies on the
       validation of internal rating systems. Working Paper No. 14.
    .. [3] Van Calster, B. et al. (2019). Calibration: the Achilles heel of
       predictive analytics. *BMC Medicine* 17, 230.
    .. [4] DeLong, E. R., DeLong, D. M. and Clarke-Pearson, D. L. (1988).
       *Biometrics* 44(3), 837–845.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from jiebei_credit.scorecard import BinningParams, Scorecard
    >>> from jiebei_credit.monitoring import model_health
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"util": rng.random(4000)})
    >>> y = (rng.random(4000) < 0.05 + 0.2 * X["util"]).astype(int)
    >>> card = Scorecard(binning=BinningParams(max_bins=4)).fit(X, y)
    >>> X_now = pd.DataFrame({"util": rng.random(3000) ** 0.7})  # utilisation has risen
    >>> y_now = (rng.random(3000) < 0.10 + 0.2 * X_now["util"]).astype(int)  # and so has risk
    >>> health = model_health(card, X, X_now, y_now, development_auc=card.score(X, y))
    >>> health.verdict
    'recalibrate'
    >>> health.rules.loc[health.rules["triggered"] == True].index.tolist()
    ['score_psi_shift', 'calibration_in_the_large', 'hosmer_lemeshow']
    """
    X_reference = as_frame(X_reference, func=_FUNC, name="X_reference")
    X_current = as_frame(X_current, func=_FUNC, name="X_current")
    amber, red = index_thresholds(psi_thresholds, func=_FUNC, name="psi_thresholds")
    csi_cut = real(csi_threshold, func=_FUNC, name="csi_threshold", low=0.0,
                   fix="The usual CSI cut-off for a major shift is 0.25.")
    sig = probability(alpha, func=_FUNC, name="alpha", low_open=True, high_open=True,
                      fix="E.g. alpha=0.05.")
    drop_cut = real(max_auc_drop, func=_FUNC, name="max_auc_drop", low=0.0, high=1.0,
                    fix="E.g. max_auc_drop=0.05 (0.10 Gini).")
    n_grades = integer(grades, func=_FUNC, name="grades", low=1)
    lev = probability(level, func=_FUNC, name="level", low_open=True, high_open=True,
                      fix="E.g. level=0.95 for a 95 % interval.")
    dev_auc = None if development_auc is None else probability(
        development_auc, func=_FUNC, name="development_auc", low_open=True, high_open=True,
        fix="Pass the card's AUC on its development sample, e.g. 0.72.")
    for name, frame in (("X_reference", X_reference), ("X_current", X_current)):
        if frame.empty:
            raise fail(_FUNC, name, "must have at least one row", "an empty table")

    stability = build_report(card, X_reference, X_current, y_reference=None, y_current=None, bins=bins,
                             smoothing=0.5, psi_thresholds=(amber, red), bad_rate_alpha=(0.05, 0.01),
                             func=_FUNC)
    rules: dict[str, dict[str, Any]] = {}
    psi_value = stability.score_psi.value
    rules["score_psi_shift"] = _rule(
        psi_value, amber, bool(psi_value >= amber), "recalibrate",
        f"score PSI {psi_value:.4f} against {amber:g}: the score distribution "
        + ("has shifted; recalibrate the PD to the current population." if psi_value >= amber
           else "is stable."))
    rules["score_psi_major"] = _rule(
        psi_value, red, bool(psi_value > red), "rebuild",
        f"score PSI {psi_value:.4f} against {red:g}: "
        + ("a major shift; the card's bins no longer describe the population." if psi_value > red
           else "no major shift."))
    csi = stability.features["csi"]
    over = [str(f) for f, v in csi.items() if v > csi_cut]
    worst_csi = float(csi.max())
    rules["feature_csi"] = _rule(
        worst_csi, csi_cut, bool(over), "recalibrate",
        f"largest CSI {worst_csi:.4f} ({csi.idxmax()!s}) against {csi_cut:g}"
        + (f"; shifted: {', '.join(over[:5])}{', …' if len(over) > 5 else ''}." if over else "."))

    notes: list[str] = []
    calibration: pd.Series | None = None
    current_auc: float | None = None
    ci: tuple[float, float] | None = None
    if y_current is not None:
        is_bad = target(y_current, X_current, func=_FUNC, name="y_current", frame_name="X_current")
        _, points, pd_ = scored(card, X_current, func=_FUNC, name="card", frame_name="X_current")
        calibration = pd.Series(calibration_row(is_bad, pd_, grades=n_grades, notes=notes, who="card"))
        c = calibration
        for rule, p, reason in (
            ("calibration_in_the_large", c["intercept_p"],
             (f"mean PD {c['mean_pd']:.2%} against bad rate {c['bad_rate']:.2%}; calibration intercept "
              f"{c['intercept']:+.3f} (se {c['intercept_se']:.3f}), p = {c['intercept_p']:.3g}.")),
            ("calibration_slope", c["slope_p"],
             (f"calibration slope {c['slope']:.3f} (se {c['slope_se']:.3f}) against 1, "
              f"p = {c['slope_p']:.3g}.")),
            ("hosmer_lemeshow", c["hl_p"],
             (f"Hosmer-Lemeshow statistic {c['hl_statistic']:.3f} on {c['hl_dof']:.0f} degrees of "
              f"freedom, p = {c['hl_p']:.3g}.")),
        ):
            ran = not np.isnan(p)
            rules[rule] = _rule(float(p), sig, bool(p < sig) if ran else None, "recalibrate",
                                reason if ran else "not computed on these data (see notes).")
        yy = is_bad.astype(np.int64)
        one = delong_test(yy, points, np.zeros(points.size), higher=("safer", "riskier"), level=lev)
        current_auc = one.auc_a
        half = (one.ci_upper - one.ci_lower) / 2.0
        ci = (current_auc - half, current_auc + half)
    else:
        for rule in ("calibration_in_the_large", "calibration_slope", "hosmer_lemeshow"):
            rules[rule] = _rule(float("nan"), sig, None, "recalibrate", "no outcomes (y_current) given.")
    if current_auc is not None and ci is not None and dev_auc is not None:
        drop = dev_auc - current_auc
        hit = drop > drop_cut and ci[1] < dev_auc
        rules["auc_drop"] = _rule(
            drop, drop_cut, bool(hit), "rebuild",
            f"AUC {current_auc:.3f} ({lev:.0%} DeLong CI [{ci[0]:.3f}, {ci[1]:.3f}]) against "
            f"{dev_auc:.3f} at development: drop {drop:+.3f}"
            + ("; material and significant, and recalibration cannot restore ranking." if hit else "."))
    else:
        lacking = "y_current" if current_auc is None else "development_auc"
        rules["auc_drop"] = _rule(float("nan"), drop_cut, None, "rebuild", f"no {lacking} given.")
    table = pd.DataFrame.from_dict(rules, orient="index", columns=list(_RULE_COLUMNS))
    # True / False / None exactly as decided (no NaN for "not run", no numpy bools)
    table["triggered"] = pd.Series([r["triggered"] for r in rules.values()], index=table.index, dtype=object)
    table.index.name = "rule"
    hits = [VERDICTS.index(a) for a, t in zip(table["action"], table["triggered"], strict=True) if t is True]
    verdict = VERDICTS[max(hits, default=0)]
    return ModelHealth(
        verdict=verdict, rules=table, complete=bool(table["triggered"].map(lambda t: t is not None).all()),
        stability=stability, calibration=calibration, auc=current_auc, auc_ci=ci,
        development_auc=dev_auc, notes=tuple(notes),
    )
