"""Every public object has a numpydoc docstring that passes numpydoc's validation.

Modelled on scikit-learn's ``sklearn/tests/test_docstrings.py``: one test per
public object (a module's ``__all__`` member, and the public methods and
properties of a public class), failing with numpydoc's own error list.
Module-level data (constants, type aliases) cannot carry a docstring of its
own -- numpydoc would read the docstring of ``dict`` or ``tuple`` -- so for
those the test asks for the ``#:`` comment that Sphinx autodoc shows instead.
"""

from __future__ import annotations

import ast
import enum
import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate")

MODULES = [
    "jiebei_credit.records",
    "jiebei_credit.synthetic",
    "jiebei_credit.features",
    "jiebei_credit.scorecard",
    "jiebei_credit.limits",
    "jiebei_credit.metrics",
    "jiebei_credit.monitoring",
    "jiebei_credit.plotting",
    "jiebei_credit.errors",
    "jiebei_credit.dask",
    "jiebei_credit.spark",
]

# The numpydoc checks enforced: every GL (general layout), SS (summary), PR (parameters) and
# RT (returns) check, and YD01 (a Yields section for generators), except:
#   EX01 (no Examples), SA01-SA04 (See Also), ES01 (no extended summary): welcome, not required
#     of every method and property, as in scikit-learn;
#   RT04 (a Returns description starts with a capital letter): descriptions here often start
#     with a dtype or a column name (``float64 points ...``, ``bad_rate ...``), which are
#     lower case.
CHECKS = frozenset(
    {
        "GL01", "GL02", "GL03", "GL05", "GL06", "GL07", "GL08", "GL09", "GL10",
        "SS01", "SS02", "SS03", "SS04", "SS05", "SS06",
        "PR01", "PR02", "PR03", "PR04", "PR05", "PR06", "PR07", "PR08", "PR09", "PR10",
        "RT01", "RT02", "RT03", "RT05",
        "YD01",
    }
)  # fmt: skip

# The parameters of ``EnumType.__call__`` (the functional API, ``Enum("Name", names)``) that
# ``inspect.signature`` reports for every enum class; an enum documents only ``value``.
ENUM_FUNCTIONAL_API = frozenset({"names", "module", "qualname", "type", "start", "boundary"})
# A ``typing.Protocol`` cannot be instantiated; the ``(*args, **kwargs)`` that
# ``inspect.signature`` reports for it is ``Protocol.__init__``'s, not an interface.
PROTOCOL_INIT = frozenset({"*args", "**kwargs"})

PACKAGE_ROOT = Path(importlib.import_module("jiebei_credit").__file__ or "").parent


def _is_documentable(obj: Any) -> bool:
    return inspect.isclass(obj) or inspect.isroutine(obj)


def _public_objects() -> tuple[list[str], list[tuple[str, str]]]:
    """Dotted names of documentable objects, and (module, name) of data members."""
    names: list[str] = []
    data: list[tuple[str, str]] = []
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.ismodule(obj):
                continue
            if not _is_documentable(obj):
                data.append((module_name, name))
                continue
            names.append(f"{module_name}.{name}")
            if inspect.isclass(obj):
                for attr, value in vars(obj).items():
                    if attr.startswith("_"):
                        continue
                    if inspect.isfunction(value) or isinstance(value, classmethod | staticmethod | property):
                        names.append(f"{module_name}.{name}.{attr}")
    return names, data


OBJECTS, DATA = _public_objects()


def _resolve(dotted: str) -> Any:
    module_name, _, rest = dotted.partition(".")
    obj: Any = importlib.import_module(module_name)
    for part in rest.split("."):
        obj = getattr(obj, part)
    return obj


def _relevant_errors(dotted: str) -> list[str]:
    result = numpydoc_validate.validate(dotted)
    obj = _resolve(dotted)
    is_enum = inspect.isclass(obj) and issubclass(obj, enum.Enum)
    is_protocol = inspect.isclass(obj) and bool(getattr(obj, "_is_protocol", False))
    errors = []
    for code, message in result["errors"]:
        if code not in CHECKS:
            continue
        if code == "PR01":
            # Private keyword parameters (``_func``: the public name a wrapper passes for error
            # messages) are not part of the documented interface.
            found = re.search(r"Parameters (\{.*\}) not documented", message)
            missing = set(ast.literal_eval(found.group(1))) if found else set()
            missing = {p for p in missing if not p.lstrip("*").startswith("_")}
            if is_enum:
                missing -= ENUM_FUNCTIONAL_API
            if is_protocol:
                missing -= PROTOCOL_INIT
            if not missing:
                continue
            message = f"Parameters {sorted(missing)} not documented"
        errors.append(f"{code}: {message}")
    return errors


@pytest.mark.parametrize("dotted", OBJECTS, ids=OBJECTS)
def test_docstring(dotted: str) -> None:
    errors = _relevant_errors(dotted)
    assert not errors, f"{dotted} fails numpydoc validation:\n" + "\n".join(errors)


def _doc_comment_of(name: str) -> str | None:
    """The ``#:`` comment block right above the assignment of ``name`` in the package."""
    pattern = re.compile(rf"((?:^[ \t]*#:.*\n)+)[ \t]*{re.escape(name)}\s*(?::[^=\n]*)?=", re.MULTILINE)
    for path in sorted(PACKAGE_ROOT.rglob("*.py")):
        found = pattern.search(path.read_text(encoding="utf-8"))
        if found:
            return found.group(1)
    return None


@pytest.mark.parametrize(("module_name", "name"), DATA, ids=[f"{m}.{n}" for m, n in DATA])
def test_data_has_doc_comment(module_name: str, name: str) -> None:
    comment = _doc_comment_of(name)
    assert comment, f"{module_name}.{name} has no '#:' comment above its assignment"
