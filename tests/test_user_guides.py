"""The examples of the user-guide pages run and print what the pages say.

Each page is run as one doctest file; the minimum example count guards
against a page whose examples were dropped (or no longer parse as examples).
"""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "user_guide"

#: page -> fewest examples it must hold
PAGES = {"02_synthetic.rst": 5, "06_limits.rst": 20, "07_validation.rst": 20}


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
