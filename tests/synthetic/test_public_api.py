"""Public names, immutability and argument errors of jiebei_credit.synthetic."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError
from jiebei_credit.synthetic import Portfolio, SimulationConfig, Truth, simulate_portfolio


def test_public_names_are_pinned() -> None:
    assert sorted(jc.synthetic.__all__) == ["Portfolio", "SimulationConfig", "Truth", "simulate_portfolio"]
    for name in jc.synthetic.__all__:
        obj = getattr(jc.synthetic, name)
        assert obj.__module__.startswith("jiebei_credit.synthetic._")


def test_result_types(small: Portfolio) -> None:
    assert isinstance(small, Portfolio)
    assert isinstance(small.records, jc.records.RecordSet)
    assert isinstance(small.truth, Truth)
    assert small.records.tables == jc.records.TABLE_NAMES
    assert small.start == pd.Timestamp("2023-01-01")
    assert small.end == pd.Timestamp("2025-01-01")
    assert small.config == SimulationConfig()


def test_portfolio_is_frozen(small: Portfolio) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        small.records = small.records  # type: ignore[misc]
    with pytest.raises(TypeError):
        small.diagnostics["final_draws"] = 0  # type: ignore[index]


def test_truth_is_immutable_and_returns_copies(small: Portfolio) -> None:
    truth = small.truth
    with pytest.raises(AttributeError, match="Truth is immutable"):
        truth.anything = 1  # type: ignore[attr-defined]
    frame = truth.borrowers
    frame.iloc[:, 0] = 99.0
    hazard = truth.hazard
    hazard.iloc[:, :] = -1.0
    assert (truth.borrowers["latent_risk"] != 99.0).all()
    assert (truth.hazard.to_numpy() >= 0).all()


def test_config_rejects_out_of_range_fields() -> None:
    with pytest.raises(InvalidInputError,
                       match=r"SimulationConfig: default_intensity must be a finite number in "
                             r"\(0, 20\]; got 0\."):
        SimulationConfig(default_intensity=0)
    with pytest.raises(
        InvalidInputError, match=r"onboarding_days must be an integer in \[0, 3650\]; got 1.5"
    ):
        SimulationConfig(onboarding_days=1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="sales_per_month must be a finite number"):
        SimulationConfig(sales_per_month=float("nan"))
    with pytest.raises(InvalidInputError, match="min_limit must be below max_limit"):
        SimulationConfig(min_limit=5_000.0, max_limit=5_000.0)
    with pytest.raises(InvalidInputError, match="review_months must be an integer"):
        SimulationConfig(review_months=True)  # type: ignore[arg-type]
    assert SimulationConfig().to_dict()["sales_per_month"] == 2.3


def test_config_stores_numpy_scalars_as_python_numbers() -> None:
    cfg = SimulationConfig(
        default_intensity=np.float32(2.5), onboarding_days=np.int64(30),  # type: ignore[arg-type]
        sales_per_month=np.float64(2.3), review_months=np.int32(3),  # type: ignore[arg-type]
        min_limit=2_000, max_limit=np.float32(150_000.0),  # type: ignore[arg-type]
    )
    data = cfg.to_dict()
    for name in ("default_intensity", "sales_per_month", "min_limit", "max_limit"):
        assert type(data[name]) is float, name
    for name in ("onboarding_days", "review_months"):
        assert type(data[name]) is int, name
    assert SimulationConfig.from_dict(json.loads(json.dumps(data))) == cfg
    assert cfg == SimulationConfig(default_intensity=2.5, onboarding_days=30, sales_per_month=2.3,
                                   review_months=3, min_limit=2_000.0, max_limit=150_000.0)
    with pytest.raises(InvalidInputError, match="onboarding_days must be an integer"):
        SimulationConfig(onboarding_days=np.float64(30.0))  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="review_months must be an integer"):
        SimulationConfig(review_months=np.bool_(True))  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="default_intensity must be a finite number"):
        SimulationConfig(default_intensity=np.float32("inf"))  # type: ignore[arg-type]


def test_config_round_trips_through_json() -> None:
    cfg = SimulationConfig(default_intensity=2.5, onboarding_days=30, review_months=3, max_limit=150_000.0)
    assert SimulationConfig.from_dict(json.loads(json.dumps(cfg.to_dict()))) == cfg
    with pytest.raises(InvalidInputError, match=r"unknown keys \['colour'\]"):
        SimulationConfig.from_dict({**cfg.to_dict(), "colour": "red"})
    with pytest.raises(InvalidInputError, match=r"expected schema '[\w.]+SimulationConfig' version 1; got"):
        SimulationConfig.from_dict({**cfg.to_dict(), "version": 2})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_borrowers": 0}, r"n_borrowers must be an integer in \[1, 5000000\]; got 0"),
        ({"n_borrowers": 2.0}, "n_borrowers must be an integer"),
        ({"n_borrowers": True}, "n_borrowers must be an integer"),
        ({"seed": -1}, "seed must be a non-negative integer"),
        ({"seed": "7"}, "seed must be a non-negative integer"),
        ({"start": "not a date"}, "start cannot be read as a date: dates are read as ISO 8601"),
        ({"start": 20230101}, "start numbers are never dates; pass '2025-01-31' or a datetime; got 20230101"),
        ({"end": "2024-01-01 10:30"}, "end must be a date without a time of day"),
        ({"end": pd.Timestamp("2024-01-01", tz="Asia/Shanghai")}, "end is time-zone aware"),
        ({"end": "2023-03-01"},
         r"end must be at least 90 days after start; got start=2023-01-01, end=2023-03-01"),
        ({"config": {"default_intensity": 2.0}}, "config must be a SimulationConfig; got a dict"),
    ],
)
def test_simulate_portfolio_argument_errors(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"n_borrowers": 5, "start": "2023-01-01", "end": "2024-01-01", "seed": 1}
    args.update(kwargs)
    n = args.pop("n_borrowers")
    with pytest.raises(InvalidInputError, match=message):
        simulate_portfolio(n, **args)  # type: ignore[arg-type]


def test_accepts_generator_and_seed_sequence() -> None:
    a = simulate_portfolio(20, start="2023-01-01", end="2023-07-01", seed=np.random.default_rng(5))
    b = simulate_portfolio(20, start="2023-01-01", end="2023-07-01", seed=np.random.default_rng(5))
    c = simulate_portfolio(20, start="2023-01-01", end="2023-07-01", seed=np.random.SeedSequence(5))
    d = simulate_portfolio(20, start="2023-01-01", end="2023-07-01", seed=5)
    assert a.records == b.records
    assert c.records == d.records


def test_no_unit_less_nat_in_the_sources() -> None:
    # np.datetime64("NaT") without a unit is deprecated in numpy 2.5: the suite would fail there.
    root = Path(jc.__file__).parent
    pattern = re.compile(r"""datetime64\(\s*["']NaT["']\s*\)""")
    sources = [p for sub in ("synthetic", "limits") for p in (root / sub).glob("*.py")]
    offenders = [str(p.relative_to(root)) for p in sources if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_numpy_integers_and_date_forms_are_accepted() -> None:
    # np.int64 is accepted wherever int is; dates in any accepted form give the same portfolio.
    plain = simulate_portfolio(5, start="2023-01-01", end="2023-05-01", seed=3)
    same = simulate_portfolio(np.int64(5), start=np.datetime64("2023-01-01"),  # type: ignore[arg-type]
                              end=pd.Timestamp("2023-05-01").date(), seed=np.uint32(3))
    assert plain.records == same.records
    fmt = simulate_portfolio(5, start="01/01/2023", end="01/05/2023", seed=3, date_format="%d/%m/%Y")
    assert fmt.records == plain.records
    with pytest.raises(InvalidInputError, match="simulate_portfolio: start relative words such as 'now'"):
        simulate_portfolio(5, start="today", end="2023-05-01", seed=3)
    with pytest.raises(InvalidInputError, match=r"seed must be a non-negative integer .*True \(a bool\)"):
        simulate_portfolio(5, start="2023-01-01", end="2023-05-01", seed=True)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        # Regression: outside roughly 1950-2100 the records failed their own schema.
        ("1970-01-01", "1971-01-01", r"start must be on or after 1980-01-02 \(business registration"),
        ("2099-06-01", "2100-06-01", r"end must be on or before 2100-01-01 \(instalments fall due"),
        ("2262-01-01", "2263-01-01", "start must be a date between 1950-01-01 and 2100-12-31"),
    ],
)
def test_simulation_dates_stay_in_the_records_range(start: str, end: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        simulate_portfolio(5, start=start, end=end, seed=1)


def test_a_seed_sequence_is_read_not_advanced() -> None:
    # Regression: spawning from the caller's SeedSequence changed it, so a second call with the
    # same object gave another portfolio.
    ss = np.random.SeedSequence(5)
    a = simulate_portfolio(8, start="2023-01-01", end="2023-07-01", seed=ss)
    b = simulate_portfolio(8, start="2023-01-01", end="2023-07-01", seed=ss)
    assert ss.n_children_spawned == 0
    fresh = simulate_portfolio(8, start="2023-01-01", end="2023-07-01", seed=5)
    assert a.records == b.records == fresh.records


def test_truth_rows_do_not_depend_on_other_rows() -> None:
    # Regression: pd_for moved every row through as many monthly transitions as the row with the
    # longest window, so a row's PD changed in the last bits with the other rows of the call.
    t = simulate_portfolio(40, start="2023-01-01", end="2024-01-01", seed=9).truth
    obs = pd.DataFrame({"borrower_id": ["B00", "B00"], "as_of": ["2023-01-01", "2023-01-30"]})
    out = t.pd_for(obs)
    assert out.iloc[0] == t.pd("2023-01-01")["B00"]
    assert out.iloc[1] == t.pd("2023-01-30")["B00"]
