"""Checking the observations frame and the arguments shared by extract and outcomes."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.features._kernels import IntArray, day_numbers
from jiebei_credit.records import RecordSet

__all__ = [
    "REQUIRED_COLUMNS",
    "Observations",
    "check_date",
    "check_observations",
    "check_records",
    "rows_text",
]

#: Columns an observations frame must have.
REQUIRED_COLUMNS: Final = ("borrower_id", "as_of")
#: How many offending rows a message lists.
_SHOWN: Final = 5


def rows_text(labels: Sequence[Hashable] | pd.Index, count: int) -> str:
    """``"rows 3, 18, 77 (12 in all)"`` for a message."""
    shown = ", ".join(repr(x) for x in list(labels)[:_SHOWN])
    return f"rows {shown}" + (f" ({count} in all)" if count > _SHOWN else "")


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
        raise InvalidInputError(
            f"{func}: records must be a jiebei_credit.records.RecordSet, got {type(records).__name__}; "
            "build one with RecordSet.from_frames(...)"
        )
    return records


def _as_dates(values: pd.Series, *, func: str, what: str) -> npt.NDArray[np.datetime64]:
    """Naive datetime64 values of ``values`` (strings, dates or datetimes), or an error."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        raise InvalidInputError(
            f"{func}: {what} is time-zone aware ({values.dtype}); convert to naive China dates with "
            ".dt.tz_convert('Asia/Shanghai').dt.tz_localize(None)"
        )
    if values.dtype.kind == "M":
        return values.to_numpy()
    if values.dtype.kind in "iufb":
        raise InvalidInputError(
            f"{func}: {what} must hold dates (datetime64, datetime.date or ISO strings), "
            f"got dtype {values.dtype}"
        )
    try:
        parsed = pd.to_datetime(values, format="ISO8601")
    except (ValueError, TypeError) as exc:
        raise InvalidInputError(
            f"{func}: {what} cannot be read as dates ({exc}); pass datetime64 values or ISO dates "
            "like '2024-03-31'"
        ) from None
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        raise InvalidInputError(f"{func}: {what} holds time-zone aware values; pass naive China dates")
    return parsed.to_numpy()


def check_date(value: object, *, func: str, name: str) -> int:
    """A single date parameter (no time of day, not missing) as a day number."""
    if value is None or isinstance(value, bool | int | float | np.number):  # numbers are not dates
        raise InvalidInputError(f"{func}: {name} must be a date such as '2025-06-30', got {value!r}")
    try:
        ts = pd.Timestamp(value)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        raise InvalidInputError(
            f"{func}: {name} must be a date such as '2025-06-30', got {value!r}"
        ) from None
    if pd.isna(ts):
        raise InvalidInputError(f"{func}: {name} must be a date, got a missing value ({value!r})")
    if ts.tzinfo is not None:
        raise InvalidInputError(f"{func}: {name} must be a naive date, got the time-zone aware {ts}")
    if ts != ts.normalize():
        raise InvalidInputError(
            f"{func}: {name} must be a date without time of day, got {ts}; use {ts.normalize().date()}"
        )
    return int(day_numbers(np.array([ts.to_datetime64()]))[0])


def _is_text(values: pd.Series) -> bool:
    return pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")


def _borrower_ids(values: pd.Series, *, func: str) -> pd.Series:
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) or dtype.kind in "iu":
        return values.astype("string")
    if isinstance(dtype, pd.CategoricalDtype):
        inner = dtype.categories.dtype
        if isinstance(inner, pd.StringDtype) or inner.kind in "iuO":
            return values.astype("string")
    elif pd.api.types.is_object_dtype(dtype) and _is_text(values):
        return values.astype("string")
    raise InvalidInputError(
        f"{func}: observations.borrower_id must hold identifiers (strings or whole numbers), "
        f"got dtype {dtype} ({pd.api.types.infer_dtype(values, skipna=True)} values); float identifiers "
        "usually hide NaN-damaged integers: convert them with .astype('Int64').astype('string')"
    )


def check_observations(observations: object, records: RecordSet, *, func: str) -> Observations:
    """Check ``observations`` (columns ``borrower_id``, ``as_of``) against ``records``.

    Rules: a DataFrame; both columns present; a unique index; no missing
    borrower or date; every borrower in ``records.borrowers``; dates without
    a time of day. Other columns are ignored.
    """
    if not isinstance(observations, pd.DataFrame):
        raise InvalidInputError(
            f"{func}: observations must be a pandas DataFrame with columns borrower_id and as_of, "
            f"got {type(observations).__name__}"
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in observations.columns]
    if missing:
        present = [str(c) for c in observations.columns[:10]]
        raise InvalidInputError(
            f"{func}: observations lacks column(s) {missing}; it needs {list(REQUIRED_COLUMNS)} "
            f"(columns present: {present})"
        )
    index = observations.index
    dup = index.duplicated(keep=False)
    if dup.any():
        labels = pd.unique(np.asarray(index[dup], dtype=object))
        raise InvalidInputError(
            f"{func}: observations has a duplicate index: labels "
            f"{', '.join(repr(x) for x in labels[:_SHOWN])} "
            f"appear more than once ({int(dup.sum())} rows); the output keeps the index, so make it unique "
            "(e.g. .reset_index(drop=True))"
        )
    ids = _borrower_ids(observations["borrower_id"], func=func)
    null_id = ids.isna().to_numpy(dtype=bool)
    if null_id.any():
        raise InvalidInputError(
            f"{func}: observations.borrower_id is missing at "
            f"{rows_text(index[null_id], int(null_id.sum()))}; "
            "every observation needs a borrower"
        )
    known = pd.Index(records._shared("borrowers")["borrower_id"])  # type: ignore[index]
    code = known.get_indexer(ids)
    unknown = code < 0
    if unknown.any():
        values = pd.unique(ids[unknown].to_numpy(dtype=object))
        raise InvalidInputError(
            f"{func}: observations.borrower_id has {int(unknown.sum())} value(s) not in records.borrowers, "
            f"e.g. {', '.join(repr(v) for v in values[:_SHOWN])} at "
            f"{rows_text(index[unknown], int(unknown.sum()))}; add them to the borrowers table or drop "
            "those observations"
        )
    dates = _as_dates(observations["as_of"], func=func, what="observations.as_of")
    nat = np.isnat(dates)
    if nat.any():
        raise InvalidInputError(
            f"{func}: observations.as_of is missing (NaT) at {rows_text(index[nat], int(nat.sum()))}; "
            "every observation needs a date"
        )
    timed = dates != dates.astype("datetime64[D]")
    if timed.any():
        raise InvalidInputError(
            f"{func}: observations.as_of must be dates without time of day (as_of is a midnight); "
            f"{rows_text(index[timed], int(timed.sum()))} have a time, e.g. {pd.Timestamp(dates[timed][0])}; "
            "use .dt.normalize()"
        )
    return Observations(index=index.copy(), code=code.astype(np.int64), day=day_numbers(dates))


def selection(names: Any, *, func: str, param: str, allowed: Sequence[str]) -> tuple[str, ...] | None:
    """``None`` or a validated tuple of names from ``allowed``."""
    if names is None:
        return None
    if isinstance(names, str | bytes):
        raise InvalidInputError(
            f"{func}: {param} must be a list of names, not a single string; use {param}=[{names!r}]"
        )
    try:
        items = list(names)
    except TypeError:
        raise InvalidInputError(f"{func}: {param} must be a list of names, got {names!r}") from None
    unknown = [n for n in items if n not in allowed]
    if unknown:
        raise InvalidInputError(
            f"{func}: {param} has unknown name(s) {unknown!r}; choose from {list(allowed)}"
        )
    return tuple(dict.fromkeys(items))
