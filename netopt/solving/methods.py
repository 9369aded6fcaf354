"""HiGHS's LP methods by name: a plain table, importable without numpy or HiGHS (the
command line lists them in its --help)."""

__all__ = ["METHODS"]

#: HiGHS options of each LP method. Every entry sets both options, so a model re-solved
#: with another method does not keep the last one's strategy.
METHODS = {
    "choose": {"solver": "choose", "simplex_strategy": 1},   # HiGHS's own default
    "simplex": {"solver": "simplex", "simplex_strategy": 0},  # HiGHS picks the simplex
    "dual": {"solver": "simplex", "simplex_strategy": 1},    # serial dual simplex
    "primal": {"solver": "simplex", "simplex_strategy": 4},
    "ipm": {"solver": "ipx", "simplex_strategy": 1},          # IPX, then crossover
    "hipo": {"solver": "hipo", "simplex_strategy": 1},        # the new interior point
    "pdlp": {"solver": "pdlp", "simplex_strategy": 1},        # first order, no crossover
}
