"""The bundled sample corpora (corpora/<lang>/sample.jsonl) and the built-in English/code reference."""

import json
from collections import Counter, defaultdict
from itertools import combinations
import re
import unicodedata
from pathlib import Path

import pytest

from seapt.languages import VI_LETTERS, script_share, stopwords

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"
ENGLISH_REF = ROOT / "seapt" / "data" / "english_reference.txt"
TARGETS = ("th", "vi", "id")
MESSY = {"html", "duplicate", "near_duplicate", "mixed_language", "wrong_language", "pii", "boilerplate",
         "mojibake", "spam", "too_short", "unnormalized"}
KINDS = MESSY | {"clean", "code"}
MIN_DOCS = {"th": 300, "vi": 300, "id": 300, "en": 150}
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u00a0]")


def load(lang):
    path = CORPORA / lang / "sample.jsonl"
    docs = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        obj = json.loads(line)
        assert set(obj) == {"text", "kind"}, f"{path}:{lineno} has keys {sorted(obj)}"
        assert isinstance(obj["text"], str) and obj["text"].strip(), f"{path}:{lineno} has no text"
        assert obj["kind"] in KINDS, f"{path}:{lineno} has unknown kind {obj['kind']!r}"
        docs.append(obj)
    return docs


DOCS = {lang: load(lang) for lang in MIN_DOCS}


def of_kind(lang, kind):
    return [d["text"] for d in DOCS[lang] if d["kind"] == kind]


def shingles(text, lang):
    if lang == "th":  # Thai has no spaces between words: character 8-grams
        t = text.replace(" ", "")
        return {t[i:i + 8] for i in range(len(t) - 7)}
    words = text.split()
    return {" ".join(words[i:i + 5]) for i in range(len(words) - 4)}


def jaccard(a, b):
    return len(a & b) / len(a | b) if a | b else 0.0


@pytest.mark.parametrize("lang", list(MIN_DOCS))
def test_counts_and_sizes(lang):
    path = CORPORA / lang / "sample.jsonl"
    assert len(DOCS[lang]) >= MIN_DOCS[lang]
    size = path.stat().st_size
    assert size < 1_500_000
    if lang in TARGETS:
        assert size >= 150_000
        assert len(of_kind(lang, "clean")) >= 280


@pytest.mark.parametrize("lang", TARGETS)
def test_every_messy_kind_present_at_a_realistic_share(lang):
    kinds = {d["kind"] for d in DOCS[lang]}
    assert MESSY <= kinds, f"missing kinds: {sorted(MESSY - kinds)}"
    share = sum(d["kind"] in MESSY for d in DOCS[lang]) / len(DOCS[lang])
    assert 0.10 <= share <= 0.25


def test_english_has_prose_code_and_some_messy_docs():
    kinds = {d["kind"] for d in DOCS["en"]}
    assert {"clean", "code", "duplicate", "html", "pii"} <= kinds
    for code in of_kind("en", "code"):
        compile(code, "<sample>", "exec")  # the Python snippets are real, valid source


@pytest.mark.parametrize("lang", list(MIN_DOCS))
def test_clean_docs_are_in_script_normalised_and_unique(lang):
    clean = of_kind(lang, "clean")
    assert len(set(clean)) == len(clean)
    for text in clean:
        assert script_share(text, lang) >= 0.9, text[:80]
        assert unicodedata.is_normalized("NFC", text), text[:80]
        assert not INVISIBLE.search(text), text[:80]
        assert "\u0e4d\u0e32" not in text and "\u0e4d\u0e49\u0e32" not in text
        assert "à¸" not in text and "Ã" not in text and "<" not in text


def test_vietnamese_clean_docs_carry_diacritics_and_indonesian_do_not():
    for text in of_kind("vi", "clean"):
        words = text.split()
        marked = [w for w in words if any(c in VI_LETTERS or unicodedata.decomposition(c) for c in w)]
        assert len(marked) / len(words) > 0.3, text[:80]
    for text in of_kind("id", "clean"):
        assert not any(c in VI_LETTERS for c in text), text[:80]
        assert len(set(text.lower().split()) & stopwords("id")) >= 2, text[:80]


def test_thai_clean_docs_have_phrase_spaces_but_no_word_spaces():
    clean = of_kind("th", "clean")
    # Thai separates phrases, not words: long runs of Thai characters without any space
    runs = [len(r) for t in clean for r in re.findall(r"[\u0e00-\u0e7f]+", t)]
    assert sum(runs) / len(runs) > 15
    assert sum("น้ำ" in t for t in clean) >= 20  # enough water words for the decomposed-นํ้า check


@pytest.mark.parametrize("lang", list(MIN_DOCS))
def test_duplicates_repeat_an_earlier_clean_doc(lang):
    seen = set()
    n = 0
    for d in DOCS[lang]:
        if d["kind"] == "duplicate":
            assert d["text"] in seen
            n += 1
        elif d["kind"] == "clean":
            seen.add(d["text"])
    assert n >= 3


@pytest.mark.parametrize("lang", list(MIN_DOCS))
def test_near_duplicates_are_near_but_not_equal_and_clean_docs_are_far_apart(lang):
    clean = of_kind(lang, "clean")
    clean_sh = [shingles(t, lang) for t in clean]
    for text in of_kind(lang, "near_duplicate"):
        assert text not in clean
        best = max(jaccard(shingles(text, lang), s) for s in clean_sh)
        assert best >= 0.7, (best, text[:80])
    # templated clean documents must not look like near-duplicates of each other (shared shingles counted
    # through an inverted index: only pairs that share something are visited)
    index = defaultdict(list)
    for i, sh in enumerate(clean_sh):
        for g in sh:
            index[g].append(i)
    shared = Counter(pair for ids in index.values() for pair in combinations(ids, 2))
    worst = max(n / (len(clean_sh[i]) + len(clean_sh[j]) - n) for (i, j), n in shared.items())
    assert worst < 0.6


@pytest.mark.parametrize("lang", list(MIN_DOCS))
def test_wrong_language_docs_come_from_another_language(lang):
    others = {t for other in MIN_DOCS if other != lang for t in of_kind(other, "clean")}
    wrong = of_kind(lang, "wrong_language")
    assert wrong and all(t in others for t in wrong)


@pytest.mark.parametrize("lang", TARGETS)
def test_messy_docs_carry_what_their_kind_says(lang):
    for text in of_kind(lang, "html"):
        assert re.search(r"</?(p|div|article)\b", text) and "&" in text
    for text in of_kind(lang, "mojibake"):
        import ftfy

        assert "Ã" in text or "à" in text or "â€" in text
        fixed = ftfy.fix_text(text)
        assert fixed != text and script_share(fixed, lang) > 0.9
    for text in of_kind(lang, "boilerplate"):
        assert re.search(r"https?://|©|\||>", text) and "\n" in text
    for text in of_kind(lang, "spam"):
        assert "https://" in text and len(text) > 150
    for text in of_kind(lang, "too_short"):
        assert len(text) < 40
    for text in of_kind(lang, "mixed_language"):
        words = set(re.findall(r"\w+", text.lower()))
        assert len(words & stopwords("en")) >= 3, text[:80]
        assert 0.2 < script_share(text, "en") < 0.9 if lang == "th" else len(words & stopwords(lang)) >= 3
    for text in of_kind(lang, "unnormalized"):
        assert INVISIBLE.search(text) or not unicodedata.is_normalized("NFC", text) or "\u0e4d" in text


def _thai_id_ok(digits):
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


@pytest.mark.parametrize("lang", TARGETS)
def test_pii_docs_hold_invented_contacts_in_local_formats(lang):
    pii = of_kind(lang, "pii")
    assert len(pii) >= 5
    phones = {"th": r"(?:0[2689]\d?-\d{3}-\d{4}|\+66 \d{2} \d{3} \d{4})",
              "vi": r"(?:0\d{3}[ .]\d{3}[ .]\d{3}|\+84 \d{2} \d{3} \d{4})",
              "id": r"(?:08\d{2}-\d{4}-\d{4}|\+62 8\d{2} \d{4} \d{4}|\(021\) \d{3}-\d{4})"}[lang]
    ids = 0
    for text in pii:
        assert re.search(r"[\w.]+@[\w-]+(\.[\w-]+)+", text) or re.search(phones, text), text[-120:]
        if lang == "th":
            for m in re.findall(r"\b\d(?:-?\d{4})(?:-?\d{5})(?:-?\d{2})-?\d\b", text):
                assert _thai_id_ok(m.replace("-", "")), m
                ids += 1
        elif lang == "id":
            ids += len(re.findall(r"NIK (\d{16})\b", text))
        else:
            ids += len(re.findall(r"CCCD(?: người nhận)? (\d{12})\b", text))
    assert ids >= 1


def test_english_reference_is_varied_ascii_prose_and_python():
    text = ENGLISH_REF.read_text(encoding="utf-8")
    assert 20_000 <= len(text.encode("utf-8")) <= 40_000
    assert text.isascii()  # no character of an extended script: must encode to the base ids unchanged
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(set(lines)) / len(lines) > 0.95
    prose = [line for line in lines if len(line) > 80 and line[0].isupper()]
    assert len(prose) >= 80
    assert any(line.startswith("def ") for line in lines) and any(line.startswith("class ") for line in lines)
    assert not (ROOT / "seapt" / "data" / "__init__.py").exists()  # package data, not a package


def test_english_reference_is_read_by_the_tokenizer_extension():
    sources = pytest.importorskip("seapt.vocab.sources")
    lines = sources.english_reference(None)
    assert len(lines) > 300 and "class Vocabulary:" in lines


@pytest.mark.slow
def test_nothing_copied_from_shared_data(shared_data):
    ours = {}
    for lang in MIN_DOCS:
        for d in DOCS[lang]:
            for sent in re.split(r"(?<=[.!?])\s+|\n| (?=[\u0e00-\u0e7f])", d["text"]):
                if len(sent) >= 40:
                    ours[sent] = lang
    ours.update({line: "en" for line in ENGLISH_REF.read_text(encoding="utf-8").splitlines() if len(line) >= 60})
    files = [p for p in shared_data.rglob("*") if p.is_file() and p.stat().st_size < 50_000_000]
    hashes = {p.read_bytes() for p in CORPORA.glob("*/sample.jsonl")}
    for p in files:
        raw = p.read_bytes()
        assert raw not in hashes, p
        text = unicodedata.normalize("NFC", raw.decode("utf-8", errors="ignore"))
        found = [s for s in ours if s in text]
        assert not found, (p, found[:3])
