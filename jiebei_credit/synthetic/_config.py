"""Knobs of the simulation (:class:`SimulationConfig`) and argument checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Final

import numpy as np

from jiebei_credit._persist import payload_fields
from jiebei_credit._validation import fail, flag, integer, real, seed

__all__ = ["MAX_BORROWERS", "SimulationConfig", "check_borrowers", "seed_sequence"]

#: Largest portfolio accepted (memory grows linearly, about 12 KiB per borrower-year).
MAX_BORROWERS: Final = 5_000_000
CONFIG_SCHEMA: Final = "jiebei_credit.synthetic.SimulationConfig"
CONFIG_VERSION: Final = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulationConfig:
    """Portfolio-level knobs of :func:`simulate_portfolio`.

    The defaults give the levels documented in the user guide; every field
    keeps the mechanics and only moves a level.

    Parameters
    ----------
    default_intensity : float, default 1.0
        Multiplier of every borrower's stop-paying hazard; 2.0 roughly
        doubles the default rate. In ``(0, 20]``.
    onboarding_days : int, default 180
        Credit lines open on days drawn uniformly from ``[start, start +
        onboarding_days]`` (capped at the observation end). In ``[0, 3650]``.
    sales_per_month : float, default 2.3
        Mean number of ``sale`` rows per borrower and month for a typical
        business in a normal month; the other transaction kinds scale with
        it. Sets the size of the transactions table. In ``(0, 1000]``.
    review_months : int, default 6
        Months between credit-line reviews (limit increases, lifting a
        freeze). In ``[1, 36]``.
    min_limit, max_limit : float, default 1 000 and 200 000
        Range of every positive credit limit, CNY (0 is a frozen line).
        ``1 <= min_limit < max_limit <= 10 000 000``.
    vat_invoices : bool, default False
        Also simulate the borrowers' VAT invoices (增值税发票) and add them
        to the records as the ``vat_invoices`` table
        (:data:`jiebei_credit.records.VAT_INVOICES`). They come from a
        random stream of their own, so the seven other tables are the same,
        bit for bit, with and without them.

    Raises
    ------
    InvalidInputError
        When a field has the wrong type (the day and month counts are
        integers, so ``30.0`` is refused; a bool is not a number;
        ``vat_invoices`` is a bool) or is
        outside its range, or ``min_limit >= max_limit``.

    Examples
    --------
    >>> from jiebei_credit.synthetic import SimulationConfig
    >>> SimulationConfig(default_intensity=2.0).default_intensity
    2.0
    >>> SimulationConfig(review_months=0)
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: SimulationConfig: review_months must be an integer ...
    """

    default_intensity: float = 1.0
    onboarding_days: int = 180
    sales_per_month: float = 2.3
    review_months: int = 6
    min_limit: float = 1_000.0
    max_limit: float = 200_000.0
    vat_invoices: bool = False

    def __post_init__(self) -> None:
        # Store plain Python numbers (numpy scalars included) so to_dict() is JSON-ready.
        o = "SimulationConfig"
        checked = {
            "default_intensity": real(self.default_intensity, func=o, name="default_intensity",
                                      low=0.0, high=20.0, low_open=True),
            "onboarding_days": integer(self.onboarding_days, func=o, name="onboarding_days",
                                       low=0, high=3650),
            "sales_per_month": real(self.sales_per_month, func=o, name="sales_per_month", low=0.0,
                                    high=1000.0, low_open=True),
            "review_months": integer(self.review_months, func=o, name="review_months", low=1, high=36),
            "min_limit": real(self.min_limit, func=o, name="min_limit", low=1.0, high=10_000_000.0),
            "max_limit": real(self.max_limit, func=o, name="max_limit", low=1.0, high=10_000_000.0),
            "vat_invoices": flag(self.vat_invoices, func=o, name="vat_invoices"),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)
        if not self.min_limit < self.max_limit:
            raise fail(o, "min_limit", "must be below max_limit",
                       f"{self.min_limit!r} >= {self.max_limit!r}")

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-safe dict, with ``schema`` and ``version``.

        Returns
        -------
        dict of str to object
            ``schema``, ``version`` and every field by name.

        Examples
        --------
        >>> from jiebei_credit.synthetic import SimulationConfig
        >>> d = SimulationConfig(sales_per_month=4.0).to_dict()
        >>> d["schema"], d["version"], d["sales_per_month"]
        ('jiebei_credit.synthetic.SimulationConfig', 1, 4.0)
        >>> SimulationConfig.from_dict(d) == SimulationConfig(sales_per_month=4.0)
        True
        """
        out: dict[str, Any] = {"schema": CONFIG_SCHEMA, "version": CONFIG_VERSION}
        out.update({f.name: getattr(self, f.name) for f in fields(self)})
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SimulationConfig:
        """Rebuild a config from :meth:`to_dict` output.

        Parameters
        ----------
        data : mapping
            The output of :meth:`to_dict`, e.g. read back from JSON.

        Returns
        -------
        SimulationConfig
            A config equal to the one that wrote ``data``.

        Raises
        ------
        InvalidInputError
            When ``schema`` or ``version`` do not match, a field is unknown,
            or a value is out of range.
        """
        return cls(**payload_fields(cls, data, schema=CONFIG_SCHEMA, version=CONFIG_VERSION))


def check_borrowers(n_borrowers: Any) -> int:
    """The number of borrowers as an ``int``, or :class:`InvalidInputError`."""
    return integer(n_borrowers, func="simulate_portfolio", name="n_borrowers", low=1, high=MAX_BORROWERS)


def seed_sequence(value: Any) -> np.random.SeedSequence:
    """The root :class:`numpy.random.SeedSequence` of a run.

    ``value`` is an integer in ``[0, 2**63)``, a ``SeedSequence`` or a
    ``numpy.random.Generator``, from which four 63-bit integers are drawn as
    the entropy (so the generator advances, as with any use of it). A
    ``SeedSequence`` is copied, not spawned from: the caller's object is not
    changed, and the same sequence always gives the same portfolio.
    """
    if isinstance(value, np.random.SeedSequence):
        return np.random.SeedSequence(value.entropy, spawn_key=value.spawn_key, pool_size=value.pool_size,
                                      n_children_spawned=value.n_children_spawned)
    checked = seed(value, func="simulate_portfolio", name="seed", generator=True)
    if isinstance(checked, np.random.Generator):
        entropy = checked.integers(0, 2**63, size=4, dtype=np.int64)
        return np.random.SeedSequence([int(v) for v in entropy])
    return np.random.SeedSequence(int(checked))
