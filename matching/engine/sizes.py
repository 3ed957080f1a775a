"""The one size threshold of the engine.

A pool of at most ``LARGE_POOL_PAIRS`` mentee x mentor pairs is small: it is scored by the numpy
rules into one dense float32 matrix (4 bytes a pair, 8 MB at the threshold) and every admissible
pair goes to the exact min-cost flow. A larger pool is large: it is scored by the compiled loop
(``kernels.score_rows``) row block by row block inside the candidate pass, never held whole, and
assigned by the sparse path, whose bound says how far from the optimum it can be.

Why 2 M: below it the exact path takes about as long as the sparse one on demo-like pools, and
a small run never imports numba nor waits for a compilation.
"""

LARGE_POOL_PAIRS = 2_000_000


def is_large(n_mentees: int, n_mentors: int) -> bool:
    return n_mentees * n_mentors > LARGE_POOL_PAIRS
