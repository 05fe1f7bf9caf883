"""User feature families, the point-in-time view and check_point_in_time."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pytest

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.features import (
    BUILTIN_FAMILIES,
    FeatureFamily,
    FeatureSpec,
    PointInTimeView,
    check_point_in_time,
    extract,
)
from jiebei_credit.records import RecordSet
from jiebei_credit.synthetic import SimulationConfig, simulate_portfolio


@pytest.fixture(scope="module")
def portfolio() -> tuple[RecordSet, pd.DataFrame]:
    # With VAT invoices, so that the checker runs over the invoices family too.
    rs = simulate_portfolio(40, start="2023-01-01", end="2024-06-01", seed=3,
                            config=SimulationConfig(vat_invoices=True)).records
    ids = rs.borrowers["borrower_id"][:12].tolist()
    obs = pd.DataFrame(
        {
            "borrower_id": ids * 2,
            "as_of": [pd.Timestamp("2023-10-01")] * 12 + [pd.Timestamp("2024-02-01")] * 12,
        },
        index=[f"o{i}" for i in range(24)],
    )
    return rs, obs


def _spec(name: str, family: str = "inq_user", sources: tuple[str, ...] = ("inquiries",)) -> FeatureSpec:
    return FeatureSpec(
        name=name,
        family=family,
        window=None,
        unit="count",
        description="Inquiries.",
        description_zh="查询次数",
        sources=sources,
        category="inquiries",
        nan_meaning="never NaN",
    )


def _family(compute: Callable[[PointInTimeView], Mapping[str, Any]], *names: str) -> FeatureFamily:
    return FeatureFamily("inq_user", ("inquiries",), tuple(_spec(n) for n in names or ("inq_all",)), compute)


GOOD = FeatureFamily(
    "inq_user",
    ("inquiries",),
    (_spec("inq_all"), _spec("inq_90")),
    lambda v: {"inq_all": v.events("inquiries").count(), "inq_90": v.events("inquiries").count(90)},
)


@pytest.mark.parametrize("name", list(BUILTIN_FAMILIES))
def test_every_builtin_family_passes_the_checker(
    name: str, portfolio: tuple[RecordSet, pd.DataFrame]
) -> None:
    rs, obs = portfolio
    report = check_point_in_time(name, rs, obs)
    assert report.passed, str(report)
    assert report.failures == ()


def test_user_family_values_match_an_independent_count(portfolio: tuple[RecordSet, pd.DataFrame]) -> None:
    rs, obs = portfolio
    x = extract(rs, obs, families=["inquiries", GOOD])
    assert list(x.columns[-2:]) == ["inq_all", "inq_90"]
    inq = rs.inquiries
    assert inq is not None
    # Reference: a plain pandas filter per observation (inquired_on < as_of, within 90 days).
    for key, row in obs.iterrows():
        mine = inq[inq["borrower_id"] == row["borrower_id"]]
        day = pd.to_datetime(mine["inquired_on"])
        assert x.loc[key, "inq_all"] == float((day < row["as_of"]).sum())
        assert x.loc[key, "inq_90"] == float(
            ((day < row["as_of"]) & (day >= row["as_of"] - pd.Timedelta(days=90))).sum()
        )
    # The built-in inquiry count over 90 days agrees with the user one.
    assert np.array_equal(x["inq_90"].to_numpy(), x["inq_count_90d"].to_numpy())


def test_user_family_passes_the_checker(portfolio: tuple[RecordSet, pd.DataFrame]) -> None:
    rs, obs = portfolio
    assert check_point_in_time(GOOD, rs, obs, raise_on_failure=True).passed


def test_batch_dependent_family_is_caught(portfolio: tuple[RecordSet, pd.DataFrame]) -> None:
    rs, obs = portfolio

    def rank_in_batch(v: PointInTimeView) -> dict[str, Any]:
        n = v.events("inquiries").count()
        return {"inq_all": n - n.mean()}  # leaks the other applicants of the batch

    leaky = _family(rank_in_batch)
    report = check_point_in_time(leaky, rs, obs)
    assert not report.passed
    assert report.failing_features() == ("inq_all",)
    assert {"alone", "partitioned_observations"} <= {f.check for f in report.failures}
    # the detail quotes plain Python values (``3: 4.0 vs 3.0``), never numpy reprs like np.float64(4.0)
    assert all("np." not in f.detail and "differ, e.g." in f.detail for f in report.failures
               if f.check == "alone")
    with pytest.raises(
        InvalidInputError, match="check_point_in_time: family must pass every point-in-time check"
    ):
        check_point_in_time(leaky, rs, obs, raise_on_failure=True)


@pytest.mark.parametrize(
    ("compute", "message"),
    [
        (
            lambda v: {"inq_all": np.zeros(len(v) + 1)},
            "family 'inq_user' feature 'inq_all' must have one value",
        ),
        (lambda v: {"inq_all": np.array(["a"] * len(v))}, "family 'inq_user' feature 'inq_all' must be real"),
        (lambda v: {"inq_all": pd.Series(np.zeros(len(v)))}, "feature 'inq_all' must be indexed like"),
        (lambda v: {"inq_all": np.zeros(len(v)), "other": np.zeros(len(v))}, "without one: \\['other'\\]"),
        (lambda v: {}, "must return every declared feature"),
        (lambda v: {"inq_all": v.events("loans").count()}, "declared \\('inquiries',\\); got 'loans'"),
    ],
)
def test_bad_compute_output_is_a_clear_error(
    compute: Callable[[PointInTimeView], Mapping[str, Any]],
    message: str,
    portfolio: tuple[RecordSet, pd.DataFrame],
) -> None:
    rs, obs = portfolio
    with pytest.raises(InvalidInputError, match=message):
        extract(rs, obs, families=[_family(compute)])
    report = check_point_in_time(_family(compute), rs, obs)
    assert [f.check for f in report.failures] == ["output"]


def test_names_clashing_or_repeated_are_refused(portfolio: tuple[RecordSet, pd.DataFrame]) -> None:
    rs, obs = portfolio
    clash = FeatureFamily(
        "inquiries", ("inquiries",), (_spec("x", "inquiries"),), lambda v: {"x": np.zeros(len(v))}
    )
    with pytest.raises(InvalidInputError, match="named like a built-in family"):
        extract(rs, obs, families=[clash])
    same = _family(lambda v: {"inq_count_30d": np.zeros(len(v))}, "inq_count_30d")
    with pytest.raises(InvalidInputError, match=r"named like a built-in feature.*inq_count_30d"):
        extract(rs, obs, families=[same])
    with pytest.raises(InvalidInputError, match="must name each family once"):
        extract(rs, obs, families=[GOOD, GOOD])
    with pytest.raises(
        InvalidInputError, match="FeatureFamily: features of family 'inq_user' must have distinct"
    ):
        _family(lambda v: {}, "a", "a")
    with pytest.raises(InvalidInputError, match="may only read its declared tables"):
        FeatureFamily("f", ("inquiries",), (_spec("a", "f", ("loans",)),), lambda v: {})


def test_sources_consent_covers_user_families(portfolio: tuple[RecordSet, pd.DataFrame]) -> None:
    rs, obs = portfolio
    with pytest.raises(InvalidInputError, match="'inq_user' needs 'inquiries'"):
        extract(rs, obs, families=[GOOD], sources=["borrowers", "loans"])


def test_builtin_family_objects_count_as_their_names(portfolio: tuple[RecordSet, pd.DataFrame]) -> None:
    rs, obs = portfolio
    by_object = extract(rs, obs, families=[BUILTIN_FAMILIES["zhima"]])
    pd.testing.assert_frame_equal(by_object, extract(rs, obs, families=["zhima"]), check_exact=True)
