"""Run every benchmark module in turn: ``python -m benchmarks [--quick]``."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import benchmarks


def main(argv: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_"))
    for name in names:
        print(f"\n=== benchmarks.{name} ===", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        module.main(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
