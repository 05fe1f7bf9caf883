"""Per-borrower early-warning flags from two feature snapshots."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit._validation import SHOWN, choice, fail, show
from jiebei_credit.errors import Problem, SchemaError
from jiebei_credit.monitoring._rules import DEFAULT_RULES, Comparison, WarningRule

MissingColumns = Literal["raise", "skip"]
#: Allowed values of ``missing_columns``.
MISSING_COLUMNS: tuple[MissingColumns, ...] = ("raise", "skip")
#: A previous value whose magnitude is below this is no base for a relative change.
RELATIVE_CHANGE_FLOOR: Final = 1e-9

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_OPS: dict[Comparison, Callable[[Any, float], BoolArray]] = {
    ">": np.greater,
    ">=": np.greater_equal,
    "<": np.less,
    "<=": np.less_equal,
}
_FUNC = "early_warnings"


def relative_change(previous: FloatArray, now: FloatArray) -> FloatArray:
    """``(now - previous) / |previous|``; NaN where undefined, never a warning.

    Undefined (NaN) where either value is missing or ``|previous|`` is below
    :data:`RELATIVE_CHANGE_FLOOR` (zero, or practically zero: no base for a
    ratio). A ratio too large for a float is ``±inf``, which compares with
    any finite threshold by its sign.

    Examples
    --------
    >>> relative_change(np.array([5e-324, 0.0, 10.0, 0.5]), np.array([1.0, 1.0, 7.0, 1.7e308]))
    array([ nan,  nan, -0.3,  inf])
    """
    base = np.abs(previous)
    known = ~np.isnan(now) & (base >= RELATIVE_CHANGE_FLOOR)  # NaN previous fails the >= test
    out = np.full(now.shape, np.nan)
    with np.errstate(over="ignore", invalid="ignore"):
        np.divide(now - previous, base, out=out, where=known)
    return out


def _evaluate(rule: WarningRule, previous: FloatArray, now: FloatArray) -> pd.arrays.BooleanArray:
    """Flag per row; missing (<NA>) where the rule cannot be evaluated.

    Inputs are finite or NaN; a difference too large for a float is ``±inf``
    (its sign is right), so no comparison warns.
    """
    op = _OPS[rule.comparison]
    t = rule.threshold
    with np.errstate(over="ignore", invalid="ignore"):
        if rule.kind == "level":
            known = ~np.isnan(now)
            flag = op(now, t)
        elif rule.kind == "crossing":
            known = ~np.isnan(now) & ~np.isnan(previous)
            flag = op(now, t) & ~op(previous, t)
        elif rule.kind == "absolute_change":
            change = now - previous
            known = ~np.isnan(change)
            flag = op(change, t)
        else:
            change = relative_change(previous, now)
            known = ~np.isnan(change)
            flag = op(change, t)
    return pd.arrays.BooleanArray(np.asarray(flag & known, dtype=bool), ~known)


def _check_rules(rules: object) -> tuple[WarningRule, ...]:
    if isinstance(rules, WarningRule):
        rules = (rules,)
    if not isinstance(rules, Sequence) or isinstance(rules, str) or not rules:
        raise fail(_FUNC, "rules", "must be a non-empty sequence of WarningRule",
                   repr(rules) if len(repr(rules)) <= 60 else f"a {type(rules).__name__}",
                   "Pass e.g. DEFAULT_RULES or (*DEFAULT_RULES, WarningRule(...)).")
    bad = [r for r in rules if not isinstance(r, WarningRule)]
    if bad:
        raise fail(_FUNC, "rules", "must hold WarningRule records",
                   f"{len(bad)} other object{'s' if len(bad) != 1 else ''} ({show(bad, len(bad))})",
                   "Build custom rules with WarningRule(...).")
    names = [r.name for r in rules]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise fail(_FUNC, "rules", "must have unique names", f"{repeated} more than once",
                   "Rename them.")
    return tuple(rules)


def _frame_problems(
    table: str, frame: pd.DataFrame, needed: dict[str, list[str]]
) -> tuple[list[Problem], list[Problem], set[str]]:
    """Problems with one snapshot: (always fatal, absent columns), and the absent columns."""
    problems: list[Problem] = []
    missing: list[Problem] = []
    duplicated = frame.index[frame.index.duplicated()].unique()
    problems += [
        Problem(table=table, column=None, row=label, value=None,
                rule="borrower appears more than once in the index; keep one row per borrower")
        for label in duplicated[:10]
    ]
    absent = {c for c in needed if c not in frame.columns}
    for column in sorted(absent):
        names = ", ".join(repr(n) for n in needed[column])
        missing.append(
            Problem(table=table, column=column, row=None, value=None,
                    rule=f"missing column needed by rule(s) {names}; add it, drop those rules, "
                    "or pass missing_columns='skip'")
        )
    for column in needed:
        if column in absent:
            continue
        if int((frame.columns == column).sum()) > 1:
            problems.append(Problem(table=table, column=column, row=None, value=None,
                                    rule="column appears more than once; keep one"))
            continue
        dtype = frame[column].dtype
        numeric = (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)) and not (
            pd.api.types.is_complex_dtype(dtype) or isinstance(dtype, pd.CategoricalDtype))
        if not numeric:
            problems.append(
                Problem(table=table, column=column, row=None, value=None,
                        rule=f"must be numeric for the warning rules; got dtype {dtype}")
            )
            continue
        values = frame[column].to_numpy(dtype=np.float64, na_value=np.nan)
        inf = np.isinf(values)
        if inf.any():
            rows = frame.index[inf]
            problems.append(
                Problem(table=table, column=column, row=rows[0], value=float(values[inf][0]),
                        rule=f"{int(inf.sum())} infinite value{'s' if inf.sum() != 1 else ''} (rows "
                        f"{show(list(rows[:SHOWN]), len(rows))}); replace them with NaN (not "
                        "evaluable) or a finite cap")
            )
    return problems, missing, absent


def early_warnings(
    X_reference: pd.DataFrame,
    X_current: pd.DataFrame,
    *,
    rules: Sequence[WarningRule] = DEFAULT_RULES,
    missing_columns: MissingColumns = "raise",
) -> pd.DataFrame:
    r"""Early-warning flags per borrower, comparing two feature snapshots.

    Parameters
    ----------
    X_reference : pandas.DataFrame
        Features at the previous review, **indexed by borrower** (one row per
        borrower, e.g. ``extract(...).set_index(observations["borrower_id"])``).
    X_current : pandas.DataFrame
        Features now, indexed the same way. The output has its rows.
    rules : sequence of WarningRule, default DEFAULT_RULES
        Rules to evaluate; add your own with
        ``(*DEFAULT_RULES, WarningRule(...))``.
    missing_columns : {"raise", "skip"}, default "raise"
        What to do when a rule's column is absent from a snapshot it needs:
        raise, or skip the rule (its output column is then all ``<NA>``).

    Returns
    -------
    pandas.DataFrame
        Index of ``X_current``; one nullable ``boolean`` column per rule,
        named by the rule, in rule order. ``True`` = the rule fires,
        ``<NA>`` = it cannot be evaluated (a missing value, a borrower absent
        from ``X_reference``, a previous value of 0 for a relative
        change, a skipped rule). Borrowers only in ``X_reference`` are
        not reported. Rows are matched by index label, never by position.

    Raises
    ------
    SchemaError
        If a needed column is absent (with ``missing_columns="raise"``),
        appears twice, is not numeric (complex numbers and categories are not
        numbers) or holds infinite values, or an index has repeated
        borrowers.
    InvalidInputError
        If the snapshots are not DataFrames, ``rules`` is not a non-empty
        sequence of uniquely named :class:`WarningRule` records, or
        ``missing_columns`` is not ``"raise"`` or ``"skip"``.

    See Also
    --------
    DEFAULT_RULES : new delinquency, 31+ DPD, utilisation jump and high
        utilisation, receipts drop, inquiry spike, Zhima drop, limit cut.

    Notes
    -----
    For a rule with comparison :math:`\circ` and threshold :math:`t`, with
    :math:`x_0, x_1` the previous and current values: level flags
    :math:`x_1 \circ t`; crossing flags :math:`x_1 \circ t` and not
    :math:`x_0 \circ t`; absolute change flags :math:`(x_1 - x_0) \circ t`;
    relative change flags :math:`(x_1 - x_0)/|x_0| \circ t`.

    **Relative change near zero.** The relative change is defined only when
    :math:`|x_0| \ge 10^{-9}` (``RELATIVE_CHANGE_FLOOR``); a previous value
    of zero, or of a smaller magnitude (a subnormal float, rounding noise),
    gives no base for a ratio, so the rule is ``<NA>`` there, never ``True``
    or ``False``. Every unit the default rules read (CNY, shares, counts,
    points) is far coarser than the floor. A change or ratio too large for a
    float compares as :math:`\pm\infty`, which has the right sign; nothing
    warns.

    **Traffic lights.** The flags are the early-warning counterpart of the
    ``"insufficient"`` status of :func:`stability_report`: a rule that
    cannot be evaluated is ``<NA>``, never ``False`` (no warning is not the
    same as no evidence).

    Examples
    --------
    >>> import pandas as pd
    >>> from jiebei_credit.monitoring import early_warnings
    >>> ids = pd.Index(["b1", "b2"], name="borrower_id")
    >>> before = pd.DataFrame({"dpd_now": [0, 0], "util_now": [0.2, 0.5],
    ...     "receipts_monthly_mean_90d": [10_000.0, 8_000.0], "inq_count_30d": [0, 1],
    ...     "zhima_latest": [700, 650], "limit_now": [50_000.0, 20_000.0]}, index=ids)
    >>> now = before.assign(dpd_now=[0, 5], util_now=[0.25, 0.95],
    ...     receipts_monthly_mean_90d=[11_000.0, 4_000.0])
    >>> flags = early_warnings(before, now)
    >>> flags.loc["b2"][flags.loc["b2"]].index.tolist()
    ['new_delinquency', 'utilisation_jump', 'utilisation_high', 'receipts_drop']
    >>> bool(flags.loc["b1"].any())
    False
    """
    for name, frame in (("X_reference", X_reference), ("X_current", X_current)):
        if not isinstance(frame, pd.DataFrame):
            raise fail(_FUNC, name, "must be a DataFrame indexed by borrower",
                       f"a {type(frame).__name__}")
    checked = _check_rules(rules)
    on_missing: MissingColumns = choice(missing_columns, MISSING_COLUMNS, func=_FUNC,
                                        name="missing_columns")
    need_now: dict[str, list[str]] = {}
    need_prev: dict[str, list[str]] = {}
    for rule in checked:
        need_now.setdefault(rule.column, []).append(rule.name)
        if rule.needs_previous:
            need_prev.setdefault(rule.column, []).append(rule.name)
    problems_prev, missing_prev, absent_prev = _frame_problems(
        "X_reference", X_reference, need_prev
    )
    problems_now, missing_now, absent_now = _frame_problems("X_current", X_current, need_now)
    problems = problems_prev + problems_now
    if on_missing == "raise":
        problems = missing_prev + missing_now + problems
    if problems:
        raise SchemaError(problems, context=_FUNC)

    index = X_current.index
    # align only the columns the rules read, never the whole feature table
    previous = X_reference[[c for c in need_prev if c not in absent_prev]].reindex(index)
    out: dict[str, pd.arrays.BooleanArray] = {}
    for rule in checked:
        skipped = rule.column in absent_now or (rule.needs_previous and rule.column in absent_prev)
        if skipped:
            out[rule.name] = pd.arrays.BooleanArray(
                np.zeros(len(index), dtype=bool), np.ones(len(index), dtype=bool)
            )
            continue
        now = X_current[rule.column].to_numpy(dtype=np.float64, na_value=np.nan)
        if rule.needs_previous:
            prev = previous[rule.column].to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            prev = np.full(len(index), np.nan)
        out[rule.name] = _evaluate(rule, prev, now)
    return pd.DataFrame(out, index=index)
