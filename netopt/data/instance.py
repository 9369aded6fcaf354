"""Instance folders: ``network.yaml`` plus one CSV per table; built-in instances.

The folder's shape is the data model's: each CSV holds one `Network` table with the
columns documented in ``instances/README.md``.
"""

from __future__ import annotations

import difflib
import errno
import logging
import math
import os
import stat
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .._files import atomic_folder, write_csv
from . import DEFAULT_INSTANCE
from ..errors import InstanceNotFoundError, Issue, ValidationError, show
from .network import Network
from .schema import TABLES, TABLE_ORDER

__all__ = ["load", "save", "builtin_instances", "resolve", "file_problem", "DEFAULT_INSTANCE",
           "MAX_LINE_BYTES"]

log = logging.getLogger("netopt")

_LARGE = 100_000  # rows from which loading says what it is doing
SETTINGS_FILE = "network.yaml"
#: Longest line a table may have, in bytes. A row of a table is at most a few kB (notes
#: included); a longer line is a mistake (a wrong file, a runaway quote), and pandas needs
#: some 40 times a line's size to parse it, so such a file is refused before pandas reads it.
MAX_LINE_BYTES = 1 << 20
_CHUNK = 1 << 22
_MAX_SETTINGS_BYTES = 1 << 20  # network.yaml holds a dozen settings


def _builtin_dirs() -> list[Path]:
    here = Path(__file__).resolve().parents[1]  # the netopt package
    dirs = [Path(p) for p in os.environ.get("NETOPT_INSTANCES", "").split(os.pathsep) if p]
    return dirs + [here.parent / "instances", here / "instances"]


def builtin_instances() -> dict[str, str]:
    """Built-in instances: name -> one-line description (from its ``network.yaml``).

    A folder whose ``network.yaml`` cannot be read (not UTF-8, not YAML, too large) is
    listed as ``(unreadable network.yaml)``: one bad folder on ``NETOPT_INSTANCES`` must
    not break the listing, nor the "did you mean" of every mistyped name.
    """
    found: dict[str, str] = {}
    for d in _builtin_dirs():
        try:
            subs = sorted(d.iterdir()) if d.is_dir() else []
        except OSError:
            continue
        for sub in subs:
            f = sub / SETTINGS_FILE
            if f.is_file() and sub.name not in found:
                try:
                    if f.stat().st_size > _MAX_SETTINGS_BYTES:
                        raise ValueError("too large")
                    meta = yaml.safe_load(f.read_text(encoding="utf-8-sig")) or {}
                    desc = str(meta.get("description", "")).strip()
                    found[sub.name] = show(desc, limit=200, quote=False)
                except (yaml.YAMLError, AttributeError, OSError, ValueError):
                    found[sub.name] = "(unreadable network.yaml)"
    return found


def resolve(path_or_name: str | os.PathLike | None = None) -> Path:
    """The folder of an instance given as a path or as a built-in name.

    ``None`` gives the default built-in instance (``china-edwc``).

    Raises
    ------
    InstanceNotFoundError
    """
    target = DEFAULT_INSTANCE if path_or_name is None else path_or_name
    p = Path(target)
    if p.is_dir():
        return p
    if p.exists():
        raise InstanceNotFoundError(f"{p} is a file; an instance is a folder holding "
                                    f"{SETTINGS_FILE} and CSV tables")
    for d in _builtin_dirs():
        if (d / str(target) / SETTINGS_FILE).is_file():
            return d / str(target)
    names = list(builtin_instances())
    hint = difflib.get_close_matches(str(target), names, n=1)
    raise InstanceNotFoundError(
        f"no instance folder {show(target)}" + (f" (did you mean '{hint[0]}'?)" if hint else "")
        + f"; built-in instances: {', '.join(names) or 'none found'}")


def file_problem(path: str | os.PathLike) -> str | None:
    """Why ``path`` cannot be read as a file, or None if it can or does not exist.

    A directory, a broken symbolic link, a symbolic link loop or a device stands where a
    file should be: each gets its own message instead of "missing".

    Parameters
    ----------
    path : path

    Returns
    -------
    str or None
        E.g. ``"is a directory, not a file"``; None for a regular file or no file.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link loop (it leads back to itself)"
        if os.path.islink(path):
            return f"is a broken symbolic link (to {show(os.readlink(path))}, which " \
                   "does not exist)"
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return None
        return f"cannot be read: {exc.strerror or exc}"
    except ValueError:  # e.g. a NUL in the name
        return "is not a valid file name"
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a device, pipe or socket)"
    return None


def _long_line(path: Path, limit: int = MAX_LINE_BYTES) -> tuple[int, int] | None:
    """(line number, length in bytes) of the first line longer than ``limit``, or None.

    Streams the file in chunks, so a 200 MB single-line file costs a few MB here, where
    pandas would need gigabytes to parse it.
    """
    line, run = 1, 0  # run: bytes of the current line read so far
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            ends = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10)
            if len(ends) == 0:
                run += len(chunk)
                continue
            lengths = np.diff(ends, prepend=-1) - 1
            lengths[0] += run
            over = np.flatnonzero(lengths > limit)
            if len(over):
                return line + int(over[0]), int(lengths[over[0]])
            line += len(ends)
            run = len(chunk) - int(ends[-1]) - 1
    return (line, run) if run > limit else None


def _read_csv(path: Path, issues: list[Issue]) -> pd.DataFrame | None:
    name = path.name
    try:
        long = _long_line(path)
        if long is not None:
            issues.append(Issue(name, long[0], None, f"line {long[0]} is {long[1]:,} bytes "
                                f"long (the limit is {MAX_LINE_BYTES:,}); not a CSV table"))
            return None
        t0 = time.perf_counter()
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                         skipinitialspace=True)
        if len(df) >= _LARGE:
            log.info("read %s: %s rows in %.1f s; checking them", name, f"{len(df):,}",
                     time.perf_counter() - t0)
        return df
    except pd.errors.EmptyDataError:
        issues.append(Issue(name, None, None, "the file is empty; expected a header row"))
    except pd.errors.ParserError as exc:
        issues.append(Issue(name, None, None, f"not a valid CSV table: "
                            f"{show(exc, limit=200, quote=False)}"))
    except UnicodeDecodeError as exc:
        issues.append(Issue(name, None, None, f"not UTF-8 text (byte {exc.start})"))
    except OSError as exc:
        issues.append(Issue(name, None, None, f"cannot be read: {exc.strerror or exc}"))
    return None


class _SettingsLoader(yaml.SafeLoader):
    """YAML as `yaml.safe_load` reads it, except that a float which is NaN (``.nan``) or
    overflows (``1.0e+400``) stays text, so the settings check reports it instead of
    taking NaN (read as blank: the default) or inf."""


def _strict_float(loader: yaml.SafeLoader, node: yaml.Node):
    value = loader.construct_yaml_float(node)
    text = str(node.value).strip()
    if math.isnan(value) or (math.isinf(value) and
                             text.lstrip("+-").lower() != ".inf"):
        return text
    return value


_SettingsLoader.add_constructor("tag:yaml.org,2002:float", _strict_float)


def _read_settings(path: Path, issues: list[Issue]) -> dict:
    problem = file_problem(path)
    if problem:
        issues.append(Issue(SETTINGS_FILE, None, None, problem))
        return {}
    if not path.is_file():
        issues.append(Issue(SETTINGS_FILE, None, None, "missing: an instance folder needs a "
                            "network.yaml with at least a name"))
        return {}
    try:
        size = path.stat().st_size
        if size > _MAX_SETTINGS_BYTES:
            issues.append(Issue(SETTINGS_FILE, None, None, f"the file is {size:,} bytes; "
                                f"settings take a few lines (limit {_MAX_SETTINGS_BYTES:,})"))
            return {}
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_SettingsLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        issues.append(Issue(SETTINGS_FILE, mark.line + 1 if mark else None, None,
                            f"not valid YAML: {show(getattr(exc, 'problem', exc), quote=False)}"))
        return {}
    except UnicodeDecodeError as exc:
        issues.append(Issue(SETTINGS_FILE, None, None, f"not UTF-8 text (byte {exc.start})"))
        return {}
    except OSError as exc:
        issues.append(Issue(SETTINGS_FILE, None, None, f"cannot be read: {exc.strerror or exc}"))
        return {}
    if data is None:
        return {}
    if not isinstance(data, dict):
        issues.append(Issue(SETTINGS_FILE, None, None, "expected a mapping of settings "
                            f"(key: value), got {type(data).__name__}"))
        return {}
    return data


def load(path_or_name: str | os.PathLike | None = None) -> Network:
    """Load an instance folder (or a built-in instance by name) as a validated `Network`.

    Parameters
    ----------
    path_or_name : str or path, optional
        A folder, or the name of a built-in instance; default ``china-edwc``.

    Raises
    ------
    InstanceNotFoundError
        If there is no such folder or built-in instance.
    ValidationError
        Listing every problem, each with file, row (spreadsheet numbering) and column.
        A directory, broken symbolic link or link loop where a file should be is named
        as such; a table with a line longer than `MAX_LINE_BYTES` (1 MiB) is refused
        without being parsed (the file is streamed once to find its longest line).

    Examples
    --------
    >>> net = load("toy")
    >>> sorted(net.nodes.index)
    ['east', 'west']
    """
    folder = resolve(path_or_name)
    issues: list[Issue] = []
    settings = _read_settings(folder / SETTINGS_FILE, issues)
    files = {t: TABLES[t].file for t in TABLE_ORDER}
    known = set(files.values())
    for f in sorted(folder.glob("*.csv")):
        if f.name not in known:
            hint = difflib.get_close_matches(f.name, sorted(known), n=1)
            issues.append(Issue(f.name, None, None, "unknown table file" + (
                f" (did you mean '{hint[0]}'?)" if hint else "") + "; tables are "
                + ", ".join(sorted(known))))
    raw: dict[str, pd.DataFrame | None] = {}
    unreadable = set()
    for name in TABLE_ORDER:
        path = folder / files[name]
        problem = file_problem(path)
        if problem:
            issues.append(Issue(files[name], None, None, problem))
            unreadable.add(files[name])
            raw[name] = None
            continue
        if not path.is_file():
            if TABLES[name].required_file:
                issues.append(Issue(files[name], None, None, "missing: this table is "
                                    "required"))
                unreadable.add(files[name])
            raw[name] = None
            continue
        raw[name] = _read_csv(path, issues)
        if raw[name] is None:
            unreadable.add(files[name])
    # rows as a spreadsheet counts them: the header is row 1
    labels = {k: np.arange(2, len(v) + 2) for k, v in raw.items() if v is not None}
    files["settings"] = SETTINGS_FILE
    if issues:
        # Report the problems of the readable tables too, then stop.
        try:
            Network(**raw, settings=settings, _files=files, _labels=labels)
        except ValidationError as exc:
            issues += [i for i in exc.issues if i.file not in unreadable and i not in issues]
        raise ValidationError(issues)
    return Network(**raw, settings=settings, _files=files, _labels=labels)


def save(net: Network, path: str | os.PathLike, overwrite: bool = False) -> Path:
    """Write a network as an instance folder that `load` reads back unchanged.

    The folder is written whole or not at all, with a ``.netopt-manifest.json`` that
    marks it as netopt's. Other files the user put in a folder netopt wrote (a
    README, SOURCES.md) are kept when it is overwritten.

    Parameters
    ----------
    net : Network
        The network to write.
    path : str or path
        A new or empty folder, or (with ``overwrite``) an instance folder netopt wrote.
    overwrite : bool
        Replace an instance folder netopt wrote before. A folder netopt did not write
        (a hand-made instance), results, the current folder or one above it are never
        replaced.

    Raises
    ------
    OutputExistsError
        (a `FileExistsError`) if ``path`` may not be replaced; nothing is written.
    """
    path = Path(path)
    with atomic_folder(path, "instance", overwrite=overwrite, writer="netopt.save") as tmp:
        settings = {k: v for k, v in net.settings.to_dict().items() if v is not None}
        (tmp / SETTINGS_FILE).write_text(
            yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
        for name in TABLE_ORDER:
            spec = TABLES[name]
            df = getattr(net, name)
            if not spec.required_file and len(df) == 0:
                continue
            if name == "periods" and df["span_h"].isna().all():
                # all blank: leave the column out, so a folder without storage reads
                # as before (also by a netopt that predates span_h)
                df = df.drop(columns="span_h")
            write_csv(df.reset_index() if spec.key else df, tmp / spec.file, exact=True)
    return path
