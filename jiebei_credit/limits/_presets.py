"""Dated limit policies, one per rule of the caps table in DOMAIN.md.

Only the caps, purposes, pricing ceilings and term limits come from the
rules; every other field keeps the :class:`LimitPolicy` default, which is a
lender's choice [design]. Adjust with :func:`dataclasses.replace`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from jiebei_credit.limits._lpr import LPR_LAST_CHECKED, latest_lpr
from jiebei_credit.limits._policy import LimitPolicy

#: The newest LPR of the shipped table and the private-lending ceiling it gives.
_LPR_FROM, _LPR = latest_lpr()
_LPR_MULTIPLE: Final = 4
_PRIVATE_CEILING: Final = round(_LPR_MULTIPLE * _LPR, 12)  # same rounding as check_pricing

_POLICIES: Final = (
    LimitPolicy(
        name="bank_internet_2020",
        rule=(
            "Commercial banks' internet loans, Interim Measures (CBIRC, 2020): personal consumer "
            "credit at most 200 000 per household; bullet (interest-first) loans at most 1 year."
        ),
        year=2020,
        status="press",
        product_cap=200_000.0,
        regulatory_cap=200_000.0,
        purposes=("consumption",),
        max_bullet_term_months=12,
    ),
    LimitPolicy(
        name="bank_internet_2025",
        rule=(
            "NFRA notice to banks, March 2025: internet consumer-loan cap temporarily raised to "
            "300 000 (bullet loans still at most 1 year)."
        ),
        year=2025,
        status="press",
        product_cap=300_000.0,
        regulatory_cap=300_000.0,
        purposes=("consumption",),
        max_bullet_term_months=12,
    ),
    LimitPolicy(
        name="consumer_finance_2024",
        rule="Consumer-finance companies, Administrative Measures (2024): at most 200 000 per "
        "borrower.",
        year=2024,
        status="weak",
        product_cap=200_000.0,
        regulatory_cap=200_000.0,
        purposes=("consumption",),
    ),
    LimitPolicy(
        name="online_microloan_draft_2020",
        rule=(
            "Online micro-loans, Interim Measures (draft for comment, 2020; superseded): an "
            "individual's balance at most min(300 000, 1/3 of the average annual income of the "
            "last 3 years), i.e. 4 × monthly income; legal persons 1 000 000 (not modelled)."
        ),
        year=2020,
        status="press",
        product_cap=300_000.0,
        regulatory_cap=300_000.0,
        income_multiple=4.0,
    ),
    LimitPolicy(
        name="microloan_2024_consumer",
        rule="Micro-loan companies, Interim Measures (2024): online consumer loans at most "
        "200 000 per household.",
        year=2024,
        status="press",
        product_cap=200_000.0,
        regulatory_cap=200_000.0,
        purposes=("consumption",),
    ),
    LimitPolicy(
        name="microloan_2024_business",
        rule="Micro-loan companies, Interim Measures (2024): business loans at most "
        "10 000 000 per borrower.",
        year=2024,
        status="press",
        product_cap=10_000_000.0,
        regulatory_cap=10_000_000.0,
        purposes=("business",),
    ),
    LimitPolicy(
        name="private_lending_2020",
        rule=(
            "SPC Provisions on Private Lending Cases (2020 amendment), Art. 25, 28, 29: all-in "
            "cost at most 4 × the 1-year LPR at contract formation; no amount cap. The pricing "
            f"ceiling here is {_LPR_MULTIPLE} × {_LPR * 100:.2f} % = {_PRIVATE_CEILING * 100:g} %, "
            f"the LPR in force from {_LPR_FROM} (confirmed on {LPR_LAST_CHECKED}); use "
            "check_pricing for other dates. Product cap 200 000 is a choice."
        ),
        year=2020,
        status="law",
        product_cap=200_000.0,
        capacity_annual_rate=_PRIVATE_CEILING,
        max_annual_rate=_PRIVATE_CEILING,
    ),
    LimitPolicy(
        name="licensed_24pct",
        rule=(
            "Licensed lenders: all-in cost at most 24 % a year, reported as the practical "
            "supervisory ceiling (it descends from the 24 % line of the 2015 SPC private-lending "
            "provisions); no amount cap. Product cap 200 000 is a choice."
        ),
        year=None,
        status="press",
        product_cap=200_000.0,
        max_annual_rate=0.24,
    ),
)

#: Dated policies keyed by name, one per rule of the caps table in DOMAIN.md
#: (the 1-year LPR row of that table is :func:`lpr_table`). Read-only.
PRESETS: Mapping[str, LimitPolicy] = MappingProxyType({p.name: p for p in _POLICIES})
