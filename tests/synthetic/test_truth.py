"""Ground truth: default dates match the tables, PDs behave as probabilities of the model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.synthetic import Portfolio, SimulationConfig, simulate_portfolio
from tests.synthetic.support import first_dpd90


def test_default_dates_are_the_first_90_dpd_day_in_the_instalments(small: Portfolio) -> None:
    from_tables = first_dpd90(small.records, small.end)
    truth = small.truth.default_date.dropna()
    assert len(truth) > 20
    assert sorted(from_tables.index) == sorted(truth.index.astype(str))
    assert (from_tables.sort_index().to_numpy() == truth.sort_index().to_numpy()).all()


def test_default_date_is_stop_date_plus_90_days(small: Portfolio) -> None:
    b = small.truth.borrowers
    d = b.dropna(subset=["default_date"])
    assert ((d["default_date"] - d["stop_date"]) == pd.Timedelta(days=90)).all()
    late = b["stop_date"].notna() & b["default_date"].isna()
    assert (b.loc[late, "stop_date"] > small.end - pd.Timedelta(days=90)).all()
    assert (b["default_date"].dropna() <= small.end).all()


def test_truth_frames_are_indexed_by_borrower(small: Portfolio) -> None:
    ids = small.records.borrowers["borrower_id"].to_numpy()
    t = small.truth
    for frame in (t.borrowers, t.states, t.hazard):
        assert (frame.index.to_numpy() == ids).all()
    assert list(t.borrowers.columns) == [
        "latent_risk", "risk_index", "line_opened_on", "stop_date", "default_date"
    ]
    assert len(t.months) == 24
    assert t.months[0] == pd.Timestamp("2023-01-01")
    assert set(np.unique(t.states.to_numpy())) == {0, 1, 2}
    assert abs(t.borrowers["latent_risk"].mean()) < 0.1
    assert abs(t.borrowers["latent_risk"].std() - 1) < 0.1


def test_hazard_is_zero_until_63_days_on_book(small: Portfolio) -> None:
    t = small.truth
    opened = t.borrowers["line_opened_on"].to_numpy()
    months = t.months.to_numpy()
    early = months[None, :] < (opened[:, None] + np.timedelta64(63, "D"))
    h = t.hazard.to_numpy()
    assert (h[early] == 0).all()
    assert (h[~early] > 0).all()
    # the regime multiplies the hazard: distressed months are the riskiest for the same borrower
    st = t.states.to_numpy()
    both = (~early & (st == 0)).any(axis=1) & (~early & (st == 2)).any(axis=1)
    i = int(np.flatnonzero(both)[0])
    assert h[i][~early[i] & (st[i] == 2)].min() > h[i][~early[i] & (st[i] == 0)].max()


def test_pd_properties(small: Portfolio) -> None:
    t = small.truth
    p90 = t.pd("2023-09-01", horizon_days=90)
    p180 = t.pd("2023-09-01", horizon_days=180)
    p365 = t.pd("2023-09-01", horizon_days=365)
    for p in (p90, p180, p365):
        assert p.dtype == np.float64
        assert ((p >= 0) & (p <= 1)).all()
    assert (p90 <= p180 + 1e-12).all()
    assert (p180 <= p365 + 1e-12).all()
    # Within 89 days a borrower who has not stopped paying cannot reach 90 DPD: 0 or 1 only.
    p89 = t.pd("2023-09-01", horizon_days=89)
    assert set(np.unique(p89)) <= {0.0, 1.0}
    stop = t.borrowers["stop_date"]
    stopped = stop < pd.Timestamp("2023-09-01")
    assert (p365[stopped] == 1.0).all()  # stopped before as_of: default certain (or already there)
    assert (p365[~stopped] < 1.0).all()


def test_pd_for_matches_pd_and_keeps_the_input(small: Portfolio) -> None:
    t = small.truth
    ids = small.records.borrowers["borrower_id"].iloc[:50]
    obs = pd.DataFrame(
        {"borrower_id": list(ids) * 2, "as_of": ["2023-06-15"] * 50 + ["2024-02-01"] * 50},
        index=pd.RangeIndex(100, 200),
    )
    before = obs.copy()
    got = t.pd_for(obs, horizon_days=200)
    pd.testing.assert_frame_equal(obs, before)
    assert (got.index == obs.index).all()
    first = t.pd("2023-06-15", horizon_days=200).iloc[:50].to_numpy()
    second = t.pd("2024-02-01", horizon_days=200).iloc[:50].to_numpy()
    np.testing.assert_allclose(got.to_numpy(), np.concatenate([first, second]), rtol=1e-12)


def test_outcome_semantics(small: Portfolio) -> None:
    t = small.truth
    y = t.outcome("2023-06-01")
    d = t.default_date
    window = (d > pd.Timestamp("2023-06-01")) & (d <= pd.Timestamp("2024-05-31"))
    assert (y[window] == 1.0).all()
    assert y[d <= pd.Timestamp("2023-06-01")].isna().all()
    assert (y[~window & ~(d <= pd.Timestamp("2023-06-01"))] == 0.0).all()
    assert t.outcome("2024-06-01").isna().all()  # the window ends after the observation


def test_truth_argument_errors(small: Portfolio) -> None:
    t = small.truth
    with pytest.raises(InvalidInputError, match=r"Truth.pd: as_of must lie within the observation "
                                                 r"\[2023-01-01, 2025-01-01\]; got '2022-12-31'"):
        t.pd("2022-12-31")
    with pytest.raises(InvalidInputError, match=r"horizon_days must be an integer in \[1, 3650\]; got 0"):
        t.pd("2023-06-01", horizon_days=0)
    with pytest.raises(InvalidInputError, match=r"observations must have the column.*missing 'as_of'"):
        t.pd_for(pd.DataFrame({"borrower_id": ["B0000"]}))
    with pytest.raises(InvalidInputError,
                       match=r"column 'borrower_id' must hold ids of this portfolio; got unknown ids: 1 "
                             r"value \('nobody'\) at position 0"):
        t.pd_for(pd.DataFrame({"borrower_id": ["nobody"], "as_of": ["2023-06-01"]}))
    with pytest.raises(InvalidInputError, match="column 'as_of' must not be missing; got 1 value at row 0"):
        t.pd_for(pd.DataFrame({"borrower_id": ["B0000"], "as_of": [None]}))
    with pytest.raises(InvalidInputError, match="observations must be a pandas DataFrame; got a list"):
        t.pd_for([("B0000", "2023-06-01")])  # type: ignore[arg-type]


def test_default_intensity_scales_defaults() -> None:
    args = {"n_borrowers": 1500, "start": "2023-01-01", "end": "2024-07-01", "seed": 8}
    base = simulate_portfolio(**args)  # type: ignore[arg-type]
    high = simulate_portfolio(**args, config=SimulationConfig(default_intensity=4.0))  # type: ignore[arg-type]
    n_base = base.truth.default_date.notna().sum()
    n_high = high.truth.default_date.notna().sum()
    # four times the hazard; P(default) = 1 - exp(-4Λ) grows a little less than fourfold
    assert n_high > 2.5 * n_base
    p_base = base.truth.pd("2023-06-01").mean()
    p_high = high.truth.pd("2023-06-01").mean()
    assert p_high > 2.5 * p_base
