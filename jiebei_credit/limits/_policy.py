"""Typed limit policy: caps, capacity, income multiple, expected loss, cut-offs."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Final, Literal, get_args

from jiebei_credit._persist import payload_fields
from jiebei_credit._validation import choice, fail, integer, listlike, real
from jiebei_credit.errors import InvalidInputError
from jiebei_credit.limits._checks import MAX_AMOUNT, MAX_ANNUAL_RATE, MAX_TERM_MONTHS, METHODS, Method

Purpose = Literal["consumption", "business", "unknown"]
PURPOSES: Final[tuple[str, ...]] = get_args(Purpose)
Status = Literal["law", "press", "weak", "design"]
STATUSES: Final[tuple[str, ...]] = get_args(Status)

POLICY_SCHEMA: Final = "jiebei_credit.limits.LimitPolicy"
POLICY_VERSION: Final = 1
#: Largest income multiple accepted (a limit of 1 000 months of income).
MAX_MULTIPLE: Final = 1000.0
#: Range of ``year``.
YEARS: Final = (1900, 2100)


def text(value: object, *, func: str, name: str) -> str:
    """A ``str`` field (``numpy.str_`` read as ``str``)."""
    if isinstance(value, str):
        return str(value)
    raise fail(func, name, "must be a string", repr(value)[:60])


@dataclass(frozen=True, slots=True, kw_only=True)
class MultipleBand:
    """Income multiple for applicants whose PD is at most ``max_pd``.

    Parameters
    ----------
    max_pd : float
        Upper PD bound of the band, in ``(0, 1]``.
    multiple : float
        Limit as a multiple of monthly income, ``>= 0``.

    Examples
    --------
    >>> MultipleBand(max_pd=0.02, multiple=6.0)
    MultipleBand(max_pd=0.02, multiple=6.0)
    """

    max_pd: float
    multiple: float

    def __post_init__(self) -> None:
        o = "MultipleBand"
        object.__setattr__(self, "max_pd", real(self.max_pd, func=o, name="max_pd", low=0, high=1,
                                                low_open=True))
        object.__setattr__(self, "multiple", real(self.multiple, func=o, name="multiple", low=0,
                                                  high=MAX_MULTIPLE))


@dataclass(frozen=True, slots=True, kw_only=True)
class LimitPolicy:
    """How :func:`assign` turns a PD and a borrower's capacity into a limit.

    Every candidate limit below is computed for every applicant; the limit is
    their minimum, floored to ``rounding_step``. Money in CNY, rates as
    decimals. Fields other than the caps are the lender's choices [design].

    Parameters
    ----------
    product_cap : float
        Largest limit the product offers, ``> 0``.
    regulatory_cap : float, optional
        Largest limit the applicable rule allows (``None``: no amount cap).
    purposes : tuple of {"consumption", "business", "unknown"}
        Loan purposes the policy covers; applicants with another ``purpose``
        are declined.
    income_multiple : float, optional
        Limit cap as a multiple of monthly income (the 2020 online micro-loan
        draft's "⅓ of annual income" is ``4.0``).
    income_multiple_bands : tuple of MultipleBand
        Income multiple by PD band instead of one multiple: the first band
        whose ``max_pd`` is at least the applicant's PD applies; PDs above
        every band get 0. ``max_pd`` must increase and ``multiple`` must not.
    dsr : float, default 0.5
        Debt-service ratio θ: the share of monthly income that may go to debt
        service, in ``(0, 1]``.
    capacity_term_months : int, default 12
        Term in months (1–60) used to turn spare monthly capacity into a
        principal (:func:`max_principal`).
    capacity_annual_rate : float, default 0.144
        Nominal annual rate for that conversion: 14.4 % is 0.04 % a day × 360.
    capacity_method : {'equal_installment', 'equal_principal', 'interest_first'}, default 'equal_installment'
        Repayment method for that conversion.
    pd_cutoff : float, default 0.10
        Applicants with a PD above this are declined.
    refer_pd : float, optional
        Applicants with ``refer_pd < PD <= pd_cutoff`` and a positive limit
        are referred to human review (decision ``"refer"``).
    el_budget : float, optional
        Expected-loss budget per applicant, CNY (``None``: no EL constraint).
    lgd : float, default 0.45
        Loss given default for the EL constraint (Basel II foundation IRB
        value for senior unsecured claims).
    ccf : float, default 1.0
        Credit conversion factor of the undrawn part of the line.
    min_limit : float, default 1000
        Limits below this are set to 0 and declined.
    rounding_step : float, default 100
        Limits are floored to a multiple of this.
    max_annual_rate : float, optional
        Pricing ceiling of the regime; ``capacity_annual_rate`` may not exceed it.
    max_bullet_term_months : int, optional
        Longest term allowed for ``"interest_first"`` (bullet) capacity.
    name, rule : str
        Short name and the rule the preset encodes, with its source.
    year : int, optional
        Year of the rule, 1900 to 2100.
    status : {"law", "press", "weak", "design"}
        How sure we are of the rule: statute text checked, reputable
        secondary source, blogs and Q&A, or our own choice.

    Raises
    ------
    InvalidInputError
        If a field has the wrong type (a bool is not a number, ``12.0`` is not
        an integer, ``name`` and ``rule`` are strings), is out of range or
        is inconsistent (e.g. ``refer_pd`` above ``pd_cutoff``, both
        ``income_multiple`` and bands, a capacity rate above
        ``max_annual_rate``).

    See Also
    --------
    PRESETS : Dated policies for the caps in force; adjust one with
        :func:`dataclasses.replace`.

    Examples
    --------
    >>> from jiebei_credit.limits import LimitPolicy
    >>> p = LimitPolicy(product_cap=50_000, income_multiple=3.0, pd_cutoff=0.08)
    >>> p.dsr, p.capacity_method
    (0.5, 'equal_installment')
    >>> LimitPolicy.from_dict(p.to_dict()) == p
    True
    """

    product_cap: float
    regulatory_cap: float | None = None
    purposes: tuple[Purpose, ...] = ("consumption", "business", "unknown")
    income_multiple: float | None = None
    income_multiple_bands: tuple[MultipleBand, ...] = ()
    dsr: float = 0.5
    capacity_term_months: int = 12
    capacity_annual_rate: float = 0.144
    capacity_method: Method = "equal_installment"
    pd_cutoff: float = 0.10
    refer_pd: float | None = None
    el_budget: float | None = None
    lgd: float = 0.45
    ccf: float = 1.0
    min_limit: float = 1000.0
    rounding_step: float = 100.0
    max_annual_rate: float | None = None
    max_bullet_term_months: int | None = None
    name: str = "custom"
    rule: str = ""
    year: int | None = None
    status: Status = "design"

    def __post_init__(self) -> None:
        o = "LimitPolicy"
        money = "Amounts are CNY (yuan) as numbers."
        s = self._set
        s("product_cap", real(self.product_cap, func=o, name="product_cap", low=0, high=MAX_AMOUNT,
                              low_open=True, fix=money))
        if self.regulatory_cap is not None:
            s("regulatory_cap", real(self.regulatory_cap, func=o, name="regulatory_cap", low=0,
                                     high=MAX_AMOUNT, low_open=True, fix=money))
        s("purposes", listlike(self.purposes, func=o, name="purposes", allowed=PURPOSES, min_size=1))
        if self.income_multiple is not None:
            if self.income_multiple_bands:
                raise fail(o, "income_multiple", "cannot be combined with income_multiple_bands",
                           repr(self.income_multiple), "Give one multiple or a band table, not both.")
            s("income_multiple", real(self.income_multiple, func=o, name="income_multiple", low=0,
                                      high=MAX_MULTIPLE, low_open=True))
        self._check_bands(o)
        s("dsr", real(self.dsr, func=o, name="dsr", low=0, high=1, low_open=True,
                      fix="θ is the share of monthly income available for debt service."))
        s("capacity_term_months", integer(self.capacity_term_months, func=o, name="capacity_term_months",
                                          low=1, high=MAX_TERM_MONTHS))
        s("capacity_annual_rate", real(self.capacity_annual_rate, func=o, name="capacity_annual_rate",
                                       low=0, high=MAX_ANNUAL_RATE, fix="Rates are decimals."))
        s("capacity_method", choice(self.capacity_method, METHODS, func=o, name="capacity_method",
                                    fix="Check the spelling."))
        s("pd_cutoff", real(self.pd_cutoff, func=o, name="pd_cutoff", low=0, high=1))
        if self.refer_pd is not None:
            s("refer_pd", real(self.refer_pd, func=o, name="refer_pd", low=0, high=self.pd_cutoff,
                               fix="The refer band is (refer_pd, pd_cutoff]."))
        if self.el_budget is not None:
            s("el_budget", real(self.el_budget, func=o, name="el_budget", low=0, high=MAX_AMOUNT,
                                low_open=True, fix=money))
        s("lgd", real(self.lgd, func=o, name="lgd", low=0, high=1, low_open=True))
        s("ccf", real(self.ccf, func=o, name="ccf", low=0, high=1, low_open=True))
        s("min_limit", real(self.min_limit, func=o, name="min_limit", low=0, high=MAX_AMOUNT, fix=money))
        s("rounding_step", real(self.rounding_step, func=o, name="rounding_step", low=0, high=1e6,
                                low_open=True, fix=money))
        self._check_pricing(o)
        s("name", text(self.name, func=o, name="name"))
        s("rule", text(self.rule, func=o, name="rule"))
        if self.year is not None:
            s("year", integer(self.year, func=o, name="year", low=YEARS[0], high=YEARS[1]))
        s("status", choice(self.status, STATUSES, func=o, name="status"))

    def _set(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)

    def _check_bands(self, o: str) -> None:
        items = listlike(self.income_multiple_bands, func=o, name="income_multiple_bands")
        bands = []
        for k, b in enumerate(items):
            if isinstance(b, MultipleBand):
                bands.append(b)
            elif isinstance(b, Mapping) and set(b) == {"max_pd", "multiple"}:
                try:
                    bands.append(MultipleBand(max_pd=b["max_pd"], multiple=b["multiple"]))
                except InvalidInputError as exc:
                    raise fail(o, "income_multiple_bands", "must hold valid bands",
                               f"at position {k}: {str(exc).rstrip('.')}") from None
            else:
                raise fail(o, "income_multiple_bands", "must hold MultipleBand objects or dicts with "
                           "the keys max_pd and multiple", f"{repr(b)[:60]} at position {k}",
                           "Build each band with MultipleBand(max_pd=..., multiple=...).")
        self._set("income_multiple_bands", tuple(bands))
        for a, b in itertools.pairwise(bands):
            if not (b.max_pd > a.max_pd and b.multiple <= a.multiple):
                raise fail(o, "income_multiple_bands",
                           "must have increasing max_pd and non-increasing multiple", repr(tuple(bands)),
                           "Order the bands from the safest to the riskiest.")

    def _check_pricing(self, o: str) -> None:
        if self.max_annual_rate is not None:
            cap = real(self.max_annual_rate, func=o, name="max_annual_rate", low=0, high=MAX_ANNUAL_RATE,
                       low_open=True)
            self._set("max_annual_rate", cap)
            if self.capacity_annual_rate > cap:
                raise fail(o, "capacity_annual_rate", f"must not exceed max_annual_rate {cap:g}",
                           repr(self.capacity_annual_rate), "Price the product within the ceiling.")
        if self.max_bullet_term_months is not None:
            m = integer(self.max_bullet_term_months, func=o, name="max_bullet_term_months", low=1,
                        high=MAX_TERM_MONTHS)
            self._set("max_bullet_term_months", m)
            if self.capacity_method == "interest_first" and self.capacity_term_months > m:
                raise fail(o, "capacity_term_months",
                           f"must be at most {m} for interest_first (bullet) loans",
                           repr(self.capacity_term_months), "Shorten the term or change the method.")

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict with ``schema`` and ``version`` keys.

        Returns
        -------
        dict of str to object
            ``schema``, ``version`` and every field (tuples as lists, bands as
            dicts with ``max_pd`` and ``multiple``).

        Examples
        --------
        >>> from jiebei_credit.limits import PRESETS
        >>> d = PRESETS["bank_internet_2020"].to_dict()
        >>> d["schema"], d["version"], d["regulatory_cap"]
        ('jiebei_credit.limits.LimitPolicy', 1, 200000.0)
        """
        out: dict[str, Any] = {"schema": POLICY_SCHEMA, "version": POLICY_VERSION}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name == "income_multiple_bands":
                v = [{"max_pd": b.max_pd, "multiple": b.multiple} for b in v]
            elif isinstance(v, tuple):
                v = list(v)
            out[f.name] = v
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LimitPolicy:
        """Rebuild a policy from :meth:`to_dict` output.

        Parameters
        ----------
        data : dict of str to object
            The output of :meth:`to_dict`, e.g. read back from JSON.

        Returns
        -------
        LimitPolicy
            A policy equal to the one that wrote ``data``.

        Raises
        ------
        InvalidInputError
            If the schema or version is not this class's, a key is unknown,
            or a value is refused as by the constructor (lists are read as
            tuples and bands may be dicts; nothing else is converted).
        """
        return cls(**payload_fields(cls, data, schema=POLICY_SCHEMA, version=POLICY_VERSION))
