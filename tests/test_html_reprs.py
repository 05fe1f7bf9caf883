"""Notebook reprs: well-formed, escaped, static HTML that shows the key numbers.

Each ``_repr_html_`` is parsed with the standard library's ``html.parser``:
every tag must close in order, no ``<script>`` or ``<style>`` element may
appear, no attribute may load anything, and hostile names must come back as
text. The numbers checked are the objects' own attributes, printed to 6
significant digits (the reprs' stated format).
"""

from __future__ import annotations

from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jiebei_credit as jc
from jiebei_credit.scorecard import BinningParams, Scorecard, WOETransformer, bin_feature

HOSTILE = "<script>alert('x')</script>"


class Page(HTMLParser):
    """Checks nesting and collects tags, attributes and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        self.tags.append(tag)
        self.attrs += attrs

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack.pop() == tag, f"</{tag}> closes another element"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Page:
    assert isinstance(html, str)
    page = Page()
    page.feed(html)
    page.close()
    assert page.stack == [], f"unclosed elements {page.stack}"
    assert page.tags[0] == "div"
    assert not {"script", "style", "link", "img", "iframe"} & set(page.tags)
    assert all(name in ("class", "style") for name, _ in page.attrs)  # nothing to fetch or run
    assert not any("url(" in (value or "") for _, value in page.attrs)
    return page


def _cells(page: Page) -> list[str]:
    return [t for t in page.text if t.strip()]


def _data(n: int = 2000, seed: int = 3) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"util": rng.random(n), HOSTILE: rng.choice(["<b>x</b>", "a&b", "c"], n)})
    logit = -2 + 2 * X["util"] + (X[HOSTILE] == "a&b") * 0.8
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int))
    return X, y


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, pd.Series]:
    return _data()


def test_unfitted_estimators_show_their_parameters():
    for est in (Scorecard(binning=BinningParams(max_bins=3), special_values={HOSTILE: (-1,)}),
                WOETransformer(binning=BinningParams(max_bins=3))):
        page = parse(est._repr_html_())
        cells = _cells(page)
        assert cells[0] == f"{type(est).__name__} (not fitted)"
        # one row per constructor parameter: name, then its repr
        assert cells[1::2] == list(est.get_params(deep=False))
        assert cells[2::2] == [repr(v) for v in est.get_params(deep=False).values()]
    assert "<script>" not in Scorecard(special_values={HOSTILE: (-1,)})._repr_html_()


def test_fitted_scorecard_shows_its_fit_and_escapes_names(data):
    X, y = data
    card = Scorecard(binning=BinningParams(max_bins=4)).fit(X, y)
    html = card._repr_html_()
    page = parse(html)
    text = "".join(page.text)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert HOSTILE in text  # shown as text, not run
    cells = _cells(page)
    assert cells[0] == "Scorecard (fitted)"
    pairs = dict(zip(cells[1:17:2], cells[2:17:2], strict=True))
    assert pairs["features in the model"] == str(len(card.features_))
    assert pairs["intercept"] == f"{card.intercept_:.6g}"
    assert pairs["AIC"] == f"{card.aic_:.6g}"
    assert pairs["scaling"] == "600 points at good:bad odds 50, PDO 20"
    for coef in card.coef_:
        assert f"{coef:.6g}" in cells


def test_fitted_transformer_shows_the_iv_summary_and_cuts_long_tables():
    rng = np.random.default_rng(0)
    n = 1000
    X = pd.DataFrame({f"x{i:02d}": rng.random(n) for i in range(25)})
    y = (rng.random(n) < 0.1 + 0.3 * X["x00"]).astype(int)
    t = WOETransformer(binning=BinningParams(max_bins=3)).fit(X, y)
    page = parse(t._repr_html_())
    cells = _cells(page)
    summary = t.iv_summary()
    assert cells[:3] == ["WOETransformer (fitted)", "columns binned", "25"]
    assert f"{summary['iv'].iloc[0]:.6g}" in cells
    shown = [c for c in cells if c.startswith("x") and len(c) == 3]
    assert shown == list(summary["feature"].iloc[:20])  # the first 20 rows, by IV
    assert cells[-1] == "5 more rows of 25 not shown."


def test_binning_shows_its_iv_and_bins_escaped(data):
    X, y = data
    b = bin_feature(X[HOSTILE], y, name=HOSTILE)
    html = b._repr_html_()
    page = parse(html)
    cells = _cells(page)
    assert cells[0] == "Binning"
    pairs = dict(zip(cells[1:13:2], cells[2:13:2], strict=True))
    assert pairs["feature"] == HOSTILE
    assert pairs["IV"] == f"{b.iv:.6g}"
    assert pairs["regular bins"] == str(b.n_regular)
    for label in b.labels:
        assert label in cells
    assert "<b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "a&amp;b" in html


def test_psi_result_shows_value_status_and_bins():
    # PSI of two equal-width samples over two bins: sum (a - e) ln(a / e); checked in the metrics tests
    r = jc.metrics.psi([1.0, 1.5, 5.0, 6.0], [5.0, 6.0, 7.0, 1.0], edges=[2])
    page = parse(r._repr_html_())
    cells = _cells(page)
    pairs = dict(zip(cells[1:9:2], cells[2:9:2], strict=True))
    assert pairs == {"PSI": f"{r.value:.6g}", "status": r.status, "bins": str(len(r.table)),
                     "empty bins": ", ".join(r.empty_bins) or "none"}
    for share in r.table["reference_share"]:
        assert f"{share:.6g}" in cells


def test_stability_report_repr_is_short_and_html_lists_every_check(data):
    X, y = data
    card = Scorecard(binning=BinningParams(max_bins=4)).fit(X, y)
    ref, cur = slice(0, 1000), slice(1000, None)
    report = jc.monitoring.stability_report(card, X.iloc[ref], X.iloc[cur], y_reference=y.iloc[ref],
                                            y_current=y.iloc[cur])
    text = repr(report)
    assert len(text) < 200
    assert text.startswith(f"StabilityReport(status={report.status!r}, score_psi="
                           f"{report.score_psi.value:.4g} ({report.score_psi.status}), "
                           f"features={len(report.features)} ")
    page = parse(report._repr_html_())
    cells = _cells(page)
    checks = report.to_frame()
    assert cells[:3] == ["StabilityReport", "status", report.status]
    assert len(checks) <= 50  # every check shown (the table is cut after 50 rows)
    for item, value in zip(checks["item"], checks["value"], strict=True):
        assert item in cells
        assert f"{value:.6g}" in cells
    assert HOSTILE in set(checks["item"])  # the hostile feature's CSI row, shown as text


@given(label=st.text(max_size=60))
def test_any_text_is_shown_as_text(label):
    # property: whatever a label holds (markup, quotes, ampersands, control characters), the
    # repr parses as well-formed HTML without extra elements and shows the label as it is
    table = pd.DataFrame({"psi": [0.1]}, index=pd.Index([label], name="bin"))
    r = jc.metrics.PSIResult(value=0.1, status="green", table=table, empty_bins=(label,))
    page = parse(r._repr_html_())
    assert page.tags.count("tr") == 4 + 2  # four key/value rows, the header and one bin
    if label:  # an empty label is an empty cell, which the parser reports no text for
        assert page.text.count(label) >= 2  # the empty-bins row and the bin's row (other cells may match)


@pytest.fixture(scope="module")
def book() -> jc.records.RecordSet:
    return jc.synthetic.simulate_portfolio(300, start="2023-01-01", end="2025-01-01", seed=3).records


def test_vintage_table_repr_is_short_and_html_shows_the_shares(book):
    v = jc.monitoring.vintage_table(book, as_of="2024-12-01")
    assert repr(v) == (f"VintageTable(cohorts={len(v.shares)}, months_on_book={v.shares.shape[1]}, "
                       "measure='count', min_dpd=30, as_of=2024-12-01)")
    cells = _cells(parse(v._repr_html_()))
    assert cells[:3] == ["VintageTable", "cohorts", str(len(v.shares))]
    assert str(int(v.counts["loans"].sum())) in cells
    shown = v.shares.head(20)  # the frame is cut after 20 rows, each observable share printed
    assert shown.notna().to_numpy().sum() > 10  # the loop below checks real cells, not none
    for share in shown.to_numpy().ravel():
        if not np.isnan(share):
            assert f"{share:.6g}" in cells
    assert str(shown.index[0]) in cells


def test_roll_rates_repr_is_short_and_html_shows_the_last_matrix(book):
    r = jc.monitoring.roll_rates(book, dates=pd.date_range("2024-01-01", "2024-06-01", freq="MS"))
    assert repr(r) == ("RollRates(periods=5, buckets=('current', '1-30', '31-60', '61-90', '90+'), "
                       "measure='count')")
    cells = _cells(parse(r._repr_html_()))
    assert "Rates from 2024-05-01 to 2024-06-01 (rows: bucket at the start)" in cells
    assert r.matrix(-1).notna().to_numpy().any()  # the loop below checks real rates, not none
    for rate in r.matrix(-1).to_numpy().ravel():
        if not np.isnan(rate):
            assert f"{rate:.6g}" in cells


def test_card_comparison_and_model_health_reprs(data):
    X, y = data
    champion = Scorecard().fit(X[["util"]], y)
    challenger = Scorecard().fit(X, y)
    comp = jc.monitoring.compare_cards(champion, challenger, X, y)
    text = repr(comp)
    assert len(text) < 200
    assert text.startswith(f"CardComparison(n={len(X)}, on='points', score_psi=")
    assert f"delong_p={comp.delong.p_value:.4g}" in text
    cells = _cells(parse(comp._repr_html_()))
    assert cells[:3] == ["CardComparison", "rows", str(len(X))]
    assert f"{comp.delong.p_value:.6g}" in cells
    assert f"{comp.to_frame().loc['auc', 'challenger']:.6g}" in cells

    health = jc.monitoring.model_health(challenger, X.iloc[:1000], X.iloc[1000:], y.iloc[1000:])
    fired = sum(v is True for v in health.rules["triggered"])
    assert repr(health) == (f"ModelHealth(verdict={health.verdict!r}, complete={health.complete}, "
                            f"auc={health.auc:.4g}, rules={len(health.rules)} ({fired} triggered))")
    cells = _cells(parse(health._repr_html_()))
    assert cells[:3] == ["ModelHealth", "verdict", health.verdict]
    assert len(health.rules) > 0
    for rule in health.rules.index:
        assert str(rule) in cells
