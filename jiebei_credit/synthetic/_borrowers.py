"""Static borrower attributes: segment, latent creditworthiness, size, line terms.

Every quantity that later drives behaviour is drawn here once per borrower:
the segment (business type, industry, region, registration date), the
latent risk ``z`` and the risk index ``r = z + segment effect``, the size of
the business (median monthly receipts), the stability of its receipts, the
propensity to draw on the line, and the terms of the credit line when it
opens (day, limit, daily rate).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from jiebei_credit.records import BusinessType
from jiebei_credit.synthetic._config import SimulationConfig

__all__ = ["BUSINESS_TYPES", "INDUSTRIES", "REGIONS", "Borrowers", "draw_borrowers", "floor_to"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Industries: share of borrowers, log-hazard shift, median monthly receipts (CNY).
INDUSTRIES: Final[dict[str, tuple[float, float, float]]] = {
    "catering": (0.22, 0.30, 30_000.0),
    "retail": (0.28, 0.10, 35_000.0),
    "wholesale": (0.12, -0.05, 80_000.0),
    "services": (0.16, -0.10, 20_000.0),
    "logistics": (0.08, 0.20, 45_000.0),
    "manufacturing": (0.08, 0.00, 70_000.0),
    "agriculture": (0.06, 0.25, 25_000.0),
}

#: Business types: share, log-hazard shift, receipts multiple.
BUSINESS_TYPES: Final[dict[str, tuple[float, float, float]]] = {
    BusinessType.INDIVIDUAL_BUSINESS.value: (0.55, 0.00, 1.0),
    BusinessType.UNREGISTERED.value: (0.15, 0.40, 0.5),
    BusinessType.SOLE_PROPRIETORSHIP.value: (0.08, -0.05, 1.3),
    BusinessType.PARTNERSHIP.value: (0.04, 0.05, 1.6),
    BusinessType.LIMITED_COMPANY.value: (0.18, -0.30, 2.2),
}

#: Regions (provinces): share and a small log-hazard shift.
REGIONS: Final[dict[str, tuple[float, float]]] = {
    "Guangdong": (0.14, 0.00),
    "Zhejiang": (0.13, -0.10),
    "Jiangsu": (0.11, -0.08),
    "Shandong": (0.09, 0.02),
    "Henan": (0.08, 0.08),
    "Sichuan": (0.07, 0.05),
    "Fujian": (0.06, -0.03),
    "Hubei": (0.06, 0.03),
    "Hunan": (0.05, 0.06),
    "Anhui": (0.05, 0.04),
    "Hebei": (0.05, 0.07),
    "Shanghai": (0.04, -0.12),
    "Beijing": (0.03, -0.12),
    "Yunnan": (0.02, 0.10),
    "Guangxi": (0.02, 0.10),
}

#: Median business age at ``start`` (years) and the log-hazard slope per log-year of age.
MEDIAN_AGE_YEARS: Final = 4.0
AGE_SLOPE: Final = -0.20
#: Business age at ``start`` is drawn in ``[0.25, MAX_AGE_YEARS]`` years.
MAX_AGE_YEARS: Final = 30.0
DAYS_PER_YEAR: Final = 365.25
#: Most days a registration date lies before ``start``: ``round(MAX_AGE_YEARS · DAYS_PER_YEAR)``.
MAX_AGE_DAYS: Final = 10_958
#: Limit at opening = LIMIT_MULTIPLE × median monthly receipts × exp(-LIMIT_RISK × r), noisy.
LIMIT_MULTIPLE: Final = 0.6
LIMIT_RISK: Final = 0.35
#: Opening daily rate = RATE_MID + RATE_RISK × r + noise, within the DOMAIN range.
RATE_MID: Final = 0.00036
RATE_RISK: Final = 0.00007
MIN_DAILY_RATE: Final = 0.00015
MAX_DAILY_RATE: Final = 0.0006


def floor_to(x: FloatArray, step: float) -> FloatArray:
    """Round down to a multiple of ``step`` (limits and principals to 100 CNY)."""
    return np.floor(x / step + 1e-9) * step


@dataclass(frozen=True, slots=True)
class Borrowers:
    """Per-borrower arrays (position ``i`` is borrower ``i``)."""

    business_type: IntArray  # index into BUSINESS_TYPES
    industry: IntArray  # index into INDUSTRIES
    region: IntArray  # index into REGIONS
    registered_day: IntArray  # day number; only meaningful where ``registered``
    registered: npt.NDArray[np.bool_]
    latent: FloatArray  # z ~ N(0, 1), higher is riskier
    segment: FloatArray  # log-hazard shift of the segment
    receipts: FloatArray  # median monthly receipts, CNY
    volatility: FloatArray  # sd of log monthly receipts
    usage: FloatArray  # propensity to draw on the line (logit shift)
    open_day: IntArray
    limit0: FloatArray
    rate0: FloatArray

    @property
    def n(self) -> int:
        return int(self.latent.size)

    @property
    def risk(self) -> FloatArray:
        """Risk index ``r = z + segment``; the hazard and transitions load on it."""
        return self.latent + self.segment


def _weights(table: Mapping[str, tuple[float, ...]]) -> FloatArray:
    w = np.array([v[0] for v in table.values()], dtype=np.float64)
    out: FloatArray = w / w.sum()
    return out


def _column(table: Mapping[str, tuple[float, ...]], k: int) -> FloatArray:
    return np.array([v[k] for v in table.values()], dtype=np.float64)


def draw_borrowers(
    rng: np.random.Generator, n: int, *, start: int, end: int, config: SimulationConfig
) -> Borrowers:
    """Draw the static attributes of ``n`` borrowers observed over ``[start, end)``."""
    btype = rng.choice(len(BUSINESS_TYPES), size=n, p=_weights(BUSINESS_TYPES)).astype(np.int64)
    industry = rng.choice(len(INDUSTRIES), size=n, p=_weights(INDUSTRIES)).astype(np.int64)
    region = rng.choice(len(REGIONS), size=n, p=_weights(REGIONS)).astype(np.int64)
    unregistered = list(BUSINESS_TYPES).index(BusinessType.UNREGISTERED.value)
    registered = btype != unregistered
    # Age of the business at ``start``: lognormal around the median, 3 months to 30 years.
    age_years = np.clip(MEDIAN_AGE_YEARS * np.exp(rng.normal(0.0, 0.8, n)), 0.25, MAX_AGE_YEARS)
    registered_day = start - np.round(age_years * DAYS_PER_YEAR).astype(np.int64)
    age_effect = AGE_SLOPE * (np.log(age_years) - np.log(MEDIAN_AGE_YEARS))
    segment = (
        _column(BUSINESS_TYPES, 1)[btype]
        + _column(INDUSTRIES, 1)[industry]
        + _column(REGIONS, 1)[region]
        + age_effect
    )
    latent = rng.standard_normal(n)
    risk = latent + segment
    size_noise = rng.normal(0.0, 0.6, n)
    receipts = (
        _column(INDUSTRIES, 2)[industry]
        * _column(BUSINESS_TYPES, 2)[btype]
        * np.exp(-0.25 * latent + size_noise)
    )
    volatility = 0.12 + 0.18 / (1.0 + np.exp(-risk))
    usage = rng.normal(0.0, 0.8, n)
    window = max(0, min(config.onboarding_days, end - start - 1))
    open_day = start + rng.integers(0, window + 1, size=n).astype(np.int64)
    raw_limit = LIMIT_MULTIPLE * receipts * np.exp(-LIMIT_RISK * risk + rng.normal(0.0, 0.35, n))
    limit0 = floor_to(np.clip(raw_limit, config.min_limit, config.max_limit), 100.0)
    limit0 = np.maximum(limit0, config.min_limit)
    rate0 = np.round(RATE_MID + RATE_RISK * risk + rng.normal(0.0, 0.00003, n), 5)
    rate0 = np.clip(rate0, MIN_DAILY_RATE, MAX_DAILY_RATE)
    return Borrowers(
        business_type=btype,
        industry=industry,
        region=region,
        registered_day=registered_day,
        registered=registered,
        latent=latent,
        segment=segment,
        receipts=receipts,
        volatility=volatility,
        usage=usage,
        open_day=open_day,
        limit0=limit0,
        rate0=rate0,
    )
