"""ROC curve, KS curve and score distribution by class."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from jiebei_credit._ranking import Higher, check_higher
from jiebei_credit._types import Vector
from jiebei_credit._validation import fail, integer, outcome_and_score
from jiebei_credit.metrics import roc_curve
from jiebei_credit.plotting._common import BAD, GOOD, REFERENCE, check_axes, drawable, target_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: Most histogram bins :func:`plot_score_distribution` draws.
MAX_BINS = 10_000


def plot_roc(
    y: Vector,
    score: Vector,
    *,
    higher: Higher,
    sample_weight: Vector | None = None,
    label: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Plot the ROC curve with its AUC and the diagonal of a random ordering.

    Parameters
    ----------
    y : array-like of shape (n,)
        Outcome, 1 = bad, 0 = good.
    score : array-like of shape (n,)
        Finite score or PD; see :func:`jiebei_credit.metrics.auc`.
    higher : {"riskier", "safer"}
        Required: what a higher ``score`` means (``"riskier"`` for a PD,
        ``"safer"`` for scorecard points).
    sample_weight : array-like of shape (n,), optional
        Non-negative row weights.
    label : str, optional
        Legend label of the curve; the AUC is appended.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted. Call again with
        the same ``ax`` to compare models.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on. Nothing is shown or saved.

    Raises
    ------
    InvalidInputError
        As :func:`jiebei_credit.metrics.roc_curve`, or when ``label`` is not
        a string or ``ax`` not an Axes.
    TypeError
        If ``higher`` is not passed (it has no default).
    ImportError
        If matplotlib is not installed.

    Examples
    --------
    >>> from jiebei_credit.plotting import plot_roc
    >>> ax = plot_roc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], higher="riskier")
    >>> ax.get_legend().get_texts()[0].get_text()
    'AUC = 0.750'
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    func = "plot_roc"
    direction = check_higher(higher, func=func)
    is_bad, s, w, _ = outcome_and_score(y, score, func=func, sample_weight=sample_weight)
    if label is not None and not isinstance(label, str):
        raise fail(func, "label", "must be a string or None", repr(label)[:60])
    check_axes(ax, func=func)
    curve = roc_curve(is_bad, s, higher=direction, sample_weight=w)
    # the trapezoidal area under the curve just built is the AUC (ties included)
    fpr = curve["fpr"].to_numpy()
    tpr = curve["tpr"].to_numpy()
    area = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1])) / 2.0)
    ax = target_axes(ax, func=func)
    text = f"AUC = {area:.3f}" if label is None else f"{label} (AUC = {area:.3f})"
    ax.plot(curve["fpr"], curve["tpr"], drawstyle="default", label=text)
    if not any(line.get_gid() == "diagonal" for line in ax.get_lines()):
        ax.plot([0, 1], [0, 1], linestyle="--", color=REFERENCE, linewidth=1, gid="diagonal")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("goods flagged (false positive rate)")
    ax.set_ylabel("bads flagged (true positive rate)")
    ax.set_title("ROC curve")
    ax.legend(loc="lower right")
    return ax


def plot_ks(
    y: Vector,
    score: Vector,
    *,
    higher: Higher,
    sample_weight: Vector | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Plot the KS curves: share of bads and of goods flagged at each score cut-off.

    Parameters
    ----------
    y : array-like of shape (n,)
        Outcome, 1 = bad, 0 = good.
    score : array-like of shape (n,)
        Finite score or PD.
    higher : {"riskier", "safer"}
        Required: what a higher ``score`` means; rows at or beyond a cut-off
        on the risky side are flagged.
    sample_weight : array-like of shape (n,), optional
        Non-negative row weights.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on, with the KS gap marked by a vertical segment.

    Raises
    ------
    InvalidInputError
        As :func:`jiebei_credit.metrics.roc_curve`, or when ``score`` spans
        more than half the largest float (the axis could not be drawn) or
        ``ax`` is not an Axes.
    TypeError
        If ``higher`` is not passed (it has no default).

    Examples
    --------
    >>> from jiebei_credit.plotting import plot_ks
    >>> ax = plot_ks([1, 1, 0, 0], [520, 560, 600, 650], higher="safer")
    >>> ax.get_title()
    'KS = 1.000 at score 560'
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    func = "plot_ks"
    direction = check_higher(higher, func=func)
    is_bad, s, w, _ = outcome_and_score(y, score, func=func, sample_weight=sample_weight)
    drawable(s, func=func, name="score")
    check_axes(ax, func=func)
    curve = roc_curve(is_bad, s, higher=direction, sample_weight=w).iloc[1:]
    ax = target_axes(ax, func=func)
    x = curve["threshold"].to_numpy()
    ax.step(x, curve["tpr"], where="post", color=BAD, label="bads flagged")
    ax.step(x, curve["fpr"], where="post", color=GOOD, label="goods flagged")
    gap = curve["ks"].to_numpy()
    best = int(np.argmax(np.abs(gap)))
    cut = float(x[best])
    ax.vlines(cut, curve["fpr"].iloc[best], curve["tpr"].iloc[best], colors="black",
              linestyles=":", label="KS")
    ax.set_xlabel("score cut-off")
    ax.set_ylabel("cumulative share flagged")
    ax.set_ylim(0, 1.02)
    ax.set_title(f"KS = {abs(gap[best]):.3f} at score {cut:g}")
    ax.legend(loc="best")
    return ax


def plot_score_distribution(
    y: Vector,
    score: Vector,
    *,
    bins: int = 30,
    ax: Axes | None = None,
) -> Axes:
    """Plot the score distribution of goods and bads as overlaid density histograms.

    Parameters
    ----------
    y : array-like of shape (n,)
        Outcome, 1 = bad, 0 = good.
    score : array-like of shape (n,)
        Finite score or PD.
    bins : int, default 30
        Number of equal-width bins shared by both classes, at most 10 000.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    InvalidInputError
        If ``y`` is not 0/1, ``score`` is not finite real numbers or spans
        more than half the largest float, lengths or indexes differ, ``bins``
        is not an integer in [1, 10 000] or ``ax`` is not an Axes.

    Notes
    -----
    A histogram does not order rows by risk, so there is no ``higher``
    parameter: the picture is the same whichever way the score runs.

    Examples
    --------
    >>> from jiebei_credit.plotting import plot_score_distribution
    >>> ax = plot_score_distribution([0, 0, 1, 1], [640, 600, 560, 580], bins=4)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['good (y = 0), n = 2', 'bad (y = 1), n = 2']
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    func = "plot_score_distribution"
    is_bad, s, _, _ = outcome_and_score(y, score, func=func, need_both=False)
    drawable(s, func=func, name="score")
    n_bins = integer(bins, func=func, name="bins", low=1, high=MAX_BINS)
    check_axes(ax, func=func)
    edges = np.histogram_bin_edges(s, bins=n_bins)
    ax = target_axes(ax, func=func)
    for mask, colour, name in ((~is_bad, GOOD, "good (y = 0)"), (is_bad, BAD, "bad (y = 1)")):
        n = int(mask.sum())
        if n:
            ax.hist(s[mask], bins=edges.tolist(), density=True, alpha=0.5, color=colour,
                    label=f"{name}, n = {n}")
    ax.set_xlabel("score")
    ax.set_ylabel("density")
    ax.set_title("Score distribution by outcome")
    ax.legend(loc="best")
    return ax
