"""The package as the index shows it: metadata, the README as package page, the sdist."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import tomllib
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_project_urls_and_contact() -> None:
    urls = PYPROJECT["project"]["urls"]
    assert set(urls) == {"Homepage", "Documentation", "Source", "Changelog", "Issues"}
    assert all(u.startswith("https://") for u in urls.values())
    assert all("@" in a["email"] for a in PYPROJECT["project"]["authors"])


def test_readme_links_are_absolute() -> None:
    # on the package page relative links point nowhere
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)]+)\)", text) + re.findall(r"<(https?://[^>]+)>", text)
    assert targets, "the README links to the example, the docs and the changelog"
    relative = [t for t in targets if not t.startswith("https://")]
    assert relative == []
    urls = PYPROJECT["project"]["urls"]
    assert any(t.startswith(urls["Source"]) for t in targets)
    assert urls["Documentation"] in text


def test_readme_has_the_pip_install_line() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^pip install jiebei-credit\b", text, flags=re.M)


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sdist")
    # the PEP 517 hook of the declared backend, in a child process (it reads the working directory)
    code = "import sys, hatchling.build as b; print(b.build_sdist(sys.argv[1]))"
    done = subprocess.run([sys.executable, "-c", code, str(out)], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    return out / done.stdout.strip().splitlines()[-1]


def test_sdist_holds_what_the_readme_commands_need(sdist: Path) -> None:
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
        pkg_info = tar.extractfile(next(m for m in tar.getmembers() if m.name.endswith("/PKG-INFO")))
        assert pkg_info is not None
        meta = Parser().parsestr(pkg_info.read().decode("utf-8"))
    # make demo runs examples/quickstart.py; make test runs the tests with the root conftest.py
    for needed in ("Makefile", "conftest.py", "README.md", "pyproject.toml", "LICENSE", "CHANGELOG.md",
                   "examples/quickstart.py", "tests/conftest.py", "docs/conf.py", ".ci/run"):
        assert needed in names, needed
    assert not any(n.startswith(("docs/_build/", ".venv/")) for n in names)
    project_urls = {v.split(",", 1)[0] for v in meta.get_all("Project-URL") or []}
    assert project_urls == {"Homepage", "Documentation", "Source", "Changelog", "Issues"}
