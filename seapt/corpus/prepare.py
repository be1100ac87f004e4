"""`seapt corpus prepare`: build the corpus pipeline from a CorpusConfig and run it on a datatrove executor.

    from seapt.corpus.config import load_corpus_config
    from seapt.corpus.prepare import prepare_corpus
    stats = prepare_corpus(load_corpus_config("th", inputs=["raw/th.jsonl"], output="corpus/th", workers=2))

Stages (each a datatrove executor run with its own completion markers under DIR/logs/, so a killed run
resumes where it stopped and produces the same output):
  1 filter  (N tasks): read -> input check -> normalise -> clean -> PII -> language -> quality
                       -> decontaminate -> work/filtered + dedup keys + MinHash signatures
  2 buckets (num_buckets tasks): MinHash LSH buckets          3 cluster (1 task): duplicate decisions
  4 dedup   (N tasks): work/filtered -> dedup filter -> corpus-wide repeated lines -> data/
  5 stats   (1 task): stats.json
Every dropped document lands in removed/<rank>_<step>.jsonl.gz with its reason.
"""

from __future__ import annotations

import time
from pathlib import Path

from seapt.config import load_yaml, save_config
from seapt.corpus.config import CorpusConfig
from seapt.errors import ConfigError, InputError
from seapt.io import is_done, read_json
from seapt.outputs import reuse_output

def _minhash_config(cfg: CorpusConfig):
    from datatrove.pipeline.dedup.minhash import MinhashConfig
    from datatrove.utils.hashing import HashConfig
    from datatrove.utils.text import TextNormConfig

    # datatrove's default text normalisation strips all combining marks (Mn): that deletes Thai vowels and
    # tone marks and Vietnamese diacritics, so it stays off.
    return MinhashConfig(n_grams=cfg.dedup.n_grams, num_buckets=cfg.dedup.num_buckets,
                         hashes_per_bucket=cfg.dedup.hashes_per_bucket, seed=cfg.dedup.seed,
                         norm_config=TextNormConfig(norm_unicode_diacritics=False),
                         hash_config=HashConfig(precision=64))


def build_stages(cfg: CorpusConfig, inputs: list[str]) -> dict[str, tuple[list, int]]:
    """The pipeline of each stage and its number of tasks (nothing runs here)."""
    from datatrove.pipeline.dedup.minhash import MinhashDedupBuckets

    from seapt.corpus.clean import Clean, MaskPii, Normalize
    from seapt.corpus.decont import DecontFilter
    from seapt.corpus.dedup import DedupCluster, DedupFilter, DocKeys, WordMinhashSignature
    from seapt.corpus.filters import LanguageFilter, QualityFilter
    from seapt.corpus.lines import RepeatedLines
    from seapt.corpus.readers import InputCheck, RankFileReader, SeaptReader
    from seapt.corpus.stats_step import WriteStats
    from seapt.corpus.writers import CorpusWriter, RemovedWriter

    out = Path(cfg.output)
    work, removed, lang, tasks = out / "work", str(out / "removed"), cfg.lang, cfg.num_tasks
    mh = _minhash_config(cfg)
    first: list = [
        SeaptReader(inputs, cfg.text_key, cfg.id_key, cfg.max_doc_bytes, cfg.hf_split, cfg.hf_config,
                    progress_folder=str(out / "logs" / "progress")),
        InputCheck(cfg.quality.max_replacement_char_ratio, exclusion_writer=RemovedWriter(removed, "input"),
                   min_lost=cfg.quality.min_mojibake_chars),
    ]
    if cfg.normalize:
        first.append(Normalize(lang))
    c = cfg.clean
    first.append(Clean(c.strip_html, c.boilerplate_patterns, c.builtin_boilerplate, c.doubled_min_share))
    if cfg.pii.enabled:
        first.append(MaskPii(lang, cfg.pii.kinds))
    li = cfg.langid
    first.append(LanguageFilter(lang, li.min_script_share, li.use_lingua, tuple(li.candidates), li.allow_malay,
                                li.min_confidence, li.sample_chars, RemovedWriter(removed, "language")))
    first.append(QualityFilter(lang, cfg.quality, RemovedWriter(removed, "quality")))
    if cfg.decontaminate.paths:
        first.append(DecontFilter(cfg.decontaminate.paths, lang, cfg.decontaminate.n_grams,
                                  RemovedWriter(removed, "decontaminate", "contaminated")))
    line_chars = c.repeated_line_min_chars if c.repeated_line_min_docs else 0
    first += [CorpusWriter(str(work / "filtered"), compress=False), DocKeys(str(work / "keys"), line_chars)]
    near = cfg.dedup.near
    if near:
        first.append(WordMinhashSignature(str(work / "sigs"), mh, lang))
    stages = {"1_filter": (first, tasks)}
    if near:
        stages["2_buckets"] = ([MinhashDedupBuckets(str(work / "sigs"), str(work / "buckets"), config=mh)],
                               cfg.dedup.num_buckets)
    stages["3_cluster"] = ([DedupCluster(str(work / "keys"), str(work / "buckets") if near else None,
                                         str(work / "remove"), cfg.dedup.exact, near, c.repeated_line_min_docs)], 1)
    stages["4_dedup"] = ([RankFileReader(str(work / "filtered")),
                          DedupFilter(str(work / "remove"), RemovedWriter(removed, "dedup", "duplicate")),
                          RepeatedLines(str(work / "remove" / "repeated.lines"), lang, c.repeated_line_min_chars,
                                        cfg.quality.min_words, RemovedWriter(removed, "lines", "boilerplate_only")),
                          CorpusWriter(str(out / "data"))], tasks)
    stages["5_stats"] = ([WriteStats(str(out), time.time())], 1)
    return stages


def build_executors(cfg: CorpusConfig, stages: dict) -> list:
    """One datatrove executor per stage for cfg.executor (Slurm and Ray ones depend on the previous)."""
    logs = Path(cfg.output) / "logs"
    executors, prev = [], None
    for name, (pipeline, tasks) in stages.items():
        if cfg.executor == "local":
            from datatrove.executor import LocalPipelineExecutor

            ex = LocalPipelineExecutor(pipeline, tasks=tasks, workers=min(cfg.workers, tasks),
                                       logging_dir=str(logs / name), start_method="fork")
        elif cfg.executor == "slurm":
            import shutil

            from datatrove.executor import SlurmPipelineExecutor

            if shutil.which("sbatch") is None:
                raise ConfigError("executor: slurm needs sbatch on PATH; run on a Slurm login node or use local")
            ex = SlurmPipelineExecutor(pipeline, tasks=tasks, time=cfg.slurm_time, partition=cfg.slurm_partition,
                                       logging_dir=str(logs / name), job_name=f"seapt_{name}", depends=prev,
                                       workers=cfg.workers)
        else:
            from seapt.errors import require

            require("ray", extra="ray")
            from datatrove.executor.ray import RayPipelineExecutor

            # no depends=: datatrove's wait on a dependency never ends when one of its tasks failed (it sleeps
            # and polls forever); run_remote runs the stages in order and stops at a failed one
            ex = RayPipelineExecutor(pipeline, tasks=tasks, workers=cfg.workers, logging_dir=str(logs / name))
        executors.append(ex)
        prev = ex
    return executors


def run_remote(cfg, executors: list, what: str = "corpus") -> None:
    """Slurm: submit every stage (each job depends on the previous one). Ray: run the stages in order, each
    waiting for its tasks; a stage with a task that did not complete (an error, a worker killed, e.g. for
    memory) stops the run with a one-line error instead of the next stage waiting for it forever."""
    from seapt.errors import SeaptError

    if cfg.executor == "slurm":
        executors[-1].run()
        return
    for ex in executors:
        ex.run()
        missing = ex.get_incomplete_ranks(range(ex.world_size))
        if missing:
            folder = Path(str(ex.logging_dir.path))
            raise SeaptError(f"{what} stage {folder.name}: {len(missing)} of {ex.world_size} Ray tasks did not "
                             f"complete (first: task {missing[0]}); see {folder / 'logs'}; re-run to resume")


# fields that only say how the work is spread: a prepared corpus re-run with other values is the same corpus
_NOT_IN_RESULT = ("output", "workers", "tasks", "progress", "executor", "slurm_partition", "slurm_time")


def _check_output(cfg: CorpusConfig, overwrite: bool) -> bool:
    """Whether ``cfg.output`` holds work (finished or started) of this config (the seapt.outputs rule): a
    started corpus of another config would mix, and so would completed shards of another task split."""
    saved_path = Path(cfg.output) / "config.yaml"
    old = load_yaml(saved_path) if saved_path.is_file() else None
    if not reuse_output(cfg.output, old, cfg, ignore=_NOT_IN_RESULT, overwrite=overwrite, what="a corpus"):
        return False
    old_tasks = old.get("tasks") or old.get("workers") or 1
    if old_tasks != cfg.num_tasks:  # completed shards of another split would be mixed with new ones
        raise ConfigError(f"{cfg.output} was started with {old_tasks} tasks; resume it with "
                          f"--set tasks={old_tasks} (any --workers), or use a new --output")
    return True


def prepare_corpus(cfg: CorpusConfig, overwrite: bool = False) -> dict:
    """Run the corpus pipeline of ``cfg`` (inputs -> cfg.output) and return stats.json's content. A finished
    output of the same config returns at once; one of another config is an error, or with ``overwrite``
    deleted and redone (seapt.outputs)."""
    from seapt.corpus.readers import resolve_inputs
    from seapt.corpus.runner import fast_distribution_check, run_local

    if not cfg.inputs:
        raise ConfigError("inputs: give at least one --input file, folder or hf:// dataset id")
    if not cfg.output:
        raise ConfigError("output: give --output DIR")
    inputs = resolve_inputs(cfg.inputs)
    for p in cfg.decontaminate.paths:
        if not Path(p).is_file():
            raise InputError(f"--decontaminate {p}: file not found")
    if _check_output(cfg, overwrite) and is_done(cfg.output) and (Path(cfg.output) / "stats.json").is_file():
        return read_json(Path(cfg.output) / "stats.json")
    Path(cfg.output).mkdir(parents=True, exist_ok=True)
    save_config(cfg, Path(cfg.output) / "config.yaml")
    fast_distribution_check()
    executors = build_executors(cfg, build_stages(cfg, inputs))
    if cfg.executor != "local":
        run_remote(cfg, executors)  # Ray runs every stage; Slurm only submits the jobs
        if (Path(cfg.output) / "stats.json").is_file():
            return read_json(Path(cfg.output) / "stats.json")
        return {"submitted": len(executors), "output": cfg.output}
    run_local(cfg, executors, inputs)
    import shutil

    for bulky in ("filtered", "sigs"):  # a full copy of the corpus and its signatures; not needed once done
        shutil.rmtree(Path(cfg.output) / "work" / bulky, ignore_errors=True)
    (Path(cfg.output) / "data").mkdir(exist_ok=True)  # present even when nothing was kept
    return read_json(Path(cfg.output) / "stats.json")
