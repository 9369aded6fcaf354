"""Questions asked of many solves: the data-vs-power comparison (`counterfactuals`),
costs per MWh (`levelised`), scenarios and sweeps (`scenarios`, `sweep`,
`sensitivity`), the cost-carbon frontier (`pareto`) and Sichuan's surplus (`surplus`).

Imports `data`, `model` and `solving`; never `views`.
"""
