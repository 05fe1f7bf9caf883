"""The README's five-minute tour runs as written (on a smaller portfolio)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_starts_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    first_block = re.search(r"```bash\n(.*?)```", text, re.S)
    assert first_block is not None
    assert text.index(first_block.group(0)) < text.index("## ")
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]


@pytest.mark.slow  # the whole tour on 1 000 borrowers: ~20 s
def test_five_minute_tour_runs() -> None:
    text = README.read_text(encoding="utf-8")
    tour = text[text.index("## The five-minute tour") :]
    code = re.search(r"```python\n(.*?)```", tour, re.S)
    assert code is not None
    source = code.group(1)
    assert "simulate_portfolio(2_000," in source
    small = source.replace("simulate_portfolio(2_000,", "simulate_portfolio(1_000,")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(small, "README.md", "exec"), {})
    printed = out.getvalue()
    assert "AUC" in printed
    assert "decision" in printed


@pytest.mark.slow  # 500 borrowers x 18 months, 145 features, a stepwise-free fit
def test_a_taste_runs_and_gives_a_sane_card() -> None:
    # issue 17 item 7: the taste ran into NameError, and on ~500 borrowers x 145 features the
    # defaults gave 27 features, |coef| up to 5.8e9 and PDs of exactly 0 or 1
    import numpy as np

    text = README.read_text(encoding="utf-8")
    taste = text[text.index("## A taste") : text.index("## The five-minute tour")]
    code = re.search(r"```python\n(.*?)```", taste, re.S)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)  # warnings are errors here
    card, X, y, keep = (namespace[k] for k in ("card", "X", "y", "keep"))
    bads = float(y[keep].sum())  # type: ignore[index]
    assert X.shape[1] == 145  # type: ignore[attr-defined]
    # the events-per-feature limit (Peduzzi et al. 1996): at most floor(bads / 10) features
    assert 1 <= len(card.features_) <= bads // 10  # type: ignore[attr-defined]
    # WOE coefficients are on the log-odds scale: near 1, never the 1e9 of a diverging fit
    assert np.abs(card.coef_).max() < 5  # type: ignore[attr-defined]
    pd_ = card.predict_proba(X[keep])[:, 1]  # type: ignore[attr-defined,index]
    assert pd_.min() > 1e-6
    assert pd_.max() < 1 - 1e-6
    # mean PD near the bad rate: an intercept fit reproduces the training bad rate exactly
    assert abs(pd_.mean() - bads / int(keep.sum())) < 0.01  # type: ignore[attr-defined]
    assert set(namespace["reasons"].columns) >= {"reason", "reason_zh"}  # type: ignore[attr-defined]
