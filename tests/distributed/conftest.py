"""One Dask cluster and one Spark session per test session, plus a shared portfolio.

Dask runs on a ``LocalCluster`` of two worker processes (``processes=True``),
so every task and its arguments are pickled to another interpreter. Spark
runs in ``local[2]`` mode with ``PYSPARK_PYTHON`` pointing at this
interpreter. Both are created lazily, only by the tests that need them, and
closed at the end of the session.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest

import jiebei_credit as jc

#: Borrowers of the equality portfolio (issue 13: a 3 000-borrower portfolio).
N_BORROWERS = 3000
START, END = "2023-01-01", "2024-07-01"
AS_OF = pd.Timestamp("2024-01-01")
OBSERVED_UNTIL = "2024-07-01"


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Any]:
    dask = pytest.importorskip("dask")
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    # ":0": the scheduler's HTTP server takes a free port; the default 8787 may be held by
    # another test session on the machine, and the port warning would fail the session.
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
        memory_limit="3GiB", silence_logs=40,
    )
    client = distributed.Client(cluster, set_as_default=False)
    # Test frames come from pandas, so their data travels in the graph; and Dask must keep
    # the pandas dtypes of those frames (no string conversion) for exact comparisons.
    config = dask.config.set({"distributed.admin.large-graph-warning-threshold": "1GiB",
                              "dataframe.convert-string": False})
    try:
        with config:
            yield client
    finally:
        client.close()
        cluster.close()


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("jiebei_credit-tests")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()


@dataclass(frozen=True)
class Book:
    """The equality portfolio in memory, with its in-memory results."""

    tables: dict[str, pd.DataFrame]
    records: jc.records.RecordSet
    observations: pd.DataFrame
    X: pd.DataFrame
    y: pd.Series
    card: jc.scorecard.Scorecard


@pytest.fixture(scope="session")
def book() -> Book:
    portfolio = jc.synthetic.simulate_portfolio(N_BORROWERS, start=START, end=END, seed=13)
    rs = portfolio.records
    tables = {name: getattr(rs, name) for name in rs.tables}
    ids = tables["borrowers"]["borrower_id"].to_numpy()
    # Two observations per borrower, in a shuffled order, under a non-default unique index.
    rng = np.random.default_rng(0)
    obs = pd.DataFrame({
        "borrower_id": np.concatenate([ids, ids]),
        "as_of": np.concatenate([np.full(ids.size, AS_OF),
                                 np.full(ids.size, AS_OF - pd.Timedelta(days=120))]),
    })
    obs = obs.iloc[rng.permutation(len(obs))]
    obs.index = pd.Index([f"obs-{i:05d}" for i in range(len(obs))], name="observation_id")
    X = jc.features.extract(rs, obs)
    y = jc.features.outcomes(rs, obs, observed_until=OBSERVED_UNTIL, horizon_days=180, min_dpd=30)
    keep = y.notna()
    features = ["util_now", "dpd_max_180d", "zhima_latest", "inq_count_90d", "net_inflow_monthly_90d"]
    card = jc.scorecard.Scorecard(min_iv=0.0).fit(X.loc[keep, features], y[keep])
    return Book(tables=tables, records=rs, observations=obs, X=X, y=y, card=card)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the engine tests ``slow`` and, under pytest-xdist, run them on one worker.

    They start a JVM and a cluster (about a minute before the first test), so
    ``make test-fast`` leaves them out. ``make test`` spreads the suite over
    the machine's cores with ``--dist loadgroup``; the group keeps the promise
    of this module: one Dask cluster and one Spark session per run.
    """
    here = os.path.dirname(os.path.abspath(__file__))
    for item in items:
        if os.path.abspath(str(item.path)).startswith(here + os.sep):
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.xdist_group("engines"))
