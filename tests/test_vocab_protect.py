"""The code reference: the stdlib's (or a folder's) words keep their base tokens; soft hyphens, hyphen-led
Latin pieces and Filipino particle chains in the counts."""

from __future__ import annotations

import sysconfig

import pytest
from test_vocab_fixtures import bytelevel_base
from tokenizers import Tokenizer

from seapt.errors import InputError
from seapt.vocab.config import ExtendConfig
from seapt.vocab.extend import extend_tokenizer
from seapt.vocab.protect import code_files

MALAY = "Kelapa muda itu manis. Pokok kelapa tumbuh di tepi pantai, kelapa dijual di pasar setiap pagi.\n"


def _extend(tmp_path, name, text, lang="ms", **kw):
    base = tmp_path / "base"
    if not base.is_dir():
        bytelevel_base(base)
    corpus = tmp_path / f"{name}.txt"
    corpus.write_text(text * 20, encoding="utf-8")
    out = tmp_path / name
    if "english" not in kw:  # the shipped reference alone protects most pairs of this tiny English base
        (tmp_path / "english.txt").write_text("x\n", encoding="utf-8")
        kw["english"] = str(tmp_path / "english.txt")
    info = extend_tokenizer(ExtendConfig(base=str(base), corpus={lang: str(corpus)}, add={lang: 120},
                                         output=str(out), **kw), progress=False)
    return info, Tokenizer.from_file(str(base / "tokenizer.json")), Tokenizer.from_file(str(out / "tokenizer.json"))


def test_code_reference_words_keep_their_base_tokens(tmp_path):
    code = tmp_path / "code"
    code.mkdir()
    source = "def tanam(kelapa, pokok):\n    return kelapa + pokok  # kelapa muda\n"
    (code / "trees.py").write_text(source, encoding="utf-8")
    _, base, free = _extend(tmp_path, "free", MALAY, code_reference=None)
    assert free.encode(source).ids != base.encode(source).ids  # the Malay merges would change the code
    info, base, kept = _extend(tmp_path, "kept", MALAY, code_reference=str(code))
    assert kept.encode(source).ids == base.encode(source).ids
    assert info["code_reference"]["files"] == 1 and info["code_reference"]["pieces"] > 0
    assert len(kept.encode(" pantai setiap").ids) < len(base.encode(" pantai setiap").ids)


def test_code_files_of_the_stdlib_skip_tests_and_site_packages(tmp_path):
    files = code_files("stdlib")
    root = sysconfig.get_paths()["stdlib"]
    assert any(f.name == "textwrap.py" for f in files) and all(str(f).startswith(root) for f in files)
    assert not any({"test", "tests", "site-packages"} & set(f.parts) for f in files)
    assert code_files(None) == [] and code_files("") == []
    with pytest.raises(InputError, match="not found"):
        code_files(str(tmp_path / "nope"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no .py files"):
        code_files(str(tmp_path / "empty"))


def test_soft_hyphens_do_not_cut_words_in_the_counts(tmp_path):
    """Typeset news puts U+00AD inside words ("ke\\u00adla\\u00adpa"); counted as they are, no Malay token
    could span the cut."""
    text = MALAY.replace("kelapa", "ke\u00adla\u00adpa").replace("pantai", "pan\u00adtai")
    info, base, new = _extend(tmp_path, "shy", text, code_reference=None)
    assert not any("\u00ad" in t["text"] for t in info["new_tokens"])
    assert len(new.encode(" kelapa").ids) == 1 < len(base.encode(" kelapa").ids)


def test_hyphen_led_latin_pieces_are_learned(tmp_path):
    """The split regex cuts "mag-aaral" as "mag" + "-aaral": Filipino needs the hyphen-led piece."""
    text = "Ang mga mag-aaral ay nag-aaral araw-araw. Nag-uusap ang mga mag-aaral tungkol sa pag-aaral.\n"
    info, base, new = _extend(tmp_path, "hy", text, lang="fil", code_reference=None)
    assert "-aaral" in {t["text"] for t in info["new_tokens"]}
    assert len(new.encode("-aaral").ids) == 1 < len(base.encode("-aaral").ids)


def test_the_stdlib_is_the_default_code_reference(tmp_path):
    import textwrap

    source = open(textwrap.__file__, encoding="utf-8").read()
    info, base, new = _extend(tmp_path, "std", MALAY)
    assert info["code_reference"]["source"] == "stdlib" and info["code_reference"]["files"] > 100
    assert new.encode(source).ids == base.encode(source).ids


def test_filipino_particle_chains_become_tokens_and_leave_english_alone(tmp_path):
    from test_vocab_fixtures import ENGLISH

    import textwrap

    code = open(textwrap.__file__, encoding="utf-8").read()

    text = ("Ang mga bata ay naglaro sa mga parke ng mga lungsod. Para sa mga guro, ito ay isang aral na "
            "mahalaga ng mga magulang.\n")
    info, base, new = _extend(tmp_path, "chain", text, lang="fil", code_reference=None)
    _, _, plain = _extend(tmp_path, "plain", text, lang="fil", code_reference=None, fil_particle_chains=False)
    assert " ng mga" in {t["text"] for t in info["new_tokens"]}
    assert len(new.encode(" ng mga").ids) == 1 < len(plain.encode(" ng mga").ids)
    pieces = [p for p, _ in new.pre_tokenizer.pre_tokenize_str("sa mga ngayon mgaa, ito ay")]
    assert pieces == ["saĠmga", "Ġngayon", "Ġmgaa", ",", "ĠitoĠay"]  # whole particles only
    for line in ENGLISH.splitlines() + [code]:
        assert new.pre_tokenizer.pre_tokenize_str(line) == base.pre_tokenizer.pre_tokenize_str(line)
