"""The examples of the user-guide pages run and print what the pages say.

Each reStructuredText page is run as one doctest file; the minimum example
count guards against a page whose examples were dropped (or no longer parse
as examples). The MyST-NB pages (``.md``) are executed by the documentation
build; the "bring your own tables" page is also run here, because its claims
about the point-in-time checker are checked on the objects it builds.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path
from typing import Any

import pytest

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "user_guide"

#: page -> fewest examples it must hold
PAGES = {
    "01_records.rst": 30,
    "02_synthetic.rst": 5,
    "03_features.rst": 35,
    "04_binning.rst": 25,
    "06_limits.rst": 20,
    "07_validation.rst": 20,
}


@pytest.mark.slow
@pytest.mark.parametrize(("page", "minimum"), PAGES.items())
def test_user_guide_examples_run(page: str, minimum: int) -> None:
    result = doctest.testfile(
        str(GUIDE / page),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        report=True,
    )
    assert result.attempted > minimum
    assert result.failed == 0


def test_every_page_with_examples_is_run() -> None:
    with_examples = {p.name for p in GUIDE.glob("*.rst") if ">>>" in p.read_text(encoding="utf-8")}
    assert with_examples == set(PAGES)


def _run_code_cells(page: str) -> dict[str, Any]:
    """Execute the ``{code-cell} python`` blocks of a MyST-NB page in one namespace."""
    text = (GUIDE / page).read_text(encoding="utf-8")
    cells = re.findall(r"```\{code-cell\} python\n(.*?)```", text, flags=re.DOTALL)
    assert cells, f"{page} has no code cells"
    namespace: dict[str, Any] = {"__name__": "guide"}
    for i, cell in enumerate(cells):
        exec(compile(cell, f"{page} cell {i}", "exec"), namespace)  # warnings are errors here
    return namespace


@pytest.mark.slow
def test_bring_your_own_tables_page_runs_and_says_true() -> None:
    ns = _run_code_cells("09_bring_your_own_tables.md")
    # the utility family written against the view passes every check
    assert ns["report"].passed
    # the snapshot family reads rows known after as_of: the page says alone, truncation and
    # altered_future catch it
    caught = {f.check for f in ns["leaky_report"].failures}
    assert {"alone", "truncation", "altered_future"} <= caught
    assert ns["leaky_report"].failing_features() == ("utility_late_months_snapshot",)
    # the card on built-in and utility features keeps a utility feature, as the page says
    card = ns["card_with"]
    assert any(f.startswith("utility_") for f in card.features_)
    # ... knows it reads the utility table, and the consented tables are enough to score with it
    assert "utility_bills" in card.data_sources()
    assert "utility_payments" in card.data_categories()
    assert card.missing_sources(sorted(ns["consented"])) == ()
    # a card on the utility features alone ranks the holdout better than chance
    assert ns["cards"]["utility bills only"][1] > 0.6
