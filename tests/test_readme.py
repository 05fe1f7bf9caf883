"""The README's five-minute tour runs as written (on a smaller portfolio)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_starts_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    first_block = re.search(r"```bash\n(.*?)```", text, re.S)
    assert first_block is not None
    assert text.index(first_block.group(0)) < text.index("## ")
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]


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
