"""vintage_table: cumulative bad shares by cohort and month on book, point in time at as_of."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.monitoring import VintageTable, vintage_table
from jiebei_credit.records import RecordSet
from tests.monitoring.lifecycle_records import (
    borrowers,
    day,
    dpd_on,
    hand_records,
    loans_by_loan,
    synthetic_records,
)

NAN = np.nan


def reference_vintage(records: RecordSet, as_of: str, min_dpd: int, measure: str,
                      cohort: str) -> pd.DataFrame:
    """Shares recomputed loan by loan, day by day, from the definitions (an independent implementation).

    A loan is bad by MOB m iff on some day t <= end of month (drawdown month + m) its DPD (the largest k
    with due + k <= t <= paid, a payment dated on or after as_of being unknown) is >= min_dpd. A cell is
    observable iff the end of month (cohort's last month + m) is before as_of.
    """
    cut = day(as_of)
    as_of_ts = pd.Timestamp(as_of)
    freq = "Q" if cohort == "quarter" else "M"
    per_cohort: dict[pd.Period, list[tuple[float, pd.Period, int | None]]] = {}
    for loan in loans_by_loan(records):
        if loan["drawn"] >= cut:
            continue
        first_bad = None
        for t in range(loan["drawn"], cut):  # day by day
            if dpd_on(loan["inst"], t, known_before=cut) >= min_dpd:
                first_bad = t
                break
        weight = loan["principal"] if measure == "balance" else 1.0
        month = pd.Period(loan["drawn_on"], "M")
        per_cohort.setdefault(pd.Period(loan["drawn_on"], freq), []).append((weight, month, first_bad))

    def end_of(month: pd.Period) -> pd.Timestamp:
        return month.end_time.normalize()

    cohorts = sorted(c for c in per_cohort if end_of(c.asfreq("M", how="end")) < as_of_ts)
    max_mob = -1
    for c in cohorts:
        m = 0
        while end_of(c.asfreq("M", how="end") + m) < as_of_ts:
            m += 1
        max_mob = max(max_mob, m - 1)
    table = np.full((len(cohorts), max_mob + 1), NAN)
    for i, c in enumerate(cohorts):
        loans = per_cohort[c]
        total = sum(w for w, _, _ in loans)
        for m in range(max_mob + 1):
            if end_of(c.asfreq("M", how="end") + m) < as_of_ts:
                bad = sum(w for w, month, fb in loans
                          if fb is not None and fb <= end_of(month + m).date().toordinal())
                table[i, m] = bad / total
    return pd.DataFrame(table, index=pd.PeriodIndex(cohorts, freq=freq, name="cohort"),
                        columns=pd.Index(np.arange(max_mob + 1, dtype=np.int64), name="mob"))


def frames(records: RecordSet) -> tuple[pd.DataFrame, pd.DataFrame]:
    assert records.loans is not None
    assert records.installments is not None
    return records.loans, records.installments


# --------------------------------------------------------------- worked example ---


def test_hand_example_count() -> None:
    vt = vintage_table(hand_records(), as_of="2024-06-01", min_dpd=30)
    # Jan: L1 bad on 04-09 (MOB 3), L9 on 03-01 (MOB 2), L2 never: 1/3 from MOB 2, 2/3 from MOB 3.
    # Feb: L3 (04-04) and L4 (paid on day 30, 04-14) bad at MOB 2, L5 (paid on day 29) never: 2/3.
    # Mar: L8 (paid after as_of, so open then) bad on 05-01, MOB 2. Apr: no loan, no row.
    # May: L6, MOB 0 only (ends 05-31 < 06-01). L7 drawn on as_of is not read.
    expected = pd.DataFrame(
        [[0, 0, 1 / 3, 2 / 3, 2 / 3], [0, 0, 2 / 3, 2 / 3, NAN], [0, 0, 1, NAN, NAN],
         [0, NAN, NAN, NAN, NAN]],
        index=pd.PeriodIndex(["2024-01", "2024-02", "2024-03", "2024-05"], freq="M", name="cohort"),
        columns=pd.Index(np.arange(5, dtype=np.int64), name="mob"), dtype=np.float64,
    )
    pd.testing.assert_frame_equal(vt.shares, expected)
    assert vt.counts["loans"].tolist() == [3, 3, 1, 1]
    assert vt.counts["principal"].tolist() == [5000.0, 4000.0, 1000.0, 1000.0]
    assert vt.counts["last_mob"].tolist() == [4, 3, 2, 0]
    np.testing.assert_array_equal(vt.bads.to_numpy(), expected.to_numpy() * np.array([[3], [3], [1], [1]]))
    assert (vt.as_of, vt.min_dpd, vt.measure, vt.cohort) == (pd.Timestamp("2024-06-01"), 30, "count", "month")


def test_hand_example_balance_and_quarters() -> None:
    vt = vintage_table(hand_records(), as_of="2024-06-01", min_dpd=30, measure="balance")
    # Jan: L9 (1000) from MOB 2, plus L1 (1000) from MOB 3, of 5000; Feb: L3 + L4 = 3000 of 4000.
    np.testing.assert_allclose(vt.shares.iloc[0].to_numpy(), [0, 0, 0.2, 0.4, 0.4])
    np.testing.assert_allclose(vt.shares.iloc[1].to_numpy(), [0, 0, 0.75, 0.75, NAN])
    np.testing.assert_allclose(vt.bads.iloc[1].to_numpy(), [0, 0, 3000, 3000, NAN])
    # Quarterly: 2024Q1 ends in March, so MOB m is observable up to m = 2 (end of May); MOB is counted
    # from each loan's own month: by MOB 2, L9 (Jan + 2 = Mar), L3, L4 (Feb + 2 = Apr) and L8
    # (Mar + 2 = May) are bad, L1 not yet (Apr is its MOB 3): 4 of 7; by MOB 1 none.
    q = vintage_table(hand_records(), as_of="2024-06-01", min_dpd=30, cohort="quarter")
    assert list(q.shares.index.astype(str)) == ["2024Q1"]  # Q2 is not complete before as_of
    np.testing.assert_allclose(q.shares.iloc[0].to_numpy(), [0, 0, 4 / 7])


def test_min_dpd_moves_the_first_bad_day() -> None:
    # min_dpd = 1: every loan with an instalment paid after its due date (or unpaid) is bad from the
    # first late day: L1 (03-11, MOB 2), L9 (02-01, MOB 1), L3, L4, L5 (Mar, MOB 1), L8 (04-02, MOB 1).
    vt = vintage_table(hand_records(), as_of="2024-06-01", min_dpd=1)
    np.testing.assert_allclose(vt.shares.iloc[0].to_numpy(), [0, 1 / 3, 2 / 3, 2 / 3, 2 / 3])
    np.testing.assert_allclose(vt.shares.iloc[1].to_numpy(), [0, 1, 1, 1, NAN])
    # min_dpd = 90: only L9 (04-30, 90 days after 01-31: MOB 3) of the January cohort.
    vt = vintage_table(hand_records(), as_of="2024-06-01", min_dpd=90)
    np.testing.assert_allclose(vt.shares.iloc[0].to_numpy(), [0, 0, 0, 1 / 3, 1 / 3])


def test_as_of_on_a_month_end_leaves_that_month_unobservable() -> None:
    # On as_of = 2024-05-31 the status of that day is not known: May is not observable, so the May
    # cohort has no row and the January cohort ends at MOB 3 (April).
    vt = vintage_table(hand_records(), as_of="2024-05-31", min_dpd=30)
    assert [str(p) for p in vt.shares.index] == ["2024-01", "2024-02", "2024-03"]
    assert vt.counts["last_mob"].tolist() == [3, 2, 1]


def test_no_complete_cohort_gives_an_empty_table() -> None:
    vt = vintage_table(hand_records(), as_of="2024-01-31")
    assert vt.shares.shape == (0, 0)
    assert vt.to_frame().empty


# ------------------------------------------------------------ reference check ---


@pytest.mark.parametrize(
    ("as_of", "min_dpd", "measure", "cohort"),
    [
        ("2024-01-01", 30, "count", "month"),
        ("2023-10-17", 30, "balance", "month"),
        ("2023-12-31", 1, "count", "quarter"),
        ("2024-03-01", 90, "balance", "quarter"),
        ("2023-07-01", 60, "count", "month"),
    ],
)
def test_matches_the_loan_by_loan_reference(as_of: str, min_dpd: int, measure: str, cohort: str) -> None:
    records = synthetic_records()
    vt = vintage_table(records, as_of=as_of, min_dpd=min_dpd, measure=measure,  # type: ignore[arg-type]
                       cohort=cohort)  # type: ignore[arg-type]
    expected = reference_vintage(records, as_of, min_dpd, measure, cohort)
    pd.testing.assert_frame_equal(vt.shares, expected, check_exact=False, rtol=1e-12, atol=0)
    assert np.nanmax(vt.shares.to_numpy()) > 0  # the portfolio has bad loans: the check is not vacuous


def test_to_frame_lists_the_observable_cells() -> None:
    vt = vintage_table(synthetic_records(), as_of="2023-11-15", measure="balance")
    long = vt.to_frame()
    assert len(long) == int(vt.shares.notna().to_numpy().sum())
    assert (long["observed_to"] < vt.as_of).all()
    # observed_to is the end of month (cohort's last month + mob), by pandas Period arithmetic
    ends = [(c.asfreq("M", how="end") + int(m)).end_time.normalize()
            for c, m in zip(long["cohort"], long["mob"], strict=True)]
    assert list(long["observed_to"]) == ends
    np.testing.assert_allclose(long["share"], long["bads"] / long["principal"], rtol=1e-12)
    back = long.pivot(index="cohort", columns="mob", values="share")
    np.testing.assert_allclose(back.to_numpy(), vt.shares.to_numpy(), rtol=0, atol=0)


# ------------------------------------------------------------------ properties ---

as_of_days = st.integers(min_value=0, max_value=420).map(
    lambda d: pd.Timestamp("2023-01-15") + pd.Timedelta(d, "D"))


@given(as_of=as_of_days, min_dpd=st.integers(1, 120), measure=st.sampled_from(["count", "balance"]),
       cohort=st.sampled_from(["month", "quarter"]))
def test_cells_rise_with_mob_and_are_nan_only_after_as_of(as_of: pd.Timestamp, min_dpd: int, measure: str,
                                                         cohort: str) -> None:
    vt = vintage_table(synthetic_records(), as_of=as_of, min_dpd=min_dpd, measure=measure,  # type: ignore[arg-type]
                       cohort=cohort)  # type: ignore[arg-type]
    shares = vt.shares.to_numpy()
    for row, period in zip(shares, vt.shares.index, strict=True):
        last_month = period.asfreq("M", how="end")
        ends = np.array([(last_month + m).end_time.normalize() for m in vt.shares.columns])
        assert (np.isnan(row) == (ends >= as_of)).all()  # filled iff the month on book ended before as_of
        filled = row[~np.isnan(row)]
        assert (np.diff(filled) >= 0).all()  # cumulative: cured loans still count
        assert ((filled >= 0) & (filled <= 1)).all()


@given(as_of=as_of_days, shift=st.integers(1, 400), min_dpd=st.integers(1, 120),
       measure=st.sampled_from(["count", "balance"]))
def test_nothing_dated_on_or_after_as_of_is_read(as_of: pd.Timestamp, shift: int, min_dpd: int,
                                                  measure: str) -> None:
    records = synthetic_records()
    loans, inst = frames(records)
    keep = loans["drawn_on"] < as_of
    inst = inst[inst["loan_id"].isin(loans.loc[keep, "loan_id"])].copy()
    # payments dated on or after as_of become unknown; due dates on or after as_of move later
    inst.loc[inst["paid_on"] >= as_of, "paid_on"] = pd.NaT
    future = inst["due_on"] >= as_of
    inst.loc[future, "due_on"] = inst.loc[future, "due_on"] + pd.Timedelta(shift, "D")
    truncated = records.replace(loans=loans[keep], installments=inst)
    a = vintage_table(records, as_of=as_of, min_dpd=min_dpd, measure=measure)  # type: ignore[arg-type]
    b = vintage_table(truncated, as_of=as_of, min_dpd=min_dpd, measure=measure)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(a.shares, b.shares)
    pd.testing.assert_frame_equal(a.bads, b.bads)
    pd.testing.assert_frame_equal(a.counts, b.counts)


def test_records_are_not_changed() -> None:
    records = hand_records()
    loans, inst = frames(records)
    vintage_table(records, as_of="2024-06-01", measure="balance")
    pd.testing.assert_frame_equal(records.loans, loans)
    pd.testing.assert_frame_equal(records.installments, inst)


def test_result_is_frozen() -> None:
    vt = vintage_table(hand_records(), as_of="2024-06-01")
    assert isinstance(vt, VintageTable)
    with pytest.raises(AttributeError):
        vt.min_dpd = 90  # type: ignore[misc]


# ---------------------------------------------------------------------- errors ---


def test_records_must_be_a_recordset_with_loans_and_instalments() -> None:
    with pytest.raises(InvalidInputError, match=r"^vintage_table: records must be a jiebei_credit\.records"):
        vintage_table(frames(hand_records())[0], as_of="2024-06-01")
    bare = RecordSet.from_frames(borrowers=borrowers())
    with pytest.raises(InvalidInputError, match=r"records must hold the loans and installments tables; got a "
                                                r"RecordSet lacking loans, installments .*Pass loans="):
        vintage_table(bare, as_of="2024-06-01")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"as_of": "today"}, r"as_of relative words"),
        ({"as_of": 20240601}, r"as_of numbers are never dates"),
        ({"as_of": None}, r"as_of must be a date; got None"),
        ({"as_of": "2024-06-01 12:00"}, r"as_of must be a date without a time of day"),
        ({"as_of": ["2024-06-01"]}, r"as_of must be a single date"),
        ({"min_dpd": 0}, r"min_dpd must be an integer >= 1; got 0"),
        ({"min_dpd": 30.0}, r"min_dpd must be an integer >= 1; got 30\.0 \(float\)"),
        ({"min_dpd": True}, r"min_dpd must be an integer >= 1; got True \(a bool\)"),
        ({"measure": "amount"}, r"measure must be one of 'count', 'balance'; got 'amount'"),
        ({"cohort": "week"}, r"cohort must be one of 'month', 'quarter'; got 'week'"),
    ],
)
def test_bad_parameters_are_refused(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"as_of": "2024-06-01"} | kwargs
    with pytest.raises(InvalidInputError, match=r"^vintage_table: " + message):
        vintage_table(hand_records(), **args)  # type: ignore[arg-type]
