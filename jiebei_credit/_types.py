"""Static types of the data the public functions take.

These aliases are for type checkers only: they let mypy or pyright catch a
data-flow mistake at the call site (a table where a vector goes, a string, a
dict or None where data goes, records where observations go). Every public
function still checks its input at run time through
:mod:`jiebei_credit._validation`, so callers without a type checker get the
same :class:`~jiebei_credit.errors.InvalidInputError`.

``numpy.typing.ArrayLike`` is not used for data: it admits a bare ``str``
(a 0-d array of text) and scalars, so ``auc("not an array", ...)`` would
type-check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "DateLike", "Dates", "IntegerOrVector", "Matrix", "Sample", "ScalarOrVector", "SupportsArray", "Vector",
]


class SupportsArray(Protocol):
    """Anything numpy turns into an array: ndarray, Series, Index, Categorical, extension arrays."""

    def __array__(self) -> npt.NDArray[Any]:
        """The values as a numpy array."""
        ...


#: One-dimensional numbers (a target, scores, PDs, weights, amounts): an
#: array, a Series or Index, or a list or tuple of numbers (None for missing).
Vector: TypeAlias = SupportsArray | Sequence[float | None]

#: One-dimensional values of any kind (numbers, text, categories, booleans):
#: the input of a binning or a stability index.
Sample: TypeAlias = SupportsArray | Sequence[object]

#: One date: an ISO string (or one in the ``date_format`` given), a
#: ``datetime.date``/``datetime.datetime``, a ``pandas.Timestamp`` or a
#: ``numpy.datetime64``.
DateLike: TypeAlias = str | dt.date | np.datetime64

#: One-dimensional dates: an array, a Series or Index, or a list or tuple of dates.
Dates: TypeAlias = SupportsArray | Sequence[DateLike | None]

#: A feature table: a DataFrame, or a 2-D array or nested list (columns by position).
Matrix: TypeAlias = pd.DataFrame | npt.NDArray[Any] | Sequence[Sequence[float | None]]

#: A number or one-dimensional numbers (the scalar-or-array money and rate helpers).
ScalarOrVector: TypeAlias = float | Vector

#: An integer or one-dimensional integers (terms in months).
IntegerOrVector: TypeAlias = int | SupportsArray | Sequence[int]
