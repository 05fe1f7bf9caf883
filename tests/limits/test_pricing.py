"""Pricing checks and the LPR table."""

from __future__ import annotations

import pandas as pd
import pytest

from jiebei_credit.errors import DataWarning, InvalidInputError
from jiebei_credit.limits import (
    LPR_LAST_CHECKED,
    LPR_SOURCE,
    PricingCheck,
    check_pricing,
    lpr_table,
)


def test_lpr_table_holds_the_domain_value() -> None:
    # DOMAIN.md: 1-year LPR 3.00 % from 2025-05-20, unchanged at 2025-12-22.
    t = lpr_table()
    assert list(t.columns) == ["effective_on", "rate"]
    assert t["effective_on"].dtype == "datetime64[ns]"
    assert t["effective_on"].is_monotonic_increasing
    last = t.iloc[-1]
    assert (str(last["effective_on"].date()), float(last["rate"])) == ("2025-05-20", 0.03)
    assert LPR_LAST_CHECKED == "2025-12-22"
    assert "National Interbank Funding Center" in LPR_SOURCE
    # A new frame each call: editing it cannot change the shipped data.
    t.loc[0, "rate"] = 9.0
    assert float(lpr_table().loc[0, "rate"]) == 0.0385


@pytest.mark.parametrize(
    ("date", "lpr", "since"),
    [
        ("2025-05-19", 0.031, "2024-10-21"),  # the day before the May 2025 cut
        ("2025-05-20", 0.030, "2025-05-20"),
        ("2025-12-22", 0.030, "2025-05-20"),
        ("2020-08-20", 0.0385, "2020-04-20"),  # the 4 x LPR rule's first day: 15.4 %
    ],
)
def test_private_lending_reads_the_table(date: str, lpr: float, since: str) -> None:
    c = check_pricing(0.10, regime="private_lending", contract_date=date)
    assert isinstance(c, PricingCheck)
    assert (c.lpr, c.lpr_effective_on) == (lpr, since)
    assert c.ceiling == pytest.approx(4 * lpr, abs=1e-12)
    assert "Art. 25, 28 and 29" in c.rule
    assert "[law]" in c.rule


def test_private_lending_verdicts() -> None:
    # The ceiling applies to the nominal annualised rate (PBoC [2021] No. 3):
    # 1.2 % a month = 14.4 % nominal (15.39 % effective) vs 4 x 3.00 % = 12 %:
    # above by 2.4 points.
    c = check_pricing(0.144, regime="private_lending", contract_date="2025-06-01")
    assert (c.compliant, round(c.excess, 6)) == (False, 0.024)
    assert check_pricing(0.12, regime="private_lending", contract_date="2025-06-01").compliant
    # The LPR is always overridable: 4 x 3.85 % = 15.4 %.
    c = check_pricing(0.144, regime="private_lending", lpr=0.0385)
    assert (c.compliant, c.lpr, c.lpr_effective_on) == (True, 0.0385, None)
    # The overdue leg is checked against the same ceiling.
    c = check_pricing(0.10, regime="private_lending", lpr=0.03, overdue_rate=0.15)
    assert (c.compliant, round(c.excess, 6)) == (False, 0.03)


def test_licensed_ceiling() -> None:
    c = check_pricing(0.2399, regime="licensed")
    assert (c.compliant, c.ceiling, c.lpr) == (True, 0.24, None)
    assert "[press]" in c.rule
    assert not check_pricing(0.25, regime="licensed").compliant
    assert check_pricing(0.25, regime="licensed", ceiling=0.36).compliant


def test_after_last_check_warns() -> None:
    with pytest.warns(DataWarning, match="after 2025-12-22.*Pass lpr="):
        c = check_pricing(0.10, regime="private_lending", contract_date="2026-03-01")
    assert c.lpr == 0.03
    # An explicit LPR needs no table and gives no warning.
    check_pricing(0.10, regime="private_lending", contract_date="2026-03-01", lpr=0.03)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"regime": "private_lending", "contract_date": "2019-01-01"},
         ("contract_date must be on or after 2020-04-20, where the shipped LPR table starts; got "
          "2019-01-01. Pass the LPR in force on that date as lpr=")),
        ({"regime": "private_lending"},
         "contract_date is needed for regime='private_lending' .* unless lpr"),
        ({"regime": "bank"}, "regime must be one of 'licensed', 'private_lending'"),
        ({"regime": "licensed", "overdue_rate": -0.1},
         r"overdue_rate must be a finite number in \[0, 3.65\]"),
        ({"regime": "private_lending", "lpr": 3.0}, r"lpr must be a finite number in \[0, 1\]"),
    ],
)
def test_bad_input_is_named(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        check_pricing(0.1, **kwargs)  # type: ignore[arg-type]


def test_rate_must_be_scalar() -> None:
    with pytest.raises(InvalidInputError,
                       match=r"all_in_rate must be a single value; got a list of 2\. Check one loan"):
        check_pricing([0.1, 0.2], regime="licensed")  # type: ignore[arg-type]


def test_contract_date_types() -> None:
    for d in ("2025-06-01", pd.Timestamp("2025-06-01"), pd.Timestamp("2025-06-01").date()):
        assert check_pricing(0.1, regime="private_lending", contract_date=d).lpr == 0.03


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        # Regression: 20240101 was read as 1970-01-01 00:00:00.020240101.
        ({"regime": "private_lending", "contract_date": 20240101}, "contract_date numbers are never dates"),
        ({"regime": "private_lending", "contract_date": "today"}, "relative words such as 'now'"),
        ({"regime": "private_lending", "contract_date": "2262-01-01"}, "must be a date between 1950-01-01"),
        # Arguments the regime does not use are still checked, never silently ignored.
        ({"regime": "licensed", "lpr": "3%"}, "check_pricing: lpr must be a finite number"),
        ({"regime": "licensed", "contract_date": 20240101}, "contract_date numbers are never dates"),
        ({"regime": "private_lending", "lpr": 0.03, "ceiling": True}, "ceiling must be a finite number"),
        ({"regime": "licensed", "date_format": "dd/mm/yyyy"}, "date_format must be None"),
    ],
)
def test_every_argument_is_checked(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        check_pricing(0.1, **kwargs)  # type: ignore[arg-type]


def test_contract_date_format() -> None:
    c = check_pricing(0.1, regime="private_lending", contract_date="01/06/2025", date_format="%d/%m/%Y")
    assert c.lpr == 0.03  # the LPR in force on 2025-06-01 (lpr_table: 3.00 % from 2025-05-20)
