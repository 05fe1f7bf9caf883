"""The public signatures refuse data-flow mistakes under ``mypy --strict``.

``tests/typing/check_calls.py`` holds calls with the wrong kind of data, each
with the exact ``# type: ignore[<code>]`` mypy needs, and good calls whose
result types are pinned with ``assert_type``. The first test checks the
file as it is: clean, so every ignore is needed (``--strict`` reports unused
ignores). The second strips the ignores from a copy and checks that mypy then
refuses exactly those lines, with the codes they named, so the first test
cannot pass because mypy saw nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mypy import api

pytestmark = pytest.mark.slow  # each mypy run takes 10-40 s

ROOT = Path(__file__).resolve().parents[1]
CALLS = ROOT / "tests" / "typing" / "check_calls.py"
IGNORE = re.compile(r"  # type: ignore\[([a-z-]+)\]$")
ERROR = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+): error: (?P<text>.*?)  \[(?P<code>[a-z-]+)\]$", re.M)


def _mypy(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    # MYPYPATH first, so the package under test is the one in this checkout,
    # not an installed copy; follow-imports=silent reports only the checked file
    # (the package itself is checked by `mypy --strict jiebei_credit`).
    monkeypatch.setenv("MYPYPATH", str(ROOT))
    stdout, stderr, status = api.run([
        "--config-file", str(ROOT / "pyproject.toml"), "--strict", "--follow-imports=silent",
        "--no-error-summary", "--show-error-codes", str(path),
    ])
    assert not stderr, stderr
    return stdout, status


def _ignored_lines() -> dict[int, str]:
    lines = CALLS.read_text(encoding="utf-8").splitlines()
    return {i: m.group(1) for i, line in enumerate(lines, 1) if (m := IGNORE.search(line))}


def test_the_bad_calls_are_refused_and_every_ignore_is_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    ignored = _ignored_lines()
    # the cases the issue names, and more: the file must hold a real list of refusals
    assert len(ignored) >= 40
    stdout, status = _mypy(CALLS, monkeypatch)
    assert "unused-ignore" not in stdout, stdout
    assert status == 0, stdout


def test_without_the_ignores_mypy_refuses_exactly_those_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ignored = _ignored_lines()
    text = CALLS.read_text(encoding="utf-8")
    stripped = "\n".join(IGNORE.sub("", line) for line in text.splitlines()) + "\n"
    copy = tmp_path / "check_calls_stripped.py"
    copy.write_text(stripped, encoding="utf-8")
    # the copy differs only by the ignore comments: same line numbers
    assert len(stripped.splitlines()) == len(text.splitlines())
    stdout, status = _mypy(copy, monkeypatch)
    assert status == 1, stdout
    errors: dict[int, set[str]] = {}
    for m in ERROR.finditer(stdout):
        assert Path(m["path"]).name == copy.name, m.group(0)
        errors.setdefault(int(m["line"]), set()).add(m["code"])
    # one refusal per stripped line (a call with two bad arguments gets two
    # messages on its line), each with the code the ignore named, and none elsewhere
    assert sorted(errors) == sorted(ignored), stdout
    wrong_code = {line: codes for line, codes in errors.items() if codes != {ignored[line]}}
    assert not wrong_code, stdout
