"""Shared pytest configuration: Hypothesis profiles.

``make test`` runs the ``ci`` profile: derandomized, so a run never fails on
a newly drawn example and the same commit gives the same verdict every time.
``make test-fast`` runs the ``fast`` profile (10 examples a property, also
derandomized) without the tests marked ``slow``: the inner loop.
``make test-explore`` runs the ``explore`` profile: random seeds and many
more examples, to find new failures; each one it finds is recorded as an
explicit ``@example`` on the property, so the ``ci`` profile replays it.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=_SLOW_OK,
    print_blob=True,
)
settings.register_profile(
    "fast",
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=_SLOW_OK,
    print_blob=True,
)
settings.register_profile(
    "explore",
    max_examples=1000,
    deadline=None,
    suppress_health_check=_SLOW_OK,
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

