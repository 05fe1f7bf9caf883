"""Placeholder: this subpackage is being built."""

__all__: list[str] = []
