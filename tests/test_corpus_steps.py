"""Corpus steps one by one: what each keeps, what it drops and the reason (as datatrove's filter tests do)."""

import gzip
import json
import random

import pytest
from datatrove.data import Document

from seapt.corpus.clean import Clean
from seapt.corpus.config import CorpusConfig, QualityConfig
from seapt.corpus.decont import DecontFilter
from seapt.corpus.filters import LanguageFilter, QualityFilter
from seapt.corpus.readers import InputCheck, SeaptReader

POOLS = {
    "th": ("รัฐบาล ประชาชน โครงการ พัฒนา เศรษฐกิจ การศึกษา โรงเรียน นักเรียน ชุมชน สุขภาพ โรงพยาบาล ถนน จังหวัด "
           "เกษตรกร ข้าว น้ำ ป่าไม้ ท่องเที่ยว วัฒนธรรม ประเพณี เทคโนโลยี อุตสาหกรรม ส่งออก ลงทุน ธนาคาร ตลาด "
           "ราคา สินค้า บริการ คุณภาพ ชีวิต ปลอดภัย กฎหมาย นโยบาย รัฐมนตรี ประชุม งบประมาณ ภาษี แรงงาน อาชีพ "
           "รายได้ ครอบครัว เด็ก ผู้สูงอายุ พลังงาน ไฟฟ้า อากาศ ฝน").split(),
    "vi": ("chính phủ|người dân|phát triển|kinh tế|giáo dục|trường học|học sinh|cộng đồng|sức khỏe|bệnh viện|đường|"
           "tỉnh|nông dân|lúa gạo|nước|rừng|du lịch|văn hóa|công nghệ|công nghiệp|xuất khẩu|đầu tư|ngân hàng|"
           "thị trường|giá cả|hàng hóa|dịch vụ|chất lượng|cuộc sống|an toàn|pháp luật|chính sách|bộ trưởng|"
           "cuộc họp|ngân sách|thuế|lao động|nghề nghiệp|thu nhập|gia đình|trẻ em|người cao tuổi|năng lượng|"
           "điện|thời tiết|mưa").split("|"),
    "id": ("pemerintah masyarakat pembangunan ekonomi pendidikan sekolah siswa komunitas kesehatan rumah sakit jalan "
           "provinsi petani beras air hutan pariwisata budaya teknologi industri ekspor investasi bank pasar harga "
           "barang layanan kualitas kehidupan keamanan hukum kebijakan menteri rapat anggaran pajak pekerjaan "
           "pendapatan keluarga anak lansia energi listrik cuaca hujan").split(),
}
STOPS = {
    "th": "และ ที่ ของ ใน เป็น ได้ ให้ มี การ จะ กับ ว่า".split(),
    "vi": "và của là có được cho không những các một này trong với đã để".split(),
    "id": "yang dan di ke dari ini itu dengan untuk pada adalah dalam tidak akan juga".split(),
}


def make_doc(lang: str, seed: int, sentences: int = 6) -> str:
    """A clean, varied document in ``lang`` (random sentences from a word pool, stop words included)."""
    rng = random.Random(seed)
    sep = "" if lang == "th" else " "
    out = []
    for _ in range(sentences):
        words = [rng.choice(POOLS[lang]) if rng.random() < 0.65 else rng.choice(STOPS[lang])
                 for _ in range(rng.randint(9, 15))]
        s = sep.join(words)
        out.append(s if lang == "th" else s[0].upper() + s[1:] + ".")
    return ("\n" if lang == "th" else " ").join(out[:3]) + "\n\n" + (" " if lang == "th" else " ").join(out[3:])


def run_filter(step, texts):
    docs = [Document(text=t, id=str(i), metadata={}) for i, t in enumerate(texts)]
    kept = [d.id for d in step.run(iter(docs))]
    return kept, {k[len("dropped_"):]: v.total for k, v in step.stats.stats.items() if k.startswith("dropped_")}


def write_bytes(path, data: bytes):
    path.write_bytes(data)
    return str(path)


# --- reader + input check -----------------------------------------------------------------------------------
def test_bad_records_are_routed_with_reasons_never_crash(tmp_path):
    big = json.dumps({"text": "ก" * 400_000}).encode()  # 1.2 MB line
    data = b"\n".join([
        json.dumps({"text": "hello world", "id": "a"}).encode(),
        b'{"text": "bad \xff utf8"}',
        b"{not json",
        json.dumps({"body": "no text field"}).encode(),
        json.dumps({"text": ""}).encode(),
        json.dumps({"text": "nul \u0000 inside"}).encode(),
        big,
    ]) + b"\n"
    path = write_bytes(tmp_path / "in.jsonl", data)
    before = (tmp_path / "in.jsonl").read_bytes()
    docs = list(SeaptReader([path], max_doc_bytes=1_000_000)())
    kept, dropped = run_filter(InputCheck(), [])  # warm stats structure
    check = InputCheck()
    kept = [d.id for d in check.run(iter(docs))]
    reasons = {k[8:]: v.total for k, v in check.stats.stats.items() if k.startswith("dropped_")}
    assert kept == ["a"]
    assert reasons == {"invalid_utf8": 1, "broken_json": 1, "missing_text_field": 1, "empty": 1, "nul_bytes": 1,
                       "too_long": 1}
    assert (tmp_path / "in.jsonl").read_bytes() == before
    assert docs[2].text == "{not json"  # the raw line travels to removed/: nothing is lost


def test_truncated_gzip_is_counted_not_fatal(tmp_path):
    good = gzip.compress(("\n".join(json.dumps({"text": f"doc {i}"}) for i in range(200)) + "\n").encode())
    path = write_bytes(tmp_path / "cut.jsonl.gz", good[: len(good) // 2])
    docs = list(SeaptReader([path])())
    assert docs[-1].metadata["_reject"] == "unreadable_file" and "error" in docs[-1].metadata
    assert all("_reject" not in d.metadata for d in docs[:-1])


def test_input_check_drops_text_that_lost_its_bytes_before_normalisation():
    lost = ("ข่าวรัฐบาล\ufffdประชุม " * 40)[:400]  # 40 U+FFFD in 400 characters: 10%
    two = "ข่าวรัฐบาลประชุม " * 60 + "\ufffd\ufffd"  # 2 are tolerated (a stray one in a quote)
    diluted = "ข่าวรัฐบาลประชุม " * 400 + "\ufffd" * 3  # 3 in ~7,000 characters: under 0.1%
    kept, dropped = run_filter(InputCheck(0.001), [lost, two, diluted])
    assert kept == ["1", "2"] and dropped == {"mojibake": 1}
    kept, dropped = run_filter(InputCheck(), [lost])  # without a ratio only the reader's marks count
    assert kept == ["0"] and dropped == {}
    # the same rule the quality filter applies after normalisation: it drops the page too
    assert QualityFilter("th", QualityConfig()).check(Document(text=lost, id="x", metadata={})) == "mojibake"


def test_reader_formats_and_line_sharding(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    txt = write_bytes(tmp_path / "a.txt", "one\n\ntwo\nthree\n".encode())
    gz = tmp_path / "b.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "four"}) + "\n")
    pq.write_table(pa.table({"text": ["five", "six"]}), tmp_path / "c.parquet")
    inputs = [txt, str(gz), str(tmp_path / "c.parquet")]
    texts = [d.text for d in SeaptReader(inputs)()]
    assert texts == ["one", "two", "three", "four", "five", "six"]
    # fewer files than tasks: records are dealt out, together they are the whole input
    shards = [[d.text for d in SeaptReader(inputs)(rank=r, world_size=4)] for r in range(4)]
    assert sorted(sum(shards, [])) == sorted(texts) and all(shards)


def test_hf_dataset_ids_are_streamed_through_datasets(monkeypatch):
    import datasets

    calls = {}

    def fake_load(name, config, split, streaming):
        calls.update(name=name, config=config, split=split, streaming=streaming)
        return iter([{"text": "สวัสดี", "id": 7}, {"content": "no text"}])

    monkeypatch.setattr(datasets, "load_dataset", fake_load)
    docs = list(SeaptReader(["hf://HuggingFaceFW/fineweb-2"], hf_config="tha_Thai")())
    assert calls == {"name": "HuggingFaceFW/fineweb-2", "config": "tha_Thai", "split": "train", "streaming": True}
    assert [(d.id, d.text) for d in docs] == [("7", "สวัสดี"), ("hf://HuggingFaceFW/fineweb-2/2", "")]
    assert docs[1].metadata["_reject"] == "missing_text_field"


def test_hf_datasets_are_split_between_ranks(monkeypatch):
    import datasets

    rows = [{"text": f"t{i}", "id": f"r{i}"} for i in range(10)]
    monkeypatch.setattr(datasets, "load_dataset",
                        lambda *a, **k: datasets.IterableDataset.from_generator(lambda: iter(rows)))
    shards = [[d.id for d in SeaptReader(["hf://org/name"])(rank=r, world_size=3)] for r in range(3)]
    assert sorted(sum(shards, [])) == sorted(r["id"] for r in rows) and all(shards)


# --- cleaning ---------------------------------------------------------------------------------------------
def test_clean_removes_markup_and_boilerplate_lines():
    clean = Clean()
    text = ("<div>ข่าว &amp; กิจกรรม</div>\n== หัวข้อ ==\nเนื้อหาข่าวจริง\n------------\n"
            "ที่มา : http://www.thaigov.go.th/news/contents/details/1114\nHome | News | Sport | Contact\n"
            "Share on Facebook\nThis site uses cookies to improve your experience")
    out, counts = clean.clean_text(text)
    assert out == "ข่าว & กิจกรรม\nหัวข้อ\nเนื้อหาข่าวจริง"
    assert counts["boilerplate_line"] == 4 and counts["symbol_line"] == 1 and counts["markup"] == 1


def test_lines_repeated_across_documents_are_counted_corpus_wide(tmp_path):
    import numpy as np

    from seapt.corpus.lines import RepeatedLines, doc_line_keys, merge_repeated

    footer = "กลุ่มประชาสัมพันธ์และเผยแพร่ สำนักโฆษก"
    docs = [make_doc("th", i) + "\n" + footer for i in range(3)] + [footer + "\nสั้น"]
    for rank, part in enumerate((docs[:2], docs[2:])):  # two shards: the count is over both
        keys = sorted(k for d in part for k in doc_line_keys(d, 20))
        (tmp_path / f"{rank:05d}.lines").write_bytes(np.array(keys, dtype="<u8").tobytes())
    repeated = merge_repeated(str(tmp_path), min_docs=4)
    assert len(repeated) == 1
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "repeated.lines").write_bytes(repeated.tobytes())
    kept, dropped = run_filter(RepeatedLines(str(tmp_path / "out" / "repeated.lines"), "th", 20, 20), docs)
    assert kept == ["0", "1", "2"] and dropped == {"boilerplate_only": 1}
    assert merge_repeated(str(tmp_path), min_docs=5).size == 0
    # the word count carried from the quality filter is updated by subtracting the removed lines' words
    from seapt.corpus.words import segment_words

    doc = Document(text=docs[0], id="x", metadata={"words": len(segment_words(docs[0], "th"))})
    step = RepeatedLines(str(tmp_path / "out" / "repeated.lines"), "th", 20, 20)
    assert step.filter(doc) is True and doc.metadata["words"] == len(segment_words(doc.text, "th"))
    assert footer not in doc.text


def test_pii_step_masks_and_counts_in_meta_and_stats():
    from seapt.corpus.clean import MaskPii

    step = MaskPii("th", ["email", "phone"])
    docs = [Document(text="ติดต่อ a.b@example.com หรือ 081-234-5678 ดู www.thaigov.go.th", id="1", metadata={}),
            Document(text="ไม่มีข้อมูลส่วนตัว ปี 2560 งบ 24,000 ล้านบาท", id="2", metadata={})]
    out = list(step.run(iter(docs)))
    assert out[0].text == "ติดต่อ <EMAIL> หรือ <PHONE> ดู www.thaigov.go.th"  # url not among the kinds
    assert out[0].metadata["pii"] == {"email": 1, "phone": 1} and "pii" not in out[1].metadata
    assert out[1].text == docs[1].text
    assert step.stats["pii_email"].total == 1 and step.stats["pii_phone"].total == 1


# --- language id ------------------------------------------------------------------------------------------
def test_language_filter_thai_by_script():
    texts = [make_doc("th", 1), "The government announced a new policy on education today in Bangkok.",
             make_doc("vi", 2)]
    kept, dropped = run_filter(LanguageFilter("th"), texts)
    assert kept == ["0"] and dropped == {"wrong_script": 2}


@pytest.mark.parametrize("lang, other", [("id", "vi"), ("vi", "id")])
def test_language_filter_latin_languages_by_lingua(lang, other):
    english = ("The committee met on Tuesday to discuss the budget for the next school year and agreed "
               "that the new library should open before the summer holidays begin.")
    texts = [make_doc(lang, 3), make_doc(other, 4), english]
    step = LanguageFilter(lang)
    kept, dropped = run_filter(step, texts)
    assert kept == ["0"] and dropped == {"wrong_language": 2}


def test_indonesian_is_not_sent_to_malay_by_default():
    text = ("Pemerintah provinsi akan membangun jalan baru untuk masyarakat desa yang selama ini kesulitan "
            "menjual hasil panen ke pasar kota, kata gubernur dalam rapat hari Senin.")
    assert LanguageFilter("id").score(text)[0] == "id"


# --- quality ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["th", "vi", "id"])
def test_quality_keeps_clean_text(lang):
    kept, dropped = run_filter(QualityFilter(lang, QualityConfig()), [make_doc(lang, s) for s in range(10)])
    assert len(kept) == 10, dropped


@pytest.mark.parametrize("text, reason", [
    ("สวัสดีครับ", "too_few_words"),
    ("ซื้อเลยราคาถูก " * 60, "top_ngram"),
    ("Ã¡Ã©Ã­ Ã³Ãº Ã± â€œquoteâ€ " * 20, "mojibake"),
    ("1234 5678 9012 3456 " * 20 + "และ ที่ ของ", "digit_ratio"),
    ("— — ; ; ! ! ? ? " * 20 + "และ ที่ ของ ใน", "non_word_ratio"),
])
def test_quality_drops_junk_with_reason(text, reason):
    kept, dropped = run_filter(QualityFilter("th", QualityConfig()), [text])
    assert kept == [] and dropped == {reason: 1}


@pytest.mark.parametrize("lang", ["th", "vi", "id"])
def test_quality_drops_the_bundled_keyword_spam_and_keeps_clean_documents(lang):
    from pathlib import Path

    rows = [json.loads(x) for x in (Path(__file__).parents[1] / "corpora" / lang / "sample.jsonl").open(encoding="utf-8")]
    spam = [r["text"] for r in rows if r.get("kind") == "spam"]
    clean = [r["text"] for r in rows if r.get("kind") == "clean"][:60]
    kept, dropped = run_filter(QualityFilter(lang, QualityConfig()), spam + clean)
    assert len(spam) == 4 and dropped.get("emoji_ratio") == len(spam)
    assert kept == [str(i) for i in range(len(spam), len(spam) + len(clean))], dropped


def test_quality_keeps_text_with_a_few_emoji():
    text = make_doc("th", 3) + " 😀👍 " + make_doc("th", 4)
    kept, dropped = run_filter(QualityFilter("th", QualityConfig()), [text, make_doc("th", 5) + " 🔥✅" * 20])
    assert kept == ["0"] and dropped == {"emoji_ratio": 1}


def test_quality_stop_words_use_the_language_list():
    rng = random.Random(0)
    no_stops = " ".join(rng.choice(POOLS["id"]) for _ in range(60))
    kept, dropped = run_filter(QualityFilter("id", QualityConfig()), [no_stops, make_doc("id", 9)])
    assert kept == ["1"] and dropped == {"stop_words": 1}


def test_quality_duplicate_lines():
    line = "ประชาชนในจังหวัดได้รับประโยชน์จากโครงการพัฒนาและการลงทุนของรัฐบาล"
    kept, dropped = run_filter(QualityFilter("th", QualityConfig()), ["\n".join([line] * 10 + [make_doc("th", 5)])])
    assert dropped == {"duplicate_lines": 1}


# --- decontamination --------------------------------------------------------------------------------------
def test_decontamination_drops_documents_sharing_long_ngrams(tmp_path):
    bench = make_doc("th", 42, sentences=2).split("\n")[0]
    short = "ฝนตกหนักที่จังหวัดเชียงใหม่เมื่อวานนี้"
    (tmp_path / "b.jsonl").write_text(json.dumps({"premise": bench}, ensure_ascii=False) + "\n"
                                      + json.dumps({"premise": short}, ensure_ascii=False) + "\n", encoding="utf-8")
    docs = [make_doc("th", 1) + "\n" + bench, make_doc("th", 2), make_doc("th", 3) + "\n" + short]
    kept, dropped = run_filter(DecontFilter([str(tmp_path / "b.jsonl")], "th", n_grams=8), docs)
    assert kept == ["1"] and dropped == {"contaminated": 2}


def test_sources_yaml_names_a_public_corpus_per_language():
    from pathlib import Path

    import yaml

    data = yaml.safe_load((Path(__file__).resolve().parents[1] / "corpora" / "sources.yaml").read_text("utf-8"))
    names = {s["name"] for s in data["sources"]}
    assert {"Wikipedia", "FineWeb-2", "CulturaX", "MADLAD-400"} <= names
    for s in data["sources"]:
        assert set(s["config"]) == {"th", "vi", "id"} and "/" in s["id"] and s["text_key"] == "text"


def test_config_validation_names_the_field():
    from seapt.errors import ConfigError

    with pytest.raises(ConfigError, match="lang"):
        CorpusConfig(lang="xx")
    with pytest.raises(ConfigError, match="quality.min_words"):
        CorpusConfig(quality=QualityConfig(min_words=50, max_words=10))


def test_dedup_cluster_keeps_the_smallest_id_hash_per_group(tmp_path):
    import struct

    import numpy as np

    from seapt.corpus.dedup import KEY_DTYPE, REMOVE_DTYPE, DedupCluster, DedupFilter

    keys, dups, out = tmp_path / "keys", tmp_path / "dups", tmp_path / "remove"
    keys.mkdir(), dups.mkdir()
    # rank 0: docs 0,1 exact copies (key 50 < 90); rank 1: doc 0 near doc 2 of rank 0, doc 1 unique
    rows0 = [(0, 90, 111), (1, 50, 111), (2, 70, 222)]
    rows1 = [(0, 60, 333), (1, 10, 444)]
    (keys / "00000.keys").write_bytes(np.array(rows0, dtype=KEY_DTYPE).tobytes())
    (keys / "00001.keys").write_bytes(np.array(rows1, dtype=KEY_DTYPE).tobytes())
    (dups / "00000_00.dups").write_bytes(struct.pack("<4I", 0, 2, 1, 0) + struct.pack("<4I", 0, 0, 0, 1))
    list(DedupCluster(str(keys), str(dups), str(out)).run())
    r0 = np.frombuffer((out / "00000.remove").read_bytes(), dtype=REMOVE_DTYPE).tolist()
    r1 = np.frombuffer((out / "00001.remove").read_bytes(), dtype=REMOVE_DTYPE).tolist()
    assert r0 == [(0, 1), (2, 2)]  # doc 0: exact copy of doc 1 (smaller key); doc 2: near dup of rank 1 doc 0
    assert r1 == []
    step = DedupFilter(str(out))
    docs = [Document(text=str(i), id=str(i), metadata={}) for i in range(3)]
    kept = [d.id for d in step.run(iter(docs), rank=0)]
    assert kept == ["1"]
    assert step.stats["dropped_exact_duplicate"].total == 1 and step.stats["dropped_near_duplicate"].total == 1



def test_reader_deals_bytes_evenly(tmp_path):
    """One file shared by the tasks: records go to the rank with the fewest bytes so far, so a file whose long
    documents all sit at even positions still splits evenly (dealing every other record gave one rank all of
    them); many files: largest first to the least loaded rank. Together the ranks read the whole input once."""
    lines = [("x" * 1000 if i % 2 == 0 else "y") for i in range(200)]
    one = write_bytes(tmp_path / "one.txt", ("\n".join(lines) + "\n").encode())
    shards = [[d.text for d in SeaptReader([one])(rank=r, world_size=2)] for r in range(2)]
    sizes = [sum(map(len, s)) for s in shards]
    assert sorted(sum(shards, [])) == sorted(lines)
    assert abs(sizes[0] - sizes[1]) <= 1001, sizes
    files = [write_bytes(tmp_path / f"f{i}.txt", (("z" * n) + "\n").encode()) for i, n in
             enumerate([900, 100, 100, 100, 100, 100, 100, 100, 100, 100])]
    got = [[d.text for d in SeaptReader(files)(rank=r, world_size=2)] for r in range(2)]
    assert sorted(map(len, sum(got, []))) == sorted([900] + [100] * 9)
    assert sorted(sum(map(len, g)) for g in got) == [900, 900]


def test_reader_deal_ignores_ids_and_metadata(tmp_path):
    """Which task gets which document depends on the texts only: the same documents written with longer ids
    and metadata (a corpus written under another folder holds other absolute paths) are dealt alike."""
    texts = [("ก" * (50 + (i * 37) % 400)) for i in range(60)]

    def deal(name: str, pad: str) -> list[list[str]]:
        path = tmp_path / f"{name}.jsonl"
        path.write_text("".join(json.dumps({"id": f"{pad}/{i}", "source": pad * (i % 3), "text": t},
                                           ensure_ascii=False) + "\n" for i, t in enumerate(texts)), encoding="utf-8")
        return [[d.text for d in SeaptReader([str(path)])(rank=r, world_size=3)] for r in range(3)]

    assert deal("a", "/tmp/x") == deal("b", "/a/much/longer/install/path/than/the/first/one")
