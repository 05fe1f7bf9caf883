"""The public surface of jiebei_credit.limits."""

from __future__ import annotations

import ast
from pathlib import Path

import jiebei_credit as jc
from jiebei_credit import limits

PUBLIC = {
    "LPR_LAST_CHECKED", "LPR_SOURCE", "PRESETS", "LimitPolicy", "LineReviewPolicy",
    "MultipleBand", "PricingCheck", "annual_rate", "annualized_rate", "assign",
    "check_pricing", "daily_rate", "effective_rate", "lpr_table", "max_principal",
    "nominal_rate", "payment", "review_line", "round_fen", "schedule", "schedules",
}


def test_public_names_are_pinned() -> None:
    assert set(limits.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(jc.limits, name) is getattr(limits, name)


def test_design_contract_signatures() -> None:
    import inspect

    sig = {n: inspect.signature(getattr(limits, n)) for n in (
        "annual_rate", "daily_rate", "schedule", "payment", "max_principal",
        "annualized_rate", "assign")}
    assert list(sig["annual_rate"].parameters) == ["daily_rate", "basis"]
    assert sig["annual_rate"].parameters["basis"].default == 360
    assert list(sig["schedule"].parameters)[:5] == [
        "principal", "annual_rate", "term_months", "method", "start"]
    assert list(sig["max_principal"].parameters)[:4] == [
        "payment", "annual_rate", "term_months", "method"]
    assert sig["annualized_rate"].parameters["method"].default == "irr"
    assert list(sig["assign"].parameters)[:2] == ["applicants", "policy"]
    for name in ("schedule", "payment", "max_principal"):
        assert sig[name].parameters["method"].kind is inspect.Parameter.KEYWORD_ONLY


def test_scipy_is_imported_lazily() -> None:
    # Importing jiebei_credit must stay cheap: no module of this subpackage
    # imports scipy at module level (only inside functions).
    for path in Path(limits.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "scipy" for n in names), path.name
