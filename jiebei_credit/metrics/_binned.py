"""The protocol of a fitted binning, as the stability functions use it."""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import numpy.typing as npt


class BinningLike(Protocol):
    """What the stability functions need from a fitted binning.

    :class:`jiebei_credit.scorecard.Binning` satisfies it; so does any object
    with these two members. ``labels`` must be distinct, and ``bin_index``
    must return, for every value of ``x``, an integer in
    ``0 .. len(labels) - 1``; anything else is refused with an
    :class:`~jiebei_credit.errors.InvalidInputError` naming the binning.
    """

    @property
    def labels(self) -> tuple[str, ...]:
        """One label per bin, in bin order."""
        ...

    def bin_index(self, x: Any) -> npt.NDArray[np.int64]:
        """Row index into ``labels`` for every value of ``x``.

        Parameters
        ----------
        x : array-like, shape (n,)
            Values of the binned variable.

        Returns
        -------
        numpy.ndarray of int64, shape (n,)
            For each value, its bin: an integer in ``0 .. len(labels) - 1``.
        """
        ...
