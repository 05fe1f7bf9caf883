"""The flow on Dask and Spark: scaling curve, memory, and the ratio to in-memory.

Run: ``python -m benchmarks.bench_distributed [--end-to-end N ...] [--borrowers N ...]
[--engines dask spark] [--reference N] [--partition-borrowers N] [--memory-limit 4GiB] [--quick]``
(default: the end-to-end run at 300 000 borrowers, the Dask pipeline at
100 000 and 300 000, Spark at 100 000, the in-memory reference at 100 000;
``--quick`` runs Dask and the reference at 20 000). The scaling curve is
``--end-to-end 100000 300000 1000000 10000000``.

Pipeline (one observation per borrower on 2024-07-01, tables over
2023-01-01 .. 2025-01-01):

* **Dask**, on a ``LocalCluster`` of 2 worker processes (1 thread each,
  ``--memory-limit`` each): ``jiebei_credit.dask.simulate_portfolio``
  generates the book lazily, ``--partition-borrowers`` per partition;
  ``extract`` and ``outcomes`` co-partition it by borrower; ``score`` maps
  the card over the features; scores and outcomes are persisted (n floats
  each; the feature table is never collected), then ``psi`` compares the
  scores of the first and second half of the partitions. Features are
  computed once: the scores and the outcomes share one graph.
* **Spark**, ``local[2]``: the same tables written once to Parquet in a
  temporary directory and read with ``spark.read.parquet`` (the user's
  line), then ``extract``, ``outcomes``, ``score`` (scores cached) and
  ``psi``.
* **In memory**, same process: ``synthetic.simulate_portfolio``,
  ``features.extract``, ``features.outcomes`` and ``card.points`` on the
  reference book.

The card is fitted in memory on a separate 20 000-borrower development book.
Reported: wall time of each stage
and in all, seconds per 100 000 borrowers, the ratio to the in-memory
pipeline at the reference size, and the peak RSS of every Dask worker and
of the client process (which also hosts the scheduler).

**End to end** (``--end-to-end N ...``, default 300 000; ``--engines``
must include ``dask``): the whole flow in one graph, features computed
once. A lazily simulated book; ``extract`` and ``outcomes``; the five card
features, the target and a holdout flag (a hash of the borrower id splits
the borrowers in halves) persisted on the workers (the feature table is
never collected); ``jiebei_credit.dask.fit(Scorecard(), ...)`` on the
training half (above ``max_rows`` = 100 000 rows: from partition
statistics, four passes over the persisted rows); ``score`` of every row,
persisted; ``psi`` of the scores of the first against the second half of
the partitions; the holdout AUC from the (score, bad) counts, a table of a
few thousand rows. Up to 1 000 000 borrowers the training rows are also
collected and fitted in memory, and that card's holdout AUC is printed
beside. ``--skip-pipeline`` runs only this. The issue's 10M run is
``--end-to-end 10000000 --skip-pipeline --engines dask``.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import Any

import pandas as pd

import jiebei_credit as jc

START, END, AS_OF = "2023-01-01", "2025-01-01", pd.Timestamp("2024-07-01")
OUTCOME_KW: dict[str, Any] = {"observed_until": END, "horizon_days": 180, "min_dpd": 30}
FEATURES = ["util_now", "dpd_max_180d", "zhima_latest", "inq_count_90d", "net_inflow_monthly_90d"]


def _rss_mib() -> float:
    """Peak resident set of this process image (``VmHWM``; ``ru_maxrss`` survives exec on Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _in_child(fn: Any, *args: Any) -> Any:
    """Run ``fn(*args)`` in a fresh spawned process, so its memory does not count for the client."""
    import concurrent.futures
    import multiprocessing

    with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as ex:
        return ex.submit(fn, *args).result()


def _dev_card_dict() -> dict[str, Any]:
    return _dev_card().to_dict()


def _in_memory_child(n: int, card: dict[str, Any]) -> dict[str, float]:
    out = in_memory(n, jc.scorecard.Scorecard.from_dict(card))
    out["peak_mib"] = _rss_mib()
    return out


def _dev_card() -> jc.scorecard.Scorecard:
    dev = jc.synthetic.simulate_portfolio(20_000, start=START, end=END, seed=99)
    obs = pd.DataFrame({"borrower_id": dev.records.borrowers["borrower_id"], "as_of": AS_OF})
    X = jc.features.extract(dev.records, obs)
    y = jc.features.outcomes(dev.records, obs, **OUTCOME_KW)
    keep = y.notna()
    return jc.scorecard.Scorecard(min_iv=0.0).fit(X.loc[keep, FEATURES], y[keep])


def in_memory(n: int, card: jc.scorecard.Scorecard) -> dict[str, float]:
    t0 = time.perf_counter()
    book = jc.synthetic.simulate_portfolio(n, start=START, end=END, seed=1)
    t1 = time.perf_counter()
    obs = pd.DataFrame({"borrower_id": book.records.borrowers["borrower_id"], "as_of": AS_OF})
    X = jc.features.extract(book.records, obs)
    t2 = time.perf_counter()
    jc.features.outcomes(book.records, obs, **OUTCOME_KW)
    t3 = time.perf_counter()
    card.points(X[FEATURES])
    t4 = time.perf_counter()
    return {"simulate": t1 - t0, "extract": t2 - t1, "outcomes": t3 - t2, "score": t4 - t3,
            "pipeline": t4 - t1, "total": t4 - t0}


def _observations(borrowers: pd.DataFrame) -> pd.DataFrame:
    out = borrowers[["borrower_id"]].assign(as_of=AS_OF)
    out.index = pd.Index(out["borrower_id"].to_numpy(), name="observation_id")
    return out


def dask_pipeline(n: int, card: jc.scorecard.Scorecard, *, part: int, memory_limit: str,
                  aligned: bool) -> dict[str, Any]:
    import dask
    import distributed

    import jiebei_credit.dask as jcd

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       memory_limit=memory_limit, dashboard_address=None,
                                       silence_logs=40)
    client = distributed.Client(cluster)
    try:
        p = max(1, math.ceil(n / part))
        t0 = time.perf_counter()
        tables = jcd.simulate_portfolio(n, start=START, end=END, seed=1, npartitions=p)
        tables = {k: v for k, v in tables.items() if k != "truth"}
        obs = tables["borrowers"].map_partitions(
            _observations, meta=_observations(tables["borrowers"]._meta))
        X = jcd.extract(tables, obs, npartitions=p, partitioned_by_borrower=aligned)
        y = jcd.outcomes(tables, obs, npartitions=p, partitioned_by_borrower=aligned, **OUTCOME_KW)
        scores = jcd.score(card, X[FEATURES])
        scores, y = dask.persist(scores, y)
        distributed.wait([scores, y])
        t1 = time.perf_counter()
        half = max(1, scores.npartitions // 2)
        result = jcd.psi(scores.partitions[:half], scores.partitions[half:]) if p > 1 else None
        bad_rate = float(y.mean().compute())
        t2 = time.perf_counter()
        workers = client.run(_rss_mib)
        return {"partitions": p, "simulate+extract+outcomes+score": t1 - t0, "psi+reduce": t2 - t1,
                "total": t2 - t0, "psi": None if result is None else result.value, "bad_rate": bad_rate,
                "worker_peak_mib": sorted(workers.values()), "client_peak_mib": _rss_mib()}
    finally:
        client.close()
        cluster.close()


def _card_rows(x: pd.DataFrame, y: pd.Series) -> pd.DataFrame:
    """The card features, the target and the holdout half (a hash of the borrower id) of one partition."""
    frame = x[FEATURES].assign(bad=y)
    ids = pd.Series(frame.index.to_numpy(), index=frame.index)
    return frame.assign(holdout=(pd.util.hash_pandas_object(ids, index=False).to_numpy() % 2) == 1)


def _auc_from_counts(counts: pd.Series) -> float:
    """Holdout AUC from the (score, bad) counts: exact, ties included, from a small table."""
    table = counts.reset_index()
    table.columns = ["score", "bad", "n"]
    return jc.metrics.auc(table["bad"], table["score"], higher="safer", sample_weight=table["n"])


def dask_end_to_end(n: int, *, part: int, memory_limit: str, compare_in_memory: bool) -> dict[str, Any]:
    """simulate, extract, outcomes, fit, score and PSI in one graph: features are computed once."""
    import dask
    import dask.dataframe as dd
    import distributed

    import jiebei_credit.dask as jcd

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       memory_limit=memory_limit, dashboard_address=":0",
                                       silence_logs=40)
    client = distributed.Client(cluster)
    try:
        p = max(2, math.ceil(n / part))
        t0 = time.perf_counter()
        tables = jcd.simulate_portfolio(n, start=START, end=END, seed=1, npartitions=p)
        tables = {k: v for k, v in tables.items() if k != "truth"}
        obs = tables["borrowers"].map_partitions(
            _observations, meta=_observations(tables["borrowers"]._meta))
        X = jcd.extract(tables, obs, npartitions=p, partitioned_by_borrower=True)
        y = jcd.outcomes(tables, obs, npartitions=p, partitioned_by_borrower=True, **OUTCOME_KW)
        rows = dd.map_partitions(_card_rows, X, y, meta=_card_rows(X._meta, y._meta), align_dataframes=False)
        rows = rows.persist()
        distributed.wait(rows)
        t1 = time.perf_counter()
        train = rows[~rows["holdout"] & ~rows["bad"].isna()]
        with dask.config.set(scheduler=client):
            card = jcd.fit(jc.scorecard.Scorecard(), train[FEATURES], train["bad"])
        t2 = time.perf_counter()
        scored = rows.assign(score=jcd.score(card, rows[FEATURES])).persist()
        distributed.wait(scored)
        t3 = time.perf_counter()
        half = scored.npartitions // 2
        result = jcd.psi(scored["score"].partitions[:half], scored["score"].partitions[half:])
        held = scored[scored["holdout"] & ~scored["bad"].isna()]
        counts, labelled, bads = dask.compute(held.groupby(["score", "bad"]).size(),
                                              held["bad"].count(), held["bad"].sum())
        auc = _auc_from_counts(counts)
        t4 = time.perf_counter()
        out: dict[str, Any] = {
            "partitions": p, "features": t1 - t0, "fit": t2 - t1, "score": t3 - t2, "psi+auc": t4 - t3,
            "total": t4 - t0, "psi": result.value, "auc": auc, "holdout_rows": int(labelled),
            "holdout_bad_rate": float(bads) / max(int(labelled), 1), "distinct_scores": len(counts),
            "features_": card.features_, "worker_peak_mib": sorted(client.run(_rss_mib).values()),
            "client_peak_mib": _rss_mib()}
        if compare_in_memory:
            train_rows, test_rows = client.compute([train, held], sync=True)
            t5 = time.perf_counter()
            mem = jc.scorecard.Scorecard().fit(train_rows[FEATURES], train_rows["bad"])
            out["fit_in_memory"] = time.perf_counter() - t5
            out["auc_in_memory"] = jc.metrics.auc(test_rows["bad"], mem.points(test_rows[FEATURES]),
                                                  higher="safer")
        return out
    finally:
        client.close()
        cluster.close()


def spark_pipeline(n: int, card: jc.scorecard.Scorecard) -> dict[str, Any]:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    import jiebei_credit.spark as jcs

    book = jc.synthetic.simulate_portfolio(n, start=START, end=END, seed=1)
    spark = (SparkSession.builder.master("local[2]").config("spark.sql.session.timeZone", "UTC")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.memory", "4g").config("spark.sql.shuffle.partitions", "8")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name in book.records.tables:
                getattr(book.records, name).to_parquet(os.path.join(tmp, f"{name}.parquet"),
                                                      coerce_timestamps="us")
            obs = _observations(book.records.borrowers).reset_index()
            obs.to_parquet(os.path.join(tmp, "obs.parquet"), coerce_timestamps="us")
            del book
            t0 = time.perf_counter()
            tables = {name: spark.read.parquet(os.path.join(tmp, f"{name}.parquet"))
                      for name in jc.records.TABLE_NAMES}
            sobs = spark.read.parquet(os.path.join(tmp, "obs.parquet"))
            p = max(2, math.ceil(n / 25_000))
            X = jcs.extract(tables, sobs, key="observation_id", npartitions=p)
            y = jcs.outcomes(tables, sobs, key="observation_id", npartitions=p, **OUTCOME_KW)
            with jcs.library_errors():
                # The card features and the target, cached: the features are computed once.
                rows = (X.select("observation_id", *FEATURES).join(y.select("observation_id", "bad"),
                                                                   "observation_id")
                        .withColumn("holdout", F.pmod(F.hash("observation_id"), F.lit(2)) == 1).cache())
                n_rows = rows.count()
                t1 = time.perf_counter()
                train = rows.where(~F.col("holdout") & F.col("bad").isNotNull())
                fitted = jcs.fit(jc.scorecard.Scorecard(), train.select(*FEATURES, "bad"), target="bad")
                t2 = time.perf_counter()
                scores = jcs.score(fitted, rows.select("observation_id", *FEATURES),
                                   key="observation_id").cache()
                scores.count()
                t3 = time.perf_counter()
                first = scores.where("observation_id < 'B05'")
                second = scores.where("observation_id >= 'B05'")
                result = jcs.psi(first, second, column="score")
                bad_rate = rows.agg({"bad": "avg"}).collect()[0][0]
            t4 = time.perf_counter()
            return {"extract+outcomes": t1 - t0, "fit": t2 - t1, "score": t3 - t2, "psi": t4 - t3,
                    "total": t4 - t0, "rows": n_rows, "psi_value": result.value, "bad_rate": bad_rate,
                    "features_": fitted.features_}
    finally:
        spark.stop()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_distributed")
    parser.add_argument("--borrowers", type=int, nargs="+", default=[100_000, 300_000])
    parser.add_argument("--engines", nargs="+", default=["dask", "spark"], choices=["dask", "spark"])
    parser.add_argument("--spark-borrowers", type=int, default=100_000)
    parser.add_argument("--reference", type=int, default=100_000)
    parser.add_argument("--partition-borrowers", type=int, default=25_000)
    parser.add_argument("--memory-limit", default="4GiB")
    parser.add_argument("--modes", nargs="+", default=["shuffle", "aligned"], choices=["shuffle", "aligned"],
                        help="shuffle: co-partition by borrower hash (any input); aligned: the simulated "
                        "partitions already hold whole borrowers (partitioned_by_borrower=True)")
    parser.add_argument("--skip-pipeline", action="store_true", help="run only the end-to-end runs")
    parser.add_argument("--end-to-end", type=int, nargs="*", default=[300_000],
                        help="books for the end-to-end run (simulate, extract, outcomes, fit, score, PSI "
                        "with features computed once); the in-memory fit is compared up to 1 000 000")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.borrowers, args.engines, args.reference = [20_000], ["dask"], 20_000
        args.end_to_end = [20_000]
    try:
        import dask  # noqa: F401
    except ImportError:
        print("bench_distributed: dask is not installed (pip install 'jiebei_credit[dask]'); skipped")
        return
    print(f"load average before: {os.getloadavg()}")
    if "dask" in args.engines:
        for n in args.end_to_end:
            r = dask_end_to_end(n, part=args.partition_borrowers, memory_limit=args.memory_limit,
                                compare_in_memory=n <= 1_000_000)
            t = r["total"]
            line = (f"dask end-to-end {n:,} borrowers ({r['partitions']} partitions): total {t:.1f} s "
                    f"({t * 1e5 / n:.1f} s per 100k); simulate+extract+outcomes (persisted) "
                    f"{r['features']:.1f} s, fit {r['fit']:.1f} s, score {r['score']:.1f} s, psi+auc "
                    f"{r['psi+auc']:.1f} s; holdout AUC {r['auc']:.5f} on {r['holdout_rows']:,} rows "
                    f"(bad rate {r['holdout_bad_rate']:.4f}, {r['distinct_scores']} distinct scores), "
                    f"psi {r['psi']:.2e}; features {r['features_']}; worker peak RSS "
                    f"{[round(x) for x in r['worker_peak_mib']]} MiB, client {r['client_peak_mib']:.0f} MiB")
            if "auc_in_memory" in r:
                line += (f"; in-memory Scorecard.fit on the collected rows {r['fit_in_memory']:.1f} s, "
                         f"holdout AUC {r['auc_in_memory']:.5f} "
                         f"(difference {r['auc'] - r['auc_in_memory']:+.5f})")
            print(line, flush=True)
    if args.skip_pipeline:
        return
    card_dict = _in_child(_dev_card_dict)
    card = jc.scorecard.Scorecard.from_dict(card_dict)
    ref = _in_child(_in_memory_child, args.reference, card_dict)
    per = 1e5 / args.reference
    print(f"in memory, {args.reference:,} borrowers: "
          + ", ".join(f"{k} {v:.1f} s" for k, v in ref.items() if k != "peak_mib"))
    print(f"  pipeline (extract+outcomes+score) per 100k: {ref['pipeline'] * per:.1f} s; "
          f"with simulation: {ref['total'] * per:.1f} s; process peak RSS {ref['peak_mib']:.0f} MiB")
    if "dask" in args.engines:
        for n in args.borrowers:
            for mode in args.modes:
                r = dask_pipeline(n, card, part=args.partition_borrowers, memory_limit=args.memory_limit,
                                  aligned=mode == "aligned")
                t = r["total"]
                print(f"dask [{mode}] {n:,} borrowers ({r['partitions']} partitions): total {t:.1f} s "
                      f"({t * 1e5 / n:.1f} s per 100k; ratio to in-memory with simulation "
                      f"{(t / n) / (ref['total'] / args.reference):.2f}); "
                      f"stages: simulate+extract+outcomes+score "
                      f"{r['simulate+extract+outcomes+score']:.1f} s, psi {r['psi+reduce']:.1f} s; "
                      f"worker peak RSS {[round(x) for x in r['worker_peak_mib']]} MiB, "
                      f"client {r['client_peak_mib']:.0f} MiB; psi {r['psi']}, bad rate {r['bad_rate']:.4f}")
    if "spark" in args.engines:
        n = args.spark_borrowers
        r = spark_pipeline(n, card)
        print(f"spark {n:,} borrowers: total {r['total']:.1f} s "
              f"(extract+outcomes {r['extract+outcomes']:.1f} s, "
              f"fit {r['fit']:.1f} s, score {r['score']:.1f} s, psi {r['psi']:.1f} s); ratio to in-memory "
              f"extract+outcomes+score {(r['total'] / n) / (ref['pipeline'] / args.reference):.2f}; "
              f"rows {r['rows']:,}, psi {r['psi_value']:.4f}, bad rate {r['bad_rate']:.4f}, "
              f"features {r['features_']}", flush=True)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
