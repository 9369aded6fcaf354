"""Ending a process pool at once (a sweep or a solve by windows that fails or is
stopped): its workers must not run on after the tasks that mattered are gone."""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor

__all__ = ["end_workers"]


def end_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's worker processes now, dropping the tasks not yet done (SIGTERM,
    then SIGKILL for one that has not gone within 5 s)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    for p in procs:
        p.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + 5.0
    for p in procs:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            p.kill()
            p.join(1.0)
