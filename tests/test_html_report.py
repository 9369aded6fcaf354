"""The HTML report is one self-contained file that a real browser renders whole."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from netopt.cli import main


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("r") / "report.html"
    assert main(["report", "china-edwc", "-o", str(path)]) == 0
    return path


def test_report_has_every_section_and_no_external_url(report):
    text = report.read_text(encoding="utf-8")
    for heading in ("Summary", "Costs", "Map", "Placement by class", "Move data or move power",
                    "How the answer moves", "Sources"):
        assert f"<h2>{heading}" in text, heading
    refs = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', text)
    assert refs and all(r.startswith("data:") for r in refs), refs
    assert "http://" not in text.split("<h2>Sources")[0] and "https://" not in text
    assert "East Data" in text  # the instance's SOURCES.md is included
    # the fair comparison: capital per case and the cost per MWh of eastern computing
    assert "capital" in text and "Cost per MWh of eastern computing" in text


def _chromium():
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium (.ci/run does)")
        pytest.skip("chromium is not installed here (CI installs it)")
    return exe


def test_report_renders_in_headless_chromium(report, tmp_path):
    exe = _chromium()
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-sync",
             "--disable-component-update", f"--user-data-dir={tmp_path / 'profile'}",
             "--virtual-time-budget=10000"]
    dom = subprocess.run([exe, *flags, "--dump-dom", report.as_uri()], capture_output=True,
                         text=True, timeout=120).stdout
    assert 'data-figures-ok="true"' in dom, dom[:500]
    figures = report.read_text(encoding="utf-8").count("<img ")
    assert figures == 4  # costs, map, break-even, two-way sensitivity
    assert f'data-figures="{figures}"' in dom
    assert 'data-external-requests="0"' in dom  # the page fetched nothing from outside
    shot = tmp_path / "shot.png"
    subprocess.run([exe, *flags, "--window-size=1000,1400", f"--screenshot={shot}",
                    report.as_uri()], capture_output=True, timeout=120)
    assert shot.read_bytes()[:4] == b"\x89PNG" and shot.stat().st_size > 10_000
