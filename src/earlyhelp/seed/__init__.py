"""Synthetic data for demos, tests and benchmarks: the one place every feature adds its data.

Deterministic for a given seed; bulk inserts throughout so that it scales to a council.
"""

from .run import SeedSummary, seed_database

__all__ = ["SeedSummary", "seed_database"]
