"""Sphinx configuration for jiebei_credit."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(HERE.parent))

import shutil  # noqa: E402

import jiebei_credit  # noqa: E402

# The end-to-end notebook lives in examples/ (where users find it); a copy is
# placed in the user guide at each build and executed there, so it never goes stale.
shutil.copyfile(HERE.parent / "examples" / "end_to_end.ipynb", HERE / "user_guide" / "08_end_to_end.ipynb")

project = "jiebei_credit"
author = "jiebei_credit developers"
copyright = "2026, jiebei_credit developers"
release = jiebei_credit.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_nb",
    "matplotlib.sphinxext.plot_directive",
    "jiebei_docs",
]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "jupyter_execute", "**.ipynb_checkpoints"]
templates_path: list[str] = []
html_static_path: list[str] = []

html_theme = "furo"
html_title = f"jiebei_credit {release}"
language = "en"

autodoc_typehints = "none"
autodoc_member_order = "bysource"
autodoc_default_options: dict[str, object] = {}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# Notebooks are executed during the build so they can never go stale.
nb_execution_mode = "force"
nb_execution_timeout = 300
nb_execution_raise_on_error = True
nb_execution_show_tb = True
myst_enable_extensions = ["dollarmath"]

# Plots in the user guide are rendered at build time from code.
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 100)]
