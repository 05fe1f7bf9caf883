"""Vectorised validation and normalisation of one record table."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit.errors import Problem, SchemaError
from jiebei_credit.records._enums import KIND_DIRECTION, kind_direction_rule
from jiebei_credit.records._invoices import VAT_INVOICES, invoice_problems
from jiebei_credit.records._schema import Column, TableSchema
from jiebei_credit.records._tables import SCHEMAS

__all__ = ["UnknownColumns", "check_options", "validate"]

UnknownColumns = Literal["raise", "keep", "drop"]

#: Transaction kinds whose direction is fixed, as the strings stored in frames.
_KIND_DIRECTION: dict[str, str] = {str(k): str(d) for k, d in KIND_DIRECTION.items()}


def problems_at(
    table: str, column: str | None, index: pd.Index, mask: np.ndarray, values: Any, rule: str
) -> list[Problem]:
    """One :class:`Problem` per ``True`` in ``mask``, with row labels and values."""
    pos = np.flatnonzero(mask)
    if pos.size == 0:
        return []
    rows = index[pos]
    if values is None:
        vals: Any = [None] * pos.size
    else:
        arr = np.asarray(values)
        vals = list(pd.DatetimeIndex(arr[pos])) if arr.dtype.kind == "M" else arr[pos].astype(object)
    return [
        Problem(table=table, column=column, row=r, value=_plain(v), rule=rule)
        for r, v in zip(rows, vals, strict=True)
    ]


_plain = V.plain


class _Result:
    """Normalised column values plus the problems found."""

    __slots__ = ("data", "problems")

    def __init__(self, values: Any, problems: list[Problem]) -> None:
        self.data = values
        self.problems = problems


def _dtype_problem(table: str, col: Column, s: pd.Series, rule: str) -> _Result:
    text = rule if rule.startswith("has dtype") else f"has dtype {s.dtype}; {rule}"
    text += f" (expected {col.dtype_label()}: {_KIND_TEXT[col.kind]})"
    return _Result(None, [Problem(table=table, column=col.name, row=None, value=None, rule=text)])


#: What each column kind holds, for dtype problems.
_KIND_TEXT: dict[str, str] = {
    "id": "identifiers as strings or whole numbers",
    "text": "strings",
    "category": "one of the allowed values",
    "date": "dates",
    "datetime": "dates and times",
    "float": "real numbers",
    "int": "whole numbers",
}


def _row_problems(
    table: str, col: Column, s: pd.Series, problems: dict[str, np.ndarray]
) -> list[Problem]:
    """One Problem per offending row of each rule a column reader reported."""
    out: list[Problem] = []
    if problems:
        raw = s.to_numpy(dtype=object)
        for rule, mask in problems.items():
            out += problems_at(table, col.name, s.index, mask, raw, rule)
    return out


def _strings(table: str, col: Column, s: pd.Series, _fmt: str | None) -> _Result:
    parsed = V.parse_ids(s)
    if parsed.column_problem is not None:
        return _dtype_problem(table, col, s, parsed.column_problem)
    problems = _row_problems(table, col, s, parsed.problems)
    out = parsed.ids
    if not col.nullable:
        problems += problems_at(table, col.name, s.index, parsed.missing, None, col.msg_required())
    if col.kind == "id":
        empty = pd.Series(out, copy=False).eq("").to_numpy(dtype=bool, na_value=False)
        problems += problems_at(table, col.name, s.index, empty, out, col.msg_empty())
    return _Result(out, problems)


def _factorize(s: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes, uniques and the mask of unhashable cells (lists, dicts) of a column."""
    try:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        return codes, np.asarray(uniques, dtype=object), np.zeros(len(s), dtype=bool)
    except TypeError:  # unhashable cells: factorize the others (error path)
        obj = s.to_numpy(dtype=object)
        unhashable = np.fromiter((not isinstance(v, Hashable) for v in obj), dtype=bool, count=obj.size)
        codes, uniques = pd.factorize(V.object_series(V.blanked(obj, unhashable)))
        return codes, np.asarray(uniques, dtype=object), unhashable


def _category(table: str, col: Column, s: pd.Series, _fmt: str | None) -> _Result:
    allowed = pd.Index(col.allowed)
    codes, uniques, unhashable = _factorize(s)
    lookup = allowed.get_indexer(pd.Index(uniques, dtype=object))
    new_codes = np.where(codes >= 0, lookup[codes] if lookup.size else -1, -1).astype(np.int8)
    na = (codes < 0) & ~unhashable
    bad = ((new_codes < 0) & ~na) | unhashable
    problems = problems_at(table, col.name, s.index, bad, s.to_numpy(dtype=object), col.msg_allowed())
    if not col.nullable:
        problems += problems_at(table, col.name, s.index, na, None, col.msg_required())
    values = pd.Categorical.from_codes(new_codes, dtype=pd.CategoricalDtype(list(col.allowed)))
    return _Result(values, problems)


def _dates(table: str, col: Column, s: pd.Series, fmt: str | None) -> _Result:
    parsed = V.parse_dates(s, date_format=fmt)
    if parsed.column_problem is not None:
        return _dtype_problem(table, col, s, parsed.column_problem)
    problems = _row_problems(table, col, s, parsed.problems)
    if not col.nullable:
        problems += problems_at(table, col.name, s.index, parsed.missing, None, col.msg_required())
    values = parsed.dates
    if col.kind == "date":
        days = values.astype("datetime64[D]")
        timed = ~np.isnat(values) & (days != values)
        problems += problems_at(table, col.name, s.index, timed, values, col.msg_time_of_day())
    return _Result(values, problems)


#: Whole numbers beyond this lose precision in float64 and cannot be converted safely.
_EXACT_INT: float = 2.0**53


def _numbers(table: str, col: Column, s: pd.Series, _fmt: str | None) -> _Result:
    parsed = V.parse_numbers(s)
    if parsed.column_problem is not None:
        return _dtype_problem(table, col, s, parsed.column_problem)
    problems = _row_problems(table, col, s, parsed.problems)
    x = parsed.numbers
    if not col.nullable:
        problems += problems_at(table, col.name, s.index, parsed.missing, None, col.msg_required())
    inf = np.isinf(x)
    problems += problems_at(table, col.name, s.index, inf, x, col.msg_finite())
    finite = np.isfinite(x)
    zeroed = np.where(finite, x, 0.0)
    integral = np.floor(zeroed) == zeroed
    if col.kind == "int":
        frac = finite & ~integral
        problems += problems_at(table, col.name, s.index, frac, x, col.msg_integral())
    bad_range = np.zeros(len(x), dtype=bool)
    if col.minimum is not None:
        bad_range |= (zeroed <= col.minimum) if col.exclusive_minimum else (zeroed < col.minimum)
    if col.maximum is not None:
        bad_range |= (zeroed >= col.maximum) if col.exclusive_maximum else (zeroed > col.maximum)
    bad_range &= finite
    problems += problems_at(table, col.name, s.index, bad_range, x, col.msg_range())
    if col.kind == "float":
        return _Result(x, problems)
    exact = finite & integral & (np.abs(zeroed) <= _EXACT_INT)
    ints = pd.arrays.IntegerArray(np.where(exact, zeroed, 0.0).astype(np.int64), ~exact)
    return _Result(ints, problems)


_NORMALISERS = {
    "id": _strings,
    "text": _strings,
    "category": _category,
    "date": _dates,
    "datetime": _dates,
    "float": _numbers,
    "int": _numbers,
}


def key_codes(frame: pd.DataFrame, key: Sequence[str]) -> tuple[np.ndarray, int]:
    """Dense int64 codes of the key columns' value combinations, and their count.

    Factorising each column and combining the codes is much faster than
    hashing tuples of Python strings on tables of millions of rows.
    """
    if len(key) == 1:
        codes, uniques = pd.factorize(frame[key[0]], use_na_sentinel=False)
        return codes.astype(np.int64, copy=False), len(uniques)
    combined = np.zeros(len(frame), dtype=np.int64)
    size = 1
    for name in key:
        codes, uniques = pd.factorize(frame[name], use_na_sentinel=False)
        combined = combined * len(uniques) + codes
        size *= max(len(uniques), 1)
        if size > 2**62:  # pragma: no cover - re-densify before int64 overflows
            combined, dense = pd.factorize(combined)
            size = len(dense)
    combined, dense = pd.factorize(combined)
    return combined.astype(np.int64, copy=False), len(dense)


def duplicated_rows(frame: pd.DataFrame, key: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Masks of rows repeating an earlier row's key, and of all rows whose key repeats."""
    codes, n_keys = key_codes(frame, key)
    if n_keys == len(frame):
        none = np.zeros(len(frame), dtype=bool)
        return none, none
    counts = np.bincount(codes, minlength=n_keys)
    _, first = np.unique(codes, return_index=True)
    later = np.ones(len(frame), dtype=bool)
    later[first] = False
    return later, counts[codes] > 1


def _duplicate_keys(table: str, key: Sequence[str], out: pd.DataFrame) -> list[Problem]:
    dup, repeated = duplicated_rows(out, key)
    if not dup.any():
        return []
    # Only rows whose key occurs more than once take part (few, on the error path).
    involved = np.flatnonzero(repeated)
    sub = out.iloc[involved]
    keys = [tuple(_plain(v) for v in row) for row in sub[list(key)].itertuples(index=False, name=None)]
    first: dict[tuple[Any, ...], Hashable] = {}
    for label, k, d in zip(sub.index, keys, dup[involved], strict=True):
        if not d and k not in first:
            first[k] = label
    name = ", ".join(key)
    return [
        Problem(
            table=table,
            column=name,
            row=label,
            value=k if len(k) > 1 else k[0],
            rule=f"duplicate primary key ({name}); first seen at row {first[k]!r}",
        )
        for label, k, d in zip(sub.index, keys, dup[involved], strict=True)
        if d
    ]


def _kind_direction(out: pd.DataFrame) -> list[Problem]:
    kind = out["kind"].cat
    direction = out["direction"].cat
    kind_codes = kind.codes.to_numpy()
    dir_codes = direction.codes.to_numpy()
    dir_index = pd.Index(direction.categories)
    # expected direction code per kind code; -1 where either direction is allowed
    expected = np.array(
        [dir_index.get_loc(_KIND_DIRECTION[k]) if k in _KIND_DIRECTION else -1 for k in kind.categories]
        + [-1],
        dtype=np.int64,
    )
    want = expected[kind_codes]  # code -1 (missing kind) picks the trailing -1
    bad = (want >= 0) & (dir_codes >= 0) & (dir_codes != want)
    problems: list[Problem] = []
    if not bad.any():
        return problems
    kinds = out["kind"].to_numpy(dtype=object)
    for k, d in _KIND_DIRECTION.items():
        mask = bad & (kinds == k)
        problems += problems_at(
            "transactions",
            "direction",
            out.index,
            mask,
            out["direction"].to_numpy(dtype=object),
            kind_direction_rule(k, d),
        )
    return problems


def check_options(
    unknown_columns: object, date_format: object, *, func: str
) -> tuple[UnknownColumns, str | None]:
    """The keyword options shared by validate and RecordSet.from_frames, checked."""
    unknown: UnknownColumns = V.choice(unknown_columns, UnknownColumns, func=func, name="unknown_columns")
    return unknown, V.date_format_param(date_format, func=func)


def validate_frame(
    schema: TableSchema, frame: pd.DataFrame, unknown_columns: UnknownColumns, date_format: str | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Normalise ``frame`` to ``schema``; return the copy and every problem found."""
    table = schema.name
    problems: list[Problem] = []
    names = list(frame.columns)
    for name in sorted({n for n in names if names.count(n) > 1}, key=str):
        rule = f"column appears {names.count(name)} times; keep one"
        problems.append(Problem(table=table, column=str(name), row=None, value=None, rule=rule))
    for col in schema.columns:
        if col.name not in names:
            fix = " (it may be all missing: frame[col] = None)" if col.nullable else ""
            rule = f"required column is missing; add it{fix}"
            problems.append(Problem(table=table, column=col.name, row=None, value=None, rule=rule))
    unknown = [n for n in dict.fromkeys(names) if n not in schema.column_names]
    if unknown_columns == "raise":
        for name in unknown:
            rule = "unknown column; remove it or pass unknown_columns='keep' or 'drop'"
            problems.append(Problem(table=table, column=str(name), row=None, value=None, rule=rule))
    data: dict[Hashable, Any] = {}
    clean: set[str] = set()
    for col in schema.columns:
        if col.name not in names or names.count(col.name) > 1:
            continue
        res = _NORMALISERS[col.kind](table, col, frame[col.name], date_format)
        problems += res.problems
        if res.data is not None:
            data[col.name] = res.data
        if not res.problems:
            clean.add(col.name)
    if unknown_columns == "keep" and not problems:
        for name in unknown:
            data[name] = frame[name].copy(deep=True).array
    out = pd.DataFrame(data, index=frame.index.copy(), copy=False)
    # Row rules run on the columns they need whenever those columns are clean,
    # so one pass reports every problem.
    if clean.issuperset(schema.primary_key):
        problems += _duplicate_keys(table, schema.primary_key, out)
    if table == "transactions" and clean.issuperset(("kind", "direction")):
        problems += _kind_direction(out)
    if schema == VAT_INVOICES:
        problems += invoice_problems(out, clean)
    known, event = schema.known_at, schema.event_date
    if known is not None and event is not None and known != event and clean.issuperset((known, event)):
        problems += _known_before_event(schema, known, event, out)
    return out, problems


def _known_before_event(schema: TableSchema, known: str, event: str, out: pd.DataFrame) -> list[Problem]:
    """Rows known to the lender before their event happened (``known_at < event_date``).

    Two timestamps compare exactly; when either column is a ``date``, they
    compare by day (a row known on the day of its event is known at or
    after it).
    """
    k = out[known].to_numpy(dtype="datetime64[ns]")
    e = out[event].to_numpy(dtype="datetime64[ns]")
    if schema.column(known).kind == "date" or schema.column(event).kind == "date":
        early = k.astype("datetime64[D]") < e.astype("datetime64[D]")
    else:
        early = k < e
    rule = (f"knowledge time must not be before the event date {event!r} (known_at >= event_date); "
            f"fix the row's {known} or {event}")
    return problems_at(schema.name, known, out.index, early, k, rule)


def validate(
    table: str,
    frame: pd.DataFrame,
    *,
    unknown_columns: UnknownColumns = "raise",
    date_format: str | None = None,
) -> pd.DataFrame:
    """Validate one record table and return a normalised copy.

    Parameters
    ----------
    table : str
        One of the keys of :data:`SCHEMAS`.
    frame : pandas.DataFrame
        The table; any index (its labels are used in problem reports).
        Never modified.
    unknown_columns : {"raise", "keep", "drop"}, default "raise"
        What to do with columns the schema does not declare: report them as
        problems, keep them unchanged after the schema columns, or leave them
        out of the result.
    date_format : str, optional
        The ``strftime`` format of date strings, e.g. ``"%d/%m/%Y"``. By
        default strings are read as ISO 8601 (``2024-01-05``, with an
        optional time); a day-first or month-first export must declare its
        format, never be guessed. Date and datetime values (numpy, pandas,
        pyarrow ``timestamp`` / ``date32``, ``datetime.date``) need no format.

    Returns
    -------
    pandas.DataFrame
        A copy with the schema's columns in canonical order and normalised
        dtypes: ``string`` for identifiers and text, ``category`` (with exactly
        the allowed values) for enums, naive ``datetime64[ns]`` for dates,
        ``float64`` for amounts and rates, ``Int64`` for whole numbers. The
        index is the input's.

    Raises
    ------
    SchemaError
        When anything breaks the schema. ``SchemaError.problems`` lists every
        violation: missing, duplicate and (by default) unknown columns;
        values that cannot be read as the column's type (booleans, floats or
        dates as identifiers; booleans, complex numbers or durations as
        numbers; numbers, relative words such as ``"today"`` or strings
        outside the declared format as dates); missing values in required
        columns; infinities; numbers outside the allowed range (e.g.
        non-positive amounts, daily rates above 1 %, Zhima scores outside
        350-950); values outside an enum; dates with a time of day or outside
        1950-2100; duplicate primary keys; transaction kinds whose direction
        is fixed (a sale is always ``in``) with the other direction.
    InvalidInputError
        When ``table`` is not a table name, ``frame`` is not a DataFrame,
        ``unknown_columns`` is not one of the choices or ``date_format`` is
        not a format string.

    Notes
    -----
    The rules for each kind of value are the library's own, the same for
    every table and for observations (``jiebei_credit._validation``). A
    categorical column is read through its categories.

    Examples
    --------
    >>> import pandas as pd
    >>> from jiebei_credit.records import validate
    >>> raw = pd.DataFrame({"borrower_id": ["b1", "b1"],
    ...                     "observed_on": ["2024-01-05", "2024-02-05"],
    ...                     "score": [688, 1200]})
    >>> validate("zhima_scores", raw)
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.SchemaError: validate('zhima_scores'): 1 schema problem:
      zhima_scores.score row 1: value 1200.0: must satisfy 350 ≤ value ≤ 950
    >>> ok = validate("zhima_scores", raw.assign(score=[688, 702]))
    >>> ok.dtypes.astype(str).tolist()
    ['string', 'datetime64[ns]', 'Int64']
    >>> day_first = raw.assign(observed_on=["05/01/2024", "05/02/2024"], score=[688, 702])
    >>> validate("zhima_scores", day_first, date_format="%d/%m/%Y")["observed_on"].dt.month.tolist()
    [1, 2]
    """
    func = "validate"
    name = V.choice(table, tuple(SCHEMAS), func=func, name="table",
                    fix="Validate one table at a time, e.g. validate('loans', frame).")
    frame = V.as_frame(frame, func=func, name="frame")
    unknown, fmt = check_options(unknown_columns, date_format, func=func)
    out, problems = validate_frame(SCHEMAS[name], frame, unknown, fmt)
    if problems:
        raise SchemaError(problems, context=f"validate({name!r})")
    return out
