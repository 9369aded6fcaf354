"""Argument types of the ``netopt`` command line: each value is checked as it is parsed,
so a bad one is a usage error (exit 2, one line) before anything is loaded or solved.

Light on purpose: the parser is built for ``--help`` too, so heavy imports happen
inside the checks that need them.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from .errors import show

__all__ = ["positive_int", "nonneg_int", "int_at_least", "int_between", "finite_float", "nonneg_float", "positive_float", "instance_path", "output_file", "output_dir", "lp_file", "html_file", "image_file", "scheduler_address", "solver_name", "assignment", "address", "scenarios_file", "decision"]


def _whole(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number, got {show(text)}") from None


def int_at_least(low: int):
    """An argparse type: a whole number >= ``low``."""
    def check(text: str) -> int:
        value = _whole(text)
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}, got {value}")
        return value
    check.__name__ = f"int_at_least_{low}"
    return check


def int_between(low: int, high: int):
    """An argparse type: a whole number in ``[low, high]``."""
    def check(text: str) -> int:
        value = _whole(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}, got {value}")
        return value
    check.__name__ = f"int_between_{low}_{high}"
    return check


positive_int = int_at_least(1)
nonneg_int = int_at_least(0)


def finite_float(text: str) -> float:
    """An argparse type: a finite number (no NaN, no inf, no overflow)."""
    try:
        from .data.coerce import parse_number
        return parse_number(text, allow_inf=False)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def nonneg_float(text: str) -> float:
    """An argparse type: a finite number >= 0."""
    value = finite_float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {show(text)}")
    return value


def positive_float(text: str) -> float:
    """An argparse type: a finite number > 0."""
    value = finite_float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {show(text)}")
    return value


def _named(text: str, what: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError(f"{what} is empty")
    if "\0" in text:
        raise argparse.ArgumentTypeError(f"{what} {show(text)} contains a NUL character")
    return text


def instance_path(text: str) -> str:
    """An argparse type: an instance folder or name; "" would load the current folder."""
    return _named(text, "the instance")


def output_file(text: str, suffixes: tuple[str, ...] = ()) -> str:
    """An argparse type: a file to write (not an existing folder; a known suffix)."""
    _named(text, "the file name")
    if suffixes and Path(text).suffix.lower() not in suffixes:
        raise argparse.ArgumentTypeError(f"{show(text)} should end in "
                                         f"{' or '.join(suffixes)}")
    if Path(text).is_dir():
        raise argparse.ArgumentTypeError(f"{show(text)} is a folder; give a file name")
    return text


def output_dir(text: str) -> str:
    """An argparse type: a folder to write (not an existing file)."""
    _named(text, "the folder name")
    if Path(text).exists() and not Path(text).is_dir():
        raise argparse.ArgumentTypeError(f"{show(text)} is a file; give a folder")
    return text


def lp_file(text: str) -> str:
    """An argparse type: where to write the LP; the suffix picks the format."""
    return output_file(text, (".lp", ".mps"))


def html_file(text: str) -> str:
    """An argparse type: where to write the HTML report."""
    return output_file(text, (".html", ".htm"))


# Formats matplotlib's savefig writes, chosen by the suffix.
_IMAGE_SUFFIXES = (".png", ".pdf", ".svg", ".svgz", ".jpg", ".jpeg", ".tif", ".tiff",
                   ".webp", ".eps", ".ps")


def image_file(text: str) -> str:
    """An argparse type: where to write a figure."""
    return output_file(text, _IMAGE_SUFFIXES)


_SCHEDULER = re.compile(r"^(?:(?:tcp|tls|ws|wss|ucx)://)?(?P<host>\[[0-9a-fA-F:]+\]|[\w.\-]+)"
                        r":(?P<port>\d{1,5})$")


def scheduler_address(text: str) -> str:
    """An argparse type: a Dask scheduler address, ``tcp://host:port`` (or ``host:port``)."""
    m = _SCHEDULER.match(text.strip())
    if not m or not 0 < int(m["port"]) < 65536:
        raise argparse.ArgumentTypeError(f"expected a scheduler address like "
                                         f"tcp://host:8786, got {show(text)}")
    return text.strip()


def solver_name(text: str) -> str:
    """An argparse type: ``highs`` or a solver PuLP knows."""
    name = _named(text, "the solver name").strip()
    if name.lower() == "highs":
        return name
    import warnings

    import pulp

    from .solving.solvers import _PULP_ALIASES
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        known = pulp.listSolvers()
    if _PULP_ALIASES.get(name.lower(), name) not in known:
        raise argparse.ArgumentTypeError(f"unknown solver {show(name)}; use highs, "
                                         f"{', '.join(_PULP_ALIASES)} or one of PuLP's")
    return name


def _scenario_check(fn, text: str) -> str:
    from .analysis.scenarios import ScenarioError
    try:
        fn(text)
    except ScenarioError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def assignment(text: str) -> str:
    """An argparse type: ``ADDRESS=V1,V2,...`` (checked; kept as text)."""
    from .analysis.scenarios import parse_assignment
    return _scenario_check(parse_assignment, text)


def address(text: str) -> str:
    """An argparse type: a parameter address (checked; kept as text)."""
    from .analysis.scenarios import parse_address
    return _scenario_check(parse_address, text)


def scenarios_file(text: str) -> str:
    """An argparse type: a scenarios CSV, read and checked whole (kept as the path)."""
    from .analysis.scenarios import read_scenarios
    return _scenario_check(read_scenarios, text)


_DECISION = re.compile(r"^\s*[\w:.\-]+\s*(?:>=|<=|>|<)\s*(?P<value>\S+)\s*$")


def decision(text: str) -> str:
    """An argparse type: ``METRIC>VALUE`` with a finite VALUE (kept as text)."""
    m = _DECISION.match(text)
    if not m:
        raise argparse.ArgumentTypeError(f"expected METRIC>VALUE, e.g. "
                                         f"'west_share:ai_training>0.5', got {show(text)}")
    finite_float(m["value"])
    return text
