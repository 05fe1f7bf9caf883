"""The invoices family: by-hand oracles, a row-by-row reference, bit identity, consent and the checker."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.features import (
    BUILTIN_FAMILIES,
    CATALOG,
    FAMILIES,
    FAMILY_SOURCES,
    FeatureFamily,
    FeatureSpec,
    PointInTimeView,
    catalog,
    check_point_in_time,
    extract,
)
from jiebei_credit.records import VAT_INVOICES, VAT_RATES, RecordSet

DAY0 = dt.date(2024, 1, 1)
WINDOWS = (30, 90)


def _borrowers(ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"borrower_id": ids, "business_type": ["limited_company"] * len(ids),
                         "industry": [None] * len(ids), "business_registered_on": ["2020-01-01"] * len(ids),
                         "region": [None] * len(ids)})


def _records(inv: pd.DataFrame, tx: pd.DataFrame | None, ids: list[str]) -> RecordSet:
    return RecordSet.from_frames(borrowers=_borrowers(ids), transactions=tx).with_table(VAT_INVOICES, inv)


def _inv(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    cols = ["invoice_id", "borrower_id", "direction", "issued_on", "known_on", "counterparty_id", "amount",
            "tax_rate", "status", "reverses_invoice_id"]
    f = pd.DataFrame(rows, columns=cols)
    f["tax"] = np.round(f["amount"] * f["tax_rate"], 2)
    return f


def _tx(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame({
        "transaction_id": [f"t{i}" for i in range(len(rows))],
        "borrower_id": [r[0] for r in rows],
        "occurred_at": [r[1] for r in rows],
        "amount": [r[3] for r in rows],
        "direction": ["in" if r[2] == "sale" else "out" for r in rows],
        "kind": [r[2] for r in rows],
        "counterparty_id": [None] * len(rows),
    })


# ------------------------------------------------------------- by hand ---

HAND = _inv([
    # id, borrower, direction, issued, known, counterparty, amount, rate, status, reverses
    ("v1", "b1", "issued", "2024-04-01", "2024-04-10", "c1", 600.0, 0.13, "normal", None),
    ("v2", "b1", "issued", "2024-05-02", "2024-05-05", "c2", 300.0, 0.13, "normal", None),
    ("v3", "b1", "issued", "2024-05-06", "2024-05-08", "c1", 100.0, 0.13, "normal", None),
    ("v4", "b1", "issued", "2024-05-10", "2024-05-12", "c1", 100.0, 0.13, "red_letter", "v3"),
    ("v5", "b1", "issued", "2024-05-11", "2024-05-13", "c3", 50.0, 0.13, "voided", None),
    ("v6", "b1", "received", "2024-05-03", "2024-05-04", "s1", 200.0, 0.13, "normal", None),
    # issued before as_of but reported after it: invisible at 2024-06-01
    ("v7", "b1", "issued", "2024-05-30", "2024-06-03", "c4", 9999.0, 0.13, "normal", None),
])
HAND_TX = _tx([("b1", "2024-05-20 10:00", "sale", 800.0), ("b1", "2024-05-21 10:00", "refund", 50.0)])
AS_OF = "2024-06-01"


@pytest.fixture(scope="module")
def hand() -> pd.DataFrame:
    rs = _records(HAND, HAND_TX, ["b1", "b2"])
    obs = pd.DataFrame({"borrower_id": ["b1", "b2"], "as_of": [AS_OF, AS_OF]}, index=["o1", "o2"])
    return extract(rs, obs, windows=WINDOWS, families=["invoices"])


def test_hand_made_window_of_30_days(hand: pd.DataFrame) -> None:
    x = hand.loc["o1"]
    # Known in [2024-05-02, 2024-06-01): v2, v3 (normal issued), v4 (red letter of v3), v5 (voided), v6.
    assert x["inv_sales_30d"] == 300.0 + 100.0 - 100.0
    assert x["inv_purchases_30d"] == 200.0
    assert x["inv_count_30d"] == 2.0  # v2, v3
    assert x["inv_customers_30d"] == 2.0  # c2, c1
    # HHI over normal issued amounts: c2 300, c1 100 -> 0.75² + 0.25² = 0.625; top share 0.75
    assert x["inv_customer_hhi_30d"] == pytest.approx(0.625, rel=1e-12)
    assert x["inv_top_customer_share_30d"] == pytest.approx(0.75, rel=1e-12)
    # Issued rows of any status: v2, v3, v4, v5 -> one red letter and one voided of four.
    assert x["inv_red_letter_share_30d"] == 0.25
    assert x["inv_voided_share_30d"] == 0.25
    # Output tax 39 + 13 - 13 = 39, input tax 26: (39 - 26) / 300
    assert x["inv_tax_to_sales_30d"] == pytest.approx(13.0 / 300.0, rel=1e-12)
    assert x["inv_gross_margin_30d"] == pytest.approx((300.0 - 200.0) / 300.0, rel=1e-12)
    # Invoiced incl. VAT 300 + 39 = 339 against the 800 of sale receipts (the refund is no sale).
    assert x["inv_receipts_ratio_30d"] == pytest.approx(339.0 / 800.0, rel=1e-12)
    assert x["inv_receipts_agreement_30d"] == pytest.approx(339.0 / 800.0, rel=1e-12)


def test_hand_made_longer_window_and_points(hand: pd.DataFrame) -> None:
    x = hand.loc["o1"]
    assert x["inv_sales_90d"] == 600.0 + 300.0  # v1 joins; v7 is still unknown
    # c1 700 - 0 (HHI reads normal rows: v1 600 + v3 100), c2 300 -> 0.7² + 0.3² = 0.58
    assert x["inv_customer_hhi_90d"] == pytest.approx(0.58, rel=1e-12)
    # Blocks of 30 days before 2024-06-01: block 0 [05-02, 06-01) holds v2 and v3, block 1
    # [04-02, 05-02) holds v1 (known 04-10); blocks 2-11 are empty.
    assert x["inv_months_without_12m"] == 10.0
    # Latest normal issued invoice known on 2024-05-08 (v3).
    assert x["inv_days_since_last"] == 24.0
    # Trend over three 30-day blocks (newest first) of net sales 300, 600, 0:
    # slope on centred time (-1, 0, 1) oldest to newest = (0·-1 + 600·0 + 300·1) / 2 = 150, mean 300.
    assert x["inv_sales_trend_90d"] == pytest.approx(150.0 / 300.0, rel=1e-12)


def test_borrower_without_invoices_is_nan_everywhere(hand: pd.DataFrame) -> None:
    assert hand.loc["o2"].isna().all()


# ------------------------------------------------ row-by-row reference ---

def _reference(inv: pd.DataFrame, tx: pd.DataFrame, borrower: str, as_of: pd.Timestamp,
               windows: tuple[int, ...]) -> dict[str, float]:
    """Every invoices feature, recomputed with plain Python loops over the rows."""
    rows = [r for r in inv.itertuples() if r.borrower_id == borrower and pd.Timestamp(r.known_on) < as_of]
    out: dict[str, float] = {}
    names = [n for n in catalog(windows) if CATALOG.get(n, catalog(windows)[n]).family == "invoices"]
    if not rows:
        return dict.fromkeys(names, math.nan)

    def known(r: Any) -> pd.Timestamp:
        return pd.Timestamp(r.known_on)

    def inside(r: Any, lo: int, hi: int = 0) -> bool:
        return as_of - pd.Timedelta(days=lo) <= known(r) < as_of - pd.Timedelta(days=hi)

    def net(sel: list[Any], direction: str, col: str) -> float:
        plus = sum(getattr(r, col) for r in sel if r.direction == direction and r.status == "normal")
        minus = sum(getattr(r, col) for r in sel if r.direction == direction and r.status == "red_letter")
        return float(plus - minus)

    def ratio(a: float, b: float) -> float:
        return a / b if b > 0 else math.nan

    for w in windows:
        win = [r for r in rows if inside(r, w)]
        sales, purchases = net(win, "issued", "amount"), net(win, "received", "amount")
        vat = net(win, "issued", "tax") - net(win, "received", "tax")
        normal = [r for r in win if r.direction == "issued" and r.status == "normal"]
        issued = [r for r in win if r.direction == "issued"]
        by: dict[str, float] = {}
        for r in normal:
            by[r.counterparty_id] = by.get(r.counterparty_id, 0.0) + r.amount
        total = sum(by.values())
        out[f"inv_sales_{w}d"] = sales
        out[f"inv_purchases_{w}d"] = purchases
        out[f"inv_count_{w}d"] = float(len(normal))
        out[f"inv_customers_{w}d"] = float(len(by))
        out[f"inv_customer_hhi_{w}d"] = sum((s / total) ** 2 for s in by.values()) if total > 0 else math.nan
        out[f"inv_top_customer_share_{w}d"] = max(by.values()) / total if total > 0 else math.nan
        out[f"inv_red_letter_share_{w}d"] = ratio(sum(r.status == "red_letter" for r in issued), len(issued))
        out[f"inv_voided_share_{w}d"] = ratio(sum(r.status == "voided" for r in issued), len(issued))
        out[f"inv_tax_to_sales_{w}d"] = ratio(vat, sales)
        out[f"inv_gross_margin_{w}d"] = ratio(sales - purchases, sales)
        sold = [t for t in tx.itertuples() if t.borrower_id == borrower and t.kind == "sale"
                and as_of - pd.Timedelta(days=w) <= pd.Timestamp(t.occurred_at).normalize() < as_of]
        receipts = float(sum(t.amount for t in sold))
        gross = max(sales + net(win, "issued", "tax"), 0.0)
        out[f"inv_receipts_ratio_{w}d"] = ratio(gross, receipts)
        out[f"inv_receipts_agreement_{w}d"] = ratio(min(gross, receipts), max(gross, receipts))
        m = w // 30
        if m >= 3:
            blocks = [net([r for r in rows if inside(r, 30 * (k + 1), 30 * k)], "issued", "amount")
                      for k in range(m)]
            t = np.arange(m)[::-1].astype(float)  # block 0 is the newest
            slope = float(np.polyfit(t, blocks, 1)[0])
            out[f"inv_sales_trend_{w}d"] = ratio(slope, float(np.mean(blocks)))
    normal_all = [r for r in rows if r.direction == "issued" and r.status == "normal"]
    out["inv_months_without_12m"] = float(sum(
        not any(inside(r, 30 * (k + 1), 30 * k) for r in normal_all) for k in range(12)))
    latest = max((known(r) for r in normal_all), default=None)
    out["inv_days_since_last"] = math.nan if latest is None else float((as_of - latest).days)
    return out


@st.composite
def invoice_cases(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    ids = ["b0", "b1"]
    rows: list[tuple[Any, ...]] = []
    for i in range(draw(st.integers(0, 14))):
        issued = draw(st.integers(0, 200))
        rows.append((
            f"v{i}", draw(st.sampled_from(ids)), draw(st.sampled_from(["issued", "received"])),
            DAY0 + dt.timedelta(days=issued), DAY0 + dt.timedelta(days=issued + draw(st.integers(0, 20))),
            draw(st.sampled_from(["c1", "c2", "c3"])), draw(st.integers(0, 10**6)) / 100,
            draw(st.sampled_from(VAT_RATES)), draw(st.sampled_from(["normal", "normal", "voided"])), None,
        ))
    for j, r in enumerate(list(rows)):
        if r[8] == "normal" and draw(st.integers(0, 3)) == 0:
            later = r[3] + dt.timedelta(days=draw(st.integers(0, 30)))
            rows.append((f"r{j}", r[1], r[2], later, later + dt.timedelta(days=draw(st.integers(0, 20))),
                         r[5], draw(st.integers(0, int(r[6] * 100))) / 100, r[7], "red_letter", r[0]))
    tx = _tx([(draw(st.sampled_from(ids)), str(DAY0 + dt.timedelta(days=draw(st.integers(0, 220)))),
               draw(st.sampled_from(["sale", "sale", "refund"])), draw(st.integers(1, 10**6)) / 100)
              for _ in range(draw(st.integers(0, 8)))])
    days = [r[4] for r in rows] or [DAY0]
    near = st.sampled_from(days).flatmap(
        lambda d: st.sampled_from([0, 1, 29, 30, 31, 90, 91, 365]).map(lambda k: d + dt.timedelta(days=k)))
    n = draw(st.integers(1, 4))
    obs = pd.DataFrame({"borrower_id": [draw(st.sampled_from(ids)) for _ in range(n)],
                        "as_of": pd.to_datetime([draw(near | st.integers(0, 260).map(
                            lambda k: DAY0 + dt.timedelta(days=k))) for _ in range(n)])},
                       index=[f"o{i}" for i in range(n)])
    return _inv(rows), tx, obs


@pytest.mark.slow  # over 5 s even with the fast Hypothesis profile
@settings(max_examples=40)
@given(case=invoice_cases())
def test_features_equal_a_row_by_row_reference(case: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> None:
    inv, tx, obs = case
    got = extract(_records(inv, tx, ["b0", "b1"]), obs, windows=(30, 90, 365), families=["invoices"])
    for key, o in obs.iterrows():
        want = _reference(inv, tx, o["borrower_id"], o["as_of"], (30, 90, 365))
        assert set(want) == set(got.columns)
        for name, value in want.items():
            if math.isnan(value):
                assert math.isnan(got.loc[key, name]), (key, name)
            else:
                assert got.loc[key, name] == pytest.approx(value, rel=1e-9, abs=1e-6), (key, name)


# ------------------------------------------------------- bit identity ---

def _same_bits(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    x, y = a.to_numpy(dtype=np.float64), b.to_numpy(dtype=np.float64)
    assert np.array_equal(np.isnan(x), np.isnan(y))
    assert np.array_equal(x[~np.isnan(x)].view(np.int64), y[~np.isnan(y)].view(np.int64))


@settings(max_examples=25)
@given(case=invoice_cases(), seed=st.integers(0, 2**32 - 1))
def test_shuffled_invoices_give_identical_bits(case: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
                                               seed: int) -> None:
    inv, tx, obs = case
    rng = np.random.default_rng(seed)
    ids = ["b0", "b1"]
    a = extract(_records(inv, tx, ids), obs, families=["invoices"])
    b = extract(_records(inv.iloc[rng.permutation(len(inv))], tx.iloc[rng.permutation(len(tx))], ids), obs,
                families=["invoices"])
    _same_bits(a, b)


@settings(max_examples=25)
@given(case=invoice_cases(), other=invoice_cases())
def test_unrelated_borrowers_and_partitions_change_no_bit(
    case: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
    other: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> None:
    inv, tx, obs = case
    o_inv, o_tx, _ = other

    def prefixed(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
        f = frame.copy()
        for c in columns:
            f[c] = [None if pd.isna(v) else "x" + str(v) for v in f[c]]
        return f

    def union(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
        # empty parts are left out: pandas 2.2 warns when an empty frame takes part in dtype resolution
        return pd.concat([f for f in (a, b) if len(f)] or [a], ignore_index=True)

    x_inv = prefixed(o_inv, ("invoice_id", "borrower_id", "reverses_invoice_id"))
    x_tx = prefixed(o_tx, ("transaction_id", "borrower_id"))
    alone = extract(_records(inv, tx, ["b0", "b1"]), obs, families=["invoices"])
    more = _records(union(inv, x_inv), union(tx, x_tx), ["b0", "b1", "xb0", "xb1"])
    _same_bits(alone, extract(more, obs, families=["invoices"]))
    # each observation alone gives the bits of the batch
    pieces = [extract(more, obs.iloc[[i]], families=["invoices"]) for i in range(len(obs))]
    _same_bits(alone, pd.concat(pieces))


@settings(max_examples=25)
@given(case=invoice_cases(), data=st.data())
def test_invoices_known_on_or_after_as_of_change_no_bit(
    case: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], data: st.DataObject
) -> None:
    inv, tx, obs = case
    obs = obs.iloc[:1]
    as_of = obs["as_of"].iloc[0]
    future = pd.to_datetime(inv["known_on"]) >= as_of
    # Reversed invoices stay, so that the red-letter rows that stay still point somewhere.
    kept = inv["invoice_id"].isin(inv.loc[~future, "reverses_invoice_id"])
    changed = inv.copy()
    changed.loc[future, "amount"] = changed.loc[future, "amount"] * 3 + 1
    changed["tax"] = np.round(changed["amount"] * changed["tax_rate"], 2)
    if data.draw(st.booleans()):
        gone = future & ~kept
        red_to_gone = changed["reverses_invoice_id"].isin(changed.loc[gone, "invoice_id"])
        changed = changed[~(gone | red_to_gone)]
    extra = _inv([("new", obs["borrower_id"].iloc[0], "issued", as_of - pd.Timedelta(days=3),
                   as_of + pd.Timedelta(days=data.draw(st.integers(0, 5))), "c9", 1e6, 0.13, "normal", None)])
    changed = pd.concat([f for f in (changed, extra) if len(f)], ignore_index=True)
    ids = ["b0", "b1"]
    _same_bits(extract(_records(inv, tx, ids), obs, families=["invoices"]),
               extract(_records(changed, tx, ids), obs, families=["invoices"]))


# ------------------------------------------- consent, catalog, checker ---

def test_catalog_entries() -> None:
    assert "invoices" in FAMILIES
    assert "invoices" in BUILTIN_FAMILIES
    assert FAMILY_SOURCES["invoices"] == ("transactions", "vat_invoices")
    specs = [s for s in CATALOG.values() if s.family == "invoices"]
    bases = {s.name.rsplit("_", 1)[0] if s.window and s.name.endswith("d") else s.name for s in specs}
    assert len(bases) >= 15
    for s in specs:
        assert s.description
        assert s.description_zh
        assert s.unit
        assert s.nan_meaning
        assert "vat_invoices" in s.sources
        # The most sensitive source wins: merchant flows (PIPL Art. 28) for the agreement features.
        want = "financial_account_flows" if "transactions" in s.sources else "tax_records"
        assert s.category == want


def test_sources_without_invoices_leave_the_family_out() -> None:
    rs = _records(HAND, HAND_TX, ["b1", "b2"])
    obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": [AS_OF]})
    all_cols = extract(rs, obs).columns
    assert any(c.startswith("inv_") for c in all_cols)
    no_inv = extract(rs, obs, sources=[t for t in rs.tables if t != "vat_invoices"])
    assert not any(c.startswith("inv_") for c in no_inv.columns)
    no_tx = extract(rs, obs, sources=[t for t in rs.tables if t != "transactions"])
    inv_cols = [c for c in no_tx.columns if c.startswith("inv_")]
    assert inv_cols
    assert not any("receipts" in c for c in inv_cols)
    with pytest.raises(InvalidInputError, match="'invoices' needs 'transactions'"):
        extract(rs, obs, families=["invoices"], sources=["borrowers", "vat_invoices"])


def test_records_without_invoices_skip_the_family_by_default() -> None:
    rs = RecordSet.from_frames(borrowers=_borrowers(["b1"]), transactions=HAND_TX)
    x = extract(rs, pd.DataFrame({"borrower_id": ["b1"], "as_of": [AS_OF]}))
    assert not any(c.startswith("inv_") for c in x.columns)
    with pytest.raises(InvalidInputError, match="'invoices' needs 'vat_invoices'"):
        extract(rs, pd.DataFrame({"borrower_id": ["b1"], "as_of": [AS_OF]}), families=["invoices"])


def test_checker_passes_on_hand_made_records() -> None:
    rs = _records(HAND, HAND_TX, ["b1", "b2"])
    obs = pd.DataFrame({"borrower_id": ["b1", "b1", "b2"], "as_of": ["2024-05-09", AS_OF, AS_OF]})
    report = check_point_in_time("invoices", rs, obs)
    assert report.passed, str(report)


# ---------------------------------------------- the new view reductions ---

def _user(compute: Any, name: str = "g") -> FeatureFamily:
    spec = FeatureSpec(name=name, family="mine", window=None, unit="x", description="d", description_zh="d",
                       sources=("vat_invoices",), category="tax_records", nan_meaning="n")
    return FeatureFamily("mine", ("vat_invoices",), (spec,), compute)


def test_group_reductions_in_a_user_family() -> None:
    rs = _records(HAND, HAND_TX, ["b1", "b2"])
    obs = pd.DataFrame({"borrower_id": ["b1", "b2"], "as_of": [AS_OF, AS_OF]})

    def compute(v: PointInTimeView) -> dict[str, np.ndarray]:
        # Every row known before as_of (v1-v6), any status: c1 600+100+100, c2 300, c3 50, s1 200.
        return {"g": v.events("vat_invoices").hhi("amount", "counterparty_id")}

    got = extract(rs, obs, families=[_user(compute)])["g"].to_numpy()
    total = 1350.0
    assert got[0] == pytest.approx(sum((s / total) ** 2 for s in (800.0, 300.0, 50.0, 200.0)), rel=1e-12)
    assert math.isnan(got[1])

    def distinct(v: PointInTimeView) -> dict[str, np.ndarray]:
        return {"g": v.events("vat_invoices").where("status", ["normal"]).count_distinct("counterparty_id")}

    assert extract(rs, obs, families=[_user(distinct)])["g"].tolist() == [3.0, 0.0]  # c1, c2, s1


def test_view_reductions_refuse_unknown_columns() -> None:
    rs = _records(HAND, HAND_TX, ["b1", "b2"])
    obs = pd.DataFrame({"borrower_id": ["b1"], "as_of": [AS_OF]})
    for bad in (lambda v: {"g": v.events("vat_invoices").hhi("amount", "payer")},
                lambda v: {"g": v.events("vat_invoices").where("colour", ["red"]).count()},
                lambda v: {"g": v.events("vat_invoices").top_share("status", "counterparty_id")}):
        with pytest.raises(InvalidInputError, match="PointInTimeView: column must be"):
            extract(rs, obs, families=[_user(bad)])
    with pytest.raises(InvalidInputError, match="PointInTimeView: table must be one the family"):
        extract(rs, obs, families=[_user(lambda v: {"g": np.full(len(v), float(v.has("loans")))})])
