"""The repository stands on its own: a clone with nothing beside it passes the oracle
tests, and no file of the project reads or cites a path outside it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

#: Quick oracle tests, each checking netopt against a number nobody here produced.
ORACLES = [
    "tests/test_buildout.py::test_cap41_file_is_the_published_one",
    "tests/test_buildout.py::test_beasley_cap41_published_optimum",
    "tests/test_optimize.py::test_dantzig_transportation_published_optimum",
    "tests/test_optimize.py::test_toy_hand_worked_optimum",
    "tests/test_optimize.py::test_breakeven_worked_example",
]

# Places outside the repository that files once relied on: the shared notes folder, its
# design and style notes and its figure tables. SOURCES.md cites primary sources instead.
_OUTSIDE = re.compile(r"\.\./shared|shared/(cases|FACTS)|FACTS(-capex)?\.md|DESIGN\.md"
                      r"|STYLE\.md|/work/", re.IGNORECASE)


def _git(*args, cwd=ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


needs_git = pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(),
                               reason="needs git and a git checkout")


@needs_git
def test_no_tracked_file_cites_a_path_outside_the_repository():
    offending = []
    for path in _git("ls-files").splitlines():
        if path == "tests/test_standalone.py" or path.startswith("tests/data/"):
            continue  # this file names the patterns; tests/data names none
        p = ROOT / path
        if not p.is_file():
            continue
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for n, line in enumerate(text.splitlines(), 1):
            if _OUTSIDE.search(line):
                offending.append(f"{path}:{n}: {line.strip()[:100]}")
    assert not offending, "\n".join(offending)


@needs_git
def test_fresh_clone_with_nothing_beside_it_passes_the_oracle_tests(tmp_path):
    clone = tmp_path / "netopt"
    _git("clone", "--quiet", str(ROOT), str(clone), cwd=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["netopt"]  # nothing beside it
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["PYTHONPATH"] = str(clone)  # import the clone's netopt, not this checkout's
    where = subprocess.run([sys.executable, "-c", "import netopt; print(netopt.__file__)"],
                           cwd=clone, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.strip().startswith(str(clone))
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          *ORACLES], cwd=clone, env=env, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert f"{len(ORACLES) + 1} passed" in run.stdout  # cap41 runs for HiGHS and CBC
