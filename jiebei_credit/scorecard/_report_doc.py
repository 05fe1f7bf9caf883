"""The model report of :meth:`Scorecard.report`: one self-contained HTML document.

The document is static HTML5: an inline stylesheet, inline SVG figures, no
script, no external resource (a Content-Security-Policy meta tag forbids
them), so it opens from a file or an e-mail without a server or a network.
Every figure and every number comes from the library's public functions
(``metrics``, ``monitoring``, ``plotting``) on the samples given; every
user string (title, feature names, categories, reasons) is escaped by
:mod:`jiebei_credit._html`. Nothing in it depends on the clock, the process
or the machine, so the same card and samples give the same bytes.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit._html import frame_table, key_values, params_rows, text
from jiebei_credit._validation import FloatArray
from jiebei_credit._version import __version__
from jiebei_credit.errors import Problem, SchemaError
from jiebei_credit.scorecard._report_svg import figure_svg, require_matplotlib

if TYPE_CHECKING:
    from jiebei_credit.scorecard._model import Scorecard

__all__: list[str] = []

FUNC = "Scorecard.report"

#: The sections of the report, in order: (id, English heading, Chinese heading).
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("sample", "Data and sample", "数据与样本"),
    ("binning", "Binning of every feature", "变量分箱"),
    ("selection", "Feature selection", "变量筛选"),
    ("coefficients", "Coefficients", "模型系数"),
    ("points", "Points table", "评分卡分值表"),
    ("discrimination", "Discrimination", "区分能力"),
    ("calibration", "Calibration", "校准"),
    ("stability", "Stability", "稳定性"),
    ("data", "Data sources and PIPL data categories", "数据来源与个人信息类别"),
    ("lineage", "Lineage and fingerprint", "模型谱系与指纹"),
)

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","PingFang SC",
"Microsoft YaHei",sans-serif;margin:0 auto;max-width:70em;padding:1em 2em;color:#222;line-height:1.4}
h1{border-bottom:2px solid #4C72B0;padding-bottom:.2em}
h2{border-bottom:1px solid #ccc;margin-top:2em}
h3{margin-top:1.5em}
section{margin-bottom:1.5em}
nav ol{columns:2}
svg{max-width:100%;height:auto}
table{display:block;overflow-x:auto;max-width:100%}
.figures{display:flex;flex-wrap:wrap;gap:1em}
.note{color:#555;font-size:.9em}
""".strip()

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@dataclass(frozen=True)
class Sample:
    """One sample of the report: its rows, outcomes, PDs and points (aligned to its rows)."""

    key: str
    label: str
    frame: pd.DataFrame
    y: FloatArray
    pd: FloatArray
    points: FloatArray


def sample(card: Scorecard, key: str, label: str, X: Any, y: Any, x_name: str, y_name: str) -> Sample:
    """Check one sample (X a DataFrame with the model features, y 0/1 matched to it) and score it."""
    frame = V.as_frame(X, func=FUNC, name=x_name)
    if frame.empty:
        raise V.fail(FUNC, x_name, "must have rows", f"a DataFrame of shape {frame.shape}",
                     "Pass the sample the report is about.")
    missing = [f for f in card.features_ if f not in frame.columns]
    if missing:
        raise SchemaError(
            [Problem(table=x_name, column=f, row=None, value=None,
                     rule="column is missing; pass every feature of the model") for f in missing],
            context=FUNC,
        )
    yv, index = V.binary_target(y, func=FUNC, name=y_name)
    if index is None and yv.size != len(frame):
        raise V.fail(FUNC, y_name, f"must have one value per row of {x_name} ({len(frame)})",
                     f"{yv.size} values")
    yv = np.asarray(V.align_to(frame.index, yv, index, func=FUNC, name=y_name, reference_name=x_name),
                    dtype=np.float64)
    V.both_classes(yv == 1.0, func=FUNC, name=y_name)
    total, _ = card._score_array(FUNC, frame)
    pds = np.asarray(card.scaling_.pd_from_score(total), dtype=np.float64)
    return Sample(key=key, label=label, frame=frame, y=yv, pd=pds, points=np.asarray(total, dtype=np.float64))


def _heading(level: int, english: str, chinese: str = "") -> str:
    both = f"{english} / {chinese}" if chinese else english
    return f"<h{level}>{html.escape(both)}</h{level}>"


def _p(words: str, *, note: bool = False) -> str:
    cls = ' class="note"' if note else ""
    return f"<p{cls}>{html.escape(words)}</p>"


def _table(frame: pd.DataFrame) -> str:
    """Every row of ``frame`` (the report leaves nothing out)."""
    return frame_table(frame, max_rows=max(len(frame), 1))


class Figures:
    """Numbered inline SVG figures, or nothing when the report has no plots.

    A figure is drawn by ``draw(ax=ax)``: a plotting function with its other arguments bound.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.count = 0

    def __call__(self, draw: Callable[..., Any], caption: str, size: tuple[float, float] = (6.4, 3.4)
                 ) -> str:
        if not self.enabled:
            return ""
        self.count += 1
        svg = figure_svg(draw, key=f"fig{self.count}", size=size)
        return (f'<figure id="figure-{self.count}">{svg}<figcaption>Figure {self.count}. '
                f"{html.escape(caption)}</figcaption></figure>")


def _status(card: Scorecard) -> dict[str, str]:
    summary = card.summary()
    return dict(zip(summary["feature"].iloc[1:], summary["status"].iloc[1:], strict=True))


def section_sample(card: Scorecard, samples: list[Sample]) -> str:
    rows = []
    for s in samples:
        bads = int(s.y.sum())
        rows.append({"sample": s.label, "rows": len(s.y), "bads": bads, "goods": len(s.y) - bads,
                     "bad_rate": bads / len(s.y), "mean_pd": float(s.pd.mean()),
                     "mean_points": float(s.points.mean())})
    table = pd.DataFrame(rows).set_index("sample")
    sc = card.scaling_
    fit_rows: list[tuple[str, Any]] = [
        ("weight at fit (sum of sample_weight, or rows)", card.n_obs_),
        ("columns seen at fit", card.n_features_in_),
        ("features in the model", len(card.features_)),
        ("scaling", f"{sc.base_score:g} points at {sc.odds} odds {sc.base_odds:g}, PDO {sc.pdo:g}"),
    ]
    return (_table(table) + key_values(fit_rows)
            + _p("Rows, bads and bad rates of the samples given to the report (unweighted); the weight at "
                 "fit is the total weight the card was fitted on.", note=True))


def section_binning(card: Scorecard, figures: Figures) -> str:
    from jiebei_credit.plotting import plot_binning

    status = _status(card)
    parts = []
    for n, (feature, binning) in enumerate(card.binnings_.items(), start=1):
        rows: list[tuple[str, Any]] = [("status", status.get(feature, "")), ("kind", binning.kind),
                                       ("IV", binning.iv), ("trend", binning.trend)]
        parts.append(f'<section id="binning-{n}">' + f"<h3>{text(feature)}</h3>" + key_values(rows)
                     + _table(binning.table)
                     + figures(partial(plot_binning, binning),
                               f"Binning of {feature}: rows per bin and bad rate.")
                     + "</section>")
    return "".join(parts)


_SELECTION_PARAMS = ("min_iv", "max_correlation", "max_vif", "selection", "criterion", "p_enter", "p_remove",
                     "min_events_per_feature", "penalty")


def section_selection(card: Scorecard) -> str:
    params = card.get_params(deep=False)
    rows = [(name, repr(params[name])) for name in _SELECTION_PARAMS]
    out = key_values(rows)
    if card.drops_:
        drops = pd.DataFrame(list(card.drops_), columns=["feature", "step", "reason"])
        drops.index = pd.RangeIndex(1, len(drops) + 1, name="order")
        out += _p(f"{len(card.drops_)} column(s) dropped, in the order they were dropped:") + _table(drops)
    else:
        out += _p("No column was dropped.")
    return out + _p("Model features, in model order: " + ", ".join(card.features_) + ".")


def section_coefficients(card: Scorecard) -> str:
    summary = card.summary()
    model = summary[summary["status"] == "model"].drop(columns=["status", "reason"]).set_index("feature")
    attrs = summary.attrs
    rows = [(k, attrs[k]) for k in ("log_likelihood", "null_log_likelihood", "aic", "pseudo_r2", "n_obs")]
    out = _table(model) + key_values(rows)
    if "note" in attrs:
        out += _p(str(attrs["note"]), note=True)
    return out + _p("p-values are two-sided Wald tests; VIF is the diagonal of the inverse correlation "
                    "matrix of the model's WOE columns.", note=True)


def section_points(card: Scorecard) -> str:
    table = card.table().set_index(["feature", "bin"])
    sc = card.scaling_
    return (_p(f"Score = sum of the points of each feature's bin; factor {sc.factor:.6g}, offset "
               f"{sc.offset:.6g}; points rounded: {card.round_points_}.") + _table(table))


def section_discrimination(samples: list[Sample], figures: Figures) -> str:
    from jiebei_credit.metrics import auc, gini, ks
    from jiebei_credit.plotting import plot_ks, plot_roc

    rows = [{"sample": s.label, "auc": auc(s.y, s.pd, higher="riskier"),
             "gini": gini(s.y, s.pd, higher="riskier"), "ks": ks(s.y, s.pd, higher="riskier")}
            for s in samples]
    out = _table(pd.DataFrame(rows).set_index("sample"))
    out += _p("AUC, Gini (2 AUC - 1) and KS of the card's PD against the outcome (higher PD = riskier).",
              note=True)
    plots = "".join(
        figures(partial(plot_roc, s.y, s.pd, higher="riskier", label=s.label),
                f"ROC curve, {s.label} sample.", size=(4.2, 3.6))
        + figures(partial(plot_ks, s.y, s.pd, higher="riskier"),
                  f"KS curves, {s.label} sample.", size=(4.2, 3.6))
        for s in samples
    )
    return out + (f'<div class="figures">{plots}</div>' if plots else "")


def section_calibration(samples: list[Sample], grades: int, figures: Figures) -> str:
    from jiebei_credit.metrics import brier_score, calibration_slope, calibration_table, hosmer_lemeshow
    from jiebei_credit.plotting import plot_calibration

    rows, tables = [], []
    for s in samples:
        hl = hosmer_lemeshow(s.y, s.pd, grades=grades)
        slope = calibration_slope(s.y, s.pd)
        rows.append({"sample": s.label, "bad_rate": float(s.y.mean()), "mean_pd": float(s.pd.mean()),
                     "brier": brier_score(s.y, s.pd), "hl_statistic": hl.statistic, "hl_dof": hl.dof,
                     "hl_p_value": hl.p_value, "intercept": slope.intercept,
                     "intercept_se": slope.intercept_se,
                     "slope": slope.slope, "slope_se": slope.slope_se})
        tables.append((s, calibration_table(s.y, s.pd, grades=grades)))
    out = _table(pd.DataFrame(rows).set_index("sample"))
    out += _p("Hosmer-Lemeshow test over PD grades; calibration intercept (0 when the PDs are right on "
              "average) and slope (1 when they are as spread as they should be) of a logistic "
              "recalibration of the outcome on logit(PD); Brier score.", note=True)
    for s, table in tables:
        out += (_heading(3, f"Per grade, {s.label} sample", f"分级检验（{s.label}）") + _table(table)
                + figures(partial(plot_calibration, table),
                          f"Observed default rate against PD per grade, {s.label} sample."))
    return out + _p("binomial_p and jeffreys_p are one-sided per-grade tests (small: PD too low); "
                    "ci_lower and ci_upper bound the Jeffreys interval of the default rate.", note=True)


def section_stability(card: Scorecard, samples: list[Sample], figures: Figures) -> str:
    if len(samples) < 2:
        return _p("No holdout sample was given, so there is no stability comparison. Pass X_holdout and "
                  "y_holdout to compare the development sample with it.")
    from jiebei_credit.monitoring import stability_report
    from jiebei_credit.plotting import plot_psi

    dev, hold = samples
    report = stability_report(card, dev.frame, hold.frame, y_reference=dev.y, y_current=hold.y)
    rows: list[tuple[str, Any]] = [("overall status", report.status), ("score PSI", report.score_psi.value),
                                   ("score PSI status", report.score_psi.status)]
    out = _p("Development (reference) against holdout (current): population stability of the score, "
             "characteristic stability (CSI) of each model feature, and bad rate by score band.")
    out += key_values(rows) + _table(report.score_psi.table)
    out += figures(partial(plot_psi, report.score_psi), "Score distribution, development "
                   "against holdout (PSI).")
    out += _heading(3, "Characteristic stability", "变量稳定性") + _table(report.features)
    if report.bad_rates is not None:
        out += _heading(3, "Bad rate by score band", "分数段坏账率") + _table(report.bad_rates)
    return out


def section_data(card: Scorecard) -> str:
    rows: list[tuple[str, Any]] = [("tables read", ", ".join(card.data_sources())),
                                   ("data categories", ", ".join(card.data_categories()))]
    per = pd.DataFrame(
        {"tables": [", ".join(src.tables) for src in card.feature_sources_.values()],
         "category": [src.category for src in card.feature_sources_.values()]},
        index=pd.Index(list(card.feature_sources_), name="feature"),
    )
    return (key_values(rows) + _table(per)
            + _p("What the card's decisions use, for a privacy notice (PIPL Art. 17 and 24); "
                 "\"unknown\" marks a feature whose source was not described at fit (feature_sources).",
                 note=True))


def section_lineage(card: Scorecard) -> str:
    rows: list[tuple[str, Any]] = [("fingerprint (SHA-256 of to_dict)", card.fingerprint()),
                                   ("jiebei_credit version", __version__),
                                   ("recalibrations", len(card.lineage_))]
    out = key_values(rows)
    if card.lineage_:
        out += _table(pd.DataFrame([dataclasses.asdict(r) for r in card.lineage_]))
    else:
        out += _p("The card has not been recalibrated since it was fitted.")
    defaults = type(card)().get_params(deep=False)
    changed = params_rows(card.get_params(deep=False), defaults)
    out += _heading(3, "Parameters that differ from the defaults", "非默认参数")
    return out + (key_values(changed) if changed else _p("Every parameter has its default value."))


def render(card: Scorecard, X_dev: Any, y_dev: Any, X_holdout: Any, y_holdout: Any, *,
           title: Any, plots: Any, grades: Any) -> str:
    """The report document (see :meth:`Scorecard.report`)."""
    card._check_fitted(FUNC)
    if title is not None and not isinstance(title, str):
        raise V.fail(FUNC, "title", "must be a string or None", f"a {type(title).__name__}")
    with_plots = V.flag(plots, func=FUNC, name="plots")
    n_grades = V.integer(grades, func=FUNC, name="grades", low=2)
    if (X_holdout is None) != (y_holdout is None):
        given, other = ("X_holdout", "y_holdout") if y_holdout is None else ("y_holdout", "X_holdout")
        raise V.fail(FUNC, other, f"must be given together with {given}", "None",
                     "Pass both holdout arguments, or neither.")
    if with_plots:
        require_matplotlib()
    samples = [sample(card, "dev", "development", X_dev, y_dev, "X_dev", "y_dev")]
    if X_holdout is not None:
        samples.append(sample(card, "holdout", "holdout", X_holdout, y_holdout, "X_holdout", "y_holdout"))
    figures = Figures(with_plots)
    bodies = {
        "sample": section_sample(card, samples),
        "binning": section_binning(card, figures),
        "selection": section_selection(card),
        "coefficients": section_coefficients(card),
        "points": section_points(card),
        "discrimination": section_discrimination(samples, figures),
        "calibration": section_calibration(samples, n_grades, figures),
        "stability": section_stability(card, samples, figures),
        "data": section_data(card),
        "lineage": section_lineage(card),
    }
    heading = "Scorecard model report" if title is None else title
    nav = "".join(f'<li><a href="#{key}">{html.escape(en)} / {html.escape(zh)}</a></li>'
                  for key, en, zh in SECTIONS)
    sections = "".join(
        f'<section id="{key}">{_heading(2, f"{n}. {en}", zh)}{bodies[key]}</section>'
        for n, (key, en, zh) in enumerate(SECTIONS, start=1)
    )
    plots_note = "" if with_plots else _p("Tables only: the report was rendered with plots=False.", note=True)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(heading)}</title><style>{_STYLE}</style></head>\n"
        f'<body><header><h1>{html.escape(heading)}</h1>'
        + _p(f"Logistic WOE scorecard with {len(card.features_)} features; samples: "
             + ", ".join(s.label for s in samples) + f". Rendered by jiebei_credit {__version__}.")
        + plots_note
        + f'<nav><h2>Contents / 目录</h2><ol>{nav}</ol></nav></header>\n<main>{sections}</main>'
        "</body></html>\n"
    )
