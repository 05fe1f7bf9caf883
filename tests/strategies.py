"""Hypothesis strategies shared by the whole test suite.

Each section belongs to one subpackage. Strategies generate *valid* inputs;
tests that need invalid inputs corrupt a valid one explicitly, so every
failure says which corruption it was.
"""

from __future__ import annotations

# ---------------------------------------------------------------- records ---
# (records strategies)

# ----------------------------------------------------------------- limits ---
# (limits strategies)

# ------------------------------------------------------------- scorecard ---
# (scorecard strategies)

# --------------------------------------------------------------- metrics ---
# (metrics strategies)

# -------------------------------------------------------------- features ---
# (features strategies)
