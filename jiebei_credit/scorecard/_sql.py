"""SQL export of a fitted scorecard."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from jiebei_credit import _validation as V

if TYPE_CHECKING:
    from jiebei_credit.scorecard._model import Scorecard

__all__ = ["scorecard_sql"]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _ident(func: str, what: str, name: object) -> str:
    if not (isinstance(name, str) and _IDENT.match(name)):
        raise V.fail(func, what, "must be a plain SQL identifier (ASCII letters, digits and _, not starting "
                     "with a digit)", repr(name), "Rename it.")
    return f'"{name}"'


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


def _lit(v: object) -> str:
    """A number or a text as an SQL literal (floats as exact expressions, see :func:`_real`)."""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _real(v)
    return "'" + str(v).replace("'", "''") + "'"


def _category(func: str, feature: str, v: object) -> list[str]:
    """The literals a category matches.

    A number is written both as an integer and as a real when it has an
    integer value (``1`` and ``1.0``): Python matches ``1``, ``1.0`` and
    ``True`` to one category, and a text column stores the integer and the
    real as different text ('1', '1.0'). A text must be valid SQL text.
    """
    if isinstance(v, str):
        if "\x00" in v or _unencodable(v):
            raise V.fail(func, f"categories of {feature!r}", "must be text an SQL statement can hold (no NUL "
                         "characters or lone surrogates)", repr(v)[:60], "Recode those categories.")
        return [_lit(v)]
    if isinstance(v, int | float) and float(v).is_integer() and abs(v) < 2**53:
        return [str(int(v)), f"{int(v)}.0"]
    return [_lit(v)]


def _unencodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def scorecard_sql(
    card: Scorecard, table: str = "features", *, score_column: str = "score", key: str | None = None
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
        Plain SQL identifiers (ASCII letters, digits and ``_``): the table
        holding the features, the name of the score column and, optionally,
        a key column to select alongside.

    Returns
    -------
    str
        The ``SELECT`` statement.

    Raises
    ------
    NotFittedError
        Before ``fit``.
    InvalidInputError
        An identifier (or a model feature's name) that is not a plain SQL
        identifier; a category that SQL text cannot hold.

    Notes
    -----
    The table holds one column per model feature with the values as
    ``points`` receives them: numbers in numeric columns (``INTEGER`` or
    ``REAL``), missing values as ``NULL``; categorical columns hold text as
    text and numbers as numbers, in a column without a declared type or of
    ``TEXT`` affinity (which is how pandas' ``DataFrame.to_sql`` stores
    object columns). A category with an integer value is matched in both
    spellings (``IN (1, 1.0)``), as Python matches ``1``, ``1.0`` and
    ``True`` alike; categories an SQL engine could not tell apart (``1`` and
    ``'1'``) are refused when the card is fitted.

    Exactness: the expression adds the features' points left to right, as
    :meth:`Scorecard.points` does. With ``round_points=True`` every point is
    an integer, so any SQL engine gives exactly the Python score. Other
    numbers (unrounded points, edges, special values and categories) are
    written as exact binary fractions, ``(m * 1.0 / 2**k)`` with integer
    literals, which an engine computing in IEEE double (SQLite does) evaluates
    to exactly Python's double: no decimal literal has to be parsed, and some
    engines do not parse every decimal to the nearest double.
    """
    func = "Scorecard.to_sql"
    from jiebei_credit.scorecard._model import Scorecard

    if not isinstance(card, Scorecard):
        raise V.fail(func, "card", "must be a fitted Scorecard", f"a {type(card).__name__}")
    card._check_fitted(func)
    table_sql = _ident(func, "table", table)
    score_sql = _ident(func, "score_column", score_column)
    key_sql = None if key is None else _ident(func, "key", key)
    from jiebei_credit.scorecard._scoring import neutral_points

    neutral = neutral_points(card)
    terms = []
    for f in card.features_:
        b = card.binnings_[f]
        pts = card.points_[f]
        col = _ident(func, f"feature {f!r}", f)
        ext = [*pts, neutral[f]]  # the neutral slot (WOE 0) last
        unseen = "NULL" if b.unseen == "raise" else _lit(ext[b.unseen_row(False)])
        unseen_missing = "NULL" if b.unseen == "raise" else _lit(ext[b.unseen_row(True)])
        parts = [f"WHEN {col} IS NULL THEN " + (_lit(pts[-1]) if b.has_missing else unseen_missing)]
        for sv, row in zip(b.special_values, b.special_bins, strict=True):
            then = _lit(pts[row]) if row >= 0 else unseen
            if b.kind == "numeric":
                parts.append(f"WHEN {col} = {_lit(sv)} THEN {then}")
            else:
                parts.append(f"WHEN {col} IN ({', '.join(_category(func, f, sv))}) THEN {then}")
        if b.kind == "numeric":
            for k, e in enumerate(b.edges):
                parts.append(f"WHEN {col} < {_lit(float(e))} THEN {_lit(pts[k])}")
            parts.append(f"ELSE {_lit(pts[b.n_regular - 1])}")
        else:
            for k, grp in enumerate(b.groups):
                literals = [lit for c in grp for lit in _category(func, f, c)]
                parts.append(f"WHEN {col} IN ({', '.join(literals)}) THEN {_lit(pts[k])}")
            parts.append(f"ELSE {unseen}")
        terms.append("(CASE " + " ".join(parts) + " END)")
    select = [key_sql] if key_sql is not None else []
    select.append("0.0 + " + "\n     + ".join(terms) + f" AS {score_sql}")
    return "SELECT " + ",\n       ".join(select) + f"\nFROM {table_sql}"
