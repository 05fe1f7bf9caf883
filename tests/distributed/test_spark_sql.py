"""``Scorecard.to_sql(dialect="spark")`` run in Spark SQL equals ``points`` (issue 13, item 4).

The rows go to the shared ``local[2]`` session through ``createDataFrame``
and a temporary view; the statement runs with ``spark.sql``. Spark reads a
plain ``1.5`` as a DECIMAL, keeps NaN apart from NULL, types each column and
runs in ANSI mode (a failed cast is an error), so the Spark statement is
checked on the same random cards as SQLite and DuckDB
(``tests/scorecard/sql_cases.py``): hostile feature names, text categories
with quotes and backslashes, integer and boolean categories, and missing,
NaN, special, unseen and out-of-range values. Every score equals ``points``
on the row to 1e-9 relative, exactly when the points are rounded.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from tests.scorecard.sql_cases import (
    CAT,
    NUM,
    assert_same,
    hostile_card,
    python_scores,
    spark_scores,
    typed_cards_and_rows,
)

pytest.importorskip("pyspark")

# PySpark 4.x warns on every pandas 3 conversion and passes pandas the deprecated copy=
# keyword in its Arrow conversion (pyspark/sql/pandas/conversion.py); its warnings, not ours.
pytestmark = [
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]


# Each example starts Spark jobs (about half a second each), so fewer examples than the profile's.
@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=typed_cards_and_rows())
def test_spark_dialect_equals_points(spark: Any, case: Any) -> None:
    if case is None:
        return
    card, rows = case
    expected = python_scores(card, rows)
    for nan in (False, True):  # missing as NULL, and as a floating NaN Spark keeps apart from NULL
        assert_same(spark_scores(spark, card, rows, nan=nan, table="表 `t`"), expected, card.round_points_)


def test_spark_hostile_rows(spark: Any) -> None:
    for round_points in (False, True):
        for unseen in ("raise", "worst"):
            card = hostile_card(round_points=round_points, unseen=unseen)
            rows = pd.DataFrame({
                NUM: [-1e6, 0.0, 0.37, 1e6, np.nan, -0.0],
                CAT: pd.Series(["it's", 'say "hi"', None, "unseen'", "back\\slash", "中文"], dtype=object),
            })
            expected = python_scores(card, rows)
            assert (expected[3] is None) == (unseen == "raise")  # the unseen category
            for nan in (False, True):
                assert_same(spark_scores(spark, card, rows, nan=nan), expected, round_points)


def test_spark_score_is_double(spark: Any) -> None:
    # the sum is a DOUBLE, not a DECIMAL, even when every point is an integer
    card = hostile_card(round_points=True)
    rows = pd.DataFrame({NUM: [0.1], CAT: ["中文"]})
    spark.createDataFrame(rows).createOrReplaceTempView("one")
    frame = spark.sql(card.to_sql("one", dialect="spark"))
    assert frame.schema["score"].dataType.simpleString() == "double"
    assert frame.collect()[0][0] == python_scores(card, rows)[0]
