"""Writing folders whole or not at all, with byte-stable CSVs."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import pandas as pd

__all__ = ["atomic_folder", "write_csv"]


@contextlib.contextmanager
def atomic_folder(target: str | Path) -> Iterator[Path]:
    """Yield a fresh temporary folder beside ``target``; on success it replaces ``target``.

    If the block raises (or the process dies), ``target`` is left as it was and the
    temporary folder is removed (or, after a kill, left as a hidden ``.<name>.tmp-*``).
    """
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and not target.is_dir():
        raise FileExistsError(f"{target} exists and is not a folder")
    _remove_stale(target)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-{os.getpid()}-",
                                dir=target.parent))
    try:
        yield tmp
        for f in tmp.iterdir():  # data on disk before the folder becomes visible
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        old = None
        if target.exists():
            old = target.parent / f".{target.name}.old-{os.getpid()}"
            os.replace(target, old)
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _remove_stale(target: Path) -> None:
    """Remove temporary folders left beside ``target`` by writers that died."""
    for p in target.parent.glob(f".{target.name}.*-*"):
        m = re.fullmatch(rf"\.{re.escape(target.name)}\.(?:tmp|old)-(\d+)(?:-.*)?", p.name)
        if m and p.is_dir() and not _alive(int(m.group(1))):
            shutil.rmtree(p, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_csv(df: pd.DataFrame, path: str | Path, index: bool = False) -> None:
    """CSV with full float precision (round-trips exactly), blanks for NaN, LF endings."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == bool:
            out[c] = out[c].map({True: "true", False: "false"})
    out.to_csv(path, index=index, lineterminator="\n", na_rep="")
