"""Shared helpers for the benchmarks: machine facts and RESULTS.md sections."""

from __future__ import annotations

import os
import platform
import re
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")


def machine() -> str:
    """One line on the machine and library versions."""
    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            kb = int(fh.readline().split()[1])
        mem = f", {kb / 2**20:.0f} GiB"
    except OSError:
        pass
    libs = ", ".join(f"{p} {version(p)}" for p in ("highspy", "pulp", "numpy", "scipy",
                                                   "pandas", "networkx"))
    return (f"{platform.machine()}, {os.cpu_count()} cores{mem}, Python "
            f"{platform.python_version()}; {libs}; "
            f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")


def write_section(name: str, body: str) -> None:
    """Replace (or add) the section between <!-- name --> markers in RESULTS.md."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    block = f"<!-- {name} -->\n{body.rstrip()}\n<!-- /{name} -->"
    pattern = re.compile(rf"<!-- {re.escape(name)} -->.*?<!-- /{re.escape(name)} -->",
                         re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else (
        text.rstrip() + "\n\n" + block + "\n")
    RESULTS.write_text(text)
