"""Figures of the model report as inline SVG: drawn off-screen, with stable ids and no metadata.

matplotlib (the ``plot`` extra) is imported only here and only when a
report with plots is asked for. Figures are made with
:class:`matplotlib.figure.Figure`, not ``pyplot``: no figure manager, no
backend switch, nothing left open in the process. The SVG is made
reproducible and safe to inline into one HTML document:

- the XML prolog, the DOCTYPE (a URL), the ``<metadata>`` block (date and
  creator) and every comment (matplotlib writes the text of each label in
  one) are removed;
- every ``id`` (random unless ``svg.hashsalt`` is set) is renamed to
  ``<key>-<n>`` in order of appearance, with the references to it, so the
  same figure gives the same bytes and ids never clash between figures;
- label texts are drawn literally (no mathtext), so a ``$`` in a feature
  name or a category neither fails the report nor changes the text;
- label texts fall back, after the figure's own fonts, to the installed
  fonts of :data:`CJK_FONTS`, so Chinese feature names and categories are
  drawn (set on each text, never in ``rcParams``). Without such a font,
  matplotlib warns that the glyphs are missing.
"""

from __future__ import annotations

import importlib.util
import io
import re
from collections.abc import Callable
from typing import Any

__all__: list[str] = []

#: The message of a report with plots when matplotlib is missing.
NEEDS_MATPLOTLIB = (
    "Scorecard.report: plots=True needs matplotlib, which is not installed; install the plot "
    "extra (pip install 'jiebei-credit[plot]') or pass plots=False for a report of tables only."
)

#: Fonts with Chinese glyphs, tried in this order (those installed) after a figure's own fonts.
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC", "Arial Unicode MS")

_ID = re.compile(r'\bid="([^"]+)"')
_COMMENT = re.compile(r"<!--.*?-->\s*", flags=re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", flags=re.DOTALL)


def require_matplotlib() -> None:
    """Raise :class:`ImportError` naming the ``plot`` extra when matplotlib is not installed."""
    if importlib.util.find_spec("matplotlib") is None:
        raise ImportError(NEEDS_MATPLOTLIB)


def clean_svg(svg: str, key: str) -> str:
    """The ``<svg>`` element of ``svg`` without prolog, metadata and comments, ids renamed ``key-n``.

    Examples
    --------
    >>> clean_svg('<?xml version="1.0"?><!-- c --><svg><g id="a9f"><use href="#a9f"/></g></svg>', "f1")
    '<svg><g id="f1-0"><use href="#f1-0"/></g></svg>'
    """
    svg = svg[svg.index("<svg"):]
    svg = _COMMENT.sub("", _METADATA.sub("", svg))
    ids = list(dict.fromkeys(_ID.findall(svg)))
    if not ids:
        return svg
    new = {old: f"{key}-{n}" for n, old in enumerate(ids)}
    # longest first, so that an id that is a prefix of another never captures it
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    pattern = re.compile(rf'(id="|#)({alternatives})(?=["\)])')
    return pattern.sub(lambda m: m.group(1) + new[m.group(2)], svg)


def figure_svg(draw: Callable[..., Any], *, key: str, size: tuple[float, float] = (6.4, 3.4)) -> str:
    """Draw on a new off-screen figure with ``draw(ax=ax)`` and return it as inline SVG."""
    from matplotlib.figure import Figure
    from matplotlib.font_manager import fontManager
    from matplotlib.text import Text

    installed = {font.name for font in fontManager.ttflist}
    fallbacks = [name for name in CJK_FONTS if name in installed]
    fig = Figure(figsize=size, layout="constrained")
    draw(ax=fig.add_subplot())
    for text in fig.findobj(Text):
        text.set_parse_math(False)
        if fallbacks:
            text.set_fontfamily([*text.get_fontfamily(), *fallbacks])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return clean_svg(buffer.getvalue().decode("utf-8"), key)
