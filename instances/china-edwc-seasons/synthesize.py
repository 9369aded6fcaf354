"""Build china-edwc-seasons from china-edwc: 4 seasons x 24 hours, synthetic profiles.

    python instances/china-edwc-seasons/synthesize.py

Every table comes from ../china-edwc; this script only adds time. The method (an
estimate: no hourly data is cited) is in SOURCES.md; tests/test_instance.py checks that
running it reproduces the committed files, so the two instances cannot drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
BASE = HERE.parent / "china-edwc"
SEASONS = ["winter", "spring", "summer", "autumn"]
DAYLIGHT = {"winter": (7, 17), "spring": (6, 18), "summer": (5, 19), "autumn": (6, 18)}
WET = {"summer", "autumn"}  # Sichuan's wet season, June to October (SOURCES.md)


def solar(season: str) -> np.ndarray:
    """Half-sine between sunrise and sunset, peak 1."""
    rise, set_ = DAYLIGHT[season]
    h = np.arange(24) + 0.5
    return np.clip(np.sin(np.pi * (h - rise) / (set_ - rise)), 0, None) * ((h > rise) & (h < set_))


def profiles() -> dict[str, pd.DataFrame]:
    # each hour of a season's day stands for 91.25 days and lasts one hour: storage's
    # state of charge follows the day (span_h), which repeats on each of those days
    periods = pd.DataFrame([(f"{s}-h{h:02d}", 8760 / 96, s, 1) for s in SEASONS
                            for h in range(24)],
                           columns=["id", "weight_h", "window", "span_h"])
    # Horinger wind+solar: half wind at a flat 0.35, half solar
    green = np.concatenate([0.5 * 0.35 + 0.5 * solar(s) for s in SEASONS])
    hydro = np.concatenate([np.full(24, 1.0 if s in WET else 0.3) for s in SEASONS])
    avail = pd.concat([
        pd.DataFrame({"source": "green_horinger", "period": periods["id"],
                      "availability": np.round(green / green.max(), 4)}),
        pd.DataFrame({"source": "hydro_sichuan", "period": periods["id"],
                      "availability": hydro})], ignore_index=True)
    # demand: evening peak for users' work, night peak for backup; mean 1 over a day
    h = np.arange(24)
    evening = 1 + 0.4 * np.cos(2 * np.pi * (h - 21) / 24)
    night = np.where(h < 6, 1.5, 1 - 0.5 * 6 / 18)
    shapes = {"video_cdn": evening, "interactive": evening, "backup_archive": night}
    prof = pd.DataFrame([(k, f"{s}-h{hh:02d}", round(float(v[hh]), 4))
                         for k, v in shapes.items() for s in SEASONS for hh in range(24)],
                        columns=["class", "period", "factor"])
    return {"periods": periods, "availability": avail, "demand_profiles": prof,
            "_means": {"green_horinger": green.mean() / green.max(), "hydro_sichuan": hydro.mean()}}


def main(out: Path = HERE) -> None:
    p = profiles()
    for name in ("nodes", "sites", "backbone_links", "power_lines", "demand", "storage"):
        (out / f"{name}.csv").write_text((BASE / f"{name}.csv").read_text())
    sources = pd.read_csv(BASE / "sources.csv", dtype=str, keep_default_na=False)
    for sid, mean in p["_means"].items():  # same energy a year as the annual average
        row = sources["id"] == sid
        sources.loc[row, "capacity_mw"] = str(round(float(sources.loc[row, "capacity_mw"].iloc[0])
                                                    / mean, 1))
    sources.to_csv(out / "sources.csv", index=False, lineterminator="\n")
    classes = pd.read_csv(BASE / "classes.csv", dtype=str, keep_default_na=False)
    classes["deferrable"] = np.where(classes["id"].isin(["ai_training", "batch_analytics"]),
                                     "true", "false")
    classes.to_csv(out / "classes.csv", index=False, lineterminator="\n")
    for name in ("periods", "availability", "demand_profiles"):
        p[name].to_csv(out / f"{name}.csv", index=False, lineterminator="\n")
    text = (BASE / "network.yaml").read_text()
    text = text.replace("name: china-edwc\n", "name: china-edwc-seasons\n").replace(
        "description: China's East Data, West Computing programme - 8 hubs, 11 data-centre "
        "sites, UHV lines into every eastern hub (annual average)",
        "description: china-edwc in 4 seasons x 24 hours - solar, Sichuan wet/dry hydro, "
        "deferrable AI and batch work")
    (out / "network.yaml").write_text(text)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
