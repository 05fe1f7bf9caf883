"""jiebei_credit.spark against the in-memory functions, in local[2] mode.

Every expected value is the in-memory function's output on the same rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import jiebei_credit as jc

pytest.importorskip("pyspark")
jcs = pytest.importorskip("jiebei_credit.spark")

from tests.distributed.conftest import AS_OF, OBSERVED_UNTIL, Book  # noqa: E402

# PySpark 4.x warns on every pandas 3 conversion and passes pandas the deprecated copy=
# keyword in its Arrow conversion (pyspark/sql/pandas/conversion.py); its warnings, not ours.
pytestmark = [
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

OUTCOME_KW: dict[str, Any] = {"observed_until": OBSERVED_UNTIL, "horizon_days": 180, "min_dpd": 30}


@pytest.fixture(scope="module")
def sbook(book: Book, spark: Any) -> dict[str, Any]:
    tables = {n: spark.createDataFrame(f) for n, f in book.tables.items()}
    obs = spark.createDataFrame(book.observations.reset_index())
    return {"tables": tables, "obs": obs}


def _by_key(frame: pd.DataFrame, key: str, order: pd.Index) -> pd.DataFrame:
    out = frame.set_index(key)
    out.index.name = order.name
    return out.loc[order]


@pytest.fixture(scope="module")
def extracted(book: Book, sbook: dict[str, Any]) -> pd.DataFrame:
    # Computed once (the slowest Spark job here).
    out = jcs.extract(sbook["tables"], sbook["obs"], key="observation_id", npartitions=4)
    got = _by_key(jcs.to_pandas(out), "observation_id", book.X.index)
    got.columns = got.columns.astype(object)  # Arrow gives str labels; the names are compared
    return got


def test_extract_equals_in_memory_exactly(book: Book, extracted: pd.DataFrame) -> None:
    got = extracted
    pd.testing.assert_frame_equal(got, book.X, check_exact=True, check_index_type=False)



def test_outcomes_equal_in_memory_exactly(book: Book, sbook: dict[str, Any]) -> None:
    out = jcs.outcomes(sbook["tables"], sbook["obs"], key="observation_id", npartitions=4, **OUTCOME_KW)
    got = _by_key(jcs.to_pandas(out), "observation_id", book.y.index)["bad"]
    pd.testing.assert_series_equal(got, book.y, check_exact=True, check_index_type=False)


def test_missing_column_raises_schema_error_before_any_job(book: Book, sbook: dict[str, Any]) -> None:
    tables = dict(sbook["tables"])
    tables["loans"] = tables["loans"].drop("principal")
    with pytest.raises(jc.errors.SchemaError) as info:
        jcs.extract(tables, sbook["obs"], key="observation_id")
    assert [(p.table, p.column) for p in info.value.problems] == [("loans", "principal")]


def test_progress_is_refused_before_any_job(sbook: dict[str, Any]) -> None:
    # A progress callback would run once per group on the executors: the Spark UI shows progress.
    with pytest.raises(jc.errors.InvalidInputError,
                       match=r"jiebei_credit.spark.extract: progress is not taken per partition"):
        jcs.extract(sbook["tables"], sbook["obs"], key="observation_id", progress=print)


def test_invalid_row_surfaces_as_the_original_schema_error(
    book: Book, spark: Any, sbook: dict[str, Any]
) -> None:
    loans = book.tables["loans"].copy()
    loans.loc[loans.index[5], "principal"] = -100.0
    with pytest.raises(jc.errors.SchemaError) as mem:
        jc.records.RecordSet.from_frames(**{**book.tables, "loans": loans})
    tables = {**sbook["tables"], "loans": spark.createDataFrame(loans)}
    out = jcs.outcomes(tables, sbook["obs"], key="observation_id", npartitions=4, **OUTCOME_KW)
    with pytest.raises(jc.errors.SchemaError) as dist:
        jcs.to_pandas(out)
    assert type(dist.value) is jc.errors.SchemaError
    assert [(p.table, p.column, p.value) for p in dist.value.problems] == [
        (p.table, p.column, p.value) for p in mem.value.problems]


def _Xs(book: Book, spark: Any) -> Any:
    frame = book.X[list(book.card.features_)].reset_index()
    return spark.createDataFrame(frame).repartition(3)


def test_score_equals_in_memory_exactly(book: Book, spark: Any) -> None:
    got = _by_key(jcs.score(book.card, _Xs(book, spark), key="observation_id").toPandas(),
                  "observation_id", book.X.index)["score"]
    want = book.card.points(book.X)
    np.testing.assert_array_equal(got.to_numpy(), want.to_numpy())


def test_explain_equals_in_memory_exactly(book: Book, spark: Any) -> None:
    got = jcs.explain(book.card, _Xs(book, spark), key="observation_id", top=3).toPandas()
    want = book.card.explain(book.X, top=3)
    got = got.sort_values(["row", "rank"]).reset_index(drop=True)
    want = want.sort_values(["row", "rank"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_exact=True, check_dtype=False)


def test_assign_equals_in_memory_exactly(book: Book, spark: Any) -> None:
    rng = np.random.default_rng(1)
    n = 300
    applicants = pd.DataFrame({
        "app": np.arange(n),
        "pd": rng.uniform(0, 0.2, n),
        "monthly_income": rng.uniform(0, 50_000, n).round(2),
        "existing_debt_service": rng.uniform(0, 3_000, n).round(2),
        "existing_balance": rng.uniform(0, 20_000, n).round(2),
    })
    policy = next(iter(jc.limits.PRESETS.values()))
    got = jcs.assign(spark.createDataFrame(applicants).repartition(3), policy, key="app").toPandas()
    want = jc.limits.assign(applicants.set_index("app"), policy)
    # Spark has no categorical type: category columns come back as strings.
    want = want.astype({c: str for c in want.columns if isinstance(want[c].dtype, pd.CategoricalDtype)})
    got = got.set_index("app").loc[want.index]
    pd.testing.assert_frame_equal(got, want, check_exact=True, check_dtype=False,
                                  check_index_type=False)


@pytest.mark.parametrize("feature", ["util_now", "inq_count_90d"])
def test_psi_equals_in_memory_exactly(book: Book, spark: Any, feature: str) -> None:
    first = book.observations["as_of"] < AS_OF
    ref, cur = book.X.loc[first, [feature]], book.X.loc[~first, [feature]]
    want = jc.metrics.psi(ref[feature], cur[feature], missing="bin")
    got = jcs.psi(spark.createDataFrame(ref).repartition(3), spark.createDataFrame(cur).repartition(2),
                  column=feature, missing="bin")
    assert got.value == want.value
    assert got.status == want.status
    pd.testing.assert_frame_equal(got.table, want.table, check_exact=True)


def test_psi_counts_nothing_for_empty_partitions(book: Book, spark: Any) -> None:
    # Expected: in-memory psi of the same rows; the filter leaves some partitions empty.
    ref = book.X[["util_now"]].iloc[:3000]
    cur = book.X[["util_now"]].iloc[3000:]
    want = jc.metrics.psi(ref["util_now"], cur["util_now"].iloc[:100], missing="bin")
    frame = spark.createDataFrame(cur.reset_index()).repartition(4, "observation_id")
    kept = set(cur.index[:100])
    part = frame.where(frame["observation_id"].isin(list(kept))).select("util_now")
    got = jcs.psi(spark.createDataFrame(ref), part, column="util_now", missing="bin")
    assert got.value == want.value
    pd.testing.assert_frame_equal(got.table, want.table, check_exact=True)
