"""SQL export of a fitted scorecard."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from jiebei_credit.errors import InvalidInputError

if TYPE_CHECKING:
    from jiebei_credit.scorecard._model import Scorecard

__all__ = ["scorecard_sql"]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _ident(func: str, name: str) -> str:
    if not _IDENT.match(name):
        raise InvalidInputError(
            f"{func}: {name!r} is not a plain SQL identifier (letters, digits, _); rename it."
        )
    return f'"{name}"'


def _lit(v: object) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 2**53 else repr(v)
    return "'" + str(v).replace("'", "''") + "'"


def scorecard_sql(
    card: Scorecard, table: str = "features", *, score_column: str = "score", key: str | None = None
) -> str:
    """``SELECT [key,] <sum of CASE expressions> AS score FROM table``.

    Each feature becomes a ``CASE``: missing (``IS NULL``) first, then
    special values, then the numeric bins as ``< edge`` tests in order (or
    ``IN (...)`` lists for categories). Values beyond the training range fall
    in the edge bins like in Python. Values without a training bin give
    ``NULL`` when the card's ``unseen='raise'`` (so the score is ``NULL``)
    and the riskiest bin's points when ``unseen='worst'``.

    Notes
    -----
    Exactness: the expression adds the features' points left to right, as
    :meth:`Scorecard.score` does. With ``round_points=True`` every point is
    an integer, so any SQL engine gives exactly the Python score. Unrounded
    points are written with 17 significant digits (Python's ``repr``, which
    round-trips); SQL engines that parse decimals to the nearest double and
    add in IEEE double (SQLite does) then give identical results too.
    """
    func = "Scorecard.to_sql"
    card._check_fitted(func)
    terms = []
    for f in card.features_:
        b = card.binnings_[f]
        pts = card.points_[f]
        col = _ident(func, f)
        worst = _lit(pts[min(range(len(pts)), key=lambda k: pts[k])])
        unseen = worst if b.unseen == "worst" else "NULL"
        parts = [f"WHEN {col} IS NULL THEN " + (_lit(pts[-1]) if b.has_missing else unseen)]
        for sv, row in zip(b.special_values, b.special_bins, strict=True):
            parts.append(f"WHEN {col} = {_lit(sv)} THEN " + (_lit(pts[row]) if row >= 0 else unseen))
        if b.kind == "numeric":
            for k, e in enumerate(b.edges):
                parts.append(f"WHEN {col} < {_lit(float(e))} THEN {_lit(pts[k])}")
            parts.append(f"ELSE {_lit(pts[b.n_regular - 1])}")
        else:
            for k, grp in enumerate(b.groups):
                parts.append(f"WHEN {col} IN ({', '.join(_lit(c) for c in grp)}) THEN {_lit(pts[k])}")
            parts.append(f"ELSE {unseen}")
        terms.append("(CASE " + " ".join(parts) + " END)")
    select = [_ident(func, key)] if key is not None else []
    select.append("0.0 + " + "\n     + ".join(terms) + f" AS {_ident(func, score_column)}")
    return "SELECT " + ",\n       ".join(select) + f"\nFROM {_ident(func, table)}"
