"""Output never replaces what netopt did not write, and survives a kill at any point."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import netopt
from conftest import INSTANCES, two_node
from netopt._files import MANIFEST, atomic_folder
from netopt.cli import main
from netopt.errors import OutputExistsError

ROOT = Path(__file__).resolve().parent.parent


def _tree(folder: Path) -> dict:
    """Every file below ``folder`` with its bytes (hidden ones too)."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _env() -> dict:
    # no .pyc writes: their renames would be counted by the fault injection
    return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


# --- 1. what may be replaced --------------------------------------------------------

def test_out_dot_keeps_the_current_folder(tmp_path, monkeypatch, capsys):
    # issue #10: mkdir p && cd p && echo thesis > t.txt && netopt solve toy --out .
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.txt").write_text("thesis")
    assert main(["solve", "toy", "--out", "."]) == 2
    assert main(["solve", "toy", "--out", ".", "--overwrite"]) == 2
    assert (tmp_path / "t.txt").read_text() == "thesis"
    err = capsys.readouterr().err
    assert "current folder" in err and "not even with --overwrite" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)  # even an empty current folder is never swapped away
    assert main(["solve", "toy", "--out", str(empty)]) == 2
    assert os.path.samefile(os.getcwd(), empty) and not any(empty.iterdir())


def test_out_instance_folder_is_refused(tmp_path, monkeypatch, capsys):
    # issue #10: cp -r instances/toy inst && netopt solve inst --out inst
    monkeypatch.chdir(tmp_path)
    shutil.copytree(INSTANCES / "toy", "inst")
    before = _tree(tmp_path / "inst")
    assert main(["solve", "inst", "--out", "inst"]) == 2
    assert main(["solve", "inst", "--out", "inst", "--overwrite"]) == 2
    assert _tree(tmp_path / "inst") == before
    assert "instance folder" in capsys.readouterr().err
    # an instance netopt generated is protected the same way
    assert main(["generate", "gen", "--nodes", "6"]) == 0
    gen = _tree(tmp_path / "gen")
    assert main(["solve", "gen", "--out", "gen", "--overwrite"]) == 2
    assert main(["compare", "gen", "--out", "gen", "--overwrite"]) == 2
    assert _tree(tmp_path / "gen") == gen


def test_out_parent_folder_is_refused(tmp_path, monkeypatch, capsys):
    # issue #10: netopt compare toy --out ..
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "thesis.tex").write_text("keep")
    monkeypatch.chdir(work)
    assert main(["compare", "toy", "--out", ".."]) == 2
    assert main(["compare", "toy", "--out", "..", "--overwrite"]) == 2
    assert (tmp_path / "thesis.tex").read_text() == "keep" and work.is_dir()
    assert "folder above it" in capsys.readouterr().err


def test_no_writer_replaces_a_folder_netopt_did_not_write(tmp_path, toy, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.md").write_text("mine")
    r = netopt.solve(toy)
    assert main(["compare", "toy", "--out", str(mine)]) == 2
    for overwrite in (False, True):
        with pytest.raises(OutputExistsError) as e:
            r.write(mine, overwrite=overwrite)
        assert not e.value.overwritable and "did not write" in str(e.value)
        with pytest.raises(FileExistsError):  # also a FileExistsError, as before
            netopt.save(toy, mine, overwrite=overwrite)
    assert main(["compare", "toy", "--out", str(mine), "--overwrite"]) == 2
    assert main(["generate", str(mine), "--nodes", "6", "--overwrite"]) == 2
    assert _tree(mine) == {"notes.md": b"mine"}
    assert capsys.readouterr().err.count("netopt did not write it") == 3


def test_own_folder_is_replaced_only_with_overwrite(tmp_path, toy, capsys):
    out = tmp_path / "res"
    r = netopt.solve(toy)
    r.write(out)
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["generator"] == "netopt" and manifest["kind"] == "results"
    assert "placement.csv" in manifest["files"] and manifest["version"] == netopt.__version__
    with pytest.raises(OutputExistsError, match="overwrite=True") as e:
        r.write(out)
    assert e.value.overwritable
    assert main(["solve", "toy", "--out", str(out)]) == 2
    assert "use --overwrite to replace it" in capsys.readouterr().err
    assert main(["solve", "toy", "--out", str(out), "--overwrite"]) == 0
    # a file the user added makes it partly theirs: never replaced
    (out / "my-notes.txt").write_text("mine")
    assert main(["solve", "toy", "--out", str(out), "--overwrite"]) == 2
    assert (out / "my-notes.txt").read_text() == "mine"
    assert "my-notes.txt" in capsys.readouterr().err


def test_results_and_instances_never_replace_each_other(tmp_path, toy):
    inst, res = tmp_path / "inst", tmp_path / "res"
    netopt.save(toy, inst)
    r = netopt.solve(toy)
    r.write(res)
    with pytest.raises(OutputExistsError, match="instance written by netopt"):
        r.write(inst, overwrite=True)
    with pytest.raises(OutputExistsError, match="results written by netopt"):
        netopt.save(toy, res, overwrite=True)
    netopt.save(toy, inst, overwrite=True)  # its own kind, with overwrite: fine


def test_save_overwrite_keeps_user_files_and_drops_stale_tables(tmp_path, toy):
    inst = tmp_path / "inst"
    netopt.save(toy, inst)
    (inst / "README.md").write_text("mine")
    (inst / "docs").mkdir()
    (inst / "docs" / "a.txt").write_text("mine too")
    netopt.save(two_node(), inst, overwrite=True)
    assert (inst / "README.md").read_text() == "mine"
    assert (inst / "docs" / "a.txt").read_text() == "mine too"
    assert netopt.load(inst).name == "two-node"


def test_report_file_rules(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("mine.html").write_text("<p>my own page</p>")
    assert main(["report", "toy", "-o", "mine.html"]) == 2
    assert main(["report", "toy", "-o", "mine.html", "--overwrite"]) == 2
    assert Path("mine.html").read_text() == "<p>my own page</p>"
    assert "netopt did not write it" in capsys.readouterr().err
    assert main(["report", "toy", "-o", "r.html"]) == 0
    assert '<meta name="generator" content="netopt ' in Path("r.html").read_text()
    assert main(["report", "toy", "-o", "r.html"]) == 2
    assert "use --overwrite" in capsys.readouterr().err
    assert main(["report", "toy", "-o", "r.html", "--overwrite"]) == 0
    assert sorted(os.listdir()) == ["mine.html", "r.html"]


def test_sweep_appends_only_to_its_own_log(tmp_path, capsys):
    log = tmp_path / "data.jsonl"
    log.write_text('{"my": "measurements"}\n')
    args = ["sweep", "toy", "--set", "settings.carbon_price=0,50", "--processes", "1",
            "--out", str(log)]
    assert main(args) == 2
    assert log.read_text() == '{"my": "measurements"}\n'
    assert "netopt did not write it" in capsys.readouterr().err
    own = tmp_path / "own.jsonl"
    args[-1] = str(own)
    assert main(args) == 0
    first = own.read_text()
    assert main(args) == 0  # a rerun resumes its own log
    assert own.read_text() == first


# --- 2. a kill at any point ---------------------------------------------------------

def _writer(target: Path, files: dict, overwrite=True, fail=False):
    with atomic_folder(target, overwrite=overwrite) as tmp:
        for name, text in files.items():
            (tmp / name).write_text(text)
        if fail:
            raise RuntimeError("writer failed")


KILLABLE = [("os", "rename"), ("os", "replace"), ("os", "fsync"), ("os", "unlink"),
            ("os", "rmdir"), ("shutil", "rmtree"), ("_files", "_exchange"),
            ("_files", "_discard")]


def _kill_at(n: int, target: Path, files: dict, exchange: bool) -> int:
    """Fork a writer that SIGKILLs itself at its ``n``-th file-system call; its status."""
    import netopt._files as _files
    pid = os.fork()
    if pid == 0:  # child: never return into pytest
        try:
            count = [0]
            mods = {"os": os, "shutil": shutil, "_files": _files}

            def wrap(fn):
                def killer(*a, **k):
                    count[0] += 1
                    if count[0] == n:
                        os.kill(os.getpid(), signal.SIGKILL)
                    return fn(*a, **k)
                return killer
            if not exchange:
                def no_exchange(a, b):
                    raise OSError(__import__("errno").ENOSYS, "no exchange")
                _files._exchange = no_exchange
            for mod, name in KILLABLE:
                setattr(mods[mod], name, wrap(getattr(mods[mod], name)))
            _writer(target, files)
        finally:
            os._exit(0)
    return os.waitpid(pid, 0)[1]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "rename-aside"])
def test_killed_at_every_step_old_or_new_and_nothing_whole_is_lost(tmp_path, exchange):
    res = tmp_path / "RES"
    old_files, new_files = {"a.csv": "old\n"}, {"a.csv": "new\n", "b.csv": "new\n"}
    _writer(res, old_files, overwrite=False)
    old = _tree(res)
    _writer(tmp_path / "ref", new_files)
    new = _tree(tmp_path / "ref")
    shutil.rmtree(tmp_path / "ref")
    seen, n = set(), 0
    while True:
        n += 1
        status = _kill_at(n, res, new_files, exchange)
        if not os.WIFSIGNALED(status):  # ran past its last call: finished
            assert _tree(res) == new
            break
        assert os.WTERMSIG(status) == signal.SIGKILL
        now = _tree(res) if res.exists() else None
        if exchange:  # the target is never missing, never half-written
            assert now in (old, new), f"kill at call {n}: RES is neither old nor new"
        else:  # documented best effort: missing only between the two renames
            assert now in (old, new, None), f"kill at call {n}: RES is half-written"
        seen.add("old" if now == old else "new" if now == new else "missing")
        # the next writer fails midway: it must not delete the last whole result
        with pytest.raises(RuntimeError):
            _writer(res, {"c.csv": "x"}, fail=True)
        assert _tree(res) in (old, new), f"kill at call {n}: the next writer lost it"
        _writer(res, old_files)  # and a whole write cleans up everything
        assert _tree(res) == old
        assert os.listdir(tmp_path) == ["RES"], f"kill at call {n}: leftovers"
    assert n > 5 and {"old", "new"} <= seen
    assert ("missing" in seen) == (not exchange)


INJECT = [("rename,renameat,renameat2", 1), ("rename,renameat,renameat2", 2),
          ("fsync", 1), ("fsync", 12), ("unlink,unlinkat,rmdir", 1),
          ("unlink,unlinkat,rmdir", 3)]


@pytest.mark.skipif(shutil.which("strace") is None,
                    reason="strace is not installed (.ci/run installs it)")
def test_strace_kill_at_syscalls_leaves_old_or_new(tmp_path):
    # issue #10: strace -f -e inject=rename:signal=KILL:when=2 netopt solve INST --out RES
    res = tmp_path / "RES"
    two_res = netopt.solve(two_node())
    two_res.write(res)
    old = _tree(res)
    cmd = [sys.executable, "-m", "netopt.cli", "solve", "toy", "--out", str(res),
           "--overwrite"]
    assert subprocess.run(cmd[:-2] + [str(tmp_path / "ref")], env=_env(),
                          stdout=subprocess.DEVNULL).returncode == 0
    new = _tree(tmp_path / "ref")
    shutil.rmtree(tmp_path / "ref")
    seen = []
    for calls, when in INJECT:
        p = subprocess.run(["strace", "-f", "-qq", "-o", os.devnull, "-e", f"trace={calls}",
                            "-e", f"inject={calls}:signal=KILL:when={when}"] + cmd,
                           env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True)
        if "ptrace" in p.stderr:
            pytest.skip(f"strace cannot trace here: {p.stderr.strip()}")
        now = _tree(res) if res.exists() else None
        assert now in (old, new), f"killed at {calls} #{when}: RES is neither old nor new"
        seen.append((p.returncode != 0, now == new))
        two_res.write(res, overwrite=True)  # the next writer: back to old, tidy
        assert _tree(res) == old and os.listdir(tmp_path) == ["RES"]
    assert (True, False) in seen and (True, True) in seen  # killed before and after


def test_report_on_a_full_disk_leaves_no_temporary_file(tmp_path):
    # a real write failure from the kernel: a tiny file-size limit (EFBIG, as ENOSPC)
    script = textwrap.dedent("""
        import resource, signal, sys
        import netopt
        from netopt.views.html_report import html_report, write_html_report
        net = netopt.load("toy")
        result = netopt.solve(net)
        html_report(net, result)  # caches (fonts) before the limit
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))
        try:
            write_html_report(sys.argv[1], net, result)
        except OSError as exc:
            print("failed", exc.errno)
            sys.exit(0)
        sys.exit(3)
    """)
    out = tmp_path / "report.html"
    p = subprocess.run([sys.executable, "-c", script, str(out)], env=_env(),
                       capture_output=True, text=True)
    assert p.returncode == 0 and p.stdout.startswith("failed"), p.stderr
    assert os.listdir(tmp_path) == []


def test_report_write_error_removes_temporary_file(tmp_path, toy, monkeypatch):
    import errno

    import netopt._files as _files
    from netopt.views.html_report import write_html_report

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(_files.os, "fsync", full)
    with pytest.raises(OSError, match="No space"):
        write_html_report(tmp_path / "r.html", toy)
    assert os.listdir(tmp_path) == []


# --- 7. a closed pipe ---------------------------------------------------------------

@pytest.mark.parametrize("args", [["solve", "toy", "--json"], ["solve"]])
def test_closed_pipe_is_a_normal_end(tmp_path, args):
    # issue #10: netopt solve | head -3; the reader here leaves before reading anything
    out = tmp_path / "res"
    proc = subprocess.Popen([sys.executable, "-m", "netopt.cli", *args, "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait() == 0, err
    assert "Broken pipe" not in err and "Exception ignored" not in err and err == ""
    assert (out / "summary.json").is_file()  # the work was still done
