"""SQL export of a fitted scorecard."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal

from jiebei_credit import _validation as V

if TYPE_CHECKING:
    from jiebei_credit.scorecard._model import Scorecard

__all__ = ["scorecard_sql"]

#: The dialects :func:`scorecard_sql` writes, each verified in its engine by the test suite.
DIALECTS = ("sqlite", "spark", "duckdb")
SqlDialect = Literal["sqlite", "spark", "duckdb"]


def _ident(func: str, what: str, name: Any, dialect: str) -> str:
    """``name`` as a quoted identifier: any non-empty text, quotes doubled inside.

    SQLite and DuckDB quote with ``"`` (standard SQL), Spark with backticks.
    """
    text = V.sql_name(name, func=func, name=what)
    if dialect == "spark":
        return "`" + text.replace("`", "``") + "`"
    return '"' + text.replace('"', '""') + '"'


def _fold(name: str, dialect: str) -> str:
    """How the engine compares column names: SQLite folds ASCII letters only, the others all letters."""
    if dialect == "sqlite":
        return name.translate(_ASCII_LOWER)
    return name.lower()


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


#: Largest power of two written as one integer literal (integers below 2**63 are exact in SQL).
_CHUNK = 62


def _real(v: float) -> str:
    """A finite float as an SQL expression that evaluates to exactly this double.

    Integer values below 2**53 are integer literals. Other values are written
    as an exact binary fraction, ``(m * 1.0 / 2**k)`` with integer literals
    (``m`` odd, below 2**53) and the decimal in a comment for the reader:
    every step is exact in IEEE double arithmetic,
    whereas decimal literals are not always read to the nearest double
    (SQLite before 3.43 misreads about one short decimal in a few thousand,
    enough to move a value that sits on a bin edge into the next bin).
    """
    if v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    mantissa, exponent = math.frexp(v)
    m, e = int(mantissa * 2**53), exponent - 53  # v == m * 2**e exactly
    while m % 2 == 0:
        m //= 2
        e += 1
    op, e = ("*", e) if e > 0 else ("/", -e)
    steps = []
    while e > 0:
        step = min(e, _CHUNK)
        steps.append(f" {op} {2**step}")
        e -= step
    return f"({m} * 1.0{''.join(steps)} /* {v!r} */)"


def _double(v: float) -> str:
    """A finite float as a DOUBLE literal of Spark SQL and DuckDB.

    Integer values below 2**53 are integer literals; others are Python's
    shortest repr in scientific notation (``1.5E0``, ``1e-05``), which both
    engines read as a DOUBLE, to the nearest double. A plain decimal such as
    ``1.5`` would be a DECIMAL there, and arithmetic on it is not IEEE double.
    """
    if v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    text = repr(v)
    return text if "e" in text else text + "E0"


def _text(v: str, dialect: str) -> str:
    r"""A text literal: quotes doubled (standard SQL), or backslash escapes in Spark SQL.

    Spark SQL reads ``\`` escapes in its literals, and Spark before 4.0
    reads ``'a''b'`` as two adjacent literals, ``'ab'``.
    """
    if dialect == "spark":
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return "'" + v.replace("'", "''") + "'"


def _lit(v: object, dialect: str = "sqlite") -> str:
    """A number or a text as an SQL literal of the dialect (see :func:`_real`, :func:`_double`)."""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _real(v) if dialect == "sqlite" else _double(v)
    return _text(str(v), dialect)


def _category(func: str, feature: str, v: object) -> list[str]:
    """The literals a category matches in SQLite.

    A number is written both as an integer and as a real when it has an
    integer value (``1`` and ``1.0``): Python matches ``1``, ``1.0`` and
    ``True`` to one category, and a text column stores the integer and the
    real as different text ('1', '1.0'). A text must be valid SQL text.
    """
    _check_text(func, feature, v)
    if isinstance(v, str):
        return [_lit(v)]
    if isinstance(v, int | float) and float(v).is_integer() and abs(v) < 2**53:
        return [str(int(v)), f"{int(v)}.0"]
    return [_lit(v)]


def _check_text(func: str, feature: str, v: object) -> None:
    if isinstance(v, str) and ("\x00" in v or _unencodable(v)):
        raise V.fail(func, f"categories of {feature!r}", "must be text an SQL statement can hold (no NUL "
                     "characters or lone surrogates)", repr(v)[:60], "Recode those categories.")


def _unencodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class _Typed:
    """Conditions on a categorical column of Spark SQL or DuckDB, whose columns hold one type each.

    A text category matches a text column's value; a number (or a boolean)
    matches a non-text column's value that equals it as a DOUBLE. So a
    category never meets a value of the other kind, which is what Python
    does (``'1' != 1``), and no cast can fail under Spark's ANSI mode.
    """

    def __init__(self, col: str, dialect: str) -> None:
        self.col = col
        self.dialect = dialect
        if dialect == "spark":
            self.is_text = f"typeof({col}) = 'string'"
            self.is_float = f"typeof({col}) IN ('double', 'float')"
            self.as_text = f"CAST({col} AS STRING)"
        else:
            self.is_text = f"(typeof({col}) = 'VARCHAR' OR typeof({col}) LIKE 'ENUM(%')"
            self.is_float = f"typeof({col}) IN ('DOUBLE', 'FLOAT')"
            self.as_text = f"CAST({col} AS VARCHAR)"
        self.as_double = f"TRY_CAST({col} AS DOUBLE)"

    def missing(self) -> str:
        """NULL, or a floating NaN (Python reads NaN as missing; Spark and DuckDB keep it apart)."""
        return f"{self.col} IS NULL OR ({self.is_float} AND isnan({self.as_double}))"

    def matches(self, func: str, feature: str, categories: list[object]) -> str:
        texts, numbers = [], []
        for c in categories:
            _check_text(func, feature, c)
            if isinstance(c, str):
                texts.append(_text(c, self.dialect))
            else:
                numbers.append(_double(float(c)))  # type: ignore[arg-type]
        parts = []
        if texts:
            parts.append(f"({self.is_text} AND {self.as_text} IN ({', '.join(texts)}))")
        if numbers:
            parts.append(f"(NOT {self.is_text} AND {self.as_double} IN ({', '.join(numbers)}))")
        return " OR ".join(parts) if parts else "FALSE"


def scorecard_sql(
    card: Scorecard,
    table: str = "features",
    *,
    score_column: str = "score",
    key: str | None = None,
    dialect: SqlDialect = "sqlite",
) -> str:
    """``SELECT [key,] <sum of CASE expressions> AS score FROM table``.

    Each feature becomes a ``CASE``: missing (``IS NULL``) first, then
    special values, then the numeric bins as ``< edge`` tests in order (or
    ``IN (...)`` lists for categories). Values beyond the training range fall
    in the edge bins like in Python. Values without a training bin give
    ``NULL`` when the card's ``unseen='raise'`` (so the score is ``NULL``),
    and otherwise the points the card's ``unseen`` policy gives them in
    Python (the riskiest bin, the missing or rare bin, or the neutral points
    of WOE 0).

    Parameters
    ----------
    card : Scorecard
        A fitted card.
    table, score_column, key : str
        The table holding the features, the name of the score column and,
        optionally, a key column to select alongside. Any non-empty name:
        each is quoted (``"..."``, backticks in Spark), quotes inside it
        doubled. ``table`` is one name; to read ``schema.table``, make a view.
    dialect : {"sqlite", "spark", "duckdb"}, default "sqlite"
        The SQL engine that runs the statement. ``"sqlite"`` writes the
        output of earlier releases.

    Returns
    -------
    str
        The ``SELECT`` statement.

    Raises
    ------
    NotFittedError
        Before ``fit``.
    InvalidInputError
        An empty name or one with NUL characters; model features whose names
        the engine cannot tell apart (they differ only in letter case); a
        category that SQL text cannot hold; an unknown ``dialect``.

    Notes
    -----
    The table holds one column per model feature with the values as
    ``points`` receives them, missing values as ``NULL`` (or, in Spark and
    DuckDB, a floating NaN). Column names match case-insensitively in all
    three engines, so model features differing only in letter case are
    refused.

    SQLite: numeric columns are ``INTEGER`` or ``REAL``; categorical columns
    hold text as text and numbers as numbers, in a column without a
    declared type or of ``TEXT`` affinity (which is how pandas'
    ``DataFrame.to_sql`` stores object columns). A category with an integer
    value is matched in both spellings (``IN (1, 1.0)``), as Python matches
    ``1``, ``1.0`` and ``True`` alike; categories an SQL engine could not
    tell apart (``1`` and ``'1'``) are refused when the card is fitted.

    Spark SQL and DuckDB: a column holds one type. A categorical column of
    text (``STRING``, ``VARCHAR`` or a DuckDB ``ENUM``) matches text
    categories; a numeric or boolean column matches numeric categories by
    value (``true`` is 1). Numbers are written as DOUBLE literals
    (``1.5E0``), so all arithmetic is IEEE double: a plain ``1.5`` would be
    a DECIMAL in both engines. Spark's text literals use backslash escapes,
    as Spark reads them by default (``spark.sql.parser.escapedStringLiterals``
    off).

    Exactness: the expression adds the features' points left to right,
    starting from a double zero, as :meth:`Scorecard.points` does. SQL
    never rounds: with ``round_points=True`` the points were rounded (half
    away from zero) when the card was fitted and are integers in the SQL,
    so every engine gives exactly the Python score whatever its ``ROUND``
    does. In SQLite other numbers (unrounded points, edges, special values
    and categories) are written as exact binary fractions,
    ``(m * 1.0 / 2**k)`` with integer literals, which SQLite evaluates to
    exactly Python's double: some SQLite releases do not parse every decimal
    to the nearest double. Spark and DuckDB read shortest decimals to the
    nearest double.
    """
    func = "Scorecard.to_sql"
    from jiebei_credit.scorecard._model import Scorecard

    if not isinstance(card, Scorecard):
        raise V.fail(func, "card", "must be a fitted Scorecard", f"a {type(card).__name__}")
    dialect = V.choice(dialect, DIALECTS, func=func, name="dialect")
    card._check_fitted(func)
    table_sql = _ident(func, "table", table, dialect)
    score_sql = _ident(func, "score_column", score_column, dialect)
    key_sql = None if key is None else _ident(func, "key", key, dialect)
    seen: dict[str, str] = {}
    for f in card.features_:
        other = seen.setdefault(_fold(V.sql_name(f, func=func, name=f"feature {f!r}"), dialect), f)
        if other != f:
            raise V.fail(func, "the model features", f"must have names {dialect} can tell apart (it "
                         "matches column names case-insensitively)", f"{other!r} and {f!r}",
                         "Rename one of the columns and refit.")
    from jiebei_credit.scorecard._scoring import neutral_points

    neutral = neutral_points(card)
    terms = []
    for f in card.features_:
        terms.append(_case(func, card, f, neutral[f], dialect))
    select = [key_sql] if key_sql is not None else []
    zero = "0.0" if dialect == "sqlite" else "0E0"
    select.append(f"{zero} + " + "\n     + ".join(terms) + f" AS {score_sql}")
    return "SELECT " + ",\n       ".join(select) + f"\nFROM {table_sql}"


def _case(func: str, card: Scorecard, f: str, neutral: float, dialect: str) -> str:
    """The ``CASE`` expression giving feature ``f``'s points."""
    b = card.binnings_[f]
    pts = card.points_[f]
    col = _ident(func, f"feature {f!r}", f, dialect)

    def lit(v: object) -> str:
        return _lit(v, dialect)

    ext = [*pts, neutral]  # the neutral slot (WOE 0) last
    unseen = "NULL" if b.unseen == "raise" else lit(ext[b.unseen_row(False)])
    unseen_missing = "NULL" if b.unseen == "raise" else lit(ext[b.unseen_row(True)])
    typed = None if dialect == "sqlite" else _Typed(col, dialect)
    if typed is None:
        is_missing = f"{col} IS NULL"
    elif b.kind == "numeric":
        is_missing = f"{col} IS NULL OR isnan({col})"
    else:
        is_missing = typed.missing()
    parts = [f"WHEN {is_missing} THEN " + (lit(pts[-1]) if b.has_missing else unseen_missing)]
    for sv, row in zip(b.special_values, b.special_bins, strict=True):
        then = lit(pts[row]) if row >= 0 else unseen
        if b.kind == "numeric":
            parts.append(f"WHEN {col} = {lit(sv)} THEN {then}")
        elif typed is None:
            parts.append(f"WHEN {col} IN ({', '.join(_category(func, f, sv))}) THEN {then}")
        else:
            parts.append(f"WHEN {typed.matches(func, f, [sv])} THEN {then}")
    if b.kind == "numeric":
        for k, e in enumerate(b.edges):
            parts.append(f"WHEN {col} < {lit(float(e))} THEN {lit(pts[k])}")
        parts.append(f"ELSE {lit(pts[b.n_regular - 1])}")
    else:
        for k, grp in enumerate(b.groups):
            if typed is None:
                literals = [x for c in grp for x in _category(func, f, c)]
                parts.append(f"WHEN {col} IN ({', '.join(literals)}) THEN {lit(pts[k])}")
            else:
                parts.append(f"WHEN {typed.matches(func, f, list(grp))} THEN {lit(pts[k])}")
        parts.append(f"ELSE {unseen}")
    return "(CASE " + " ".join(parts) + " END)"
