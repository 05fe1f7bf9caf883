"""LimitPolicy, MultipleBand and the dated presets."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from hypothesis import given

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.limits import PRESETS, LimitPolicy, MultipleBand, lpr_table
from tests.strategies import limit_policies


@given(limit_policies())
def test_to_dict_round_trip_is_json_safe(policy: LimitPolicy) -> None:
    d = policy.to_dict()
    assert (d["schema"], d["version"]) == ("jiebei_credit.limits.LimitPolicy", 1)
    assert LimitPolicy.from_dict(json.loads(json.dumps(d))) == policy


def test_frozen_and_hashable() -> None:
    p = LimitPolicy(product_cap=10_000)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.dsr = 0.9  # type: ignore[misc]
    assert hash(p) == hash(LimitPolicy(product_cap=10_000))
    assert dataclasses.replace(p, dsr=0.4).dsr == 0.4


def test_lists_become_tuples() -> None:
    p = LimitPolicy(product_cap=10_000, purposes=["business"],  # type: ignore[arg-type]
                    income_multiple_bands=[{"max_pd": 0.02, "multiple": 5}])  # type: ignore[list-item]
    assert p.purposes == ("business",)
    assert p.income_multiple_bands == (MultipleBand(max_pd=0.02, multiple=5.0),)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"product_cap": 0}, r"LimitPolicy: product_cap must be a finite number in \(0, 1e\+08\]; got 0\."),
        ({"dsr": 1.5}, r"dsr must be a finite number in \(0, 1\]; got 1.5 \(float\). θ is the share"),
        ({"pd_cutoff": 0.05, "refer_pd": 0.08}, r"refer_pd must be a finite number in \[0, 0.05\]"),
        ({"income_multiple": 3.0, "income_multiple_bands": (MultipleBand(max_pd=0.1, multiple=2),)},
         "cannot be combined with income_multiple_bands"),
        ({"income_multiple_bands": (MultipleBand(max_pd=0.1, multiple=2),
                                    MultipleBand(max_pd=0.2, multiple=3))},
         "increasing max_pd and non-increasing multiple"),
        ({"capacity_method": "bullet"}, "capacity_method must be one of"),
        ({"capacity_term_months": 2.5}, r"capacity_term_months must be an integer in \[1, 60\]; got 2.5"),
        # One rule for integers: 12.0 is a float, refused like 2.5.
        ({"capacity_term_months": 12.0}, r"capacity_term_months must be an integer in \[1, 60\]; got 12.0"),
        ({"capacity_annual_rate": 0.3, "max_annual_rate": 0.24},
         "capacity_annual_rate must not exceed max_annual_rate 0.24"),
        ({"capacity_method": "interest_first", "capacity_term_months": 24,
          "max_bullet_term_months": 12}, "at most 12 for interest_first"),
        ({"purposes": ()}, "purposes must hold at least 1 value; got 0"),
        ({"purposes": ("housing",)}, (r"purposes may hold only 'consumption', 'business', 'unknown'; "
                                      r"got 1 other value \('housing'\)")),
        ({"lgd": True}, r"lgd must be a finite number in \(0, 1\]; got True \(a bool\)"),
        ({"status": "sure"}, "status must be one of"),
    ],
)
def test_bad_fields_are_named(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"product_cap": 10_000.0}
    args.update(kwargs)
    with pytest.raises(InvalidInputError, match=message):
        LimitPolicy(**args)  # type: ignore[arg-type]


def test_band_validation() -> None:
    with pytest.raises(InvalidInputError, match=r"MultipleBand: max_pd must be a finite number in \(0, 1\]"):
        MultipleBand(max_pd=0.0, multiple=3.0)


def test_from_dict_rejects_other_schemas_and_keys() -> None:
    d = LimitPolicy(product_cap=10_000).to_dict()
    with pytest.raises(InvalidInputError, match="expected schema"):
        LimitPolicy.from_dict({**d, "version": 2})
    with pytest.raises(InvalidInputError, match=r"unknown keys \['theta'\]"):
        LimitPolicy.from_dict({**d, "theta": 0.5})


def test_presets_cover_the_caps_table() -> None:
    # DOMAIN.md "Caps": one preset per rule row (the LPR row is lpr_table()).
    assert set(PRESETS) == {
        "bank_internet_2020", "bank_internet_2025", "consumer_finance_2024",
        "online_microloan_draft_2020", "microloan_2024_consumer", "microloan_2024_business",
        "private_lending_2020", "licensed_24pct",
    }
    caps = {k: p.regulatory_cap for k, p in PRESETS.items()}
    assert caps == {
        "bank_internet_2020": 200_000, "bank_internet_2025": 300_000,
        "consumer_finance_2024": 200_000, "online_microloan_draft_2020": 300_000,
        "microloan_2024_consumer": 200_000, "microloan_2024_business": 10_000_000,
        "private_lending_2020": None, "licensed_24pct": None,
    }
    status = {k: p.status for k, p in PRESETS.items()}
    assert status["private_lending_2020"] == "law"
    assert status["consumer_finance_2024"] == "weak"
    # The 2020 draft: 1/3 of annual income = 4 x monthly income.
    assert PRESETS["online_microloan_draft_2020"].income_multiple == 4.0
    assert "superseded" in PRESETS["online_microloan_draft_2020"].rule
    # Pricing ceilings: 4 x 3.00 % and 24 %.
    # 4 x 3.00 %, the newest LPR of the shipped table (lpr_table(), from 2025-05-20).
    assert PRESETS["private_lending_2020"].max_annual_rate == 0.12
    assert PRESETS["licensed_24pct"].max_annual_rate == 0.24
    assert PRESETS["bank_internet_2020"].max_bullet_term_months == 12
    for key, p in PRESETS.items():
        assert p.name == key
        assert p.rule
        assert p.year is not None or key == "licensed_24pct"


def test_presets_are_read_only() -> None:
    with pytest.raises(TypeError):
        PRESETS["mine"] = LimitPolicy(product_cap=1.0)  # type: ignore[index]


def test_private_lending_preset_follows_the_lpr_table() -> None:
    p = PRESETS["private_lending_2020"]
    last = lpr_table().iloc[-1]
    assert p.max_annual_rate == p.capacity_annual_rate == pytest.approx(4 * last["rate"], abs=1e-12)
    assert f"4 × {last['rate'] * 100:.2f} %" in p.rule
    assert str(last["effective_on"].date()) in p.rule


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        # Regression: from_dict payloads with wrong types passed, or failed with a raw TypeError.
        ("income_multiple_bands", [5], "income_multiple_bands must hold MultipleBand objects or dicts"),
        ("income_multiple_bands", [{"max_pd": 0.02}], "income_multiple_bands must hold MultipleBand"),
        ("income_multiple_bands", [{"max_pd": "0.02", "multiple": 4}],
         r"income_multiple_bands must hold valid bands; got at position 0: MultipleBand: max_pd must"),
        ("purposes", "business", "purposes must be a list, tuple, array or Index of values, not a single"),
        ("purposes", 5, "purposes must be a list"),
        ("year", "2020", r"year must be an integer in \[1900, 2100\]; got '2020'"),
        ("year", 2020.0, r"year must be an integer .*2020.0 \(float\)"),
        ("name", 5, "name must be a string; got 5"),
        ("rule", None, "rule must be a string; got None"),
        ("capacity_term_months", "12", "capacity_term_months must be an integer"),
        ("dsr", "0.5", "dsr must be a finite number"),
    ],
)
def test_from_dict_refuses_wrong_types(field: str, value: object, message: str) -> None:
    payload = {**LimitPolicy(product_cap=10_000).to_dict(), field: value}
    with pytest.raises(InvalidInputError, match=message):
        LimitPolicy.from_dict(payload)


def test_numpy_numbers_are_stored_as_python_numbers() -> None:
    p = LimitPolicy(product_cap=np.float32(10_000), capacity_term_months=np.int64(24), year=np.int16(2024))
    assert (type(p.product_cap), type(p.capacity_term_months), type(p.year)) == (float, int, int)
    assert LimitPolicy.from_dict(json.loads(json.dumps(p.to_dict()))) == p
