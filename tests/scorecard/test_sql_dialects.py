"""``Scorecard.to_sql(dialect=...)`` run in SQLite and DuckDB equals ``points`` (issue 13, item 4).

Each property fits random cards on typed columns with hostile names (see
``tests/scorecard/sql_cases.py``) and runs the statement in the real engine:
the standard library's ``sqlite3`` and the ``duckdb`` package (skipped where
it is not installed). The expected score of each row is ``points`` on that
row; the SQL score must equal it to 1e-9 relative, and exactly when the
points are rounded (integers add exactly in double arithmetic). Spark SQL
is checked the same way in ``tests/distributed/test_spark_sql.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.scorecard import BinningParams, Scorecard
from tests.scorecard.sql_cases import (
    CAT,
    NUM,
    assert_same,
    duckdb_scores,
    hostile_card,
    python_scores,
    sqlite_scores,
    typed_cards_and_rows,
)


@given(case=typed_cards_and_rows())
def test_sqlite_dialect_equals_points(case):
    if case is None:
        return
    card, rows = case
    # SQLite's literals are exact binary fractions, so even unrounded points agree to the bit
    assert_same(sqlite_scores(card, rows, table="表 t"), python_scores(card, rows), exact=True)


@given(case=typed_cards_and_rows())
def test_duckdb_dialect_equals_points(case):
    pytest.importorskip("duckdb")
    if case is None:
        return
    card, rows = case
    expected = python_scores(card, rows)
    for nan in (False, True):  # missing as NULL, and as a floating NaN DuckDB keeps apart from NULL
        assert_same(duckdb_scores(card, rows, nan=nan, table='my "t"'), expected, card.round_points_)


def test_default_dialect_is_sqlite_and_statements_differ():
    card = hostile_card()
    assert card.to_sql() == card.to_sql(dialect="sqlite")
    spark, duck = card.to_sql(dialect="spark"), card.to_sql(dialect="duckdb")
    assert spark.startswith("SELECT 0E0 + (CASE WHEN `util \"now\" ``x``.月` IS NULL OR isnan(")
    assert duck.startswith('SELECT 0E0 + (CASE WHEN "util ""now"" `x`.月" IS NULL OR isnan(')
    assert "'it\\'s'" in spark  # Spark's backslash escapes
    assert "'back\\\\slash'" in spark
    assert "'it''s'" in duck  # standard SQL: quotes doubled, backslash literal
    assert "'back\\slash'" in duck


def test_no_decimal_literals_in_spark_and_duckdb():
    # a plain 1.5 is a DECIMAL in Spark SQL and DuckDB; every non-integer number must be a DOUBLE
    # literal (scientific notation) so the sum is IEEE double arithmetic, as in Python
    import re

    card = hostile_card()
    for dialect in ("spark", "duckdb"):
        sql = card.to_sql(dialect=dialect)
        code = re.sub(r"'(?:[^'\\]|\\.|'')*'", "''", sql)  # drop text literals
        plain = re.findall(r"(?<![\w.])\d+\.\d+(?![\deE])", code)
        assert plain == [], (dialect, plain[:5])


def test_rounded_points_need_no_sql_round():
    # with round_points=True the points are rounded (half away from zero) at fit and written as
    # integers; the SQL has no ROUND, so the engine's ROUND semantics never enter
    card = hostile_card(round_points=True)
    for dialect in ("sqlite", "spark", "duckdb"):
        assert "ROUND" not in card.to_sql(dialect=dialect).upper()
    rows = pd.DataFrame({NUM: [-1e6, 0.0, 1e6, np.nan], CAT: ["it's", "中文", None, "back\\slash"]})
    assert sqlite_scores(card, rows) == python_scores(card, rows)


def test_duckdb_hostile_rows():
    pytest.importorskip("duckdb")
    for round_points in (False, True):
        card = hostile_card(round_points=round_points)
        rows = pd.DataFrame({
            NUM: [-1e6, 0.0, 0.37, 1e6, np.nan, -0.0],
            CAT: pd.Series(["it's", 'say "hi"', None, "unseen'", "back\\slash", "中文"], dtype=object),
        })
        expected = python_scores(card, rows)
        for nan in (False, True):
            assert_same(duckdb_scores(card, rows, nan=nan), expected, round_points)


def test_bad_dialect_and_names():
    card = hostile_card()
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.to_sql: dialect must be one of 'sqlite', "
                       r"'spark', 'duckdb'; got 'postgres'\.$"):
        card.to_sql(dialect="postgres")
    with pytest.raises(InvalidInputError, match=r"^Scorecard\.to_sql: table must be a non-empty name "
                       r"without NUL characters or lone surrogates; got ''\. Rename it\.$"):
        card.to_sql("", dialect="spark")


def test_features_differing_only_in_case_are_refused():
    # SQLite, Spark and DuckDB match column names case-insensitively: "x" and "X" are one column
    rng = np.random.default_rng(0)
    x = rng.normal(size=2000)
    y = (rng.random(2000) < 1 / (1 + np.exp(-x))).astype(int)
    frame = pd.DataFrame({"x": x, "X": -x + rng.normal(size=2000)})
    card = Scorecard(min_iv=0.0, binning=BinningParams(max_bins=3)).fit(frame, y)
    assert set(card.features_) == {"x", "X"}
    for dialect in ("sqlite", "spark", "duckdb"):
        with pytest.raises(InvalidInputError, match=rf"^Scorecard\.to_sql: the model features must have "
                           rf"names {dialect} can tell apart .*; got 'x' and 'X'\. Rename one"):
            card.to_sql(dialect=dialect)


def test_duckdb_enum_column():
    # DuckDB reads a pandas Categorical as an ENUM; its values must match the text categories
    pytest.importorskip("duckdb")
    card = hostile_card(unseen="worst")
    rows = pd.DataFrame({NUM: [0.1, 0.5, np.nan, 2.0],
                         CAT: pd.Categorical(["it's", "中文", None, "back\\slash"])})
    expected = python_scores(card, rows)
    assert len(set(expected)) == 4  # distinct points: a category read wrongly would show
    assert_same(duckdb_scores(card, rows), expected, exact=False)
