"""Binning, WOE and logistic scorecards.

:func:`bin_feature` fits the IV-maximising binning of one feature under the
parameters of a :class:`BinningParams` (which :class:`WOETransformer` and
:class:`Scorecard` accept too);
:class:`BinStats` holds the mergeable fine-bin statistics it is fitted from,
so fits scale out (:func:`optimal_binning` is the reduce step);
:class:`WOETransformer` bins many columns at once; :class:`Scorecard` fits a
logistic regression on WOE and scales it to points with :class:`Scaling`.
"""

from jiebei_credit.scorecard._binning import Binning
from jiebei_credit.scorecard._binparams import BinningParams
from jiebei_credit.scorecard._explain import explain
from jiebei_credit.scorecard._finebin import quantile_edges
from jiebei_credit.scorecard._fit import bin_feature, optimal_binning
from jiebei_credit.scorecard._lineage import LineageRecord
from jiebei_credit.scorecard._model import Scorecard
from jiebei_credit.scorecard._reject import reject_inference
from jiebei_credit.scorecard._scaling import Scaling
from jiebei_credit.scorecard._sql import scorecard_sql
from jiebei_credit.scorecard._stats import BinStats
from jiebei_credit.scorecard._transformer import WOETransformer

__all__ = [
    "BinStats",
    "Binning",
    "BinningParams",
    "LineageRecord",
    "Scaling",
    "Scorecard",
    "WOETransformer",
    "bin_feature",
    "explain",
    "optimal_binning",
    "quantile_edges",
    "reject_inference",
    "scorecard_sql",
]
