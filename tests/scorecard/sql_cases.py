"""Cards and rows for checking ``Scorecard.to_sql`` in real engines (SQLite, Spark SQL, DuckDB).

Spark and DuckDB type each column, so a categorical column here holds one
kind of value: text (with quotes, backslashes and Chinese), integers, or
booleans. Feature names are hostile: spaces, both quote characters,
backticks, a dot and Chinese. Scoring rows hold training values, values far
beyond the training range, missing values, special values and categories
unseen in training.

The expected score of every row is ``Scorecard.points`` on that row alone,
or ``None`` where ``points`` refuses it (an unseen value under
``unseen="raise"``; the SQL gives ``NULL`` there).
"""

from __future__ import annotations

import math
import sqlite3
import warnings
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from jiebei_credit.errors import DataWarning, InvalidInputError, JiebeiCreditWarning
from jiebei_credit.scorecard import BinningParams, Scorecard

SPECIAL = -99.0
#: Feature names no plain SQL identifier could hold.
NUM = 'util "now" `x`.月'
CAT = "it's 类别 [c]"
TEXTS = ["a", "it's", 'say "hi"', "back\\slash", "中文", "a''b", " a", "A"]
UNSEEN_TEXT = "zz'"


def python_scores(card: Scorecard, frame: pd.DataFrame) -> list[float | None]:
    """Each row's points, or None where ``points`` refuses the row (an unseen value)."""
    out: list[float | None] = []
    for k in frame.index:
        try:
            with warnings.catch_warnings():  # tests only: the library never does this
                warnings.simplefilter("ignore", DataWarning)  # an unseen value scored by the policy
                out.append(float(card.points(frame.loc[[k]]).iloc[0]))
        except InvalidInputError as exc:
            if "must hold only values seen in training" not in str(exc):
                raise
            out.append(None)
    return out


@st.composite
def typed_cards_and_rows(draw: Any) -> tuple[Scorecard, pd.DataFrame] | None:
    """A fitted card (or None where no card fits) and rows to score, with typed columns."""
    n = draw(st.integers(200, 400))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(["text", "int", "bool"]))
    if kind == "text":
        pool: list[Any] = draw(st.lists(st.sampled_from(TEXTS), min_size=2, max_size=5, unique=True))
        unseen: Any = UNSEEN_TEXT
    elif kind == "int":
        pool = draw(st.lists(st.integers(-3, 3), min_size=2, max_size=5, unique=True))
        unseen = 77
    else:
        pool, unseen = [False, True], None
    digits = draw(st.integers(0, 2))
    num = rng.normal(size=n).round(digits) * draw(st.sampled_from([10.0, 0.37]))
    num[rng.random(n) < draw(st.sampled_from([0.0, 0.05]))] = np.nan
    num[rng.random(n) < draw(st.sampled_from([0.0, 0.05]))] = SPECIAL
    codes = rng.integers(0, len(pool), n)
    cat = np.array(pool, dtype=object)[codes]
    cat[rng.random(n) < draw(st.sampled_from([0.0, 0.05]))] = None
    logit = -1.0 + 0.15 * np.nan_to_num(num, nan=5.0).clip(-30, 30) + 0.8 * (codes % 2)
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    params = {
        "round_points": draw(st.booleans()),
        "binning": BinningParams(
            unseen=draw(st.sampled_from(["raise", "worst", "neutral", "missing", "rare"])),
            max_bins=draw(st.integers(2, 5)), min_bin_share=0.02),
        "special_values": {NUM: [SPECIAL]},
        "min_iv": 0.0,
        "categorical": [CAT],
    }
    X = pd.DataFrame({NUM: num, CAT: pd.Series(cat, dtype=object)})
    try:
        with warnings.catch_warnings():  # tests only
            warnings.simplefilter("ignore", JiebeiCreditWarning)  # a card that warns still has SQL
            card = Scorecard(**params).fit(X, pd.Series(y))
    except InvalidInputError as exc:
        text = str(exc)
        assert "no feature is left to fit" in text or "predict y perfectly" in text, text
        return None
    m = draw(st.integers(10, 30))
    picks = rng.integers(0, n, m)
    new_num = num[picks].copy()
    new_cat = cat[picks].copy()
    odd = rng.random(m)
    new_num[odd < 0.15] = 1e6
    new_num[(odd >= 0.15) & (odd < 0.25)] = -1e6
    new_num[(odd >= 0.25) & (odd < 0.35)] = np.nan
    new_num[(odd >= 0.35) & (odd < 0.45)] = SPECIAL
    odd = rng.random(m)
    if unseen is not None:
        new_cat[odd < 0.2] = unseen
    new_cat[(odd >= 0.2) & (odd < 0.3)] = None
    rows = pd.DataFrame({NUM: new_num, CAT: _typed(new_cat, kind)}, index=range(100, 100 + m))
    return card, rows


def _typed(values: np.ndarray, kind: str) -> pd.Series:
    """The categorical column as an engine types it: text (object), float64 or boolean with NULLs."""
    if kind == "text":
        return pd.Series(values, dtype=object)
    if kind == "int":
        return pd.Series([math.nan if v is None else float(v) for v in values], dtype="float64")
    return pd.Series(values, dtype="boolean")


def sqlite_scores(card: Scorecard, frame: pd.DataFrame, table: str = "t") -> list[Any]:
    con = sqlite3.connect(":memory:")
    try:
        frame.reset_index(names="k").to_sql(table, con, index=False)
        got = dict(con.execute(card.to_sql(table, key="k", dialect="sqlite")).fetchall())
    finally:
        con.close()
    return [got[k] for k in frame.index]


def duckdb_scores(card: Scorecard, frame: pd.DataFrame, *, nan: bool = False, table: str = "t") -> list[Any]:
    """Scores from DuckDB; with ``nan``, every NULL of a DOUBLE column is a floating NaN instead."""
    import duckdb

    con = duckdb.connect()
    try:
        con.register("src", frame.reset_index(names="k"))
        cols = []
        for c, dtype in zip(["k", *frame.columns], ["int64", *map(str, frame.dtypes)], strict=True):
            q = '"' + c.replace('"', '""') + '"'
            cols.append(f"coalesce({q}, 'NaN'::DOUBLE) AS {q}" if nan and dtype == "float64" else q)
        qt = '"' + table.replace('"', '""') + '"'
        con.execute(f"CREATE TABLE {qt} AS SELECT {', '.join(cols)} FROM src")
        got = dict(con.execute(card.to_sql(table, key="k", dialect="duckdb")).fetchall())
    finally:
        con.close()
    return [got[k] for k in frame.index]


def spark_scores(spark: Any, card: Scorecard, frame: pd.DataFrame, *, nan: bool = False,
                 table: str = "t") -> list[Any]:
    """Scores from Spark SQL; with ``nan``, every NULL of a DOUBLE column is a floating NaN instead."""
    src = frame.reset_index(names="k")
    spark.createDataFrame(src).createOrReplaceTempView("src")
    cols = []
    for c, dtype in zip(src.columns, map(str, src.dtypes), strict=True):
        q = "`" + c.replace("`", "``") + "`"
        cols.append(f"coalesce({q}, CAST('NaN' AS DOUBLE)) AS {q}" if nan and dtype == "float64" else q)
    qt = "`" + table.replace("`", "``") + "`"
    spark.sql(f"CREATE OR REPLACE TEMP VIEW {qt} AS SELECT {', '.join(cols)} FROM src")
    got = {r[0]: r[1] for r in spark.sql(card.to_sql(table, key="k", dialect="spark")).collect()}
    return [got[k] for k in frame.index]


def assert_same(got: list[Any], expected: list[float | None], exact: bool) -> None:
    """Each SQL score equals the expected one: exactly, or to 1e-9 relative; ``None`` for ``None``."""
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        if e is None:
            assert g is None
        elif exact:
            assert g == e
        else:
            assert g is not None
            assert math.isclose(g, e, rel_tol=1e-9, abs_tol=1e-9), (g, e)


def hostile_card(round_points: bool = False, unseen: str = "neutral") -> Scorecard:
    """A card on the hostile names with text categories holding quotes, a backslash and Chinese."""
    rng = np.random.default_rng(3)
    n = 3000
    num = rng.normal(size=n).round(2) * 0.37
    num[rng.random(n) < 0.05] = np.nan
    cat = rng.choice(np.array(["it's", 'say "hi"', "back\\slash", "中文"], dtype=object), n)
    logit = -1.0 + 2.0 * np.nan_to_num(num) + (cat == "中文")
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    X = pd.DataFrame({NUM: num, CAT: cat})
    return Scorecard(min_iv=0.0, binning=BinningParams(max_bins=4, unseen=unseen),
                     round_points=round_points).fit(X, y)
