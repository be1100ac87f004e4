"""Run the tokenize stages on the local datatrove executor with a progress display (MB read, MB/s, ETA)."""

from __future__ import annotations

import threading
from pathlib import Path

from seapt.errors import SeaptError, dependency_error


def run_stages(cfg, executors: list, inputs: list[str], local_tasks: tuple[int, int] | None = None) -> None:
    """Run ``executors`` in order (each skips its completed tasks); ``local_tasks`` limits stage 1 to a range."""
    from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn,
                               TransferSpeedColumn)

    from seapt.corpus.runner import _bytes_done, _cache_loguru_lib_dirs, _console, _input_bytes, _no_tqdm_monitor
    from seapt.quiet import quiet

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
    with Progress(*columns, disable=not cfg.progress, console=_console()) as bar:
        task = bar.add_task(f"tokenize {out.name}", total=total)
        def poll():
            while not stop.wait(0.5):
                bar.update(task, completed=_bytes_done(progress_dir))

        thread = threading.Thread(target=poll, daemon=True)
        thread.start()
        try:
            with quiet(transformers=False, log_file=out / "logs" / "console.log"):
                for ex in executors:
                    name = Path(str(ex.logging_dir.path)).name
                    try:
                        ex.run()
                    except SeaptError:
                        raise
                    except Exception as exc:  # a task failed: datatrove re-raises; its log has the traceback
                        dep = dependency_error(exc)
                        if dep is not None:
                            raise dep from exc
                        raise SeaptError(f"tokenize stage {name} failed ({type(exc).__name__}: {exc}); "
                                         f"see {out / 'logs' / name / 'logs'}; re-run to resume") from exc
        finally:
            stop.set()
            thread.join(timeout=2)
        bar.update(task, completed=_bytes_done(progress_dir))
