"""Sphinx directives that render the library's own data as tables.

``.. jiebei-schema:: loans`` renders ``jiebei_credit.records.SCHEMAS["loans"]``,
so the docs and the validator share one source of truth;
``.. jiebei-data-categories::`` renders ``jiebei_credit.records.DATA_CATEGORIES``.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive
from docutils.statemachine import StringList


def list_table(header: list[str], rows: list[list[str]], widths: list[int]) -> list[str]:
    """Return reStructuredText lines for a list-table."""
    lines = [".. list-table::", "   :header-rows: 1", f"   :widths: {' '.join(map(str, widths))}", ""]
    for row in [header, *rows]:
        first = True
        for cell in row:
            text = " ".join(str(cell).split()) or " "
            prefix = "   * - " if first else "     - "
            lines.append(prefix + text)
            first = False
    return lines


class _TableDirective(Directive):
    """Base class: subclasses build reST lines, this parses them."""

    has_content = False
    required_arguments = 0
    optional_arguments = 1

    def rst_lines(self) -> list[str]:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        container = nodes.container()
        self.state.nested_parse(
            StringList(self.rst_lines(), source="jiebei_docs"), self.content_offset, container
        )
        return list(container.children)


class SchemaDirective(_TableDirective):
    """Render one table schema: its columns, key and foreign keys."""

    required_arguments = 1
    optional_arguments = 0

    def rst_lines(self) -> list[str]:
        from jiebei_credit.records import SCHEMAS

        schema = SCHEMAS[self.arguments[0]]
        rows = [
            [
                f"``{c.name}``",
                c.dtype_label(),
                "yes" if c.nullable else "no",
                c.rule_text(),
                c.description,
                c.description_zh,
            ]
            for c in schema.columns
        ]
        lines = [f"{schema.description} {schema.description_zh}。", ""]
        lines.append(f"Primary key: ``({', '.join(schema.primary_key)})``.")
        for fk in schema.foreign_keys:
            lines.append(
                f"Foreign key: ``{', '.join(fk.columns)}`` references "
                f"``{fk.ref_table}.{', '.join(fk.ref_columns)}``."
            )
        lines.append("")
        lines += list_table(
            ["column", "dtype", "nullable", "allowed", "description", "说明"], rows, [16, 12, 7, 23, 25, 17]
        )
        return lines


class FeatureCatalogDirective(_TableDirective):
    """Render the features of one family from ``jiebei_credit.features.CATALOG``.

    ``.. jiebei-feature-catalog:: cashflow`` lists the family's tables, data
    category and every feature with its unit, English and Chinese definition,
    source tables and when it is NaN.
    """

    required_arguments = 1
    optional_arguments = 0

    def rst_lines(self) -> list[str]:
        from jiebei_credit.features import CATALOG, FAMILIES, FAMILY_SOURCES

        family = self.arguments[0]
        en, zh = FAMILIES[family]
        specs = [s for s in CATALOG.values() if s.family == family]
        categories = sorted({s.category for s in specs})
        tables = ", ".join(f"``{t}``" for t in FAMILY_SOURCES[family])
        kinds = ", ".join(f"``{c}``" for c in categories)
        lines = [f"{en} ({zh}) Tables: {tables}; data category: {kinds}.", ""]
        rows = [
            [f"``{s.name}``", s.unit, s.description, s.description_zh, ", ".join(s.sources), s.nan_meaning]
            for s in specs
        ]
        lines += list_table(
            ["feature", "unit", "definition", "定义", "tables", "NaN when"], rows, [20, 9, 30, 17, 12, 12]
        )
        return lines


class DataCategoriesDirective(_TableDirective):
    """Render ``jiebei_credit.records.DATA_CATEGORIES``, most sensitive first, with their built-in tables."""

    optional_arguments = 0

    def rst_lines(self) -> list[str]:
        from jiebei_credit.records import DATA_CATEGORIES, SCHEMAS

        rows = [
            [
                f"``{name}``",
                en,
                zh,
                ", ".join(f"``{t}``" for t, s in SCHEMAS.items() if s.category == name) or " ",
            ]
            for name, (en, zh) in DATA_CATEGORIES.items()
        ]
        return list_table(["category", "description", "说明", "built-in tables"], rows, [20, 38, 24, 18])


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("jiebei-schema", SchemaDirective)
    app.add_directive("jiebei-feature-catalog", FeatureCatalogDirective)
    app.add_directive("jiebei-data-categories", DataCategoriesDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
