"""Pricing checks against the private-lending (4 × LPR) and licensed-lender (24 %) ceilings."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Final, Literal

import pandas as pd

from jiebei_credit._types import DateLike
from jiebei_credit._validation import choice, date, date_format_param, fail, real, single
from jiebei_credit.errors import DataWarning
from jiebei_credit.limits._checks import MAX_ANNUAL_RATE, RATE_FIX
from jiebei_credit.limits._lpr import LPR_LAST_CHECKED, lpr_on

Regime = Literal["licensed", "private_lending"]

_FUNC = "check_pricing"
_RULES: Final[dict[str, str]] = {
    "private_lending": (
        "SPC Provisions on Private Lending Cases (2020 amendment), Art. 25, 28 and 29: "
        "interest, overdue interest, penalties and other fees together may not exceed "
        "{multiple:g} × the 1-year LPR at contract formation [law]"
    ),
    "licensed": "practical all-in annual cost ceiling for licensed lenders, {ceiling:.0%} [press]",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class PricingCheck:
    """Result of :func:`check_pricing`.

    Parameters
    ----------
    regime : {"licensed", "private_lending"}
        The rule applied.
    all_in_rate : float
        Annual all-in cost checked (interest and fees).
    overdue_rate : float or None
        Annual all-in cost while overdue, when given.
    ceiling : float
        The annual ceiling the rates are compared with.
    lpr : float or None
        The 1-year LPR used (private lending only).
    lpr_effective_on : str or None
        ISO date from which that LPR was in force, when read from the table.
    compliant : bool
        Whether every rate checked is at most the ceiling.
    excess : float
        How far the highest rate checked is above the ceiling (0 when compliant).
    rule : str
        The rule in words, with its source and how sure we are of it.
    """

    regime: Regime
    all_in_rate: float
    overdue_rate: float | None
    ceiling: float
    lpr: float | None
    lpr_effective_on: str | None
    compliant: bool
    excess: float
    rule: str


def check_pricing(
    all_in_rate: float,
    *,
    regime: Regime,
    contract_date: DateLike | None = None,
    lpr: float | None = None,
    lpr_multiple: float = 4.0,
    ceiling: float = 0.24,
    overdue_rate: float | None = None,
    date_format: str | None = None,
) -> PricingCheck:
    """Check an annual all-in cost against the legal ceiling of a lending regime.

    Parameters
    ----------
    all_in_rate : float
        Annual cost of the loan to the borrower, interest plus directly
        related fees, as a decimal. This is the **nominal** annualised rate
        of PBoC Announcement [2021] No. 3 (the IRR per period times periods
        per year, as returned by :func:`annualized_rate` with its default
        ``kind``), the rate the ceilings are stated in, not the compounded
        effective rate: 1.2 % a month is 0.144 here, not 0.1539.
    regime : {"licensed", "private_lending"}
        ``"private_lending"``: the judicial ceiling of ``lpr_multiple`` × the
        1-year LPR at the contract date. ``"licensed"``: the all-in ceiling
        ``ceiling`` applied in practice to licensed lenders.
    contract_date : date, optional
        Date the contract was formed (``Timestamp``, ``datetime``, ``date``,
        ``numpy.datetime64`` or an ISO 8601 string; numbers are never dates).
        Needed for ``"private_lending"`` unless ``lpr`` is given; the LPR in
        force on that date is read from :func:`lpr_table`.
    lpr : float, optional
        The 1-year LPR to use instead of the table (a decimal, ``0.03`` is
        3 %). Always wins over the table.
    lpr_multiple : float, default 4.0
        Multiple of the LPR for ``"private_lending"``.
    ceiling : float, default 0.24
        Annual ceiling for ``"licensed"``.
    overdue_rate : float, optional
        Annual all-in cost while overdue (contract rate plus penalty
        interest, default charges and fees). Checked against the same
        ceiling when given.
    date_format : str, optional
        ``strftime`` format of date strings (e.g. ``"%d/%m/%Y"``); ISO 8601
        (``"2025-01-31"``) when not given.

    Returns
    -------
    PricingCheck
        The ceiling, the LPR used, whether the pricing complies and by how
        much it exceeds the ceiling.

    Raises
    ------
    InvalidInputError
        If a rate is not a single real number in range, ``regime`` is
        unknown, ``contract_date`` is not a date in 1950–2100, or a
        private-lending check has neither ``lpr`` nor a ``contract_date``
        inside the table. Every argument is checked, including those the
        regime does not use.

    Warns
    -----
    DataWarning
        If the LPR is read from the table for a contract date after the
        table was last checked (2025-12-22): the rate may have changed since;
        pass ``lpr=`` to use the current value.

    Notes
    -----
    Private lending: Supreme People's Court, Provisions on Several Issues
    concerning the Application of Law in the Trial of Private Lending Cases
    (2020 amendment). Art. 25 caps the agreed interest rate at four times the
    1-year LPR at contract formation; Art. 28 caps overdue interest the same
    way; Art. 29 caps overdue interest, penalties and other fees claimed
    together at the same level [law].

    Licensed lenders: the 24 % a year all-in ceiling is the practical
    standard reported for banks, consumer-finance and micro-loan companies;
    it is a supervisory expectation rather than a single statute [press].

    References
    ----------
    .. [1] 最高人民法院关于审理民间借贷案件适用法律若干问题的规定 (2020年第二次修正),
       Art. 25, 28, 29.
    .. [2] DOMAIN.md, "Caps (dated presets, all configurable)".

    Examples
    --------
    1.2 % a month, 14.4 % nominal a year, against 4 × 3.00 % = 12 %:

    >>> from jiebei_credit.limits import check_pricing
    >>> c = check_pricing(0.144, regime="private_lending", contract_date="2025-06-01")
    >>> c.lpr, round(c.ceiling, 4), c.compliant, round(c.excess, 4)
    (0.03, 0.12, False, 0.024)
    >>> check_pricing(0.144, regime="licensed").compliant
    True
    >>> check_pricing(0.144, regime="private_lending", lpr=0.0385).compliant
    True
    """
    regime = choice(regime, ("licensed", "private_lending"), func=_FUNC, name="regime")
    # Every argument is checked, used or not, so that nothing is silently ignored.
    rate = _rate(single(all_in_rate, func=_FUNC, name="all_in_rate", fix="Check one loan at a time."),
                 "all_in_rate")
    overdue = None if overdue_rate is None else _rate(overdue_rate, "overdue_rate")
    fmt = date_format_param(date_format, func=_FUNC)
    when = None if contract_date is None else date(contract_date, func=_FUNC, name="contract_date",
                                                   date_format=fmt)
    given_lpr = None if lpr is None else _rate(lpr, "lpr", hi=1.0)
    mult = _rate(lpr_multiple, "lpr_multiple", hi=100.0)
    licensed_ceiling = _rate(ceiling, "ceiling")
    used_lpr: float | None = None
    lpr_from: str | None = None
    if regime == "private_lending":
        if given_lpr is not None:
            used_lpr = given_lpr
        else:
            if when is None:
                raise fail(_FUNC, "contract_date", "is needed for regime='private_lending' (to read "
                           "the LPR table) unless lpr is given", "None",
                           "Pass the date the contract was formed, or lpr=.")
            used_lpr, start = lpr_on(when, func=_FUNC)
            lpr_from = str(start.date())
            if when > pd.Timestamp(LPR_LAST_CHECKED):
                warnings.warn(
                    f"{_FUNC}: contract_date {when.date()} is after {LPR_LAST_CHECKED}, when "
                    f"the LPR table was last checked; using {used_lpr:.2%} from {lpr_from}. "
                    "Pass lpr= with the rate in force on the contract date.",
                    DataWarning,
                    stacklevel=2,
                )
        limit = round(mult * used_lpr, 12)
        rule = _RULES["private_lending"].format(multiple=mult)
    else:
        limit = licensed_ceiling
        rule = _RULES["licensed"].format(ceiling=limit)
    worst = max(rate, overdue if overdue is not None else rate)
    return PricingCheck(
        regime=regime,
        all_in_rate=rate,
        overdue_rate=overdue,
        ceiling=limit,
        lpr=used_lpr,
        lpr_effective_on=lpr_from,
        compliant=bool(worst <= limit),
        excess=max(worst - limit, 0.0),
        rule=rule,
    )


def _rate(value: object, name: str, *, hi: float = MAX_ANNUAL_RATE) -> float:
    return real(value, func=_FUNC, name=name, low=0.0, high=hi, fix=RATE_FIX)
