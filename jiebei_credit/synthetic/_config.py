"""Knobs of the simulation (:class:`SimulationConfig`) and argument checks."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Final

import numpy as np

from jiebei_credit._persist import payload_fields
from jiebei_credit.errors import InvalidInputError

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

    Raises
    ------
    InvalidInputError
        When a field is outside its range.

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

    def __post_init__(self) -> None:
        # Store plain Python numbers (numpy scalars included) so to_dict() is JSON-ready.
        checked = {
            "default_intensity": _check_real(
                "default_intensity", self.default_intensity, 0.0, 20.0, open_low=True),
            "onboarding_days": _check_int("onboarding_days", self.onboarding_days, 0, 3650),
            "sales_per_month": _check_real(
                "sales_per_month", self.sales_per_month, 0.0, 1000.0, open_low=True),
            "review_months": _check_int("review_months", self.review_months, 1, 36),
            "min_limit": _check_real("min_limit", self.min_limit, 1.0, 10_000_000.0),
            "max_limit": _check_real("max_limit", self.max_limit, 1.0, 10_000_000.0),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)
        if not self.min_limit < self.max_limit:
            raise InvalidInputError(
                f"SimulationConfig: min_limit must be below max_limit; got {self.min_limit!r} "
                f">= {self.max_limit!r}"
            )

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-safe dict, with ``schema`` and ``version``.

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

        Raises
        ------
        InvalidInputError
            When ``schema`` or ``version`` do not match, a field is unknown,
            or a value is out of range.
        """
        return cls(**payload_fields(cls, data, schema=CONFIG_SCHEMA, version=CONFIG_VERSION))


def _check_real(name: str, value: Any, low: float, high: float, *, open_low: bool = False) -> float:
    """``value`` as a Python ``float`` (any real number, numpy scalars included)."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)
    v = float(value) if ok else math.nan
    if not (math.isfinite(v) and (v > low if open_low else v >= low) and v <= high):
        bracket = "(" if open_low else "["
        raise InvalidInputError(
            f"SimulationConfig: {name} must be a number in {bracket}{low:g}, {high:g}]; got {value!r}"
        )
    return v


def _check_int(name: str, value: Any, low: int, high: int) -> int:
    """``value`` as a Python ``int`` (any integral number, numpy integers included)."""
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)
    if not ok or not low <= int(value) <= high:
        raise InvalidInputError(
            f"SimulationConfig: {name} must be an integer in [{low}, {high}]; got {value!r}"
        )
    return int(value)


def check_borrowers(n_borrowers: Any) -> int:
    """The number of borrowers as an ``int``, or :class:`InvalidInputError`."""
    ok = isinstance(n_borrowers, int | np.integer) and not isinstance(n_borrowers, bool)
    if not ok or not 1 <= n_borrowers <= MAX_BORROWERS:
        raise InvalidInputError(
            f"simulate_portfolio: n_borrowers must be an integer in [1, {MAX_BORROWERS:,}]; "
            f"got {n_borrowers!r}"
        )
    return int(n_borrowers)


def seed_sequence(seed: Any) -> np.random.SeedSequence:
    """The root :class:`numpy.random.SeedSequence` of a run.

    ``seed`` is a non-negative integer, a ``SeedSequence`` or a
    ``numpy.random.Generator``, from which four 63-bit integers are drawn as
    the entropy (so the generator advances, as with any use of it).
    """
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        entropy = seed.integers(0, 2**63, size=4, dtype=np.int64)
        return np.random.SeedSequence([int(v) for v in entropy])
    if isinstance(seed, int | np.integer) and not isinstance(seed, bool) and seed >= 0:
        return np.random.SeedSequence(int(seed))
    raise InvalidInputError(
        "simulate_portfolio: seed must be a non-negative integer, a numpy SeedSequence or a "
        f"numpy Generator; got {seed!r}. Pass e.g. seed=7."
    )
