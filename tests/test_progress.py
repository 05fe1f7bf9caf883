"""Progress feedback and logging of the long calls: fit, simulate_portfolio, extract.

The feedback must report every step it promises, in order, and must never
change a result.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, Literal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.features import FAMILIES, extract
from jiebei_credit.scorecard import Scorecard
from jiebei_credit.synthetic import SimulationConfig, simulate_portfolio


def _data(n: int = 3000, seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({f"x{i}": rng.random(n) for i in range(5)})
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(2 - 3 * X["x0"] - 2 * X["x2"]))).astype(int))
    return X, y


class Calls:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int | None, str]] = []

    def __call__(self, done: int, total: int | None, label: str) -> None:
        self.calls.append((done, total, label))


def test_fit_reports_each_column_then_each_selection_round() -> None:
    X, y = _data()
    calls = Calls()
    card = Scorecard(selection="stepwise").fit(X, y, progress=calls)
    binning = [c for c in calls.calls if c[2].startswith("binning: ")]
    # One step per column, in column order, out of 5 (the number of columns).
    assert binning == [(k + 1, 5, f"binning: x{k}") for k in range(5)]
    rounds = [c for c in calls.calls if c[2].startswith("stepwise selection: ")]
    # One step per round that found a best candidate: at least one per model feature.
    assert [d for d, _, _ in rounds] == list(range(1, len(rounds) + 1))
    assert len(rounds) >= len(card.features_)
    assert {t for _, t, _ in rounds} == {None}  # the number of rounds is not known in advance
    assert len(binning) + len(rounds) == len(calls.calls)


def test_fit_with_a_bar_prints_to_stderr_and_fits_the_same_card(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    X, y = _data()
    quiet = Scorecard().fit(X, y)
    shown = Scorecard().fit(X, y, progress=True)
    assert shown.to_dict() == quiet.to_dict()
    assert "binning" in capsys.readouterr().err


def test_a_bar_without_tqdm_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # makes `import tqdm.auto` fail
    X, y = _data(200)
    with pytest.raises(InvalidInputError, match=r"Scorecard.fit: progress=True needs tqdm .*pip install"):
        Scorecard().fit(X, y, progress=True)
    with pytest.raises(InvalidInputError, match=r"simulate_portfolio: progress=True needs tqdm"):
        simulate_portfolio(10, start="2023-01-01", end="2024-01-01", seed=0, progress=True)


@pytest.mark.parametrize("bad", [1, "yes", [print]])
def test_progress_must_be_a_bool_or_a_callable(bad: Any) -> None:
    X, y = _data(200)
    with pytest.raises(InvalidInputError, match=r"Scorecard.fit: progress must be None, True, False or a "
                       r"callable"):
        Scorecard().fit(X, y, progress=bad)
    book = simulate_portfolio(10, start="2023-01-01", end="2024-01-01", seed=0)
    obs = pd.DataFrame({"borrower_id": book.records.borrowers["borrower_id"], "as_of": "2023-12-01"})
    with pytest.raises(InvalidInputError, match=r"extract: progress must be"):
        extract(book.records, obs, progress=bad)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**16), selection=st.sampled_from(["forward", "stepwise", "none"]))
def test_progress_never_changes_the_card(
    seed: int, selection: Literal["forward", "stepwise", "none"],
) -> None:
    X, y = _data(800, seed)
    calls = Calls()
    with_progress = Scorecard(selection=selection, min_iv=0.0).fit(X, y, progress=calls)
    without = Scorecard(selection=selection, min_iv=0.0).fit(X, y)
    assert with_progress.to_dict() == without.to_dict()
    assert calls.calls[:5] == [(k + 1, 5, f"binning: x{k}") for k in range(5)]


@pytest.mark.parametrize("invoices", [False, True])
def test_simulation_reports_its_stages(invoices: bool) -> None:
    calls = Calls()
    config = SimulationConfig(vat_invoices=invoices)
    kw: dict[str, Any] = {"start": "2023-01-01", "end": "2024-01-01", "seed": 3, "config": config}
    book = simulate_portfolio(50, **kw, progress=calls)
    stages = ["borrowers", "regimes and stops", "loans and credit lines", "repayments", "merchant flows",
              "Zhima scores", "inquiries", "tables"] + (["VAT invoices"] if invoices else [])
    n = len(stages)
    assert calls.calls == [(k + 1, n, f"simulate_portfolio: {s}") for k, s in enumerate(stages)]
    again = simulate_portfolio(50, **kw)
    for name in book.records.tables:
        pd.testing.assert_frame_equal(book.records[name], again.records[name])


def test_extract_reports_each_family() -> None:
    book = simulate_portfolio(60, start="2023-01-01", end="2024-06-01", seed=4)
    obs = pd.DataFrame({"borrower_id": book.records.borrowers["borrower_id"], "as_of": "2024-03-01"})
    calls = Calls()
    got = extract(book.records, obs, progress=calls)
    n = len(calls.calls)
    # Every built-in family whose tables the simulated book holds (all but the VAT invoices).
    assert calls.calls == [(k + 1, n, f"extract: {f}") for k, f in enumerate(f for f in FAMILIES
                                                                           if f != "invoices")]
    pd.testing.assert_frame_equal(got, extract(book.records, obs))


def test_steps_are_logged_and_the_library_adds_no_handler(caplog: pytest.LogCaptureFixture) -> None:
    X, y = _data(500)
    with caplog.at_level(logging.DEBUG, logger="jiebei_credit"):
        Scorecard().fit(X, y)
    messages = [r.getMessage() for r in caplog.records if r.name == "jiebei_credit.scorecard"]
    assert "Scorecard.fit: binning started (5 steps)" in messages
    assert "Scorecard.fit: binning 3/5: x2" in messages
    assert any(m.startswith("Scorecard.fit: binning done, 5 steps in ") for m in messages)
    for name in ("jiebei_credit", "jiebei_credit.scorecard", "jiebei_credit.features",
                 "jiebei_credit.synthetic"):
        assert logging.getLogger(name).handlers == []


def test_progress_is_not_routed_metadata() -> None:
    pytest.importorskip("sklearn")
    request = Scorecard()._get_metadata_request()
    assert set(request.fit.requests) == {"sample_weight"}
