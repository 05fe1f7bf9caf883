"""``Scorecard.report`` in a real browser: headless Chromium renders it from a file.

Chromium loads the report from ``file://`` (no server), dumps the DOM it
built, and logs every console message to stderr
(``--enable-logging=stderr``: lines tagged ``CONSOLE``, e.g. ``"Uncaught
ReferenceError: ..."``). The report must show every section heading and
produce no console message at all: it holds no script, and a blocked
resource or a Content-Security-Policy violation would be logged there too.
Two tests prove the check can fail: a report with a deliberate script error
injected (here, never in the library) is caught, and so is the policy
blocking an injected script.

The tests are marked ``browser`` and skip, saying why, when no Chromium
binary is found (Debian: ``apt-get install chromium``), unless the
environment sets ``JIEBEI_REQUIRE_BROWSER=1`` (CI): then they fail instead,
so a machine without a browser cannot pass the browser check by skipping it.

The screenshot in the docs (docs/_static/report_screenshot.png) is made by
this module, from the repository root::

    PYTHONPATH=$PWD python -m tests.scorecard.test_report_browser docs/_static/report_screenshot.png
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import jiebei_credit as jc
from jiebei_credit.scorecard import BinningParams, Scorecard
from tests.scorecard.test_report import HEADINGS, SECTION_IDS, make_data

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM = next((found for found in map(shutil.which, NAMES) if found), None)
HAS_MPL = importlib.util.find_spec("matplotlib") is not None
REQUIRED = os.environ.get("JIEBEI_REQUIRE_BROWSER", "") not in ("", "0")
MISSING = ("no Chromium binary on PATH (tried " + ", ".join(NAMES)
           + "); install one, e.g. apt-get install chromium")

pytestmark = [pytest.mark.browser, pytest.mark.skipif(CHROMIUM is None and not REQUIRED, reason=MISSING)]

#: A console message in Chromium's stderr log (every level is tagged CONSOLE), or an uncaught error.
CONSOLE = re.compile(r":CONSOLE[:(\]]|Uncaught")
INJECTED = "<script>undefined_report_function();</script></body>"


def demo_report(plots: bool = HAS_MPL) -> str:
    """A card on catalog-named features with a holdout: every section has content."""
    X, y = make_data(4000, 1)
    card = Scorecard(binning=BinningParams(max_bins=4), selection="stepwise",
                     feature_sources=jc.features.specs_for(X.columns))
    card.fit(X.iloc[:2500], y.iloc[:2500])
    return card.report(X.iloc[:2500], y.iloc[:2500], X.iloc[2500:], y.iloc[2500:],
                       title="Small-business line: application card v1", plots=plots)


def chromium(page: Path, *args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium on ``page`` (a file) with its own profile directory."""
    if CHROMIUM is None:
        pytest.fail(f"JIEBEI_REQUIRE_BROWSER is set, but {MISSING}")
    command = [CHROMIUM, "--headless", "--disable-gpu", "--no-sandbox", "--disable-dev-shm-usage",
               "--no-first-run", "--enable-logging=stderr", "--v=0", f"--user-data-dir={profile}", *args,
               page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)


def console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if CONSOLE.search(line)]


class Headings(HTMLParser):
    """The section ids and the h2 texts of a DOM."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.h2: list[str] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.ids.append(dict(attrs).get("id") or "")
        if tag == "h2":
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._text is not None:
            self.h2.append("".join(self._text))
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


@pytest.fixture(scope="module")
def report() -> str:
    return demo_report()


def test_every_section_shows_without_console_messages(report: str, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(report, encoding="utf-8")
    run = chromium(page, "--dump-dom", profile=tmp_path / "profile")
    dom = Headings()
    dom.feed(run.stdout)
    assert [i for i in dom.ids if i in SECTION_IDS] == list(SECTION_IDS)
    for n, heading in enumerate(HEADINGS, start=1):
        assert f"{n}. {heading}" in dom.h2, heading
    if HAS_MPL:
        assert run.stdout.count("<svg") == report.count("<svg") > 0
    assert console(run.stderr) == []


def test_console_check_catches_an_injected_script_error(report: str, tmp_path: Path) -> None:
    # the policy meta is removed so that the injected script runs and throws
    broken = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", report)
    broken = broken.replace("</body>", INJECTED)
    assert broken.count("undefined_report_function") == 1
    page = tmp_path / "broken.html"
    page.write_text(broken, encoding="utf-8")
    messages = console(chromium(page, "--dump-dom", profile=tmp_path / "profile").stderr)
    assert any("Uncaught ReferenceError: undefined_report_function is not defined" in m for m in messages)


def test_policy_blocks_an_injected_script_and_the_check_sees_it(report: str, tmp_path: Path) -> None:
    page = tmp_path / "injected.html"
    page.write_text(report.replace("</body>", INJECTED), encoding="utf-8")
    messages = console(chromium(page, "--dump-dom", profile=tmp_path / "profile").stderr)
    assert any("Content Security Policy" in m for m in messages)
    assert not any("undefined_report_function" in m for m in messages)  # it never ran


def screenshot(report: str, out: Path, profile: Path) -> None:
    page = out.with_suffix(".html")
    page.write_text(report, encoding="utf-8")
    try:
        chromium(page, "--hide-scrollbars", "--window-size=1200,1500", f"--screenshot={out}",
                 profile=profile)
    finally:
        page.unlink()


def test_screenshot(report: str, tmp_path: Path) -> None:
    out = tmp_path / "report.png"
    screenshot(report, out, tmp_path / "profile")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 1500)


if __name__ == "__main__":  # regenerate the screenshot of the docs
    import tempfile

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/_static/report_screenshot.png")
    with tempfile.TemporaryDirectory() as profile:
        screenshot(demo_report(plots=True), target.resolve(), Path(profile))
