"""Portfolios shared by the synthetic tests (built once per session)."""

from __future__ import annotations

import pytest

import jiebei_credit as jc

#: Observation used by the portfolio fixtures: two calendar years.
START = "2023-01-01"
END = "2025-01-01"


@pytest.fixture(scope="session")
def small() -> jc.synthetic.Portfolio:
    """2 000 borrowers over two years: structural checks."""
    return jc.synthetic.simulate_portfolio(2_000, start=START, end=END, seed=11)


@pytest.fixture(scope="session")
def large() -> jc.synthetic.Portfolio:
    """10 000 borrowers over two years: levels, signal and calibration."""
    return jc.synthetic.simulate_portfolio(10_000, start=START, end=END, seed=2024)
