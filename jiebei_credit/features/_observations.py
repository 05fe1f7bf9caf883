"""Checking the observations frame and the arguments shared by extract and outcomes.

Every rule comes from :mod:`jiebei_credit._validation`, so observations are
read exactly as the record tables are: identifiers are strings or whole
numbers, dates are read the library's one way (ISO 8601 unless a
``date_format`` is declared; numbers, relative words and out-of-range dates
refused; pyarrow ``timestamp`` / ``date32`` accepted).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit._keys import positions
from jiebei_credit.features._kernels import IntArray, day_numbers
from jiebei_credit.records import RecordSet

__all__ = [
    "REQUIRED_COLUMNS",
    "Observations",
    "check_date",
    "check_observations",
    "check_records",
    "selection",
]

#: Columns an observations frame must have.
REQUIRED_COLUMNS: Final = ("borrower_id", "as_of")


class Observations:
    """A checked observations frame: borrower codes and as-of day numbers, in the caller's order."""

    __slots__ = ("code", "day", "index")

    def __init__(self, *, index: pd.Index, code: IntArray, day: IntArray) -> None:
        self.index = index
        self.code = code
        self.day = day

    def __len__(self) -> int:
        return int(self.code.size)


def check_records(records: object, *, func: str) -> RecordSet:
    """``records`` must be a :class:`~jiebei_credit.records.RecordSet`."""
    if not isinstance(records, RecordSet):
        raise V.fail(func, "records", "must be a jiebei_credit.records.RecordSet",
                     f"a {type(records).__name__}", "Build one with RecordSet.from_frames(...).")
    return records


def check_date(value: object, *, func: str, name: str, date_format: str | None = None) -> int:
    """A single date parameter (no time of day, not missing) as a day number."""
    ts = V.date(value, func=func, name=name, date_format=date_format, whole_day=True)
    return int(day_numbers(np.array([ts.to_datetime64()]))[0])


def check_observations(
    observations: object, records: RecordSet, *, func: str, date_format: str | None = None
) -> Observations:
    """Check ``observations`` (columns ``borrower_id``, ``as_of``) against ``records``.

    Rules: a DataFrame; both columns present, once each; a unique index; no
    missing borrower or date; every borrower in ``records.borrowers``;
    identifiers that are strings or whole numbers; dates without a time of
    day, read the library's one way. Other columns are ignored.
    """
    frame = V.as_frame(observations, func=func, name="observations")
    columns = list(frame.columns)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        present = ", ".join(repr(c) for c in columns[: V.SHOWN]) + (", …" if len(columns) > V.SHOWN else "")
        raise V.fail(func, "observations", f"must have the columns {', '.join(map(repr, REQUIRED_COLUMNS))}",
                     f"a frame lacking {', '.join(map(repr, missing))} (columns: {present or 'none'})",
                     "Rename your columns to borrower_id and as_of.")
    repeated = [c for c in REQUIRED_COLUMNS if columns.count(c) > 1]
    if repeated:
        raise V.fail(func, "observations", "must have each of the columns 'borrower_id', 'as_of' once",
                     f"{', '.join(f'{c!r} {columns.count(c)} times' for c in repeated)}",
                     "Drop the extra columns.")
    index = frame.index
    dup = np.asarray(index.duplicated(keep=False), dtype=bool)
    if dup.any():
        raise V.fail(func, "observations.index", "must be unique (the output keeps it, one row each)",
                     V.offending(dup, np.asarray(index, dtype=object), index),
                     "Make it unique, e.g. observations.reset_index(drop=True).")
    ids = V.ids(frame["borrower_id"], func=func, name="observations.borrower_id")
    code = positions(records._shared("borrowers")["borrower_id"], ids)  # type: ignore[index]
    unknown = code < 0
    if unknown.any():
        raise V.fail(func, "observations.borrower_id", "must be borrowers of records.borrowers",
                     V.offending(unknown, np.asarray(ids, dtype=object), index),
                     "Add them to the borrowers table or drop those observations.")
    dates = V.dates(frame["as_of"], func=func, name="observations.as_of", date_format=date_format,
                    whole_days=True)
    return Observations(index=index.copy(), code=code.astype(np.int64), day=day_numbers(dates))


def selection(names: Any, *, func: str, param: str, allowed: Sequence[str]) -> tuple[str, ...] | None:
    """``None`` or a validated tuple of names from ``allowed`` (repeats dropped, order kept).

    A list, tuple, array, Index or Series of names; a set is accepted too,
    since a selection has no order.
    """
    if names is None:
        return None
    if isinstance(names, set | frozenset):
        names = sorted(names, key=str)
    items = V.listlike(names, func=func, name=param, allowed=tuple(allowed))
    return tuple(dict.fromkeys(items))
