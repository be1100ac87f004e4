"""A missing or broken dependency ends as one line naming the package and the pip command (exit 1), also when
it fails inside a datatrove worker; `seapt --version` names the versions users paste into bug reports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from seapt.cli import app
from seapt.errors import DependencyError, dependency_error
from seapt.resources import shipped

SAMPLE = shipped("corpora", "id", "sample.jsonl")


def _run_hidden(tmp_path: Path, prelude: str, workers: int) -> subprocess.CompletedProcess:
    small = tmp_path / "in.jsonl"
    small.write_text("".join(SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)[:12]), encoding="utf-8")
    code = (f"import os, sys\n{prelude}\n"
            f"sys.argv = ['seapt', 'corpus', 'prepare', '--lang', 'id', '--input', {str(small)!r},"
            f" '--output', {str(tmp_path / 'out')!r}, '--workers', '{workers}', '--quiet']\n"
            "from seapt.cli import app\napp()\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=240,
                          env={**os.environ, "HF_HUB_OFFLINE": "1", "SEAPT_DEBUG": "0"})


def _assert_one_line(proc: subprocess.CompletedProcess, package: str) -> None:
    assert proc.returncode == 1, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ") and f"pip install {package}" in lines[0], lines[0]
    assert "Traceback" not in proc.stderr and "╭" not in proc.stderr


def test_a_hidden_datatrove_writer_dependency_is_one_line(tmp_path):
    # datatrove's JSON writers need orjson, which datatrove does not declare (the bug a fresh venv showed)
    _assert_one_line(_run_hidden(tmp_path, "sys.modules['orjson'] = None", workers=1), "orjson")


def test_a_dependency_failing_inside_a_datatrove_worker_is_one_line(tmp_path):
    # hidden only in the forked workers: the ImportError is raised there and re-raised by the pool
    prelude = "os.register_at_fork(after_in_child=lambda: sys.modules.__setitem__('xxhash', None))"
    _assert_one_line(_run_hidden(tmp_path, prelude, workers=2), "xxhash")


def test_dependency_error_names_the_pip_distribution():
    err = ModuleNotFoundError("No module named 'yaml'", name="yaml")
    assert "pip install pyyaml" in str(dependency_error(err))
    try:
        try:
            raise ModuleNotFoundError("No module named 'lingua'", name="lingua")
        except ImportError as inner:
            raise RuntimeError("task failed") from inner
    except RuntimeError as outer:
        found = dependency_error(outer)
    assert isinstance(found, DependencyError) and "lingua-language-detector" in str(found)
    assert dependency_error(RuntimeError("no import involved")) is None
    assert "reinstall" in str(dependency_error(ImportError("cannot import name x", name="seapt.corpus")))


def test_version_names_seapt_and_its_stack():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names[0] == "seapt"
    for name in ("torch", "transformers", "tokenizers", "datatrove", "pythainlp", "nlpo3", "underthesea"):
        assert name in names
    import seapt

    assert result.output.splitlines()[0] == f"seapt {seapt.__version__}"
