"""Synthetic VAT invoices: off by default, their own stream, valid, and tied to risk and regime."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError
from jiebei_credit.synthetic import Portfolio, SimulationConfig, simulate_portfolio

START, END = "2023-01-01", "2025-01-01"
WITH = SimulationConfig(vat_invoices=True)


@pytest.fixture(scope="module")
def pair() -> tuple[Portfolio, Portfolio]:
    """The same seed without and with invoices."""
    return (simulate_portfolio(1_500, start=START, end=END, seed=7),
            simulate_portfolio(1_500, start=START, end=END, seed=7, config=WITH))


@pytest.fixture(scope="module")
def big() -> Portfolio:
    return simulate_portfolio(6_000, start=START, end=END, seed=21, config=WITH)


def test_off_by_default() -> None:
    assert SimulationConfig().vat_invoices is False
    p = simulate_portfolio(50, start=START, end="2024-01-01", seed=0)
    assert "vat_invoices" not in p.records


def test_other_tables_and_truth_are_bit_identical(pair: tuple[Portfolio, Portfolio]) -> None:
    without, with_ = pair
    assert with_.records.tables == (*without.records.tables, "vat_invoices")
    assert with_.records.user_tables == ("vat_invoices",)
    for table in without.records.tables:
        pd.testing.assert_frame_equal(without.records[table], with_.records[table], check_exact=True)
    pd.testing.assert_frame_equal(without.truth.borrowers, with_.truth.borrowers, check_exact=True)
    pd.testing.assert_frame_equal(without.truth.states, with_.truth.states, check_exact=True)
    assert dict(without.diagnostics) == dict(with_.diagnostics)


def test_same_seed_same_invoices_other_seed_others(pair: tuple[Portfolio, Portfolio]) -> None:
    again = simulate_portfolio(1_500, start=START, end=END, seed=7, config=WITH)
    pd.testing.assert_frame_equal(pair[1].records["vat_invoices"], again.records["vat_invoices"],
                                  check_exact=True)
    other = simulate_portfolio(1_500, start=START, end=END, seed=8, config=WITH)
    assert not pair[1].records["vat_invoices"]["amount"].equals(other.records["vat_invoices"]["amount"])


def test_invoices_follow_the_documented_mechanics(pair: tuple[Portfolio, Portfolio]) -> None:
    p = pair[1]
    v = p.records["vat_invoices"]
    assert p.records.schema("vat_invoices") == jc.records.VAT_INVOICES
    lag = (v["known_on"] - v["issued_on"]).dt.days
    assert lag.min() >= 1
    assert lag.max() <= 20
    assert v["issued_on"].min() >= pd.Timestamp(START)
    assert v["issued_on"].max() < pd.Timestamp(END)
    assert set(v["tax_rate"].unique()) <= set(jc.records.VAT_RATES)
    # tax is the amount times the rate, to the fen
    assert np.allclose(v["tax"], np.round(v["amount"] * v["tax_rate"], 2), atol=0.005, rtol=0.0)
    # unregistered merchants issue no VAT invoice
    kinds = p.records.borrowers.set_index("borrower_id")["business_type"]
    assert (kinds.loc[v["borrower_id"].unique()] != "unregistered").all()
    # red-letter notes: after their invoice, at most its amount
    red = v[v["status"] == "red_letter"]
    assert len(red) > 0
    blue = v.set_index("invoice_id").loc[red["reverses_invoice_id"]]
    assert (blue["issued_on"].to_numpy() < red["issued_on"].to_numpy()).all()
    assert (red["amount"].to_numpy() <= blue["amount"].to_numpy()).all()
    assert (blue["status"] == "normal").all()


def _per_borrower(p: Portfolio) -> pd.DataFrame:
    v = p.records["vat_invoices"]
    tx = p.records.transactions
    assert tx is not None
    issued = v[(v["direction"] == "issued") & (v["status"] == "normal")]
    gross = (issued["amount"] + issued["tax"]).groupby(issued["borrower_id"]).sum()
    sales = tx[tx["kind"] == "sale"].groupby("borrower_id", observed=True)["amount"].sum()
    by_cp = issued.groupby(["borrower_id", "counterparty_id"], observed=True)["amount"].sum()
    share = by_cp / by_cp.groupby(level=0).transform("sum")
    hhi = (share**2).groupby(level=0).sum()
    truth = p.truth.borrowers.set_index(p.truth.borrowers.index.astype(str))
    out = pd.DataFrame({"coverage": gross / sales, "hhi": hhi}).dropna()
    out["risk"] = truth.loc[out.index, "risk_index"].to_numpy()
    return out


def test_riskier_borrowers_under_invoice_and_depend_on_fewer_customers(big: Portfolio) -> None:
    per = _per_borrower(big)
    assert len(per) > 2_000
    # The generator lowers invoice coverage and raises customer concentration with the risk index:
    # both rank correlations must have the documented sign and be clearly non-zero.
    rho_cov = stats.spearmanr(per["risk"], per["coverage"]).statistic
    rho_hhi = stats.spearmanr(per["risk"], per["hhi"]).statistic
    assert rho_cov < -0.1
    assert rho_hhi > 0.1


def test_distress_raises_voids_and_red_letters(big: Portfolio) -> None:
    v = big.records["vat_invoices"]
    v = v[v["direction"] == "issued"]
    states = big.truth.states  # borrowers x months, 0 normal, 1 stressed, 2 distressed
    months = pd.DatetimeIndex(states.columns)
    col = months.get_indexer(v["issued_on"].dt.to_period("M").dt.to_timestamp())
    row = states.index.get_indexer(v["borrower_id"])
    regime = states.to_numpy()[row, col]
    bad = v["status"].isin(["voided", "red_letter"]).to_numpy()
    normal_rate, distressed_rate = bad[regime == 0].mean(), bad[regime == 2].mean()
    # Documented: voids 1 % -> 6 %, red letters 0.8 % -> 5 % from the normal to the distressed regime.
    assert distressed_rate > 2 * normal_rate


def test_config_flag_is_a_bool_and_old_payloads_load() -> None:
    with pytest.raises(InvalidInputError, match="SimulationConfig: vat_invoices must be"):
        SimulationConfig(vat_invoices=1)  # type: ignore[arg-type]
    d = WITH.to_dict()
    assert d["vat_invoices"] is True
    assert SimulationConfig.from_dict(d) == WITH
    old = {k: v for k, v in SimulationConfig().to_dict().items() if k != "vat_invoices"}
    assert SimulationConfig.from_dict(old) == SimulationConfig()
