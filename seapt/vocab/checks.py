"""Invariant checks of an extended tokenizer (DESIGN.md invariant 2); always run, written to extension.json.

base ids and strings preserved; every added token reachable from its own string; round-trip rate where the
base round-trips; share of English/code reference lines encoded to exactly the base ids.
"""

from __future__ import annotations


def base_ids_preserved(base, new) -> bool:
    """Every base token (model vocab and added tokens) keeps its id and string."""
    new_vocab = new.get_vocab(with_added_tokens=True)
    return all(new_vocab.get(s) == i for s, i in base.get_vocab(with_added_tokens=True).items()) and all(
        new.id_to_token(i) == s for s, i in base.get_vocab(with_added_tokens=True).items()
    )


def unreachable_tokens(new, family, new_tokens: list[tuple[int, str, str]]) -> list[str]:
    """Added tokens that encoding their own string does not yield (the family's reachable_ok)."""
    return [s for tid, s, _ in new_tokens if not family.reachable_ok(new, tid, s)]


def roundtrip(base, new, texts: list[str]) -> dict:
    """decode(encode(x)) == x for the new tokenizer, over texts where the base round-trips."""
    held = ok = 0
    base_enc = base.encode_batch(texts, add_special_tokens=False)
    new_enc = new.encode_batch(texts, add_special_tokens=False)
    base_dec = base.decode_batch([e.ids for e in base_enc], skip_special_tokens=False)
    new_dec = new.decode_batch([e.ids for e in new_enc], skip_special_tokens=False)
    for x, b, n in zip(texts, base_dec, new_dec):
        if b == x:
            held += 1
            ok += n == x
    return {"base_roundtrips": held, "roundtrips": ok, "rate": ok / held if held else 1.0}


def identical_rate(base, new, lines: list[str]) -> float:
    """Share of ``lines`` the new tokenizer encodes to exactly the base ids."""
    if not lines:
        return 1.0
    b = base.encode_batch(lines, add_special_tokens=False)
    n = new.encode_batch(lines, add_special_tokens=False)
    return sum(x.ids == y.ids for x, y in zip(b, n)) / len(lines)


def run_checks(base, new, family, new_tokens, texts: dict[str, list[str]], english: list[str]) -> dict:
    """All checks as the ``checks`` block of extension.json (plus per-language details)."""
    unreachable = unreachable_tokens(new, family, new_tokens)
    per_lang = {lang: roundtrip(base, new, docs) for lang, docs in texts.items()}
    held = sum(r["base_roundtrips"] for r in per_lang.values())
    ok = sum(r["roundtrips"] for r in per_lang.values())
    return {
        "base_ids_preserved": base_ids_preserved(base, new),
        "unreachable": len(unreachable),
        "unreachable_tokens": unreachable[:50],
        "roundtrip_rate": ok / held if held else 1.0,
        "roundtrip": per_lang,
        "english_identical_rate": identical_rate(base, new, english),
    }
