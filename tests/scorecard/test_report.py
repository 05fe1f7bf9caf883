"""``Scorecard.report``: the HTML model report.

The document is parsed with the standard library's ``html.parser`` (every
element closes in order). Every number checked is computed here by the
library's own public functions (``metrics``, ``monitoring``,
``Scorecard.summary``/``table``/``fingerprint``) on the same samples and
printed to 6 significant digits, the report's stated format; those
functions are checked against independent implementations in their own
test modules (tests/metrics, tests/monitoring, tests/scorecard/test_fit.py).
"""

from __future__ import annotations

import html
import importlib.util
import re
from html.parser import HTMLParser
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError, NotFittedError, SchemaError
from jiebei_credit.scorecard import BinningParams, Scorecard

SECTION_IDS = ("sample", "binning", "selection", "coefficients", "points", "discrimination", "calibration",
               "stability", "data", "lineage")
HEADINGS = (
    "Data and sample / 数据与样本",
    "Binning of every feature / 变量分箱",
    "Feature selection / 变量筛选",
    "Coefficients / 模型系数",
    "Points table / 评分卡分值表",
    "Discrimination / 区分能力",
    "Calibration / 校准",
    "Stability / 稳定性",
    "Data sources and PIPL data categories / 数据来源与个人信息类别",
    "Lineage and fingerprint / 模型谱系与指纹",
)
HAS_MPL = importlib.util.find_spec("matplotlib") is not None
needs_mpl = pytest.mark.skipif(not HAS_MPL, reason="matplotlib (the plot extra) is not installed")


def make_data(n: int, seed: int, names: tuple[str, str, str] = ("util_now", "inq_count_45d", "region")
              ) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    util, inq, region = names
    X = pd.DataFrame({util: rng.random(n), inq: rng.poisson(1.0, n),
                      region: rng.choice(["north", "south", "east"], n), "noise": rng.random(n)})
    logit = -3 + 2 * X[util] + 0.5 * X[inq] + 0.4 * (X[region] == "north")
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int), index=X.index, name="bad")
    return X, y


@pytest.fixture(scope="module")
def fitted() -> tuple[Scorecard, pd.DataFrame, pd.Series, pd.DataFrame, pd.Series]:
    X, y = make_data(4000, 1)
    specs = jc.features.specs_for(X.columns)
    card = Scorecard(binning=BinningParams(max_bins=4), selection="stepwise", feature_sources=specs)
    card.fit(X.iloc[:2500], y.iloc[:2500])
    return card, X.iloc[:2500], y.iloc[:2500], X.iloc[2500:], y.iloc[2500:]


@pytest.fixture(scope="module")
def doc(fitted: tuple[Any, ...]) -> str:
    card, Xd, yd, Xh, yh = fitted
    return str(card.report(Xd, yd, Xh, yh, plots=HAS_MPL))


class Page(HTMLParser):
    """Checks nesting; collects tags, attributes, section ids and heading texts."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.headings: list[tuple[str, str]] = []
        self.section_ids: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]
        if tag == "section":
            self.section_ids.append(dict(attrs).get("id") or "")
        if tag in ("h1", "h2", "h3"):
            self._heading = []
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack.pop() == tag, f"</{tag}> closes another element"
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append((tag, "".join(self._heading)))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)


def parse(document: str) -> Page:
    page = Page()
    page.feed(document)
    page.close()
    assert page.stack == [], f"unclosed elements {page.stack}"
    return page


def section(document: str, key: str) -> str:
    """The HTML of one top-level section (up to the next one)."""
    start = document.index(f'<section id="{key}">')
    later = [document.index(f'<section id="{k}">') for k in SECTION_IDS if f'<section id="{k}">' in document]
    ends = [i for i in later if i > start] + [document.index("</main>")]
    return document[start:min(ends)]


def shown(value: float) -> str:
    """A number as a table cell shows it (``jiebei_credit._html.text``: 6 significant digits)."""
    return f">{value:.6g}<"


def test_document_is_well_formed_with_every_section_in_order(doc: str) -> None:
    assert doc.startswith("<!DOCTYPE html>\n<html")
    page = parse(doc)
    top = [i for i in page.section_ids if i in SECTION_IDS]
    assert top == list(SECTION_IDS)
    h2 = [t for tag, t in page.headings if tag == "h2"]
    assert h2 == ["Contents / 目录", *[f"{n}. {h}" for n, h in enumerate(HEADINGS, start=1)]]
    # the table of contents links every section
    assert [v for tag, k, v in page.attrs if tag == "a" and k == "href"] == [f"#{k}" for k in SECTION_IDS]


def test_static_no_script_and_nothing_external(doc: str) -> None:
    page = parse(doc)
    assert "script" not in page.tags
    assert "<script" not in doc.lower()
    assert not {"link", "img", "iframe", "object", "embed"} & set(page.tags)
    for _, name, value in page.attrs:
        assert not name.startswith("on"), name  # no event handlers
        if name in ("src", "href", "xlink:href"):
            assert value is not None
            assert value.startswith("#"), value  # in-document links only
            assert "http" not in value
    assert not re.search(r"""(src|href)\s*=\s*["'][^"']*http""", doc)
    assert "@import" not in doc
    assert "url(http" not in doc
    assert "default-src 'none'" in doc  # the Content-Security-Policy meta forbids any fetch or script


def test_ids_are_unique(doc: str) -> None:
    ids = re.findall(r'\bid="([^"]+)"', doc)
    assert len(ids) == len(set(ids))


def test_sample_numbers(fitted: tuple[Any, ...], doc: str) -> None:
    card, Xd, yd, Xh, yh = fitted
    part = section(doc, "sample")
    for X, y in ((Xd, yd), (Xh, yh)):
        # counts from the outcome itself; mean PD from predict_proba
        assert shown(len(y)) in part
        assert shown(int(y.sum())) in part
        assert shown(float(y.mean())) in part
        assert shown(float(card.predict_proba(X)[:, 1].mean())) in part
    assert shown(card.n_obs_) in part


def test_binning_tables_of_every_column(fitted: tuple[Any, ...], doc: str) -> None:
    card, *_ = fitted
    part = section(doc, "binning")
    assert part.count('<section id="binning-') == len(card.binnings_) == 4
    for name, binning in card.binnings_.items():
        assert f"<h3>{html.escape(name)}</h3>" in part
        assert shown(binning.iv) in part
        for woe in binning.table["woe"]:
            assert shown(float(woe)) in part


def test_selection_coefficients_and_points(fitted: tuple[Any, ...], doc: str) -> None:
    card, *_ = fitted
    sel = section(doc, "selection")
    assert card.drops_, "the fixture should drop a column (noise or another) by stepwise selection"
    for feature, step, reason in card.drops_:
        assert html.escape(reason) in sel
        assert html.escape(step) in sel
        assert html.escape(feature) in sel
    coef = section(doc, "coefficients")
    summary = card.summary()
    model = summary[summary["status"] == "model"]
    for col in ("coefficient", "std_error", "p_value"):
        for v in model[col]:
            assert shown(float(v)) in coef, (col, v)
    for v in model["vif"].dropna():
        assert shown(float(v)) in coef
    assert shown(summary.attrs["aic"]) in coef
    pts = section(doc, "points")
    for v in card.table()["points"]:
        assert shown(float(v)) in pts


def test_discrimination_and_calibration_numbers(fitted: tuple[Any, ...], doc: str) -> None:
    card, Xd, yd, Xh, yh = fitted
    disc, cal = section(doc, "discrimination"), section(doc, "calibration")
    for X, y in ((Xd, yd), (Xh, yh)):
        pd_ = card.predict_proba(X)[:, 1]
        yv = y.to_numpy()
        assert shown(jc.metrics.auc(yv, pd_, higher="riskier")) in disc
        assert shown(jc.metrics.gini(yv, pd_, higher="riskier")) in disc
        assert shown(jc.metrics.ks(yv, pd_, higher="riskier")) in disc
        hl = jc.metrics.hosmer_lemeshow(yv, pd_, grades=10)
        assert shown(hl.statistic) in cal
        assert shown(hl.p_value) in cal
        slope = jc.metrics.calibration_slope(yv, pd_)
        assert shown(slope.slope) in cal
        assert shown(slope.intercept) in cal
        assert shown(jc.metrics.brier_score(yv, pd_)) in cal
        table = jc.metrics.calibration_table(yv, pd_, grades=10)
        for col in ("binomial_p", "jeffreys_p", "ci_upper"):
            for v in table[col]:
                assert shown(float(v)) in cal, (col, v)
    # the score's AUC on the development sample is the card's own sklearn score
    assert shown(card.score(Xd, yd)) in disc


def test_stability_numbers(fitted: tuple[Any, ...], doc: str) -> None:
    card, Xd, yd, Xh, yh = fitted
    part = section(doc, "stability")
    rep = jc.monitoring.stability_report(card, Xd, Xh, y_reference=yd.to_numpy(), y_current=yh.to_numpy())
    assert shown(rep.score_psi.value) in part
    assert f">{rep.status}<" in part
    for v in rep.features["csi"]:
        assert shown(float(v)) in part


def test_data_sources_and_lineage(fitted: tuple[Any, ...], doc: str) -> None:
    card, *_ = fitted
    data = section(doc, "data")
    assert card.data_sources() == ("credit_line_events", "inquiries", "installments", "loans", "unknown")
    assert ", ".join(card.data_sources()) in data
    assert ", ".join(card.data_categories()) in data
    lin = section(doc, "lineage")
    assert card.fingerprint() in lin
    assert jc.__version__ in lin


def test_lineage_lists_recalibrations(fitted: tuple[Any, ...]) -> None:
    card, Xd, yd, Xh, yh = fitted
    newer = card.recalibrate(Xh, yh, method="intercept")
    doc = newer.report(Xd, yd, plots=False)
    lin = section(doc, "lineage")
    assert newer.lineage_[0].parent == card.fingerprint()
    assert card.fingerprint() in lin
    assert newer.fingerprint() in lin
    assert "The card has not been recalibrated" not in lin


def test_same_inputs_same_bytes(fitted: tuple[Any, ...], doc: str) -> None:
    card, Xd, yd, Xh, yh = fitted
    again = card.report(Xd, yd, Xh, yh, plots=HAS_MPL)
    assert again == doc
    # a card refitted from scratch on the same data gives the same document too
    twin = Scorecard(**card.get_params(deep=False)).fit(Xd, yd)
    assert twin.report(Xd, yd, Xh, yh, plots=HAS_MPL) == doc


def test_holdout_is_optional(fitted: tuple[Any, ...]) -> None:
    card, Xd, yd, _, _ = fitted
    doc = card.report(Xd, yd, plots=False)
    parse(doc)
    stab = section(doc, "stability")
    assert "No holdout sample was given" in stab
    assert ">holdout<" not in section(doc, "discrimination")
    assert ">development<" in section(doc, "discrimination")


@needs_mpl
def test_plots_are_inline_svg(fitted: tuple[Any, ...], doc: str) -> None:
    card, *_ = fitted
    # one per binning; ROC, KS and calibration per sample; the score PSI
    assert doc.count("<svg") == len(card.binnings_) + 3 * 2 + 1
    assert "<?xml" not in doc
    assert "<!DOCTYPE svg" not in doc
    assert "<metadata" not in doc


def test_tables_only(fitted: tuple[Any, ...]) -> None:
    card, Xd, yd, Xh, yh = fitted
    doc = card.report(Xd, yd, Xh, yh, plots=False)
    assert "<svg" not in doc
    assert "<figure" not in doc
    assert "Tables only" in doc
    assert [i for i in parse(doc).section_ids if i in SECTION_IDS] == list(SECTION_IDS)


def test_without_matplotlib_plots_raise_naming_the_extra(fitted: tuple[Any, ...],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    card, Xd, yd, _, _ = fitted
    real = importlib.util.find_spec

    def find_spec(name: str, *args: Any, **kwargs: Any) -> Any:
        return None if name == "matplotlib" else real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(ImportError, match=r"pip install 'jiebei-credit\[plot\]'.*plots=False"):
        card.report(Xd, yd)
    assert "<svg" not in card.report(Xd, yd, plots=False)


HOSTILE_FEATURE = "<script>alert('f')</script>"
HOSTILE_CATEGORY = '<img src="http://evil.example/x.png" onerror="alert(1)">'
MATH = "cost $\\frac{a}{"  # unbalanced mathtext: drawn literally, never parsed


@pytest.mark.parametrize("plots", [pytest.param(True, marks=needs_mpl), False])
def test_hostile_names_are_escaped(plots: bool) -> None:
    X, y = make_data(3000, 2, names=(HOSTILE_FEATURE, MATH, "region&<b>"))
    X["region&<b>"] = X["region&<b>"].map({"north": HOSTILE_CATEGORY, "south": "s&t", "east": "\"'"})
    card = Scorecard(binning=BinningParams(max_bins=4), min_events_per_feature=0).fit(X, y)
    doc = card.report(X, y, title="</title><script>alert('t')</script>", plots=plots)
    page = parse(doc)
    assert "script" not in page.tags
    assert "img" not in page.tags
    assert "<script" not in doc
    assert "<img" not in doc
    assert not re.search(r"""(src|href)\s*=\s*["'][^"']*http""", doc)
    assert not any(k.startswith("on") for _, k, _ in page.attrs)
    h3 = [t for tag, t in page.headings if tag == "h3"]
    assert HOSTILE_FEATURE in h3
    assert MATH in h3
    assert "region&<b>" in h3
    assert page.headings[0] == ("h1", "</title><script>alert('t')</script>")
    assert html.escape(HOSTILE_CATEGORY) in section(doc, "binning")


@settings(max_examples=15)
@given(name=st.text(min_size=1, max_size=12).filter(lambda s: s not in ("noise", "b")))
def test_any_feature_name_comes_back_as_text(name: str) -> None:
    rng = np.random.default_rng(3)
    X = pd.DataFrame({name: rng.random(800), "noise": rng.random(800)})
    y = (rng.random(800) < 0.1 + 0.3 * X[name]).astype(int)
    card = Scorecard(binning=BinningParams(max_bins=3), min_events_per_feature=0).fit(X, y)
    page = parse(card.report(X, y, plots=False))
    assert name in [t for tag, t in page.headings if tag == "h3"]
    assert "script" not in page.tags


def test_inputs_are_not_modified(fitted: tuple[Any, ...]) -> None:
    card, Xd, yd, Xh, yh = fitted
    before = (Xd.copy(), yd.copy(), Xh.copy(), yh.copy(), card.to_dict())
    card.report(Xd, yd, Xh, yh, plots=False)
    pd.testing.assert_frame_equal(Xd, before[0])
    pd.testing.assert_series_equal(yd, before[1])
    pd.testing.assert_frame_equal(Xh, before[2])
    pd.testing.assert_series_equal(yh, before[3])
    assert card.to_dict() == before[4]


def test_labels_are_matched_by_index(fitted: tuple[Any, ...]) -> None:
    card, Xd, yd, Xh, yh = fitted
    shuffled = yh.sample(frac=1.0, random_state=0)
    assert card.report(Xd, yd, Xh, shuffled, plots=False) == card.report(Xd, yd, Xh, yh, plots=False)


def test_not_fitted() -> None:
    X, y = make_data(100, 0)
    with pytest.raises(NotFittedError, match=r"Scorecard\.report: this Scorecard is not fitted"):
        Scorecard().report(X, y)


def test_bad_inputs(fitted: tuple[Any, ...]) -> None:
    card, Xd, yd, Xh, yh = fitted
    cases: list[tuple[dict[str, Any], type[Exception], str]] = [
        ({"X_dev": Xd.to_numpy()}, InvalidInputError, r"Scorecard.report: X_dev must be a pandas DataFrame"),
        ({"X_dev": Xd.iloc[:0], "y_dev": yd.iloc[:0]}, InvalidInputError, r"X_dev must have rows"),
        ({"X_dev": Xd.drop(columns=list(card.features_[:1]))}, SchemaError, card.features_[0]),
        ({"y_dev": yd.to_numpy()[:-1]}, InvalidInputError, r"y_dev must have one value per row of X_dev"),
        ({"y_dev": yd.replace(1, 2)}, InvalidInputError, r"y_dev must hold 1 \(bad\) or 0 \(good\)"),
        ({"y_dev": yd * 0}, InvalidInputError, r"y_dev must hold both bads \(1\) and goods \(0\)"),
        ({"y_dev": yd.set_axis(yd.index + 100_000)}, InvalidInputError,
         r"y_dev must have the same index labels as X_dev"),
        ({"X_holdout": Xh}, InvalidInputError, r"y_holdout must be given together with X_holdout"),
        ({"y_holdout": yh}, InvalidInputError, r"X_holdout must be given together with y_holdout"),
        ({"X_holdout": Xh, "y_holdout": yh.iloc[:10].to_numpy()}, InvalidInputError,
         r"y_holdout must have one value per row of X_holdout"),
        ({"X_holdout": Xh.drop(columns=list(card.features_)), "y_holdout": yh}, SchemaError, "X_holdout"),
        ({"title": 3}, InvalidInputError, r"title must be a string or None"),
        ({"plots": "yes"}, InvalidInputError, r"plots"),
        ({"grades": 1}, InvalidInputError, r"grades"),
    ]
    for change, error, message in cases:
        kwargs: dict[str, Any] = {"X_dev": Xd, "y_dev": yd, "plots": False, **change}
        with pytest.raises(error, match=message):
            card.report(**kwargs)


def _cjk_font() -> bool:
    if not HAS_MPL:
        return False
    from matplotlib.font_manager import fontManager

    names = {font.name for font in fontManager.ttflist}
    return bool(names & {"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
                         "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC", "Arial Unicode MS"})


@pytest.mark.skipif(not _cjk_font(), reason="matplotlib knows no font with Chinese glyphs on this machine")
def test_chinese_names_are_drawn_without_missing_glyphs() -> None:
    # warnings are errors in the suite: matplotlib's "Glyph ... missing" warning would fail this test
    rng = np.random.default_rng(5)
    X = pd.DataFrame({"地区": rng.choice(["华东", "华南", "华北"], 2000), "util": rng.random(2000)})
    y = (rng.random(2000) < 0.1 + 0.3 * X["util"]).astype(int)
    doc = Scorecard(binning=BinningParams(max_bins=3)).fit(X, y).report(X, y)
    assert "地区" in [t for tag, t in parse(doc).headings if tag == "h3"]
