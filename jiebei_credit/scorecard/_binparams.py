"""The per-feature binning parameters, declared once: :class:`BinningParams`."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar

from jiebei_credit import _validation as V
from jiebei_credit.scorecard._checks import Monotonic, Unseen
from jiebei_credit.scorecard._params import check_all

__all__ = ["BinningParams"]


@dataclass(frozen=True, slots=True, kw_only=True)
class BinningParams:
    """How each feature is binned: the constraints of the optimal merge and its pre-bins.

    One record accepted as ``binning=`` by :func:`bin_feature`,
    :func:`optimal_binning`, :class:`WOETransformer` and :class:`Scorecard`.
    Every field is checked once, on construction; change one with
    :func:`dataclasses.replace` (the record is frozen), or through an
    estimator's ``set_params(binning__max_bins=4)``.

    Parameters
    ----------
    max_bins : int >= 1, default 6
        Most regular bins per feature (missing and special bins come on top).
    min_bin_share : float in [0, 0.5], default 0.05
        Least share of the total weight (all rows) in each regular bin.
    monotonic : {'auto', 'auto_turn', 'ascending', 'descending', 'peak', 'valley', 'none', 'cv'}, \
default 'auto'
        Trend of WOE over the regular bins, in increasing order of the
        feature: ``ascending`` = risk falls as the feature grows; ``peak`` =
        rises then falls; ``valley`` = falls then rises (monotone trends
        count as peak and valley too); ``auto`` = the better of ascending
        and descending by IV; ``auto_turn`` = that, or the better of peak
        and valley when it has the higher IV and a likelihood-ratio test
        accepts the turn (see :func:`bin_feature`); ``none`` =
        unconstrained; ``cv`` = the shape of each numeric feature chosen by
        cross-validation among ``auto_turn`` and finer bins (``cv_max_bins``,
        ``cv_min_bin_share``; see :func:`bin_feature`), ``auto_turn`` for
        the others. Trends are strict. Categorical features take
        ``auto``/``auto_turn``/``ascending`` (categories are ordered by WOE),
        ``none`` or ``cv``.
    cv_max_bins : int >= 1, default 20
        ``monotonic='cv'``: most regular bins of the finer shapes.
    cv_min_bin_share : float in [0, 0.5], default 0.005
        ``monotonic='cv'``: least share of the total weight in each regular
        bin of the finer shapes.
    min_bin_goods : float >= 0, default 1.0
        Least good weight in each regular bin.
    min_bin_bads : float >= 0, default 1.0
        Least bad weight in each regular bin.
    n_prebins : int in [2, 1000], default 50
        Quantile pre-bins of a numeric feature before the merge (see
        :func:`quantile_edges`).
    min_category_share : float in [0, 1], default 0.01
        Categories with a smaller share of the total weight are pooled into
        one fine bin before the merge (``unseen='rare'`` scores new
        categories with them). A column left with more than 10 levels is
        grouped only if a chi-square test of independence of its levels and
        the target rejects at 5 %; otherwise it is one bin.
    smoothing : float in (0, 1e12], default 0.5
        Added to each bin's goods and bads in WOE and IV, so WOE is finite.
    unseen : {'rare', 'missing', 'neutral', 'worst', 'raise'}, default 'rare'
        What scoring does with a value without a training bin (a new
        category, or a missing or special value absent in training); see
        :class:`Binning` and :class:`Scorecard` for each choice.
    sample_size : int >= 2 or None, default 100_000
        Above this many regular values the pre-bin quantiles come from a
        seeded sample of this size, drawn from the sorted values (so it does
        not depend on the row order); ``None`` = exact quantiles. At least
        ``n_prebins``.
    seed : int in [0, 2**63), default 0
        Seed of that sample and of the cross-validation folds (of
        ``monotonic='cv'`` and, in :class:`Scorecard`, of
        ``penalty_strength='cv'``).

    Raises
    ------
    InvalidInputError
        A field breaking its rule (integers refuse floats and bools, numbers
        refuse bools; the message names the field, e.g.
        ``BinningParams: max_bins must be ...``), or ``sample_size`` below
        ``n_prebins``.

    See Also
    --------
    bin_feature, WOETransformer, Scorecard

    Notes
    -----
    The merge maximises the information value of each feature's bins,
    ``IV = Σ_i (g_i − b_i) · ln(g_i / b_i)`` with ``g_i``, ``b_i`` the
    bin's shares of the goods and bads (each count plus ``smoothing``),
    over the partitions of the ordered fine bins into at most ``max_bins``
    contiguous bins that meet ``min_bin_share``, ``min_bin_goods``,
    ``min_bin_bads`` and the ``monotonic`` trend.

    Values are normalised on construction (a numpy integer becomes a Python
    ``int``), so a record is JSON-safe through :meth:`to_dict` and equal
    records compare and hash equal.

    Examples
    --------
    >>> import dataclasses
    >>> from jiebei_credit.scorecard import BinningParams
    >>> p = BinningParams(max_bins=4, monotonic="ascending")
    >>> p
    BinningParams(max_bins=4, monotonic='ascending')
    >>> dataclasses.replace(p, max_bins=5).max_bins
    5
    >>> BinningParams.from_dict(p.to_dict()) == p
    True
    >>> BinningParams(max_bins=0)
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: BinningParams: max_bins must be an integer >= 1; got 0.
    """

    #: The name of the record in messages.
    FUNC: ClassVar[str] = "BinningParams"

    max_bins: int = 6
    min_bin_share: float = 0.05
    monotonic: Monotonic = "auto"
    cv_max_bins: int = 20
    cv_min_bin_share: float = 0.005
    min_bin_goods: float = 1.0
    min_bin_bads: float = 1.0
    n_prebins: int = 50
    min_category_share: float = 0.01
    smoothing: float = 0.5
    unseen: Unseen = "rare"
    sample_size: int | None = 100_000
    seed: int = 0

    def __post_init__(self) -> None:
        checked = check_all(self.FUNC, {f.name: getattr(self, f.name) for f in fields(self)})
        for name, value in checked.items():
            object.__setattr__(self, name, value)  # numpy numbers become Python ones (JSON-safe)

    def __repr__(self) -> str:
        changed = [f"{f.name}={getattr(self, f.name)!r}" for f in fields(self)
                   if getattr(self, f.name) != f.default]
        return f"BinningParams({', '.join(changed)})"

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The field names, in declaration order.

        Returns
        -------
        tuple of str
            ``('max_bins', 'min_bin_share', …, 'seed')``.

        Examples
        --------
        >>> from jiebei_credit.scorecard import BinningParams
        >>> BinningParams.names()[:3]
        ('max_bins', 'min_bin_share', 'monotonic')
        """
        return tuple(f.name for f in fields(cls))

    def to_dict(self) -> dict[str, Any]:
        """The fields as a JSON-safe dict (flat; the keys are the field names).

        Returns
        -------
        dict of str to object
            One entry per field, in declaration order.

        Examples
        --------
        >>> from jiebei_credit.scorecard import BinningParams
        >>> BinningParams().to_dict()["max_bins"]
        6
        """
        return {name: getattr(self, name) for name in self.names()}

    @classmethod
    def from_dict(cls, d: Any) -> BinningParams:
        """The record of :meth:`to_dict` output (each field checked as on construction).

        Parameters
        ----------
        d : mapping of str to object
            Fields by name; missing fields take their default.

        Returns
        -------
        BinningParams
            The record.

        Raises
        ------
        InvalidInputError
            ``d`` not a mapping, a key that is no field, or a field breaking
            its rule.

        Examples
        --------
        >>> from jiebei_credit.scorecard import BinningParams
        >>> BinningParams.from_dict({"max_bins": 3})
        BinningParams(max_bins=3)
        """
        func = "BinningParams.from_dict"
        m = V.mapping(d, func=func, name="d")
        unknown = [k for k in m if k not in cls.names()]
        if unknown:
            raise V.fail(func, "d", f"must hold only fields of BinningParams ({', '.join(cls.names())})",
                         f"other keys {V.show(unknown, len(unknown))}")
        return cls(**m)
