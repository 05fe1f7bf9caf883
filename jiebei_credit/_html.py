"""Rich HTML reprs for notebooks: a title, a key/value table and an optional DataFrame.

One renderer for every ``_repr_html_`` of the library. The output is a
single ``<div>`` of static HTML: no script, no external stylesheet, no
network. Every piece of text (titles, keys, values, column names, index
labels, cells) is escaped, so a feature named ``"<script>"`` shows as text.
Long frames are cut to their first rows with a note of how many were left
out.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd

__all__: list[str] = []

#: Rows of a frame shown before the rest is summarised.
MAX_ROWS = 20
#: Characters of a value shown before it is cut.
MAX_TEXT = 200

_TABLE = 'style="border-collapse:collapse;margin:0.3em 0;font-size:0.9em"'
_CELL = 'style="border:1px solid #ccc;padding:2px 6px;text-align:{align}"'


def text(value: Any) -> str:
    """A short, escaped display of ``value`` (numbers to 6 significant digits)."""
    if isinstance(value, bool | np.bool_):
        shown = str(bool(value))
    elif isinstance(value, Integral):
        shown = str(int(value))
    elif isinstance(value, Real):
        v = float(value)
        shown = str(v) if not math.isfinite(v) else f"{v:.6g}"
    else:
        shown = str(value)
    if len(shown) > MAX_TEXT:
        shown = shown[: MAX_TEXT - 1] + "…"
    return html.escape(shown, quote=True)


def _cell(tag: str, value: Any) -> str:
    numeric = isinstance(value, Real) and not isinstance(value, bool | np.bool_)
    return f"<{tag} {_CELL.format(align='right' if numeric else 'left')}>{text(value)}</{tag}>"


def key_values(rows: Iterable[tuple[str, Any]]) -> str:
    """A two-column table of ``(key, value)`` pairs."""
    body = "".join(f"<tr>{_cell('th', k)}{_cell('td', v)}</tr>" for k, v in rows)
    return f"<table {_TABLE}><tbody>{body}</tbody></table>"


def frame_table(frame: pd.DataFrame, *, max_rows: int = MAX_ROWS) -> str:
    """The first ``max_rows`` rows of ``frame`` as a table (index first), with a note of the rest."""
    head = frame.iloc[:max_rows]
    index_name = "" if head.index.name is None else head.index.name
    header = "".join(_cell("th", c) for c in [index_name, *head.columns])
    rows = []
    # at most max_rows rows: a short loop that formats, never a computation over the data
    for label, values in zip(head.index, head.itertuples(index=False, name=None), strict=True):
        rows.append("<tr>" + _cell("th", label) + "".join(_cell("td", v) for v in values) + "</tr>")
    out = f"<table {_TABLE}><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    if len(frame) > max_rows:
        out += f"<p><em>{len(frame) - max_rows} more rows of {len(frame)} not shown.</em></p>"
    return out


def render(
    title: str,
    rows: Iterable[tuple[str, Any]] | Mapping[str, Any],
    frame: pd.DataFrame | None = None,
    *,
    caption: str | None = None,
    max_rows: int = MAX_ROWS,
) -> str:
    """A ``<div>``: the title, a key/value table and, if given, a frame under its caption.

    Examples
    --------
    >>> html = render("Card <1>", {"features": 3})
    >>> html.startswith('<div class="jiebei-credit-repr"><p><strong>Card &lt;1&gt;</strong></p>')
    True
    """
    pairs = list(rows.items()) if isinstance(rows, Mapping) else list(rows)
    parts = [f'<div class="jiebei-credit-repr"><p><strong>{html.escape(title)}</strong></p>']
    if pairs:
        parts.append(key_values(pairs))
    if frame is not None:
        if caption:
            parts.append(f"<p>{html.escape(caption)}</p>")
        parts.append(frame_table(frame, max_rows=max_rows))
    parts.append("</div>")
    return "".join(parts)


def params_rows(params: Mapping[str, Any], defaults: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Estimator parameters that differ from their defaults (compared by ``repr``), as rows."""
    return [(k, repr(v)) for k, v in params.items() if repr(v) != repr(defaults.get(k))]
