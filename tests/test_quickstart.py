"""The quickstart example runs end to end on a short configuration (CI keeps it working)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

QUICKSTART = Path(__file__).resolve().parents[1] / "examples" / "quickstart.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("quickstart", QUICKSTART)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow  # make demo's script end to end: ~9 s
def test_quickstart_prints_every_stage() -> None:
    lines: list[str] = []
    figures = _load().run(n_borrowers=800, seed=3, out=lines.append)
    text = "\n".join(lines)
    for heading in ("1. Records", "2. Features", "3. Scorecard", "4. Evaluation", "5. Limits", "6. Reasons"):
        assert heading in text
    # The computed figures are real measurements of a working model, not placeholders.
    assert 0.6 < figures["auc"] <= 1.0
    assert 0.0 < figures["ks"] <= 1.0
    assert figures["psi"] >= 0.0
    assert f"AUC {figures['auc']:.3f}" in text


def test_quickstart_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    _load().main(["--borrowers", "300", "--seed", "4"])
    out = capsys.readouterr().out
    assert "finished in" in out
