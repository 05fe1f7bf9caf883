"""Speed and memory harness for jiebei_credit (not timed tests).

Each ``bench_*.py`` module has a ``main(argv)`` that prints a small report,
with every figure next to a reference measured in the same process so that
ratios, not raw seconds, carry the claim. Run one with
``python -m benchmarks.bench_records`` or all with ``python -m benchmarks``.
"""
