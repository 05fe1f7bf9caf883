"""The validation user guide stays true: its examples run and its rule table matches DEFAULT_RULES."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from jiebei_credit.monitoring import DEFAULT_RULES

PAGE = Path(__file__).resolve().parents[2] / "docs" / "user_guide" / "07_validation.rst"


@pytest.mark.slow
def test_user_guide_examples_run() -> None:
    result = doctest.testfile(
        str(PAGE),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        report=True,
    )
    assert result.attempted > 20
    assert result.failed == 0


def test_rule_table_matches_default_rules() -> None:
    text = PAGE.read_text(encoding="utf-8")
    table = text.split(".. list-table:: ``DEFAULT_RULES``", 1)[1].split("\n\n")[1]
    rows = re.findall(
        r"\* - ``(\w+)``\n\s+- ``(\w+)``\n\s+- (\w+)\n\s+- ``([<>=]+)``\n\s+- (-?[\d.]+)\n", table
    )
    documented = [(n, c, k, op, float(t)) for n, c, k, op, t in rows]
    assert documented == [
        (r.name, r.column, r.kind, r.comparison, r.threshold) for r in DEFAULT_RULES
    ]
