"""The HTML report is one self-contained file that a real browser renders whole, on a
laptop and on a phone, with its interactive map, its rendered sources and every glyph."""

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
    srcs = re.findall(r'src\s*=\s*"([^"]*)"', text)
    assert srcs and all(r.startswith("data:") for r in srcs), srcs
    hrefs = re.findall(r'href\s*=\s*"([^"]*)"', text.split("<h2>Sources")[0])
    assert all(r.startswith(("data:", "#")) for r in hrefs), hrefs
    assert "http://" not in text.split("<h2>Sources")[0] and "https://" not in text
    assert "East Data" in text  # the instance's SOURCES.md is included
    # the fair comparison: capital per case and the cost per MWh of eastern computing
    assert "capital" in text and "Cost per MWh of eastern computing" in text


def test_sources_are_rendered_markdown_and_tables_have_human_labels(report):
    text = report.read_text(encoding="utf-8")
    sources = text.split("<h2>Sources")[1]
    assert "<pre>" not in sources and "<table>" in sources and "|---|" not in sources
    assert "<strong>" in sources  # **[S]** and the like are emphasis, not asterisks
    body = text.split("<h2>Sources")[0]
    tables = re.findall(r"<table>.*?</table>", body, flags=re.S)
    assert tables
    for t in tables:
        assert "data_transport" not in t and "move_power_only" not in t
        assert not re.search(r"<th>\s*id\s*</th>", t)
        assert "<th></th>" not in t  # no empty index-name header
    assert "moving data" in body and "power-line tariffs" in body
    assert "move power only" in body


def test_interactive_map_has_hover_text_for_sites_and_links(report):
    text = report.read_text(encoding="utf-8")
    assert 'class="imap"' in text and "<svg" in text
    tips = re.findall(r'data-tip="([^"]*)"', text)
    assert any("IT load" in t and "CNY/MWh" in t and "used" in t for t in tips)
    assert any(t.startswith("fibre link") and "Tbit/s" in t for t in tips)
    assert any(t.startswith("power line") and "MW" in t for t in tips)


def _chromium():
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium (.ci/run does)")
        pytest.skip("chromium is not installed here (CI installs it)")
    return exe


def _flags(tmp_path):
    return ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-sync",
            "--disable-component-update", f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=10000", "--hide-scrollbars"]


def test_report_renders_in_headless_chromium(report, tmp_path):
    exe = _chromium()
    dom = subprocess.run([exe, *_flags(tmp_path), "--window-size=1280,1400", "--dump-dom",
                          report.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    assert 'data-figures-ok="true"' in dom, dom[:500]
    figures = report.read_text(encoding="utf-8").count("<img ")
    # costs, map (static, for print), the levers' values, break-even, two-way sensitivity
    assert figures == 5
    assert f'data-figures="{figures}"' in dom
    assert 'data-external-requests="0"' in dom  # the page fetched nothing from outside
    assert 'data-ready="true"' in dom  # the interactive map's script ran
    assert "data-tip=" in dom  # its hover text is in the rendered DOM
    assert 'data-page-overflow="false"' in dom


@pytest.mark.parametrize("width", [1280, 400])
def test_report_fits_a_laptop_and_a_phone(report, tmp_path, width):
    exe = _chromium()
    dom = subprocess.run([exe, *_flags(tmp_path), f"--window-size={width},1400",
                          "--dump-dom", report.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    assert 'data-page-overflow="false"' in dom, width  # no sideways scrolling
    shot = tmp_path / f"shot-{width}.png"
    subprocess.run([exe, *_flags(tmp_path), f"--window-size={width},1400",
                    f"--screenshot={shot}", report.as_uri()], capture_output=True, timeout=120)
    data = shot.read_bytes()
    assert data[:4] == b"\x89PNG" and shot.stat().st_size > 10_000
    assert int.from_bytes(data[16:20], "big") == width  # the screenshot's width


def test_chinese_text_has_a_font_with_its_glyphs(report):
    """Every CJK character of the report (东数西算, place names in the sources) is in a
    font of the page's font stack that is installed here (CI installs Noto CJK)."""
    from netopt.views.html_report import _FONTS
    text = report.read_text(encoding="utf-8")
    chars = sorted({c for c in text if "\u3400" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef"})
    assert "东" in chars and "算" in chars
    if shutil.which("fc-list") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have fontconfig (Debian's chromium brings it)")
        pytest.skip("fontconfig is not installed here")
    stack = {f.strip().strip('"').lower() for f in _FONTS.split(",")}
    missing = []
    for i in range(0, len(chars), 40):
        batch = chars[i:i + 40]
        charset = " ".join(f"{ord(c):x}" for c in batch)
        families = subprocess.run(["fc-list", f":charset={charset}", "family"],
                                  capture_output=True, text=True).stdout.lower()
        names = {n.strip() for line in families.splitlines() for n in line.split(",")}
        if not names & stack:
            missing.append("".join(batch))
    if missing and not os.environ.get("CI"):
        pytest.skip("no CJK font installed here (CI installs fonts-noto-cjk)")
    assert not missing, missing
