"""Hypothesis strategies shared by the whole test suite.

Each section belongs to one subpackage. Strategies generate *valid* inputs;
tests that need invalid inputs corrupt a valid one explicitly, so every
failure says which corruption it was.
"""

from __future__ import annotations

# ---------------------------------------------------------------- records ---
# (records strategies)
import datetime as _dt

import pandas as _pd
from hypothesis import strategies as st

from jiebei_credit.records import (
    SCHEMAS,
    BusinessType,
    InstitutionType,
    LoanPurpose,
    RepaymentMethod,
    TransactionKind,
)

_ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz0123456789"
record_ids = st.text(alphabet=_ID_ALPHABET, min_size=1, max_size=6)
record_dates = st.dates(min_value=_dt.date(2015, 1, 1), max_value=_dt.date(2027, 12, 31))
record_amounts = st.integers(min_value=1, max_value=50_000_000).map(lambda fen: fen / 100)
daily_rates = st.floats(min_value=1e-5, max_value=0.01, allow_nan=False)
zhima_values = st.integers(min_value=350, max_value=950)
_DIRECTION_OF = {
    "sale": ["in"],
    "loan_disbursement": ["in"],
    "refund": ["out"],
    "purchase": ["out"],
    "loan_repayment": ["out"],
    "transfer": ["in", "out"],
    "other": ["in", "out"],
}


def _frame(table: str, rows: list[dict[str, object]]) -> _pd.DataFrame:
    columns = list(SCHEMAS[table].column_names)
    if not rows:
        return _pd.DataFrame({c: _pd.Series([], dtype=object) for c in columns})
    return _pd.DataFrame(rows, columns=columns)


@st.composite
def borrower_frames(draw: st.DrawFn, *, min_size: int = 1, max_size: int = 5) -> _pd.DataFrame:
    """A valid ``borrowers`` frame with unique identifiers."""
    ids = draw(st.lists(record_ids, min_size=min_size, max_size=max_size, unique=True))
    rows = [
        {
            "borrower_id": b,
            "business_type": draw(st.sampled_from([m.value for m in BusinessType])),
            "industry": draw(st.none() | st.sampled_from(["catering", "retail", "logistics", "餐饮"])),
            "business_registered_on": draw(st.none() | record_dates),
            "region": draw(st.none() | st.sampled_from(["Zhejiang", "Guangdong", "四川"])),
        }
        for b in ids
    ]
    return _frame("borrowers", rows)


def _add_months(d: _dt.date, k: int) -> _dt.date:
    return (_pd.Timestamp(d) + _pd.DateOffset(months=k)).date()


@st.composite
def record_frames(draw: st.DrawFn, *, max_borrowers: int = 4, max_rows: int = 6) -> dict[str, _pd.DataFrame]:
    """A consistent set of all seven tables (foreign keys and schedules hold).

    Instalment principal is split in whole fen with the last instalment
    absorbing the residual, so it sums exactly to the loan principal.
    """
    borrowers = draw(borrower_frames(max_size=max_borrowers))
    ids = borrowers["borrower_id"].tolist()
    who = st.sampled_from(ids)
    events = {
        (draw(who), draw(record_dates)): (draw(record_amounts), draw(daily_rates))
        for _ in range(draw(st.integers(0, max_rows)))
    }
    cle = _frame(
        "credit_line_events",
        [
            {"borrower_id": b, "effective_on": d, "limit": lim, "daily_rate": r}
            for (b, d), (lim, r) in events.items()
        ],
    )
    loans, insts = [], []
    for i in range(draw(st.integers(0, max_rows))):
        loan_id = f"L{i}"
        drawn = draw(st.dates(min_value=_dt.date(2018, 1, 1), max_value=_dt.date(2025, 12, 31)))
        fen = draw(st.integers(min_value=100, max_value=20_000_000))
        term = draw(st.sampled_from([3, 6, 12]))
        loans.append(
            {
                "loan_id": loan_id,
                "borrower_id": draw(who),
                "drawn_on": drawn,
                "principal": fen / 100,
                "term_months": term,
                "repayment_method": draw(st.sampled_from([m.value for m in RepaymentMethod])),
                "daily_rate": draw(daily_rates),
                "purpose": draw(st.sampled_from([m.value for m in LoanPurpose])),
            }
        )
        base = fen // term
        for k in range(1, term + 1):
            part = base if k < term else fen - base * (term - 1)
            due = _add_months(drawn, k)
            paid = draw(st.none() | st.integers(min_value=-20, max_value=120))
            insts.append(
                {
                    "loan_id": loan_id,
                    "seq": k,
                    "due_on": due,
                    "principal_due": part / 100,
                    "interest_due": draw(st.integers(0, 100_000)) / 100,
                    "paid_on": None if paid is None else max(drawn, due + _dt.timedelta(days=paid)),
                }
            )
    txs = []
    for i in range(draw(st.integers(0, max_rows))):
        kind = draw(st.sampled_from([m.value for m in TransactionKind]))
        moment = draw(
            st.datetimes(min_value=_dt.datetime(2018, 1, 1), max_value=_dt.datetime(2026, 12, 31))
        )
        txs.append(
            {
                "transaction_id": f"T{i}",
                "borrower_id": draw(who),
                "occurred_at": moment,
                "amount": draw(record_amounts),
                "direction": draw(st.sampled_from(_DIRECTION_OF[kind])),
                "kind": kind,
                "counterparty_id": draw(st.none() | record_ids),
            }
        )
    scores = {
        (draw(who), draw(record_dates)): draw(zhima_values) for _ in range(draw(st.integers(0, max_rows)))
    }
    inquiries = [
        {
            "inquiry_id": f"Q{i}",
            "borrower_id": draw(who),
            "inquired_on": draw(record_dates),
            "institution_type": draw(st.sampled_from([m.value for m in InstitutionType])),
        }
        for i in range(draw(st.integers(0, max_rows)))
    ]
    return {
        "borrowers": borrowers,
        "credit_line_events": cle,
        "loans": _frame("loans", loans),
        "installments": _frame("installments", insts),
        "transactions": _frame("transactions", txs),
        "zhima_scores": _frame(
            "zhima_scores",
            [{"borrower_id": b, "observed_on": d, "score": s} for (b, d), s in scores.items()],
        ),
        "inquiries": _frame("inquiries", inquiries),
    }


@st.composite
def nonempty_table(draw: st.DrawFn) -> tuple[str, _pd.DataFrame, dict[str, _pd.DataFrame]]:
    """``(table, frame, all_frames)`` where ``frame`` has at least one row."""
    frames = draw(record_frames(max_rows=4))
    names = [n for n, f in frames.items() if len(f) > 0]
    name = draw(st.sampled_from(names))
    return name, frames[name], frames


# ----------------------------------------------------------------- limits ---
# (limits strategies)
import numpy as _np_lim
import pandas as _pd_lim
from hypothesis import strategies as _st_lim

from jiebei_credit.limits import LimitPolicy as _LimitPolicy
from jiebei_credit.limits import LineReviewPolicy as _LineReviewPolicy
from jiebei_credit.limits import MultipleBand as _MultipleBand

LIMIT_METHODS = ("equal_installment", "equal_principal", "interest_first")
limit_methods = _st_lim.sampled_from(LIMIT_METHODS)
#: Principals from 1 000 to 10 000 000 CNY, whole fen.
limit_principals = _st_lim.integers(min_value=100_000, max_value=1_000_000_000).map(
    lambda f: f / 100
)
#: Nominal annual rates from 0 to 36 %, with 0 and 14.4 % drawn often.
limit_annual_rates = _st_lim.one_of(
    _st_lim.sampled_from([0.0, 0.144]),
    _st_lim.floats(min_value=0.0, max_value=0.36, allow_nan=False, allow_subnormal=False),
)
limit_terms = _st_lim.one_of(_st_lim.sampled_from([1, 3, 6, 12]), _st_lim.integers(1, 60))
#: Monthly payments from 0 to 200 000 CNY, any float.
limit_payments = _st_lim.floats(min_value=0.0, max_value=200_000.0, allow_nan=False,
                                allow_subnormal=False)
limit_dates = _st_lim.dates(
    min_value=_pd_lim.Timestamp("2000-01-01").date(),
    max_value=_pd_lim.Timestamp("2040-12-31").date(),
)


def _fen_amounts(lo: int, hi: int) -> _st_lim.SearchStrategy[float]:
    return _st_lim.integers(min_value=lo * 100, max_value=hi * 100).map(lambda f: f / 100)


@_st_lim.composite
def applicant_frames(draw, min_size: int = 1, max_size: int = 25, score: bool = False):
    """Valid ``assign`` input: pd (or score), income, debt service, balance, purpose.

    The index is a shuffled set of integer labels, so tests can check that it
    is kept in order.
    """
    n = draw(_st_lim.integers(min_size, max_size))
    labels = draw(_st_lim.permutations(range(n)))
    col = {}
    if score:
        col["score"] = draw(_st_lim.lists(_st_lim.floats(300, 900), min_size=n, max_size=n))
    else:
        col["pd"] = draw(_st_lim.lists(
            _st_lim.one_of(_st_lim.sampled_from([0.0, 0.05, 0.1, 1.0]), _st_lim.floats(0, 1)),
            min_size=n, max_size=n))
    col["monthly_income"] = draw(_st_lim.lists(_fen_amounts(0, 200_000), min_size=n, max_size=n))
    col["existing_debt_service"] = draw(
        _st_lim.lists(_fen_amounts(0, 20_000), min_size=n, max_size=n))
    col["existing_balance"] = draw(_st_lim.lists(
        _st_lim.one_of(_st_lim.just(0.0), _fen_amounts(0, 100_000)), min_size=n, max_size=n))
    col["purpose"] = draw(_st_lim.lists(
        _st_lim.sampled_from(["consumption", "business", "unknown"]), min_size=n, max_size=n))
    return _pd_lim.DataFrame(col, index=_pd_lim.Index([7 * k + 3 for k in labels]))


@_st_lim.composite
def limit_policies(draw):
    """Valid ``LimitPolicy`` objects covering every optional constraint."""
    kind = draw(_st_lim.sampled_from(["none", "one", "bands"]))
    multiple = draw(_st_lim.floats(0.5, 20)) if kind == "one" else None
    bands = ()
    if kind == "bands":
        edges = sorted(draw(_st_lim.sets(_st_lim.floats(0.001, 1.0), min_size=1, max_size=4)))
        mults = sorted(draw(_st_lim.lists(_st_lim.floats(0, 20), min_size=len(edges),
                                          max_size=len(edges))), reverse=True)
        bands = tuple(_MultipleBand(max_pd=e, multiple=m) for e, m in zip(edges, mults, strict=True))
    cutoff = draw(_st_lim.floats(0.0, 1.0))
    refer = draw(_st_lim.one_of(_st_lim.none(), _st_lim.floats(0.0, 1.0).map(lambda x: x * cutoff)))
    budget = draw(_st_lim.one_of(_st_lim.none(), _st_lim.floats(1.0, 10_000.0)))
    return _LimitPolicy(
        product_cap=float(draw(_st_lim.integers(1_000, 500_000))),
        regulatory_cap=draw(_st_lim.one_of(_st_lim.none(),
                                           _st_lim.integers(1_000, 500_000).map(float))),
        purposes=tuple(draw(_st_lim.sets(
            _st_lim.sampled_from(["consumption", "business", "unknown"]), min_size=1))),
        income_multiple=multiple,
        income_multiple_bands=bands,
        dsr=draw(_st_lim.floats(0.05, 1.0)),
        capacity_term_months=draw(_st_lim.sampled_from([1, 3, 6, 12, 24, 36])),
        capacity_annual_rate=draw(limit_annual_rates),
        capacity_method=draw(limit_methods),
        pd_cutoff=cutoff,
        refer_pd=refer,
        el_budget=budget,
        lgd=draw(_st_lim.floats(0.05, 1.0)),
        ccf=draw(_st_lim.floats(0.05, 1.0)),
        min_limit=draw(_st_lim.sampled_from([0.0, 500.0, 1000.0, 3000.0])),
        rounding_step=draw(_st_lim.sampled_from([0.01, 1.0, 50.0, 100.0, 1000.0])),
    )


@_st_lim.composite
def review_frames(draw, min_size: int = 1, max_size: int = 25):
    """Valid ``review_line`` input with a shuffled integer index."""
    n = draw(_st_lim.integers(min_size, max_size))
    labels = draw(_st_lim.permutations(range(n)))

    def column(strategy):
        return draw(_st_lim.lists(strategy, min_size=n, max_size=n))

    frame = _pd_lim.DataFrame({
        "limit": column(_st_lim.one_of(_st_lim.just(0.0), _fen_amounts(0, 300_000))),
        "utilisation": column(_st_lim.floats(0, 1.5)),
        "dpd_now": column(_st_lim.one_of(_st_lim.just(0), _st_lim.integers(0, 200))),
        "max_dpd_recent": column(_st_lim.one_of(_st_lim.just(0), _st_lim.integers(0, 200))),
        "months_on_book": column(_st_lim.integers(0, 120)),
        "score": column(_st_lim.floats(350, 950)),
        "score_change": column(_st_lim.floats(-200, 200)),
        "cashflow_change": column(_st_lim.floats(-1, 3)),
    }, index=_pd_lim.Index([5 * k + 1 for k in labels]))
    frame["max_dpd_recent"] = _np_lim.maximum(frame["max_dpd_recent"], frame["dpd_now"])
    return frame


line_review_policies = _st_lim.builds(
    _LineReviewPolicy,
    freeze_dpd=_st_lim.integers(30, 90),
    decrease_dpd=_st_lim.integers(1, 30),
    score_drop=_st_lim.floats(5, 100),
    cashflow_fall=_st_lim.floats(0.05, 0.9),
    min_months_on_book=_st_lim.integers(0, 24),
    min_score=_st_lim.floats(400, 800),
    increase_fraction=_st_lim.floats(0.05, 1.0),
    decrease_fraction=_st_lim.floats(0.05, 1.0),
    max_limit=_st_lim.one_of(_st_lim.none(), _st_lim.integers(1_000, 500_000).map(float)),
    rounding_step=_st_lim.sampled_from([1.0, 100.0]),
)

# ------------------------------------------------------------- scorecard ---
# (scorecard strategies)
import numpy as _np_sc


@st.composite
def fine_bin_counts(draw: st.DrawFn, max_fine: int = 9) -> dict[str, _np_sc.ndarray]:
    """Integer good/bad counts of 1..max_fine ordered fine bins, plus 0..2 fixed bins."""
    n = draw(st.integers(min_value=1, max_value=max_fine))
    goods = draw(st.lists(st.integers(0, 40), min_size=n, max_size=n))
    bads = draw(st.lists(st.integers(0, 12), min_size=n, max_size=n))
    k = draw(st.integers(0, 2))
    fixed_goods = draw(st.lists(st.integers(1, 20), min_size=k, max_size=k))
    fixed_bads = draw(st.lists(st.integers(0, 8), min_size=k, max_size=k))
    if sum(goods) + sum(fixed_goods) == 0:
        goods[0] = 1
    if sum(bads) + sum(fixed_bads) == 0:
        bads[-1] = 1
    if sum(goods) + sum(bads) == 0:
        goods[0] = 1
    return {
        "goods": _np_sc.asarray(goods, dtype=float),
        "bads": _np_sc.asarray(bads, dtype=float),
        "fixed_goods": _np_sc.asarray(fixed_goods, dtype=float),
        "fixed_bads": _np_sc.asarray(fixed_bads, dtype=float),
    }


@st.composite
def binning_data(
    draw: st.DrawFn, min_rows: int = 20, max_rows: int = 300
) -> tuple[_np_sc.ndarray, _np_sc.ndarray]:
    """A numeric feature (with NaN and a few repeated values) and a 0/1 target with both classes."""
    n = draw(st.integers(min_rows, max_rows))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = _np_sc.random.default_rng(seed)
    x = _np_sc.round(rng.normal(size=n), draw(st.integers(0, 2)))
    slope = draw(st.floats(-3, 3))
    y = (rng.random(n) < 1 / (1 + _np_sc.exp(1 + slope * x))).astype(int)
    x[rng.random(n) < draw(st.floats(0, 0.3))] = _np_sc.nan
    y[0], y[1] = 0, 1
    return x, y

# --------------------------------------------------------------- metrics ---
# (metrics strategies)
import numpy as _np
from hypothesis import strategies as st

#: Scores on a coarse grid (many ties, like scorecard points) or anywhere in a wide range.
metric_scores = st.one_of(
    st.integers(min_value=300, max_value=320).map(float),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
)


@st.composite
def scored_samples(
    draw: st.DrawFn, *, min_size: int = 2, max_size: int = 60
) -> tuple[_np.ndarray, _np.ndarray]:
    """``(y, score)``: a 0/1 target holding both classes and a finite score of the same length."""
    n = draw(st.integers(min_value=max(min_size, 2), max_value=max_size))
    y = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    y[0], y[1] = 1, 0
    grid = draw(st.booleans())
    if grid:
        score = draw(st.lists(st.integers(300, 310).map(float), min_size=n, max_size=n))
    else:
        score = draw(st.lists(metric_scores, min_size=n, max_size=n))
    order = _np.asarray(draw(st.permutations(range(n))))
    return _np.asarray(y, dtype=_np.int64)[order], _np.asarray(score, dtype=_np.float64)[order]


@st.composite
def weighted_scored_samples(
    draw: st.DrawFn, *, max_size: int = 40
) -> tuple[_np.ndarray, _np.ndarray, _np.ndarray]:
    """``(y, score, weight)`` with weights in [0, 10] and a positive total in each class."""
    y, score = draw(scored_samples(max_size=max_size))
    w = draw(
        st.lists(
            st.floats(min_value=0.0, max_value=10.0, allow_nan=False),
            min_size=y.size,
            max_size=y.size,
        )
    )
    weight = _np.asarray(w, dtype=_np.float64)
    weight[_np.flatnonzero(y == 1)[0]] = 1.0
    weight[_np.flatnonzero(y == 0)[0]] = 1.0
    return y, score, weight


@st.composite
def probability_samples(draw: st.DrawFn, *, max_size: int = 60) -> tuple[_np.ndarray, _np.ndarray]:
    """``(y, pd)``: a 0/1 target (any mix) and PDs in [0, 1]."""
    n = draw(st.integers(min_value=1, max_value=max_size))
    y = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    p = draw(
        st.lists(st.floats(min_value=0.0, max_value=1.0, allow_nan=False), min_size=n, max_size=n)
    )
    return _np.asarray(y, dtype=_np.int64), _np.asarray(p, dtype=_np.float64)


#: A numeric sample for stability indices (PSI): finite floats, ties likely.
stability_samples = st.lists(
    st.one_of(
        st.integers(0, 5).map(float),
        st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False),
    ),
    min_size=1,
    max_size=80,
).map(lambda v: _np.asarray(v, dtype=_np.float64))

# -------------------------------------------------------------- features ---
# (features strategies)
import datetime as _fdt

import pandas as _fpd
from hypothesis import strategies as _fst

#: Every generated event of ``feature_records`` falls in the 240 days from this date.
FEATURE_EPOCH = _fdt.date(2023, 1, 1)
_F_SPAN = 240
_F_PAYERS = ["c1", "c2", "c3"]
_F_KIND_DIRECTION = [
    ("sale", "in"), ("sale", "in"), ("sale", "in"), ("sale", "in"), ("refund", "out"), ("refund", "out"),
    ("purchase", "out"),
    ("transfer", "in"), ("transfer", "out"), ("loan_disbursement", "in"), ("loan_repayment", "out"),
    ("other", "in"),
]
#: Payment lag behaviours (days after the due date, None = unpaid): early, on time, late, very late.
#: Boundary values of the 30-day prepayment rule and of the 1/30/90 DPD thresholds are included.
_F_LAGS = [
    [-45, -31, -30, -29, -5, -1, 0],
    [0, 0, -1, 1, None],
    [1, 2, 5, 29, 30, 31, 45, None],
    [60, 89, 90, 91, 120, None, None],
]
#: Gaps (days) between consecutive credit-line events or Zhima snapshots of a borrower.
_F_GAPS = [1, 10, 29, 30, 31, 60, 89, 90, 91, 150]


def _fday(k: int) -> _fdt.date:
    return FEATURE_EPOCH + _fdt.timedelta(days=k)


def _f_frame(table: str, rows: list[dict[str, object]]) -> _fpd.DataFrame:
    columns = list(SCHEMAS[table].column_names)
    if not rows:
        return _fpd.DataFrame({c: _fpd.Series([], dtype=object) for c in columns})
    return _fpd.DataFrame(rows, columns=columns)


@_fst.composite
def feature_records(draw: _fst.DrawFn, *, max_borrowers: int = 2) -> dict[str, _fpd.DataFrame]:
    """All seven tables, dense in a 240-day span so that windows hold events.

    Limits include 0 (a frozen line); instalments fall due every 30 days and
    are paid early, on time, late or never; a loan may be drawn within days
    of the payoff of the borrower's previous loan; transactions use three
    payers (plus unknown ones) so that payer features see repeats.
    """
    n_b = draw(_fst.integers(1, max_borrowers))
    ids = [f"b{i}" for i in range(n_b)]
    who = _fst.sampled_from(ids)
    offsets = _fst.integers(0, _F_SPAN)
    borrowers = _f_frame("borrowers", [
        {
            "borrower_id": b,
            "business_type": draw(_fst.sampled_from([m.value for m in BusinessType])),
            "industry": None,
            "business_registered_on": draw(_fst.none() | _fst.integers(-800, _F_SPAN).map(_fday)),
            "region": None,
        }
        for b in ids
    ])
    cle = {}
    for b in ids:
        k = draw(offsets)
        for _ in range(draw(_fst.integers(0, 5))):
            limit = draw(
                _fst.sampled_from([0.0, 1000.0, 5000.0, 20000.0])
                | _fst.integers(1, 10_000_000).map(lambda f: f / 100)
            )
            cle[(b, k)] = (limit, draw(_fst.sampled_from([0.0002, 0.0004, 0.0005])))
            k += draw(_fst.sampled_from(_F_GAPS))
    loans, insts = [], []
    payoff: dict[str, int] = {}
    for i in range(draw(_fst.integers(0, 6))):
        owner = draw(who)
        drawn = draw(_fst.integers(0, _F_SPAN - 30))
        if owner in payoff and payoff[owner] < _F_SPAN and draw(_fst.booleans()):
            drawn = payoff[owner] + draw(_fst.sampled_from([0, 1, 6, 7, 8]))  # re-draw around the 7-day rule
        term = draw(_fst.sampled_from([1, 2, 3, 6, 12]))
        fen = draw(_fst.integers(100, 5_000_000))
        loans.append({
            "loan_id": f"L{i}", "borrower_id": owner, "drawn_on": _fday(drawn), "principal": fen / 100,
            "term_months": term,
            "repayment_method": draw(_fst.sampled_from([m.value for m in RepaymentMethod])),
            "daily_rate": 0.0004, "purpose": draw(_fst.sampled_from([m.value for m in LoanPurpose])),
        })
        lags = _fst.sampled_from(draw(_fst.sampled_from(_F_LAGS)))
        base = fen // term
        paid_days = []
        for k in range(1, term + 1):
            due = drawn + 30 * k
            lag = draw(lags)
            paid = None if lag is None else max(drawn, due + lag)
            paid_days.append(paid)
            insts.append({
                "loan_id": f"L{i}", "seq": k, "due_on": _fday(due),
                "principal_due": (base if k < term else fen - base * (term - 1)) / 100,
                "interest_due": draw(_fst.integers(0, 50_000)) / 100,
                "paid_on": None if paid is None else _fday(paid),
            })
        if all(p is not None for p in paid_days):
            payoff[owner] = max(p for p in paid_days if p is not None)
    txs = []
    for i in range(draw(_fst.integers(0, 60))):
        kind, direction = draw(_fst.sampled_from(_F_KIND_DIRECTION))
        moment = _fdt.datetime.combine(_fday(draw(offsets)), _fdt.time()) + _fdt.timedelta(
            seconds=draw(_fst.sampled_from([0, 1, 43_200, 86_399]))
        )
        txs.append({
            "transaction_id": f"T{i}", "borrower_id": draw(who), "occurred_at": moment,
            "amount": draw(_fst.integers(1, 2_000_000)) / 100, "direction": direction, "kind": kind,
            "counterparty_id": draw(_fst.none() | _fst.sampled_from(_F_PAYERS)),
        })
    scores = {}
    for b in ids:
        k = draw(offsets)
        for _ in range(draw(_fst.integers(0, 5))):
            scores[(b, k)] = draw(_fst.integers(350, 950))
            k += draw(_fst.sampled_from(_F_GAPS))
    inquiries = [
        {"inquiry_id": f"Q{i}", "borrower_id": draw(who), "inquired_on": _fday(draw(offsets)),
         "institution_type": draw(_fst.sampled_from([m.value for m in InstitutionType]))}
        for i in range(draw(_fst.integers(0, 10)))
    ]
    return {
        "borrowers": borrowers,
        "credit_line_events": _f_frame("credit_line_events", [
            {"borrower_id": b, "effective_on": _fday(k), "limit": lim, "daily_rate": r}
            for (b, k), (lim, r) in cle.items()
        ]),
        "loans": _f_frame("loans", loans),
        "installments": _f_frame("installments", insts),
        "transactions": _f_frame("transactions", txs),
        "zhima_scores": _f_frame("zhima_scores", [
            {"borrower_id": b, "observed_on": _fday(k), "score": s} for (b, k), s in scores.items()
        ]),
        "inquiries": _f_frame("inquiries", inquiries),
    }


def _event_days(frames: dict[str, _fpd.DataFrame]) -> list[list[_fdt.date]]:
    """Event dates of each table (one list per table column holding dates)."""
    out: list[list[_fdt.date]] = []
    columns = [
        ("credit_line_events", "effective_on"), ("loans", "drawn_on"), ("installments", "due_on"),
        ("installments", "paid_on"), ("transactions", "occurred_at"), ("zhima_scores", "observed_on"),
        ("inquiries", "inquired_on"),
    ]
    for table, col in columns:
        days = [v.date() if isinstance(v, _fdt.datetime) else v for v in frames[table][col].tolist()
                if isinstance(v, _fdt.date)]
        if days:
            out.append(days)
    return out


@_fst.composite
def feature_cases(
    draw: _fst.DrawFn, *, max_borrowers: int = 2, max_observations: int = 5
) -> tuple[dict[str, _fpd.DataFrame], _fpd.DataFrame]:
    """``(frames, observations)``: dense records and observations dated on, just after or near events.

    An observation date is an event date of a table chosen first (so that rare
    tables are as likely as transactions) plus an offset around the window
    boundaries, or any date of the span.
    """
    frames = draw(feature_records(max_borrowers=max_borrowers))
    ids = frames["borrowers"]["borrower_id"].tolist()
    tables = _event_days(frames)
    offsets = [0, 1, 2, 7, 15, 29, 30, 31, 60, 90, 91, 180, 365, -1]
    near = _fst.sampled_from(tables).flatmap(_fst.sampled_from).flatmap(
        lambda e: _fst.sampled_from(offsets).map(lambda k: e + _fdt.timedelta(days=k))
    ) if tables else _fst.nothing()
    when = near | near | _fst.integers(-10, _F_SPAN + 200).map(_fday)
    n = draw(_fst.integers(1, max_observations))
    obs = _fpd.DataFrame(
        {"borrower_id": [draw(_fst.sampled_from(ids)) for _ in range(n)],
         "as_of": _fpd.to_datetime([draw(when) for _ in range(n)])},
        index=_fpd.Index([f"o{i}" for i in range(n)]),
    )
    return frames, obs
