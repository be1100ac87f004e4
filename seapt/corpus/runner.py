"""Run the corpus stages on the local datatrove executor with a rich progress display (bytes read, stages)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from seapt.errors import SeaptError, dependency_error
from seapt.quiet import quiet


def _input_bytes(inputs: list[str]) -> int | None:
    """Total for the progress bar: the inputs' sizes, or None (rate without a total) for streamed or compressed
    inputs, whose file sizes are not the text bytes the steps count."""
    if any(p.startswith("hf://") or p.endswith((".gz", ".zst", ".bz2", ".xz")) for p in inputs):
        return None
    return sum(os.path.getsize(p) for p in inputs)


def _bytes_done(folder: Path) -> int:
    total = 0
    for f in folder.glob("[0-9]*"):
        try:
            total += int(f.read_text() or 0)
        except (OSError, ValueError):
            pass
    return total


def _cache_loguru_lib_dirs() -> None:
    """datatrove adds a loguru handler per task, and each new handler asks sysconfig for the library folders
    (many path expansions each time). They do not change while the process runs, so the answer is computed
    once."""
    import functools

    try:
        from loguru._better_exceptions import ExceptionFormatter
    except ImportError:  # a loguru without this private helper: nothing to speed up
        return
    get = ExceptionFormatter.__dict__.get("_get_lib_dirs")
    if isinstance(get, staticmethod) and not hasattr(get.__func__, "cache_info"):
        ExceptionFormatter._get_lib_dirs = staticmethod(functools.lru_cache(maxsize=1)(get.__func__))


def fast_distribution_check() -> None:
    """datatrove checks each step's required pip distribution by reading the metadata of every installed
    distribution, for every name (slow with hundreds installed). Look the name up directly
    first; only when that does not confirm it, fall back to datatrove's full scan (same answers)."""
    import functools

    try:
        from datatrove.utils import _import_utils as iu
    except ImportError:
        return
    full_scan = iu._is_distribution_available
    if getattr(full_scan, "seapt_fast", False):
        return

    @functools.lru_cache
    def available(name: str):
        from importlib.metadata import PackageNotFoundError, distribution

        try:
            found = (distribution(name).metadata.get("Name") or "").lower() == name
        except PackageNotFoundError:
            found = False
        return True if found else full_scan(name)

    available.seapt_fast = True
    iu._is_distribution_available = available


# lingua loads each n-gram order's model (1 to 5) the first time a text holds n-grams of it: a sentence with
# long words loads them all. (Its with_preloaded_language_models() loads them on a thread pool instead, and a
# worker forked after that hangs at its first detection.)
_WARM_UP = "The quick brown foxes jumped over the lazy sleeping dogs yesterday evening."


def _prewarm(cfg) -> None:
    """Load the segmenter dictionary and lingua's models once in this process: workers are forked from it
    and share them, instead of each loading its own copy (about a second of CPU per worker)."""
    from seapt.corpus.filters import LanguageFilter
    from seapt.corpus.words import segment_words

    from seapt.languages import get

    language = get(cfg.lang)
    segment_words(language.sample, cfg.lang)
    if language.script == "Latin" and cfg.langid.use_lingua:
        li = cfg.langid
        LanguageFilter(cfg.lang, li.min_script_share, True, tuple(li.candidates), li.allow_malay).score(_WARM_UP)


def _no_tqdm_monitor() -> None:
    """Workers are forked ("fork" start method); tqdm's monitor thread holds tqdm's lock at times, and a
    worker forked while it does inherits the held lock and hangs at its first progress bar. Stop it."""
    from tqdm import tqdm

    tqdm.monitor_interval = 0
    if tqdm.monitor is not None:
        tqdm.monitor.exit()
        tqdm.monitor = None


SMALL_STAGE_BYTES = 32 << 20
"""Below this much input (MinHash signatures: ~0.9 kB per document), the bucket stage runs its tasks in this
process: a pool of forked workers costs more (Thai benchmark, 2 workers: 0.13 s pooled, 0.05 s in-process)."""


def stage_workers(name: str, workers: int, out: Path) -> int:
    """Workers for stage ``name``: 1 for a bucket stage over less than SMALL_STAGE_BYTES of signatures."""
    if workers > 1 and name.endswith("buckets"):
        sigs = out / "work" / "sigs"
        size = sum(f.stat().st_size for f in sigs.rglob("*") if f.is_file()) if sigs.is_dir() else 0
        if size < SMALL_STAGE_BYTES:
            return 1
    return workers


def run_local(cfg, executors: list, inputs: list[str], *, what: str = "corpus", label: str | None = None,
              local_tasks: tuple[int, int] | None = None) -> None:
    """Run ``executors`` in order (each skips its completed tasks), showing bytes read, MB/s and ETA when
    cfg.progress. ``what`` names the stages in errors ("corpus", "tokenize"); ``label`` replaces the per-stage
    description; ``local_tasks`` (offset, count) limits the first stage to a range of its tasks."""
    from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn,
                               TransferSpeedColumn)

    _cache_loguru_lib_dirs()
    _no_tqdm_monitor()
    out = Path(cfg.output)
    progress_dir = out / "logs" / "progress"
    progress_dir.mkdir(parents=True, exist_ok=True)
    total = _input_bytes(inputs)
    if local_tasks is not None:
        first = executors[0]
        first.local_rank_offset, first.local_tasks = local_tasks
        first.workers = min(first.workers, local_tasks[1])
    columns = [TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
               TimeRemainingColumn()]
    stop = threading.Event()
    with Progress(*columns, disable=not cfg.progress, transient=False, console=_console()) as bar:
        read_task = bar.add_task(label or f"{cfg.lang}: stage 1/{len(executors)}", total=total)

        def poll():
            while not stop.wait(0.5):
                bar.update(read_task, completed=_bytes_done(progress_dir))

        thread = threading.Thread(target=poll, daemon=True)
        thread.start()
        try:
            with quiet(transformers=False, log_file=out / "logs" / "console.log"):
                if what == "corpus" and cfg.workers > 1:
                    _prewarm(cfg)
                for i, ex in enumerate(executors):
                    name = Path(str(ex.logging_dir.path)).name
                    ex.workers = stage_workers(name, ex.workers, out)
                    if label is None:
                        bar.update(read_task, description=f"{cfg.lang}: stage {i + 1}/{len(executors)} {name[2:]}")
                    try:
                        ex.run()
                    except SeaptError:
                        raise
                    except Exception as exc:  # a task failed: datatrove re-raises; its log has the traceback
                        dep = dependency_error(exc)
                        if dep is not None:
                            raise dep from exc
                        raise SeaptError(f"{what} stage {name} failed ({type(exc).__name__}: {exc}); "
                                         f"see {out / 'logs' / name / 'logs'}; re-run to resume") from exc
        finally:
            stop.set()
            thread.join(timeout=2)
        bar.update(read_task, completed=_bytes_done(progress_dir))


def _console():
    from rich.console import Console

    return Console(stderr=True)
