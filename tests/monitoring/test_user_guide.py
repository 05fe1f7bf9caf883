"""The rule table of the validation user guide matches DEFAULT_RULES (examples: tests/test_user_guides.py)."""

from __future__ import annotations

import re
from pathlib import Path

from jiebei_credit.monitoring import DEFAULT_RULES

PAGE = Path(__file__).resolve().parents[2] / "docs" / "user_guide" / "07_validation.rst"


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
