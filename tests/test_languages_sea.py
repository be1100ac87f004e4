"""Lao, Khmer and Burmese specifics: Lao AM, Khmer zero-width spaces, Zawgyi, syllable rules, ICU fallback."""

import importlib
import warnings

import pytest

from seapt.languages import get
from seapt.languages import my as burmese
from seapt.text.normalize import normalize
from seapt.text.segment import segment
from seapt.text.sentences import sentences

ZAWGYI = "အျပည္ျပည္ဆိုင္ရာ လူ႔အခြင့္အေရး ေၾကညာစာတမ္း"
SEG = importlib.import_module("seapt.text.segment")  # the module (seapt.text.segment is the function)
UNICODE = "အပြည်ပြည်ဆိုင်ရာ လူ့အခွင့်အရေး ကြေညာစာတမ်း"  # the same words in Unicode encoding


@pytest.mark.parametrize("decomposed", ["ນ\u0ecd\u0ec9\u0eb2", "ນ\u0ec9\u0ecd\u0eb2"[:1] + "\u0ecd\u0ec9\u0eb2"])
def test_lao_decomposed_am_becomes_am(decomposed):
    assert normalize(f"ແມ່{decomposed}ຂອງ", "lo") == "ແມ່ນ\u0ec9\u0eb3ຂອງ"  # ແມ່ນ້ຳ: river
    assert "\u0eb3" in normalize("ຄ\u0eb3", "lo")  # NFKC would split ຳ; seapt never applies it


def test_khmer_zero_width_spaces_stay_word_boundaries():
    raw = "ការ\u200bស្តីបន្ទោស\u200bជា \u200bជំហាន\u200b។ abc\u200bdef"
    out = normalize(raw, "km")
    assert out == "ការ ស្តីបន្ទោស ជា ជំហាន។ abcdef"  # between Khmer characters a space; elsewhere removed
    assert normalize(out, "km") == out
    words = segment(out, "km", "syllable")
    assert "ការ" in words and "ជា" in words  # not merged with their neighbours


@pytest.mark.parametrize("engine", ["icu", "syllable"])
def test_zero_width_space_is_a_boundary_in_raw_text(engine):
    pytest.importorskip("icu") if engine == "icu" else None
    words = segment("ជា\u200bការ", "km", engine)
    assert words == ["ជា", "ការ"]


def test_burmese_syllable_rule():
    assert segment("မြန်မာနိုင်ငံ ၂၀၂၄ ခုနှစ်။", "my", "syllable") == ["မြန်", "မာ", "နိုင်", "ငံ", "၂၀၂၄", "ခု", "နှစ်", "။"]


def test_sentence_enders():
    assert sentences("ខ្ញុំទៅផ្សារ។ គាត់នៅផ្ទះ។", "km") == ["ខ្ញុំទៅផ្សារ។", "គាត់នៅផ្ទះ។"]
    assert sentences("မင်္ဂလာပါ။ နေကောင်းလား။", "my") == ["မင်္ဂလာပါ။", "နေကောင်းလား။"]
    assert sentences("ສະບາຍດີ. ໄປໃສ? ສ.ປ.ປ.ລາວ", "lo") == ["ສະບາຍດີ.", "ໄປໃສ?", "ສ.ປ.ປ.ລາວ"]


def test_zawgyi_is_converted_to_unicode():
    pytest.importorskip("myanmartools")
    pytest.importorskip("icu")
    assert burmese.zawgyi_probability(ZAWGYI) > 0.95 > burmese.zawgyi_probability(UNICODE)
    assert normalize(ZAWGYI, "my") == UNICODE
    assert normalize(UNICODE + "\n" + ZAWGYI, "my") == UNICODE + "\n" + UNICODE  # line by line
    assert normalize("hello 123", "my") == "hello 123"


def test_zawgyi_without_packages_keeps_text_with_a_hint(monkeypatch):
    import sys

    burmese._detector.cache_clear()
    burmese._probability.cache_clear()
    monkeypatch.setitem(sys.modules, "myanmartools", None)  # import fails as if not installed
    try:
        with pytest.warns(UserWarning, match=r"seapt\[my\]"):
            assert burmese.zawgyi_to_unicode(ZAWGYI) == ZAWGYI
    finally:
        burmese._detector.cache_clear()
        burmese._probability.cache_clear()


def test_icu_missing_falls_back_to_syllables_with_a_hint(monkeypatch):
    monkeypatch.setattr(SEG, "_importable", lambda module: module != "icu")
    with pytest.warns(UserWarning, match=r"pip install 'seapt\[km\]'.*syllable"):
        words = segment("ព្រះរាជាណាចក្រកម្ពុជា", "km", "icu")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert words == segment("ព្រះរាជាណាចក្រកម្ពុជា", "km", "syllable")


def test_icu_words():
    pytest.importorskip("icu")
    assert segment("ព្រះរាជាណាចក្រកម្ពុជា", "km", "icu") == ["ព្រះរាជាណាចក្រ", "កម្ពុជា"]


@pytest.mark.parametrize(
    "lang, text",
    [
        ("ms", "Kerajaan negeri akan memastikan semua sekolah boleh dibuka semula apabila keadaan selamat, "
               "kata menteri itu kepada pemberita semalam."),
        ("fil", "Dahil kapwa sila Kapamilya ay hindi rin daw maiiwasan na magkakatrabaho sila in the future."),
    ],
    ids=["ms", "fil-taglish"],
)
def test_language_filter_keeps_malay_and_taglish(lang, text):
    from datatrove.data import Document

    from seapt.corpus.filters import LanguageFilter

    f = LanguageFilter(lang, candidates=("en", "id", lang), min_confidence=0.3)
    doc = Document(text=text, id="1")
    assert f.filter(doc) is True, doc.metadata
    assert doc.metadata["lang"] == lang


@pytest.mark.parametrize(
    "typed, canonical",
    [
        ("ស\u17d2\u179a\u17d2\u178f\u17b8", "ស\u17d2\u178f\u17d2\u179a\u17b8"),  # ស្រ្តី → ស្ត្រី: COENG RO last
        ("មន\u17d2\u179a\u17d2\u178f\u17b8", "មន\u17d2\u178f\u17d2\u179a\u17b8"),  # មន្រ្តី → មន្ត្រី
        ("ក\u17b6\u17d2\u179a", "ក\u17d2\u179a\u17b6"),  # vowel typed before the subscript
        ("ន\u17c6\u17b6", "ន\u17b6\u17c6"),  # នំា → នាំ: NIKAHIT after the vowel
        ("ប\u17b8\u17ca", "ប\u17ca\u17b8"),  # register shifter before the vowel
        ("ក\u17b6\u17b6", "ក\u17b6"),  # a doubled vowel
    ],
)
def test_khmer_syllables_in_canonical_order(typed, canonical):
    assert normalize(typed, "km") == canonical
    assert normalize(canonical, "km") == canonical


@pytest.mark.parametrize("lang, engine", [("lo", "laonlp"), ("km", "khmernltk"), ("my", "pyidaungsu")])
def test_package_engine_missing_falls_back_to_icu_with_a_hint(monkeypatch, lang, engine):
    pytest.importorskip("icu")
    package = get(lang).engine_packages[engine]
    monkeypatch.setattr(SEG, "_importable", lambda module: module != package)
    with pytest.warns(UserWarning, match=rf"{engine} is not installed \(pip install .*the icu engine"):
        words = segment(get(lang).sample, lang, engine)
    assert words == segment(get(lang).sample, lang, "icu")


def test_package_engine_and_icu_missing_fall_back_to_syllables(monkeypatch):
    monkeypatch.setattr(SEG, "_importable", lambda module: module not in ("khmernltk", "icu"))
    with pytest.warns(UserWarning) as caught:
        words = segment("ព្រះរាជាណាចក្រកម្ពុជា", "km", "khmernltk")
    assert [str(w.message).split()[0] for w in caught] == ["khmernltk", "icu"]
    assert words == segment("ព្រះរាជាណាចក្រកម្ពុជា", "km", "syllable")


@pytest.mark.parametrize("lang, engine", [("lo", "laonlp"), ("km", "khmernltk"), ("my", "pyidaungsu")])
def test_package_engine_words(lang, engine):
    pytest.importorskip(get(lang).engine_packages[engine])
    words = segment(get(lang).sample, lang, engine)
    assert 1 < len(words) < len(segment(get(lang).sample, lang, "syllable"))


def test_pyidaungsu_function_without_fasttext_is_a_one_line_error(monkeypatch):
    import sys

    from seapt.errors import DependencyError
    from seapt.text import script_segment

    script_segment.package_function.cache_clear()
    monkeypatch.setitem(sys.modules, "pyidaungsu", None)  # import fails, as when fasttext is missing
    try:
        with pytest.raises(DependencyError, match="fasttext"):
            script_segment.package_function("pyidaungsu")
    finally:
        script_segment.package_function.cache_clear()
