"""Run every benchmark module in turn.

``python -m benchmarks [--quick] [--only NAME ...] [--output FILE]``

``--output`` also writes everything printed to FILE, with a header naming
the machine and the library versions; the performance page of the
documentation shows that file as it was produced.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import io
import os
import pkgutil
import platform
import sys
from collections.abc import Iterator

import benchmarks


class _Tee(io.TextIOBase):
    def __init__(self, *streams: io.TextIOBase) -> None:
        self.streams = streams

    def write(self, s: str) -> int:
        for stream in self.streams:
            stream.write(s)
            stream.flush()
        return len(s)


@contextlib.contextmanager
def _recording(path: str | None) -> Iterator[None]:
    if path is None:
        yield
        return
    with open(path, "w", encoding="utf-8") as fh, contextlib.redirect_stdout(_Tee(sys.stdout, fh)):  # type: ignore[arg-type]
        yield


def _header() -> str:
    import numpy
    import pandas
    import scipy

    import jiebei_credit

    return (
        f"# benchmarks run {dt.datetime.now():%Y-%m-%d %H:%M}: "
        f"python -m benchmarks {' '.join(sys.argv[1:])}\n"
        f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {numpy.__version__}, pandas {pandas.__version__}, scipy {scipy.__version__}, "
        f"jiebei_credit {jiebei_credit.__version__}\n"
        f"# load average before the run: {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="smaller inputs for every benchmark")
    parser.add_argument("--only", nargs="+", default=None, help="names such as records features")
    parser.add_argument("--output", default=None, help="also write the report to this file")
    args = parser.parse_args(argv)
    names = sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_"))
    if args.only:
        names = [n for n in names if n.removeprefix("bench_") in args.only]
    passed = ["--quick"] if args.quick else []
    with _recording(args.output):
        print(_header())
        for name in names:
            print(f"\n=== benchmarks.{name} ===", flush=True)
            module = importlib.import_module(f"benchmarks.{name}")
            module.main(passed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
