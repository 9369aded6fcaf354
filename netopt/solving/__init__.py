"""Solving and reading back: solver backends (`solvers`), `solve()` (`optimize`), the
`Result` (`results`), infeasibility diagnosis (`diagnosis`) and ranging (`ranging`).

Imports `data` and `model`; never `analysis` or `views`.
"""
