"""The placement LP: candidate routes (`routes`), named blocks over one sparse matrix
(`lp`) and the formulation (`formulation`).

Imports `data` only; knows nothing of `solving`, `analysis` or `views`.
"""
