"""Notebook reprs (``_repr_html_``) of the scorecard's objects, rendered by :mod:`jiebei_credit._html`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jiebei_credit._html import render

if TYPE_CHECKING:
    from jiebei_credit.scorecard._binning import Binning
    from jiebei_credit.scorecard._model import Scorecard
    from jiebei_credit.scorecard._params import Params
    from jiebei_credit.scorecard._transformer import WOETransformer

__all__: list[str] = []


def params_html(est: Params) -> str:
    """An unfitted estimator: every constructor parameter and its value."""
    rows = [(name, repr(value)) for name, value in est.get_params(deep=False).items()]
    return render(f"{type(est).__name__} (not fitted)", rows)


def scorecard_html(card: Scorecard) -> str:
    """A fitted card: its size, scaling and fit statistics, then the summary table."""
    if not hasattr(card, "points_"):
        return params_html(card)
    s = card.scaling_
    rows: list[tuple[str, Any]] = [
        ("features in the model", len(card.features_)),
        ("columns seen in fit", card.n_features_in_),
        ("columns dropped", len(card.drops_)),
        ("scaling", f"{s.base_score:g} points at {s.odds} odds {s.base_odds:g}, PDO {s.pdo:g}"),
        ("rows (total weight)", card.n_obs_),
        ("log-likelihood", card.log_likelihood_),
        ("AIC", card.aic_),
        ("intercept", card.intercept_),
    ]
    return render("Scorecard (fitted)", rows, card.summary(), caption="Coefficients and dropped columns")


def transformer_html(t: WOETransformer) -> str:
    """A fitted transformer: the number of columns, then the IV summary."""
    if not hasattr(t, "binnings_"):
        return params_html(t)
    rows = [("columns binned", t.n_features_in_)]
    return render("WOETransformer (fitted)", rows, t.iv_summary(), caption="Information value by column")


def binning_html(b: Binning) -> str:
    """A binning: its feature, kind, bins, IV and trend, then the bin table."""
    rows: list[tuple[str, Any]] = [
        ("feature", "(unnamed)" if b.name is None else b.name),
        ("kind", b.kind),
        ("regular bins", b.n_regular),
        ("IV", b.iv),
        ("trend", b.trend),
        ("unseen values", b.unseen),
    ]
    return render("Binning", rows, b.table, caption="Bins")
