"""Vectorised validation and normalisation of one record table."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from jiebei_credit.errors import InvalidInputError, Problem, SchemaError
from jiebei_credit.records._enums import KIND_DIRECTION, kind_direction_rule
from jiebei_credit.records._schema import DATE_MAX, DATE_MIN, Column, TableSchema
from jiebei_credit.records._tables import SCHEMAS

__all__ = ["UnknownColumns", "validate"]

UnknownColumns = Literal["raise", "keep", "drop"]
_UNKNOWN_CHOICES: tuple[str, ...] = ("raise", "keep", "drop")

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


def _plain(v: Any) -> Any:
    """Python scalar for a numpy / pandas scalar, for readable messages."""
    if v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, np.generic):
        return v.item()
    return v


class _Result:
    """Normalised column values plus the problems found."""

    __slots__ = ("data", "problems")

    def __init__(self, values: Any, problems: list[Problem]) -> None:
        self.data = values
        self.problems = problems


def _dtype_problem(table: str, col: Column, s: pd.Series, remedy: str) -> _Result:
    rule = f"has dtype {s.dtype}; expected {col.dtype_label()} ({col.msg_coerce()}); {remedy}"
    return _Result(None, [Problem(table=table, column=col.name, row=None, value=None, rule=rule)])


def _all_missing(s: pd.Series) -> bool:
    return bool(s.isna().all())


def _strings(table: str, col: Column, s: pd.Series) -> _Result:
    dtype = s.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype):
        return _dtype_problem(table, col, s, "convert the column to strings")
    if pd.api.types.is_float_dtype(dtype):
        if not _all_missing(s):
            return _dtype_problem(
                table, col, s, "identifiers must be strings: use .astype('Int64').astype('string')"
            )
        return _Result(pd.array([pd.NA] * len(s), dtype="string"), [])
    problems: list[Problem] = []
    if pd.api.types.is_integer_dtype(dtype):
        out = s.astype("string").array
    else:
        if pd.api.types.is_object_dtype(dtype) and pd.api.types.infer_dtype(s, skipna=True) not in (
            "string",
            "empty",
        ):
            ok = s.map(lambda v: v is None or v is pd.NA or isinstance(v, str | int | np.integer) or v != v)
            bad = ~ok.to_numpy(dtype=bool)
            problems += problems_at(table, col.name, s.index, bad, s.to_numpy(), col.msg_coerce())
            s = s.where(~bad, None)
        out = s.astype("string").array
    na = np.asarray(pd.isna(out), dtype=bool)
    if not col.nullable:
        problems += problems_at(table, col.name, s.index, na, None, col.msg_required())
    if col.kind == "id":
        empty = pd.Series(out, copy=False).eq("").to_numpy(dtype=bool, na_value=False)
        problems += problems_at(table, col.name, s.index, empty, out, col.msg_empty())
    return _Result(out, problems)


def _category(table: str, col: Column, s: pd.Series) -> _Result:
    allowed = pd.Index(col.allowed)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    lookup = allowed.get_indexer(pd.Index(np.asarray(uniques, dtype=object)))
    new_codes = np.where(codes >= 0, lookup[codes] if lookup.size else -1, -1).astype(np.int8)
    na = codes < 0
    bad = (new_codes < 0) & ~na
    problems = problems_at(table, col.name, s.index, bad, s.to_numpy(), col.msg_allowed())
    if not col.nullable:
        problems += problems_at(table, col.name, s.index, na, None, col.msg_required())
    values = pd.Categorical.from_codes(new_codes, dtype=pd.CategoricalDtype(list(col.allowed)))
    return _Result(values, problems)


def _parse_dates(s: pd.Series) -> np.ndarray:
    """Parse an object / string column to datetime64 (NaT where unreadable)."""
    try:
        parsed = pd.to_datetime(s, errors="coerce", format="ISO8601")
    except (ValueError, TypeError, OverflowError):
        parsed = pd.Series([_parse_one(v) for v in s], index=s.index, dtype="datetime64[ns]")
    else:
        retry = parsed.isna() & s.notna()
        if retry.any():
            try:
                again = pd.to_datetime(s[retry], errors="coerce", format="mixed")
            except (ValueError, TypeError, OverflowError):
                again = pd.Series([_parse_one(v) for v in s[retry]], index=s[retry].index)
            if isinstance(again.dtype, pd.DatetimeTZDtype):
                again = pd.Series(pd.NaT, index=again.index, dtype="datetime64[ns]")
            parsed = parsed.astype("datetime64[ns]") if parsed.dtype.kind == "M" else parsed
            parsed[retry] = again.astype("datetime64[ns]")
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        return np.full(len(s), np.datetime64("NaT"), dtype="datetime64[ns]")
    return parsed.to_numpy()


def _parse_one(v: Any) -> Any:
    try:
        ts = pd.Timestamp(v)
    except (ValueError, TypeError, OverflowError):
        return pd.NaT
    if pd.isna(ts) or ts.tzinfo is not None:
        return pd.NaT
    return ts if DATE_MIN <= ts <= DATE_MAX else pd.NaT


def _dates(table: str, col: Column, s: pd.Series) -> _Result:
    dtype = s.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        return _dtype_problem(
            table, col, s, "convert with .dt.tz_convert('Asia/Shanghai').dt.tz_localize(None)"
        )
    if pd.api.types.is_datetime64_dtype(dtype):
        raw = s.to_numpy()
    elif pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
        raw = _parse_dates(s)
    elif _all_missing(s):
        raw = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[ns]")
    else:
        return _dtype_problem(
            table,
            col,
            s,
            "numbers are not dates: parse them first, e.g. pd.to_datetime(col.astype(str), format='%Y%m%d')",
        )
    na_in = np.asarray(s.isna(), dtype=bool)
    na = np.isnat(raw)
    problems = problems_at(table, col.name, s.index, na & ~na_in, s.to_numpy(), col.msg_coerce())
    if not col.nullable:
        problems += problems_at(table, col.name, s.index, na_in, None, col.msg_required())
    in_range = (raw >= DATE_MIN.to_datetime64()) & (raw <= DATE_MAX.to_datetime64())
    out_of_range = ~na & ~in_range
    problems += problems_at(table, col.name, s.index, out_of_range, raw, col.msg_date_range())
    raw = np.where(out_of_range, np.datetime64("NaT"), raw)
    values = np.array(raw, dtype="datetime64[ns]", copy=True)
    if col.kind == "date":
        days = values.astype("datetime64[D]")
        timed = ~np.isnat(values) & (days != values)
        problems += problems_at(table, col.name, s.index, timed, values, col.msg_time_of_day())
    return _Result(values, problems)


def _numbers(table: str, col: Column, s: pd.Series) -> _Result:
    dtype = s.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype):
        return _dtype_problem(table, col, s, "convert the column to numbers")
    problems: list[Problem] = []
    na_in = np.asarray(s.isna(), dtype=bool)
    if pd.api.types.is_numeric_dtype(dtype):
        x = np.array(s.to_numpy(dtype="float64", na_value=np.nan), dtype=np.float64, copy=True)
    else:
        x = np.asarray(pd.to_numeric(s, errors="coerce"), dtype=np.float64).copy()
        unread = np.isnan(x) & ~na_in
        problems += problems_at(table, col.name, s.index, unread, s.to_numpy(), col.msg_coerce())
    na = np.isnan(x)
    if not col.nullable:
        problems += problems_at(table, col.name, s.index, na_in, None, col.msg_required())
    inf = np.isinf(x)
    problems += problems_at(table, col.name, s.index, inf, x, col.msg_finite())
    finite = ~na & ~inf
    if col.kind == "int":
        frac = finite & (np.floor(np.where(finite, x, 0.0)) != np.where(finite, x, 0.0))
        problems += problems_at(table, col.name, s.index, frac, x, col.msg_integral())
    bad_range = np.zeros(len(x), dtype=bool)
    with np.errstate(invalid="ignore"):
        if col.minimum is not None:
            bad_range |= (x <= col.minimum) if col.exclusive_minimum else (x < col.minimum)
        if col.maximum is not None:
            bad_range |= (x >= col.maximum) if col.exclusive_maximum else (x > col.maximum)
    bad_range &= finite
    problems += problems_at(table, col.name, s.index, bad_range, x, col.msg_range())
    if col.kind == "float":
        return _Result(x, problems)
    safe = np.where(finite, x, 0.0)
    ints = pd.arrays.IntegerArray(safe.astype(np.int64), ~finite)
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


def validate_frame(
    schema: TableSchema, frame: pd.DataFrame, unknown_columns: UnknownColumns
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
        res = _NORMALISERS[col.kind](table, col, frame[col.name])
        problems += res.problems
        if res.data is not None:
            data[col.name] = res.data
        if not res.problems:
            clean.add(col.name)
    if unknown_columns == "keep" and not problems:
        for name in unknown:
            data[name] = frame[name].copy(deep=True)
    out = pd.DataFrame(data, index=frame.index.copy(), copy=False)
    # Row rules run on the columns they need whenever those columns are clean,
    # so one pass reports every problem.
    if clean.issuperset(schema.primary_key):
        problems += _duplicate_keys(table, schema.primary_key, out)
    if table == "transactions" and clean.issuperset(("kind", "direction")):
        problems += _kind_direction(out)
    return out, problems


def validate(table: str, frame: pd.DataFrame, *, unknown_columns: UnknownColumns = "raise") -> pd.DataFrame:
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
        values that cannot be read as the column's type; missing values in
        required columns; infinities; numbers outside the allowed range (e.g.
        non-positive amounts, daily rates above 1 %, Zhima scores outside
        350-950); values outside an enum; dates with a time of day or outside
        1950-2100; duplicate primary keys; transaction kinds whose direction
        is fixed (a sale is always ``in``) with the other direction.
    InvalidInputError
        When ``table`` is unknown, ``frame`` is not a DataFrame or
        ``unknown_columns`` is not one of the choices.

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
    """
    schema = SCHEMAS.get(table)
    if schema is None:
        raise InvalidInputError(f"validate: unknown table {table!r}; expected one of: {', '.join(SCHEMAS)}")
    if not isinstance(frame, pd.DataFrame):
        raise InvalidInputError(
            f"validate({table!r}): frame must be a pandas DataFrame, got {type(frame).__name__}"
        )
    if unknown_columns not in _UNKNOWN_CHOICES:
        raise InvalidInputError(
            f"validate({table!r}): unknown_columns must be one of {', '.join(_UNKNOWN_CHOICES)}; "
            f"got {unknown_columns!r}"
        )
    out, problems = validate_frame(schema, frame, unknown_columns)
    if problems:
        raise SchemaError(problems, context=f"validate({table!r})")
    return out
