"""Safe output: folders and files written whole or not at all, never over someone else's.

The rules (README, "Trust"):

* Every folder netopt writes carries a manifest, ``.netopt-manifest.json``, naming
  netopt, its version, the kind of folder (``results`` or ``instance``), the writer and
  the files it wrote. The manifest is written last, so a folder with a manifest whose
  files are all present is a *complete* result.
* `check_folder` decides whether a folder may be written: a missing or empty folder
  may; the current folder, any folder above it and protected folders (the instance
  being solved) never may; a non-empty folder netopt did not write, or wrote as another
  kind, never may; netopt's own folder of the same kind may with ``overwrite=True``.
* `atomic_folder` fills a temporary folder beside the target and then exchanges the two
  in one step (Linux ``renameat2(RENAME_EXCHANGE)``, macOS ``renamex_np(RENAME_SWAP)``),
  so after a kill at any point the target holds the old complete result or the new
  one. Where no exchange exists it renames the old folder aside and the new one in;
  a writer killed between the two leaves the target missing, and the next writer puts
  the complete folder back instead of deleting it.
* `check_file` and `write_text_atomic` do the same for single files (the HTML report).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import glob
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd

from .errors import OutputExistsError

__all__ = ["MANIFEST", "atomic_folder", "check_folder", "check_file", "is_sweep_log",
           "read_manifest", "write_text_atomic", "write_csv"]

MANIFEST = ".netopt-manifest.json"
KINDS = ("results", "instance")


def _version() -> str:
    from . import __version__  # late: the package imports this module
    return __version__


def read_manifest(folder: str | Path) -> dict | None:
    """The manifest netopt left in ``folder``, or None if netopt did not write it.

    Parameters
    ----------
    folder : str or path
        Any folder.

    Returns
    -------
    dict or None
        Keys ``generator`` (always ``"netopt"``), ``version``, ``kind``, ``writer`` and
        ``files`` (the names netopt wrote there).
    """
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(data, dict) and data.get("generator") == "netopt"
            and isinstance(data.get("files"), list)):
        return None
    return data


def _complete(folder: Path) -> bool:
    """True if ``folder`` holds a whole netopt folder: a manifest and every file in it."""
    m = read_manifest(folder)
    return m is not None and all((folder / f).exists() for f in m["files"])


def _refuse(path: Path, reason: str, overwritable: bool = False) -> None:
    raise OutputExistsError(path, reason, overwritable)


def _check_place(path: Path, protect: Iterable[str | Path]) -> None:
    """Refuse the current folder, anything above it, and protected folders or their parents."""
    cwd = Path.cwd().resolve()
    if path == cwd or path in cwd.parents:
        _refuse(path, "is the current folder or a folder above it")
    for p in protect:
        p = Path(p).resolve()
        if path == p or path in p.parents:
            _refuse(path, f"is (or holds) the instance folder {p} being read")


def check_folder(target: str | Path, kind: str = "results", *, overwrite: bool = False,
                 protect: Iterable[str | Path] = ()) -> Path:
    """Check that netopt may write a ``kind`` folder at ``target``; return its full path.

    Parameters
    ----------
    target : str or path
        The folder to be written.
    kind : {"results", "instance"}
        What will be written there. A folder netopt wrote as the other kind is never
        replaced (results never replace an instance, nor the reverse).
    overwrite : bool
        Allow replacing a folder netopt wrote earlier (same kind). A results folder
        must hold only netopt's files; an instance folder may hold others (a README),
        which are carried over.
    protect : iterable of paths
        Folders that must be neither replaced nor contained by ``target`` (the
        instance folder being solved).

    Raises
    ------
    OutputExistsError
        Saying why, and whether ``overwrite=True`` would allow it.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    path = Path(target).resolve()
    _check_place(path, protect)
    if not path.exists():
        return path
    if not path.is_dir():
        _refuse(path, "exists and is not a folder")
    entries = sorted(p.name for p in path.iterdir())
    if not entries:
        return path
    m = read_manifest(path)
    if m is None:
        _refuse(path, f"is not empty and netopt did not write it (it has no {MANIFEST})")
    if m.get("kind") != kind:
        _refuse(path, f"holds {m.get('kind')} written by netopt, not {kind}")
    foreign = [e for e in entries if e != MANIFEST and e not in m["files"]]
    if foreign and kind == "results":
        _refuse(path, "holds files netopt did not write: " + ", ".join(foreign[:5])
                + (", ..." if len(foreign) > 5 else ""))
    if not overwrite:
        _refuse(path, f"holds {kind} netopt wrote earlier", overwritable=True)
    return path


def check_file(target: str | Path, ours: Callable[[Path], bool], *,
               overwrite: bool = False) -> Path:
    """Check that netopt may write the file ``target``; return its full path.

    Parameters
    ----------
    target : str or path
        The file to be written.
    ours : callable
        Given the existing file, True if netopt wrote it (e.g. `is_netopt_html`).
    overwrite : bool
        Allow replacing a file netopt wrote earlier. A file netopt did not write is
        never replaced.

    Raises
    ------
    OutputExistsError
        Saying why, and whether ``overwrite=True`` would allow it.
    """
    path = Path(target).resolve()
    if path.is_dir():
        _refuse(path, "is a folder")
    if path.exists():
        if not ours(path):
            _refuse(path, "exists and netopt did not write it")
        if not overwrite:
            _refuse(path, "is a file netopt wrote earlier", overwritable=True)
    return path


# --- folders -------------------------------------------------------------------------

@contextlib.contextmanager
def atomic_folder(target: str | Path, kind: str = "results", *, overwrite: bool = False,
                  writer: str = "netopt", protect: Iterable[str | Path] = ()
                  ) -> Iterator[Path]:
    """Yield a fresh temporary folder beside ``target``; on success it replaces ``target``.

    ``target`` is first checked with `check_folder` (the same parameters), so nothing
    is written if it may not be replaced. When the block ends, a manifest listing the
    files is written, everything is flushed to disk, ``target`` is checked again and the
    two folders are exchanged in one step; the previous folder is then deleted.

    If the block raises, ``target`` is left as it was and the temporary folder is
    removed. If the process is killed at any point, ``target`` is the old complete
    folder or the new one, and the next writer removes only what is incomplete or
    superseded (see `_recover`). For ``kind="instance"``, files in the old folder that
    netopt did not write (a README, SOURCES.md) are carried over.

    Parameters
    ----------
    target : str or path
        The folder to write.
    kind, overwrite, protect
        As for `check_folder`.
    writer : str
        Recorded in the manifest (e.g. ``"netopt solve"``).

    Raises
    ------
    OutputExistsError
        If ``target`` may not be replaced.
    """
    target = Path(target).resolve()
    _check_place(target, protect)  # before touching anything near it
    target.parent.mkdir(parents=True, exist_ok=True)
    _recover(target)
    check_folder(target, kind, overwrite=overwrite, protect=protect)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-{os.getpid()}-",
                                dir=target.parent))
    _as_umask_allows(tmp, 0o777)  # mkdtemp makes it private; results are not secret
    try:
        yield tmp
        written = sorted(p.name for p in tmp.iterdir())
        old = read_manifest(target) if target.is_dir() else None
        if old is not None and kind == "instance":  # keep what the user put there
            for name in sorted(os.listdir(target)):
                src = target / name
                if name == MANIFEST or name in old["files"] or name in written:
                    continue
                if src.is_dir() and not src.is_symlink():
                    shutil.copytree(src, tmp / name, symlinks=True)
                else:
                    shutil.copy2(src, tmp / name, follow_symlinks=False)
        manifest = {"generator": "netopt", "version": _version(), "kind": kind,
                    "writer": writer, "files": written}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _fsync_tree(tmp)  # data on disk before the folder becomes visible
        check_folder(target, kind, overwrite=overwrite, protect=protect)  # may have changed
        _install(tmp, target)
    finally:
        if tmp.exists():  # the failed attempt, or after the swap the previous folder
            _discard(tmp)


def _install(tmp: Path, target: Path) -> None:
    """Put the complete folder ``tmp`` at ``target``; the old folder is then discarded."""
    if not target.exists():
        os.rename(tmp, target)
    else:
        try:
            _exchange(tmp, target)
            _discard(tmp)  # now the previous folder
        except OSError as exc:
            if exc.errno not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP,
                                 errno.EOPNOTSUPP, errno.EXDEV):
                raise
            # No exchange here: rename aside, then in. A kill in between leaves no
            # target; `_recover` in the next writer puts a complete folder back.
            aside = target.parent / f".{target.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
            os.rename(target, aside)
            try:
                os.rename(tmp, target)
            except BaseException:
                os.rename(aside, target)
                raise
            _discard(aside)
    _fsync_dir(target.parent)


def _exchange(a: Path, b: Path) -> None:
    """Swap two folders in one step, or raise OSError (ENOSYS if impossible here)."""
    libc = _libc()
    a_, b_ = os.fsencode(a), os.fsencode(b)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        at_fdcwd, rename_exchange = -100, 2
        rc = libc.renameat2(at_fdcwd, a_, at_fdcwd, b_, rename_exchange)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        rc = libc.renamex_np(a_, b_, 2)  # RENAME_SWAP
    else:
        raise OSError(errno.ENOSYS, "no atomic exchange of folders on this system")
    if rc != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e), str(a), None, str(b))


def _libc():
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:  # Windows: no C library handle by that name
        return None


def _discard(folder: Path) -> None:
    """Delete a folder netopt made, manifest first so a half-deleted one is incomplete."""
    with contextlib.suppress(OSError):
        (folder / MANIFEST).unlink()
    shutil.rmtree(folder, ignore_errors=True)


_LEFTOVER = r"\.{name}\.(?:tmp|old)-(\d+)-.*"


def _leftovers(target: Path) -> list[Path]:
    """Temporary folders and files beside ``target`` left by writers that died."""
    found = []
    pattern = _LEFTOVER.format(name=re.escape(target.name))
    for p in target.parent.glob(f".{glob.escape(target.name)}.*-*"):
        m = re.fullmatch(pattern, p.name)
        if m and not _alive(int(m.group(1))):
            found.append(p)
    return found


def _recover(target: Path) -> None:
    """Clean up after writers that died beside ``target``, never losing a whole folder.

    If ``target`` is missing (a writer died between its two renames) the newest
    complete leftover is renamed back into place. A leftover is then deleted only if
    it is incomplete, or if ``target`` holds a complete netopt folder (the leftover is
    the one it superseded). Anything else is left alone.
    """
    left = [p for p in _leftovers(target) if p.is_dir() and not p.is_symlink()]
    if not target.exists():
        whole = [p for p in left if _complete(p)]
        if whole:
            newest = max(whole, key=lambda p: (p / MANIFEST).stat().st_mtime_ns)
            os.rename(newest, target)
            left.remove(newest)
    target_whole = _complete(target)
    for p in left:
        if target_whole or not _complete(p):
            _discard(p)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _as_umask_allows(path: Path, mode: int) -> None:
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, mode & ~mask)


def _fsync_tree(folder: Path) -> None:
    for root, dirs, files in os.walk(folder):
        for f in files:
            p = os.path.join(root, f)
            if not os.path.islink(p):
                with open(p, "rb") as fh:
                    os.fsync(fh.fileno())
        _fsync_dir(Path(root))


def _fsync_dir(folder: Path) -> None:
    """Make a rename or new entry in ``folder`` durable (where the OS allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some systems cannot fsync a folder; the rename is still atomic
    finally:
        os.close(fd)


# --- files ---------------------------------------------------------------------------

def is_sweep_log(path: str | Path) -> bool:
    """True if ``path`` is empty or a sweep log (``sweep --out``): JSON lines with
    ``key`` and ``row``. A sweep appends to such a file, so nothing else qualifies."""
    try:
        with open(path, encoding="utf-8") as fh:
            first = next((line for line in fh if line.strip()), None)
    except (OSError, UnicodeDecodeError):
        return False
    if first is None:
        return True
    try:
        rec = json.loads(first)
    except ValueError:
        return False
    return isinstance(rec, dict) and {"key", "row"} <= set(rec)


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` whole or not at all.

    A temporary file beside ``path`` is written, flushed to disk and renamed over
    ``path``. If anything fails (a full disk), the temporary file is removed and
    ``path`` is unchanged. Call `check_file` first: this function does not check.
    """
    path = Path(path)
    for p in _leftovers(path):
        if p.is_file():
            p.unlink(missing_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with open(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)
    return path


def write_csv(df: pd.DataFrame, path: str | Path, index: bool = False,
              exact: bool = False) -> None:
    """CSV with blanks for NaN and LF endings, byte-deterministic.

    Numbers have 12 significant digits, so computed results carry no float noise
    (``17.8``, not ``17.799999999999997``); ``exact`` writes each float's shortest
    round-tripping form instead (instance tables: load -> save -> load is exact).
    """
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == bool:
            out[c] = out[c].map({True: "true", False: "false"})
    out.to_csv(path, index=index, lineterminator="\n", na_rep="",
               float_format=None if exact else "%.12g")
