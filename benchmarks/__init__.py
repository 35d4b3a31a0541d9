"""Council-scale benchmarks (issue 7): core page times, query counts, search quality and load.

Run with `make bench` or `make bench-quick`; docs/performance.md says what is measured and how.
"""
