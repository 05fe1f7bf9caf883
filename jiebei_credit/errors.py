"""Exceptions and warnings raised by :mod:`jiebei_credit`.

Every error the library raises on bad input is a :class:`JiebeiCreditError`,
and each also derives from the builtin a caller would naturally catch
(``ValueError`` for invalid data, ``AttributeError`` for an unfitted model),
so generic ``except ValueError`` handlers keep working.

Examples
--------
>>> from jiebei_credit.errors import JiebeiCreditError, SchemaError
>>> issubclass(SchemaError, ValueError) and issubclass(SchemaError, JiebeiCreditError)
True
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ConvergenceWarning",
    "DataWarning",
    "InvalidInputError",
    "JiebeiCreditError",
    "JiebeiCreditWarning",
    "NotFittedError",
    "Problem",
    "SchemaError",
]

#: How many problems a :class:`SchemaError` message lists before summarising.
MESSAGE_PROBLEMS = 10


class JiebeiCreditError(Exception):
    """Root of every exception raised by :mod:`jiebei_credit`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One violation of a table schema or a cross-table rule.

    Parameters
    ----------
    table : str
        Table name, e.g. ``"loans"``.
    column : str or None
        Column the rule is about; ``None`` for rules about the whole frame.
    row : hashable or None
        Index label of the offending row in the caller's frame; ``None`` for
        rules about the whole frame (e.g. a missing column).
    value : object
        The offending value (``None`` when not applicable).
    rule : str
        The rule that was broken, in words, with the fix where one exists.
    """

    table: str
    column: str | None
    row: Hashable | None
    value: Any
    rule: str

    def __str__(self) -> str:
        """``table.column row r: value v: rule``, leaving out the parts that are None."""
        where = self.table
        if self.column is not None:
            where += f".{self.column}"
        if self.row is not None:
            where += f" row {self.row!r}"
        if self.value is None:
            return f"{where}: {self.rule}"
        return f"{where}: value {self.value!r}: {self.rule}"


class SchemaError(JiebeiCreditError, ValueError):
    """A table or a set of tables breaks its schema.

    Parameters
    ----------
    problems : iterable of Problem
        Every violation found, not only the first; stored as the tuple
        ``problems``. The message shows the first ten and the total count.
    context : str, optional
        The public function or class that found them; it leads the message.

    Attributes
    ----------
    problems : tuple of Problem
        The violations, in the order found.
    context : str or None
        As given.

    Examples
    --------
    >>> p = Problem(table="loans", column="principal", row=3, value=-5.0,
    ...             rule="must be > 0")
    >>> err = SchemaError([p])
    >>> print(err)
    1 schema problem:
      loans.principal row 3: value -5.0: must be > 0
    >>> err.problems[0].column
    'principal'
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem], *, context: str | None = None) -> None:
        self.problems = tuple(problems)
        self.context = context
        super().__init__(self._message())

    def _message(self) -> str:
        n = len(self.problems)
        head = f"{n} schema problem" + ("" if n == 1 else "s")
        if self.context:
            head = f"{self.context}: {head}"
        lines = [head + ":"]
        lines += [f"  {p}" for p in self.problems[:MESSAGE_PROBLEMS]]
        if n > MESSAGE_PROBLEMS:
            lines.append(f"  ... and {n - MESSAGE_PROBLEMS} more (see SchemaError.problems)")
        return "\n".join(lines)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle the problems and the context (the message is rebuilt from them)."""
        return (type(self), (self.problems,), {"context": self.context})

    def __setstate__(self, state: dict[str, Any] | None) -> None:
        """Restore the context after unpickling and rebuild the message."""
        self.context = (state or {}).get("context")
        self.args = (self._message(),)


class NotFittedError(JiebeiCreditError, ValueError, AttributeError):
    """A method that needs a fitted estimator was called before ``fit``."""


class JiebeiCreditWarning(UserWarning):
    """Root of every warning emitted by :mod:`jiebei_credit`."""


class DataWarning(JiebeiCreditWarning):
    """The input is valid but unusual enough to deserve attention."""


class ConvergenceWarning(JiebeiCreditWarning):
    """An iterative fit stopped without meeting its convergence criterion."""


class InvalidInputError(JiebeiCreditError, ValueError):
    """A parameter or a non-table input is invalid (wrong value, shape or type).

    Table schema violations raise :class:`SchemaError` instead.
    """
