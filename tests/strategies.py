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
