"""jiebei_credit.dask against the in-memory functions, on a LocalCluster of two processes.

Every expected value is the in-memory function's output on the same rows
(the adapters must not re-implement anything), compared exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import jiebei_credit as jc

dd = pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")
jcd = pytest.importorskip("jiebei_credit.dask")

from tests.distributed.conftest import AS_OF, OBSERVED_UNTIL, Book  # noqa: E402

OUTCOME_KW: dict[str, Any] = {"observed_until": OBSERVED_UNTIL, "horizon_days": 180, "min_dpd": 30}


def _dask_tables(book: Book, npartitions: int = 3) -> dict[str, Any]:
    return {n: dd.from_pandas(f, npartitions=npartitions, sort=False) for n, f in book.tables.items()}


def _dask_obs(book: Book) -> Any:
    return dd.from_pandas(book.observations, npartitions=3)


# ---- simulation ------------------------------------------------------------------


def test_simulate_is_deterministic_whatever_the_scheduler(dask_client: Any) -> None:
    a = jcd.simulate_portfolio(90, start="2024-01-01", end="2024-06-01", seed=5, npartitions=3)
    b = jcd.simulate_portfolio(90, start="2024-01-01", end="2024-06-01", seed=5, npartitions=3)
    for name in a:
        threaded = a[name].compute(scheduler="threads")
        distributed = dask_client.compute(b[name]).result()
        pd.testing.assert_frame_equal(threaded, distributed, check_exact=True)


def test_simulate_partitions_are_the_in_memory_generator_on_spawned_seeds() -> None:
    # Expected: partition i is synthetic.simulate_portfolio(n_i, seed=SeedSequence(7).spawn(3)[i])
    # with ids prefixed "P<i>-"; n_i = 40 // 3 + (i < 40 % 3) = 14, 13, 13.
    tables = jcd.simulate_portfolio(40, start="2024-01-01", end="2024-06-01", seed=7, npartitions=3)
    parts = tables["loans"].to_delayed()
    children = np.random.SeedSequence(7).spawn(3)
    for i, n_i in enumerate((14, 13, 13)):
        own = jc.synthetic.simulate_portfolio(n_i, start="2024-01-01", end="2024-06-01", seed=children[i])
        want = own.records.loans.assign(loan_id=f"P{i}-" + own.records.loans["loan_id"],
                                        borrower_id=f"P{i}-" + own.records.loans["borrower_id"])
        pd.testing.assert_frame_equal(parts[i].compute(scheduler="sync"), want, check_exact=True)


def test_simulate_ids_are_unique_and_the_tables_form_a_valid_record_set() -> None:
    tables = jcd.simulate_portfolio(60, start="2024-01-01", end="2024-06-01", seed=2, npartitions=4)
    import dask

    frames = dict(zip(tables, dask.compute(*tables.values(), scheduler="sync"), strict=True))
    for name, key in (("borrowers", "borrower_id"), ("loans", "loan_id"),
                      ("transactions", "transaction_id"), ("inquiries", "inquiry_id")):
        assert frames[name][key].is_unique, name
    assert len(frames["borrowers"]) == 60
    assert set(frames["truth"]["borrower_id"]) == set(frames["borrowers"]["borrower_id"])
    rs = jc.records.RecordSet.from_frames(
        **{n: f.reset_index(drop=True) for n, f in frames.items() if n != "truth"})
    assert len(rs.borrowers) == 60


def test_simulate_rejects_bad_arguments_before_generating() -> None:
    with pytest.raises(jc.errors.InvalidInputError, match="npartitions must be a whole number"):
        jcd.simulate_portfolio(3, start="2024-01-01", end="2024-06-01", seed=1, npartitions=4)
    with pytest.raises(jc.errors.InvalidInputError, match="seed must be a non-negative int"):
        jcd.simulate_portfolio(3, start="2024-01-01", end="2024-06-01", seed=-1, npartitions=1)
    with pytest.raises(jc.errors.InvalidInputError, match="at least 90 days"):
        jcd.simulate_portfolio(3, start="2024-01-01", end="2024-02-01", seed=1, npartitions=1)


# ---- extract and outcomes --------------------------------------------------------


@pytest.fixture(scope="module")
def extracted(book: Book, dask_client: Any) -> pd.DataFrame:
    # Computed once for the extract tests.
    out = jcd.extract(_dask_tables(book), _dask_obs(book), npartitions=4)
    return dask_client.compute(out).result()


def test_extract_equals_in_memory_exactly(book: Book, extracted: pd.DataFrame) -> None:
    got = extracted
    assert got.index.is_unique
    assert set(got.index) == set(book.X.index)
    pd.testing.assert_frame_equal(got.loc[book.X.index], book.X, check_exact=True)



def test_outcomes_equal_in_memory_exactly(book: Book, dask_client: Any) -> None:
    out = jcd.outcomes(_dask_tables(book), _dask_obs(book), npartitions=4, **OUTCOME_KW)
    got = dask_client.compute(out).result()
    pd.testing.assert_series_equal(got.loc[book.y.index], book.y, check_exact=True)


def test_extract_keeps_keywords_and_checks_them_early(book: Book) -> None:
    out = jcd.extract(_dask_tables(book), _dask_obs(book), families=["inquiries"], windows=(30,))
    assert list(out.columns) == list(
        jc.features.extract(book.records, book.observations.head(2), families=["inquiries"],
                            windows=(30,)).columns)
    with pytest.raises(jc.errors.InvalidInputError,
                       match=r"families may hold only .*; got 1 other value \('nope'\)"):
        jcd.extract(_dask_tables(book), _dask_obs(book), families=["nope"])
    # A progress callback or bar would run once per partition on the workers: refused.
    with pytest.raises(jc.errors.InvalidInputError,
                       match=r"jiebei_credit.dask.extract: progress is not taken per partition"):
        jcd.extract(_dask_tables(book), _dask_obs(book), progress=True)
    # Progress switched off is no feedback at all, so it is accepted (a caller may forward it).
    quiet = jcd.extract(_dask_tables(book), _dask_obs(book), families=["inquiries"], windows=(30,),
                        progress=False)
    assert list(quiet.columns) == list(out.columns)


def test_missing_column_raises_schema_error_before_compute(book: Book) -> None:
    tables = _dask_tables(book)
    tables["loans"] = tables["loans"].drop(columns=["principal"])
    with pytest.raises(jc.errors.SchemaError, match="principal") as info:
        jcd.extract(tables, _dask_obs(book))
    assert [(p.table, p.column) for p in info.value.problems] == [("loans", "principal")]


def test_wrong_dtype_raises_schema_error_before_compute(book: Book) -> None:
    tables = _dask_tables(book)
    tables["zhima_scores"] = tables["zhima_scores"].assign(observed_on=1.5)
    with pytest.raises(jc.errors.SchemaError) as info:
        jcd.extract(tables, _dask_obs(book))
    assert {(p.table, p.column) for p in info.value.problems} == {("zhima_scores", "observed_on")}


def test_invalid_row_in_one_partition_surfaces_as_the_original_schema_error(
    book: Book, dask_client: Any
) -> None:
    loans = book.tables["loans"].copy()
    loans.loc[loans.index[5], "principal"] = -100.0
    tables = _dask_tables(book)
    tables["loans"] = dd.from_pandas(loans, npartitions=3)
    # In memory the same table gives a SchemaError on loans.principal.
    with pytest.raises(jc.errors.SchemaError) as mem:
        jc.records.RecordSet.from_frames(**{**book.tables, "loans": loans})
    out = jcd.outcomes(tables, _dask_obs(book), npartitions=4, **OUTCOME_KW)
    with pytest.raises(jc.errors.SchemaError) as dist:
        dask_client.compute(out).result()
    assert type(dist.value) is jc.errors.SchemaError
    assert [(p.table, p.column, p.value) for p in dist.value.problems] == [
        (p.table, p.column, p.value) for p in mem.value.problems]


def test_instalments_of_absent_loans_raise_schema_error(book: Book, dask_client: Any) -> None:
    loans = book.tables["loans"].iloc[1:]  # the first loan's instalments become orphans
    tables = _dask_tables(book)
    tables["loans"] = dd.from_pandas(loans, npartitions=3)
    with pytest.raises(jc.errors.SchemaError, match="loan_id"):
        dask_client.compute(jcd.outcomes(tables, _dask_obs(book), npartitions=4, **OUTCOME_KW)).result()


def test_unknown_borrower_raises_the_in_memory_error(book: Book, dask_client: Any) -> None:
    obs = book.observations.copy()
    obs.iloc[3, obs.columns.get_loc("borrower_id")] = "nobody"
    out = jcd.extract(_dask_tables(book), dd.from_pandas(obs, npartitions=2, sort=False), npartitions=4)
    with pytest.raises(jc.errors.InvalidInputError,
                       match=(r"observations\.borrower_id must be borrowers of records\.borrowers; "
                              r"got 1 value \('nobody'\)")):
        dask_client.compute(out).result()


# ---- row-wise steps -------------------------------------------------------------


def _X(book: Book) -> Any:
    return dd.from_pandas(book.X[list(book.card.features_)], npartitions=4)


def test_score_equals_in_memory_exactly(book: Book, dask_client: Any) -> None:
    got = dask_client.compute(jcd.score(book.card, _X(book))).result()
    pd.testing.assert_series_equal(got, book.card.points(book.X), check_exact=True)


def test_predict_proba_equals_in_memory_exactly(book: Book, dask_client: Any) -> None:
    got = dask_client.compute(jcd.predict_proba(book.card, _X(book))).result()
    np.testing.assert_array_equal(got, book.card.predict_proba(book.X))


def test_explain_equals_in_memory_exactly(book: Book, dask_client: Any) -> None:
    # The in-memory output is long (one row per reason, a fresh RangeIndex, the observation in
    # column ``row``); partition by partition the positional index restarts, so compare without it.
    got = dask_client.compute(jcd.explain(book.card, _X(book), top=3)).result()
    want = book.card.explain(book.X, top=3)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want, check_exact=True)


def test_assign_equals_in_memory_exactly(book: Book, dask_client: Any) -> None:
    rng = np.random.default_rng(1)
    n = 500
    applicants = pd.DataFrame({
        "score": book.card.points(book.X).to_numpy()[:n],
        "monthly_income": rng.uniform(0, 50_000, n).round(2),
        "existing_debt_service": rng.uniform(0, 3_000, n).round(2),
        "existing_balance": rng.uniform(0, 20_000, n).round(2),
    })
    policy = next(iter(jc.limits.PRESETS.values()))
    dapp = dd.from_pandas(applicants, npartitions=3, sort=False)
    # scores become PDs only through the card's scaling, which assign requires with a score column
    got = dask_client.compute(jcd.assign(dapp, policy, scaling=book.card.scaling_)).result()
    want = jc.limits.assign(applicants, policy, scaling=book.card.scaling_)
    pd.testing.assert_frame_equal(got, want, check_exact=True)


# ---- PSI and stability -------------------------------------------------------------


def _psi_equal(got: jc.metrics.PSIResult, want: jc.metrics.PSIResult) -> None:
    assert got.value == want.value
    assert got.status == want.status
    assert got.empty_bins == want.empty_bins
    pd.testing.assert_frame_equal(got.table, want.table, check_exact=True)


@pytest.mark.parametrize("feature", ["util_now", "zhima_latest", "inq_count_90d"])
def test_psi_equals_in_memory_exactly(book: Book, dask_client: Any, feature: str) -> None:
    ref = book.X.loc[book.observations["as_of"] < AS_OF, feature]
    cur = book.X.loc[book.observations["as_of"] == AS_OF, feature]
    want = jc.metrics.psi(ref, cur, missing="bin")
    with dask_client.as_current():
        got = jcd.psi(dd.from_pandas(ref, npartitions=3, sort=False),
                      dd.from_pandas(cur, npartitions=4, sort=False),
                      missing="bin")
    _psi_equal(got, want)


def test_psi_with_a_sampled_reference_is_close(book: Book, dask_client: Any) -> None:
    # Above sample_size the quantile edges come from a sample (documented approximation);
    # the counts for those edges stay exact, so the PSI stays near the exact one.
    ref = book.X.loc[book.observations["as_of"] < AS_OF, "util_now"].fillna(0.0)
    cur = book.X.loc[book.observations["as_of"] == AS_OF, "util_now"].fillna(0.0)
    want = jc.metrics.psi(ref, cur)
    with dask_client.as_current():
        got = jcd.psi(dd.from_pandas(ref, npartitions=3, sort=False),
                      dd.from_pandas(cur, npartitions=3, sort=False),
                      sample_size=1500, seed=3)
    assert int(got.table["reference_count"].sum()) == len(ref)
    assert abs(got.value - want.value) < 0.02


def test_psi_missing_raise_matches_in_memory_rule(book: Book, dask_client: Any) -> None:
    ref = book.X["util_now"]
    assert ref.isna().any()
    with pytest.raises(jc.errors.InvalidInputError, match="missing"):
        jc.metrics.psi(ref, ref)
    with dask_client.as_current(), pytest.raises(jc.errors.InvalidInputError, match="missing='bin'"):
        jcd.psi(dd.from_pandas(ref, npartitions=2, sort=False), dd.from_pandas(ref, npartitions=2))


def test_stability_report_equals_in_memory(book: Book, dask_client: Any) -> None:
    first = book.observations["as_of"] < AS_OF
    ref, cur = book.X[first], book.X[~first]
    want = jc.monitoring.stability_report(book.card, ref, cur)
    with dask_client.as_current():
        got = jcd.stability_report(book.card, dd.from_pandas(ref, npartitions=3, sort=False),
                                   dd.from_pandas(cur, npartitions=2))
    _psi_equal(got.score_psi, want.score_psi)
    pd.testing.assert_frame_equal(got.features, want.features, check_exact=True)
    for f in want.feature_psi:
        _psi_equal(got.feature_psi[f], want.feature_psi[f])
    pd.testing.assert_frame_equal(got.to_frame(), want.to_frame(), check_exact=True)


def test_partitioned_by_borrower_skips_the_shuffle_and_gives_the_same_rows(dask_client: Any) -> None:
    # Expected: the shuffled path on the same simulated book (each simulated partition already
    # holds whole borrowers, so both must give the same features and outcomes, row for row).
    tables = dict(jcd.simulate_portfolio(120, start="2023-06-01", end="2024-06-01", seed=4, npartitions=3))
    tables.pop("truth")
    obs = tables["borrowers"].map_partitions(
        lambda b: b[["borrower_id"]].assign(as_of=pd.Timestamp("2024-03-01")).set_index(
            pd.Index(b["borrower_id"].to_numpy(), name="obs")),
        meta=pd.DataFrame({"borrower_id": pd.Series([], dtype="string"),
                           "as_of": pd.Series([], dtype="datetime64[ns]")},
                          index=pd.Index([], dtype=object, name="obs")))
    aligned = jcd.extract(tables, obs, partitioned_by_borrower=True)
    shuffled = jcd.extract(tables, obs, npartitions=2)
    a, s = dask_client.compute([aligned, shuffled], sync=True)
    pd.testing.assert_frame_equal(a.sort_index(), s.sort_index(), check_exact=True, check_index_type=False)
    with pytest.raises(jc.errors.InvalidInputError, match="same number of partitions"):
        jcd.extract({**tables, "loans": tables["loans"].repartition(npartitions=2)}, obs,
                    partitioned_by_borrower=True)
