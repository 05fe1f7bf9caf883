"""Vectorised limit assignment: candidates, binding constraint, decision and reason."""

from __future__ import annotations

from typing import Any, Final, Protocol

import numpy as np
import pandas as pd

from jiebei_credit._validation import choice_codes, fail, float_vector, frame_columns, offending, show
from jiebei_credit.errors import JiebeiCreditError
from jiebei_credit.limits._capacity import principal_for
from jiebei_credit.limits._checks import MAX_AMOUNT, METHODS, FloatArray, IntArray
from jiebei_credit.limits._frames import categorical
from jiebei_credit.limits._policy import PURPOSES, LimitPolicy

_FUNC = "assign"
#: Candidate limits, in tie-break order (the first of equal candidates binds).
CONSTRAINTS: Final = ("regulatory_cap", "product_cap", "income_multiple", "capacity",
                      "expected_loss")
BINDING: Final = (*CONSTRAINTS, "pd_cutoff", "purpose")
DECISIONS: Final = ("approve", "refer", "decline")
REQUIRED: Final = ("monthly_income", "existing_debt_service", "existing_balance")
#: Agreement of a given ``pd`` with the PD of a given ``score``: relative and absolute tolerance.
PD_SCORE_RTOL: Final = 1e-6
PD_SCORE_ATOL: Final = 1e-9
#: Range of the ``score`` column, points.
MAX_ABS_SCORE: Final = 1e6


class ScalingLike(Protocol):
    """What :func:`assign` needs of a score scaling: its one score-to-PD conversion.

    ``jiebei_credit.scorecard.Scaling`` is the implementation; limits does not
    import it (it imports nothing else of the library) and never re-derives
    the formula, so the ``odds`` convention and every other detail of the
    scaling are honoured.
    """

    def pd_from_score(self, score: Any) -> Any:
        """Probability of bad for each score (an array in, an array out)."""
        ...


def assign(
    applicants: pd.DataFrame, policy: LimitPolicy, *, scaling: ScalingLike | None = None
) -> pd.DataFrame:
    r"""Assign a credit limit, a decision and its reason to every applicant.

    Parameters
    ----------
    applicants : pandas.DataFrame
        One row per applicant (any index). Required numeric columns:

        * ``pd`` (probability of default, in ``[0, 1]``) **or** ``score``
          (scorecard points, converted by ``scaling.pd_from_score``, so
          ``scaling`` is then required). When both are given, they must
          agree under ``scaling`` (see Notes) and ``pd`` is used;
        * ``monthly_income``: verified monthly income, CNY, ``>= 0``;
        * ``existing_debt_service``: monthly payments on all current debts,
          including the balance below, CNY, ``>= 0``;
        * ``existing_balance``: principal already drawn under this line, CNY,
          ``>= 0`` (0 for a new applicant).

        Optional: ``purpose``, one of ``"consumption"``, ``"business"``,
        ``"unknown"``; rows whose purpose the policy does not cover are
        declined. Other columns are ignored.
    policy : LimitPolicy
        Caps, capacity assumptions, cut-offs and rounding; see
        :class:`LimitPolicy` and :data:`PRESETS`.
    scaling : object with a ``pd_from_score`` method, optional
        The scaling of the card that produced ``score``, e.g.
        ``jiebei_credit.scorecard.Scaling`` (``card.scaling``). Required
        whenever ``applicants`` has a ``score`` column: there is no default,
        since the same score means different PDs under different scalings.
        Not used without a ``score`` column (it is still type-checked).

    Returns
    -------
    pandas.DataFrame
        Same index as ``applicants`` (same order), columns:

        * ``pd``: the PD used;
        * ``limit_regulatory_cap``, ``limit_product_cap``,
          ``limit_income_multiple``, ``limit_capacity``,
          ``limit_expected_loss``: every candidate limit (``inf`` where the
          policy does not set that constraint);
        * ``limit_raw``: their minimum, before rounding;
        * ``limit``: the limit granted (0 when declined);
        * ``decision``: ``"approve"``, ``"refer"`` or ``"decline"``
          (categorical);
        * ``binding_constraint``: the candidate that set the limit, or
          ``"pd_cutoff"`` / ``"purpose"`` for those declines (categorical);
        * ``expected_loss``: ``PD · LGD · EAD`` at the granted limit;
        * ``reason``: the decision in words (categorical), for the
          explanation owed under PIPL Art. 24.

    Raises
    ------
    InvalidInputError
        If ``applicants`` is not a DataFrame, repeats a column label, lacks
        a required column, or a column holds anything but real numbers
        (booleans, complex numbers, timedeltas, strings and categories are
        refused), missing, infinite or out-of-range values (the message names
        the column, the rule, the first offending rows and the count); if a
        ``score`` column comes without ``scaling``, ``scaling`` has no
        ``pd_from_score`` method or it returns anything but one PD in
        ``[0, 1]`` per score, or ``pd`` and ``score`` disagree.

    See Also
    --------
    max_principal : The capacity inverse used here.
    review_line : Periodic review of existing lines.

    Notes
    -----
    With ``B`` the existing balance and ``y`` the monthly income:

    * regulatory cap and product cap: the policy's amounts;
    * income multiple: ``k(PD) · y``;
    * capacity: ``B + max_principal(θ·y − existing_debt_service)`` over the
      policy's term, rate and method (0 spare capacity gives ``B``);
    * expected loss: with ``EAD = B + CCF·(L − B)`` and
      ``EL = PD · LGD · EAD``, the largest ``L`` with ``EL <= budget`` is
      ``B + (budget / (PD·LGD) − B) / CCF`` (``inf`` at ``PD = 0``).

    ``limit = ⌊min(candidates)⌋_step`` (floored, so rounding never lifts a
    limit above a cap). Then, in order: PD above ``pd_cutoff`` → decline
    (limit 0); purpose not covered → decline (limit 0); limit below
    ``min_limit`` or 0 → decline (limit 0); PD in ``(refer_pd, pd_cutoff]``
    → refer (limit kept as the proposal); otherwise approve. So
    ``decision == "decline"`` exactly when the limit is 0, and the limit
    never falls when income rises or PD falls. Ties between candidates go
    to the first in the order listed above.

    Scores become PDs only through ``scaling.pd_from_score``. A ``pd`` and a
    ``score`` given together agree when
    ``|pd − scaling.pd_from_score(score)| <= 1e-9 + 1e-6 · scaling.pd_from_score(score)``,
    that is to about six significant digits; otherwise the rows are refused
    (a score rounded to whole points does not agree with its unrounded PD:
    pass one column, not both).

    References
    ----------
    .. [1] DOMAIN.md, "Limit assignment (formulas)".
    .. [2] Personal Information Protection Law of the PRC, Art. 24
       (explanation of automated decisions).

    Examples
    --------
    >>> import pandas as pd
    >>> from jiebei_credit.limits import LimitPolicy, assign
    >>> policy = LimitPolicy(product_cap=50_000, income_multiple=3.0,
    ...                      pd_cutoff=0.10, refer_pd=0.05)
    >>> apps = pd.DataFrame({"pd": [0.01, 0.07, 0.20],
    ...                      "monthly_income": [12_000.0, 8_000.0, 9_000.0],
    ...                      "existing_debt_service": [1_500.0, 3_900.0, 0.0],
    ...                      "existing_balance": [0.0, 0.0, 0.0]},
    ...                     index=["a", "b", "c"])
    >>> out = assign(apps, policy)
    >>> out[["limit", "decision", "binding_constraint"]]
         limit decision binding_constraint
    a  36000.0  approve    income_multiple
    b   1100.0    refer           capacity
    c      0.0  decline          pd_cutoff
    >>> print(out.loc["b", "reason"].replace("; ", ";\n"))
    referred for human review: PD in the grey band (5.00%, 10.00%];
    limit set by debt-service capacity (θ = 0.5, 12 months, equal_installment at 14.40% a year)
    """
    frame = frame_columns(applicants, REQUIRED, func=_FUNC, name="applicants")
    given: object = policy
    if not isinstance(given, LimitPolicy):
        raise fail(_FUNC, "policy", "must be a LimitPolicy", f"a {type(given).__name__}",
                   "Use LimitPolicy(...) or one of PRESETS.")
    pd_ = _pd(frame, scaling)
    money = "Amounts are monthly CNY; fix or drop those rows."

    def amounts(column: str, fix: str) -> FloatArray:
        return float_vector(frame[column], func=_FUNC, name=f"column {column!r}", low=0.0,
                            high=MAX_AMOUNT, allow_empty=True, fix=fix)[0]

    income = amounts("monthly_income", money)
    service = amounts("existing_debt_service", money)
    balance = amounts("existing_balance", "Balances are CNY; fix or drop those rows.")
    covered = np.ones(len(frame), dtype=bool)
    if "purpose" in frame.columns:
        codes, _ = choice_codes(frame["purpose"], PURPOSES, func=_FUNC, name="column 'purpose'",
                                fix="Map other labels to 'unknown'.")
        covered = np.isin(codes, [PURPOSES.index(p) for p in policy.purposes])

    cand = _candidates(policy, pd_, income, service, balance)
    raw, binding = _smallest(cand)
    limit = floor_to_step(raw, policy.rounding_step)

    over_cutoff = pd_ > policy.pd_cutoff
    not_covered = ~covered & ~over_cutoff
    decline = over_cutoff | not_covered | (limit < policy.min_limit) | (limit <= 0)
    limit[decline] = 0.0
    binding[over_cutoff] = BINDING.index("pd_cutoff")
    binding[not_covered] = BINDING.index("purpose")
    decision = np.where(decline, 2, 0)
    if policy.refer_pd is not None:
        decision[~decline & (pd_ > policy.refer_pd)] = 1

    ead = balance + policy.ccf * np.maximum(limit - balance, 0.0)
    reasons, lookup = _reasons(policy)
    columns: dict[str, object] = {"pd": pd_.copy()}  # the only array that may alias the input
    columns.update({f"limit_{name}": cand[k] for k, name in enumerate(CONSTRAINTS)})
    columns.update(
        limit_raw=raw,
        limit=limit,
        decision=categorical(decision, DECISIONS),
        binding_constraint=categorical(binding, BINDING),
        expected_loss=pd_ * policy.lgd * ead,
        reason=categorical(lookup[decision, binding], reasons),
    )
    return pd.DataFrame(columns, index=frame.index, copy=False)


def _pd(frame: pd.DataFrame, scaling: ScalingLike | None) -> FloatArray:
    """The PD of every row: the ``pd`` column, or ``scaling.pd_from_score`` of ``score``."""
    if scaling is not None and not callable(getattr(scaling, "pd_from_score", None)):
        raise fail(_FUNC, "scaling", "must have a pd_from_score method (a score scaling)",
                   f"a {type(scaling).__name__}",
                   "Pass the scorecard's own Scaling, e.g. jiebei_credit.scorecard.Scaling().")
    has_pd, has_score = "pd" in frame.columns, "score" in frame.columns
    if not (has_pd or has_score):
        frame_columns(frame, ("pd",), func=_FUNC, name="applicants",
                      fix="Give a 'pd' column, or a 'score' column with its scaling.")
    index = frame.index
    given = None
    if has_pd:
        given = float_vector(frame["pd"], func=_FUNC, name="column 'pd'", low=0.0, high=1.0,
                             allow_empty=True, fix="PD is a probability; fix or drop those rows.")[0]
    if given is not None and not has_score:
        return given
    if scaling is None:
        raise fail(_FUNC, "scaling", "is required with a 'score' column (there is no default scaling)",
                   "None", "Pass the scaling of the card that made the scores, e.g. "
                   "scaling=card.scaling, or give a 'pd' column instead.")
    score = float_vector(frame["score"], func=_FUNC, name="column 'score'", low=-MAX_ABS_SCORE,
                         high=MAX_ABS_SCORE, allow_empty=True,
                         fix="Scores are scorecard points; fix or drop those rows.")[0]
    from_score = _pd_from_score(scaling, score, index)
    if given is None:
        return from_score
    close = np.abs(given - from_score) <= PD_SCORE_ATOL + PD_SCORE_RTOL * from_score
    if not close.all():
        raise fail(_FUNC, "column 'pd'",
                   "must agree with the PD of column 'score' under scaling (to about six "
                   "significant digits)",
                   f"{offending(~close, given, index)}, where the scores give "
                   f"{show(from_score[~close], int((~close).sum()))}",
                   "Give one of the two columns, or the pd and the score of the same card and scaling.")
    return given


def _pd_from_score(scaling: ScalingLike, score: FloatArray, index: pd.Index) -> FloatArray:
    """``scaling.pd_from_score(score)`` checked: one PD in ``[0, 1]`` per score."""
    rule = "must turn every score into one PD in [0, 1] (its pd_from_score method)"
    with np.errstate(over="ignore", under="ignore"):  # extreme scores: PD exactly 0 or 1
        try:
            got = np.asarray(scaling.pd_from_score(score.copy()))
        except JiebeiCreditError:
            raise
        except (TypeError, ValueError, AttributeError, ArithmeticError) as exc:
            raise fail(_FUNC, "scaling", rule, f"{type(exc).__name__}: {exc}"[:120]) from exc
    if got.dtype.kind not in "fiu":
        raise fail(_FUNC, "scaling", rule, f"values of dtype {got.dtype}")
    out = got.astype(np.float64).reshape(-1)
    if out.shape != score.shape:
        raise fail(_FUNC, "scaling", rule, f"{out.size} values for {score.size} scores")
    with np.errstate(invalid="ignore"):
        bad = ~((out >= 0.0) & (out <= 1.0))
    if bad.any():
        raise fail(_FUNC, "scaling", rule, offending(bad, out, index),
                   "Use jiebei_credit.scorecard.Scaling, whose fields are checked.")
    return out


def _candidates(
    policy: LimitPolicy, pd_: FloatArray, income: FloatArray, service: FloatArray,
    balance: FloatArray,
) -> FloatArray:
    n = pd_.size
    cand = np.empty((len(CONSTRAINTS), n))
    cand[0] = np.inf if policy.regulatory_cap is None else policy.regulatory_cap
    cand[1] = policy.product_cap
    cand[2] = np.inf if _no_multiple(policy) else _multiple(policy, pd_) * income
    spare = np.maximum(policy.dsr * income - service, 0.0)
    code = np.full(n, METHODS.index(policy.capacity_method), dtype=np.int64)
    term = np.full(n, policy.capacity_term_months, dtype=np.int64)
    rate = np.full(n, policy.capacity_annual_rate / 12.0)
    cand[3] = balance + principal_for(spare, rate, term, code)
    if policy.el_budget is None:
        cand[4] = np.inf
    else:
        with np.errstate(divide="ignore", over="ignore"):  # PD 0 or tiny: no EL limit
            per = policy.el_budget / (pd_ * policy.lgd)
            el = np.maximum(balance + (per - balance) / policy.ccf, 0.0)
        cand[4] = np.where(pd_ > 0, el, np.inf)
    return cand


def _smallest(cand: FloatArray) -> tuple[FloatArray, IntArray]:
    """Row-wise minimum (floored at 0) and the first candidate attaining it."""
    raw = cand[0].copy()
    binding = np.zeros(raw.size, dtype=np.int64)
    for k in range(1, cand.shape[0]):
        lower = cand[k] < raw
        np.copyto(raw, cand[k], where=lower)
        binding[lower] = k
    np.maximum(raw, 0.0, out=raw)
    return raw, binding


def _no_multiple(policy: LimitPolicy) -> bool:
    return policy.income_multiple is None and not policy.income_multiple_bands


def _multiple(policy: LimitPolicy, pd_: FloatArray) -> FloatArray | float:
    if policy.income_multiple is not None:
        return policy.income_multiple
    edges = np.array([b.max_pd for b in policy.income_multiple_bands])
    values = np.array([*(b.multiple for b in policy.income_multiple_bands), 0.0])
    return values[np.searchsorted(edges, pd_, side="left")]


def floor_to_step(x: FloatArray, step: float) -> FloatArray:
    """Largest multiple of ``step`` at most ``x`` (exact: never above ``x``)."""
    with np.errstate(invalid="ignore"):
        k = np.floor(x / step)
    finite = np.isfinite(k)
    k = np.where(finite, k, 0.0)
    k += (k + 1.0) * step <= x
    k -= k * step > x
    return np.where(finite, k * step, x)


def _reasons(policy: LimitPolicy) -> tuple[list[str], IntArray]:
    """All reason texts of the policy and a (decision, binding) → category lookup."""
    desc = {
        "regulatory_cap": f"the regulatory cap {policy.regulatory_cap or 0:,.0f} ({policy.name})",
        "product_cap": f"the product cap {policy.product_cap:,.0f}",
        "income_multiple": (
            f"the income multiple ({policy.income_multiple:g} × monthly income)"
            if policy.income_multiple is not None else "the income multiple of the PD band"
        ),
        "capacity": (
            f"debt-service capacity (θ = {policy.dsr:g}, {policy.capacity_term_months} months, "
            f"{policy.capacity_method} at {policy.capacity_annual_rate:.2%} a year)"
        ),
        "expected_loss": (
            f"the expected-loss budget {policy.el_budget or 0:,.0f} "
            f"(LGD {policy.lgd:g}, CCF {policy.ccf:g})"
        ),
    }
    refer = (
        f"referred for human review: PD in the grey band ({policy.refer_pd:.2%}, "
        f"{policy.pd_cutoff:.2%}]" if policy.refer_pd is not None else "referred"
    )
    floor_text = (f"the minimum limit {policy.min_limit:,.0f}" if policy.min_limit > 0
                  else "a positive limit")
    texts: list[str] = []
    lookup = np.full((len(DECISIONS), len(BINDING)), -1, dtype=np.int64)
    for b, name in enumerate(BINDING):
        if name in desc:
            rows = {
                0: f"approved: limit set by {desc[name]}",
                1: f"{refer}; limit set by {desc[name]}",
                2: f"declined: {desc[name]} allows less than {floor_text}",
            }
        elif name == "pd_cutoff":
            rows = {2: f"declined: PD above the cut-off {policy.pd_cutoff:.2%}"}
        else:
            rows = {2: f"declined: purpose not covered by the policy "
                       f"(covers {', '.join(policy.purposes)})"}
        for d, text in rows.items():
            lookup[d, b] = len(texts)
            texts.append(text)
    return texts, lookup
