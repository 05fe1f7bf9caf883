"""Importing the package is cheap and has no side effects."""

from __future__ import annotations

import json
import subprocess
import sys


def _import_report() -> dict[str, object]:
    code = (
        "import sys, json, warnings, logging\n"
        # numpy, pandas and scipy.special install warning filters of their own at
        # import; load them first so that only this package's effect is measured.
        "import numpy, pandas, scipy.special\n"
        "filters = list(warnings.filters)\n"
        "import jiebei_credit\n"
        "print(json.dumps({'modules': sorted(sys.modules), 'filters_same': filters == warnings.filters,\n"
        "                  'handlers': len(logging.getLogger('jiebei_credit').handlers)}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    result: dict[str, object] = json.loads(out.stdout)
    return result


def test_import_does_not_load_heavy_optional_modules() -> None:
    report = _import_report()
    modules = set(report["modules"])  # type: ignore[call-overload]
    for heavy in ("statsmodels", "matplotlib", "sklearn", "scipy.optimize", "scipy.stats"):
        assert heavy not in modules, f"import jiebei_credit imported {heavy}"


def test_import_changes_no_process_state() -> None:
    report = _import_report()
    assert report["filters_same"] is True
    assert report["handlers"] == 0
