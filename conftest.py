"""Doctest namespace for the package's docstring examples."""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np
import pandas as pd
import pytest

# The engine adapters import their engine; without the extra, their doctests are not collected
# (the tests in tests/distributed skip themselves the same way).
collect_ignore = [
    path
    for path, engine in (("jiebei_credit/dask.py", "dask"), ("jiebei_credit/spark.py", "pyspark"))
    if importlib.util.find_spec(engine) is None
]


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict[str, Any]) -> None:
    doctest_namespace["np"] = np
    doctest_namespace["pd"] = pd
