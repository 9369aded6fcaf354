"""A small hourly year built in code: the toy network's two nodes over 8760 hours.

Solar at the west node varies by hour and by day (seeded clouds), the interactive
class follows a daily curve and backup a weekly one, AI training is deferrable within
each day. Small enough that the whole year is one LP of about 10^5 columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import netopt


def hourly_toy(days: int = 365, seed: int = 0) -> netopt.Network:
    toy = netopt.load("toy")
    n = 24 * days
    rng = np.random.default_rng(seed)
    hour = np.arange(n) % 24
    day = np.arange(n) // 24
    clouds = rng.uniform(0.2, 1.0, days)[day]
    season = 0.75 + 0.25 * np.cos(2 * np.pi * (day - 172) / 365)
    solar = np.clip(np.sin(np.pi * (hour - 6) / 12), 0, 1) * clouds * season
    ids = [f"h{i:04d}" for i in range(n)]
    periods = pd.DataFrame({"id": ids, "weight_h": 1.0,
                            "window": [f"d{d + 1:03d}" for d in day]})
    sources = pd.concat([toy.sources.reset_index(), pd.DataFrame(
        {"id": ["solar_west"], "node": ["west"], "kind": ["solar"], "capacity_mw": [400.0],
         "marginal_cost": [0.0], "emissions": [0.0]})], ignore_index=True)
    availability = pd.DataFrame({"source": "solar_west", "period": ids,
                                 "availability": solar.round(4)})
    inter = 0.7 + 0.6 * np.clip(np.sin(np.pi * (hour - 8) / 14), 0, 1)
    weekly = np.where(day % 7 >= 5, 0.6, 1.1)
    profiles = pd.concat([
        pd.DataFrame({"class": "interactive", "period": ids, "factor": inter.round(4)}),
        pd.DataFrame({"class": "archive", "period": ids, "factor": weekly})],
        ignore_index=True)
    classes = toy.classes.reset_index()
    classes["deferrable"] = classes["id"] == "ai"
    return netopt.Network(**{**toy.tables, "sources": sources, "classes": classes,
                             "periods": periods, "availability": availability,
                             "demand_profiles": profiles}, settings=toy.settings)
