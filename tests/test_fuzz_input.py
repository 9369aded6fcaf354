"""Corrupted instance folders never end in an unhandled exception: either the network
loads and solves, or a typed `ValidationError` names the file (and row and column)."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netopt
from conftest import INSTANCES
from netopt.cli import main

TOY = INSTANCES / "toy"
FILES = sorted(p.name for p in TOY.glob("*.csv"))
BAD_CELLS = ["nan", "NaN", "inf", "-inf", "-1", "-0.0", "abc", "", "  ", "1e400", "1e30",
             "1e-300", "中文", "0x10", "1,5", "TRUE", "None", "null", "'5'", "1e+08",
             "9" * 40, "\t", "成都"]


def _table(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False)


@st.composite
def corruptions(draw):
    """A list of (kind, args) edits to apply to a copy of the toy instance."""
    edits = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["cell", "drop_file", "extra_file", "empty_table",
                                     "empty_file", "dup_row", "dangling", "bom_crlf",
                                     "yaml", "garbage_bytes", "extra_column", "chinese_ids",
                                     "drop_column"]))
        file = draw(st.sampled_from(FILES))
        df = _table(TOY, file)
        row = draw(st.integers(0, len(df) - 1))
        col = draw(st.sampled_from(list(df.columns)))
        value = draw(st.sampled_from(BAD_CELLS))
        yaml_text = draw(st.sampled_from(["- a\n- b\n", "42\n", "name: [x\n", "{}\n",
                                          "name: toy\nfoo: 1\n", "carbon_price: -5\n",
                                          "name: 名字\ncurrency: 元\n", "\ufeffname: t\n"]))
        edits.append((kind, file, row, col, value, yaml_text))
    return edits


def _apply(folder: Path, edits) -> None:
    for edit in edits:
        try:
            _apply_one(folder, *edit)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
            pass  # an earlier edit already broke this file beyond editing


def _apply_one(folder: Path, kind, file, row, col, value, yaml_text) -> None:
    path = folder / file
    if not path.exists() and kind not in ("extra_file", "yaml"):
        return
    if kind == "cell":
        df = _table(folder, file)
        if col in df.columns and row < len(df):
            df.loc[row, col] = value
            df.to_csv(path, index=False)
    elif kind == "drop_file":
        path.unlink()
    elif kind == "extra_file":
        (folder / "extra.csv").write_text("a,b\n1,2\n")
    elif kind == "empty_table":
        df = _table(folder, file)
        df.iloc[0:0].to_csv(path, index=False)
    elif kind == "empty_file":
        path.write_text("")
    elif kind == "dup_row":
        df = _table(folder, file)
        if len(df):
            pd.concat([df, df.iloc[[row % len(df)]]]).to_csv(path, index=False)
    elif kind == "dangling":
        df = _table(folder, file)
        ref = [c for c in ("node", "from", "to", "class", "source") if c in df.columns]
        if ref and len(df):
            df.loc[row % len(df), ref[0]] = "atlantis"
            df.to_csv(path, index=False)
    elif kind == "bom_crlf":
        text = path.read_text(encoding="utf-8-sig")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    elif kind == "yaml":
        (folder / "network.yaml").write_text(yaml_text, encoding="utf-8")
    elif kind == "garbage_bytes":
        path.write_bytes(b"id,node\n\xff\xfe\x00bad\n")
    elif kind == "extra_column":
        df = _table(folder, file)
        df["surprise"] = "x"
        df.to_csv(path, index=False)
    elif kind == "drop_column":
        df = _table(folder, file)
        if col in df.columns:
            df.drop(columns=col).to_csv(path, index=False)
    elif kind == "chinese_ids":
        for f in folder.glob("*.csv"):
            f.write_text(f.read_text(encoding="utf-8-sig").replace("east", "东部")
                         .replace("west", "西部"), encoding="utf-8")


@contextlib.contextmanager
def _corrupted(edits):
    """A temporary copy of the toy instance with ``edits`` applied."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "toy"
        shutil.copytree(TOY, folder)
        _apply(folder, edits)
        yield folder


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(corruptions())
def test_corrupted_folder_loads_or_names_the_problem(edits):
    with _corrupted(edits) as folder:
        try:
            net = netopt.load(folder)
        except netopt.ValidationError as exc:
            assert exc.issues, "a ValidationError lists at least one issue"
            names = {p.name for p in folder.iterdir()} | {p.name for p in TOY.iterdir()}
            for issue in exc.issues:
                assert issue.file in names | {"extra.csv"}, issue
                assert issue.message
            return
        result = netopt.solve(net)
        assert result.ok
        assert result.costs["total"] == pytest.approx(result.objective, rel=1e-9)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(corruptions())
def test_cli_on_corrupted_folder_exits_cleanly(edits):
    with _corrupted(edits) as folder:
        assert main(["validate", str(folder)]) in (0, 2)
