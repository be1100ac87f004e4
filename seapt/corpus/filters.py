"""Document filters (datatrove BaseFilter subclasses): language identification and Gopher/FineWeb-2 style
quality checks with seapt's segmenters and th/vi/id stop words. Each drop returns (False, reason).

Thresholds follow Rae et al. 2021 (Gopher, appendix A) and FineWeb-2's per-language adaptation: words are
counted by our segmenter (datatrove's Gopher filter splits on spaces and uses English stop words, which drops
~92% of clean Thai).
"""

from __future__ import annotations

import re
from collections import Counter

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter

from seapt.corpus.words import doc_content_words, doc_words

BULLETS = ("•", "●", "○", "▪", "◦", "‣", "-", "*", "·", "►", "➢")
ELLIPSES = ("...", "…")
MOJIBAKE = re.compile(r"[ÃÂ][\x80-\xbf\u00a0-\u00bf]|â€|à¸|à¹|Ä‘|á»|\ufffd")
DIGIT = re.compile(r"\d")
_EMOJI: list = []  # the compiled \p{So} pattern (regex module), made on first use
SPACE = re.compile(r"\s")


def _script_regexes(lang: str):
    """(letters, letters in lang's script) patterns: the same definition as seapt.languages.script_share
    (c.isalpha() or a registered script's combining mark), counted by the regex engine instead of a Python loop."""
    import regex

    from seapt.languages import all_marks, get
    from seapt.languages.scripts import ranges_class, to_ranges

    script = ranges_class(get(lang).ranges, python=True)
    marks = ranges_class(to_ranges(map(ord, all_marks())), python=True)
    return regex.compile(r"[^\p{L}" + marks + "]+"), regex.compile("[^" + script + "]+")


def script_share_fast(text: str, lang: str, _cache: dict = {}) -> float:  # noqa: B006 - per-process cache
    """seapt.languages.script_share with the script's ranges cached per language (same answers, faster)."""
    if lang not in _cache:
        _cache[lang] = _script_regexes(lang)
    non_letters, non_script = _cache[lang]
    letters = non_letters.sub("", text)
    if not letters:
        return 0.0
    return len(non_script.sub("", letters)) / len(letters)


class LanguageFilter(BaseFilter):
    """Keep documents in ``lang``: script share first; lingua (restricted to candidates) for Latin script.

    Sets ``metadata["lang"]`` and ``metadata["lang_score"]``; reasons: wrong_script, wrong_language.
    """

    name = "language id"

    def __init__(self, lang: str, min_script_share: float = 0.6, use_lingua: bool = True,
                 candidates: tuple[str, ...] = ("en", "th", "vi", "id"), allow_malay: bool = False,
                 min_confidence: float = 0.5, sample_chars: int = 2000, exclusion_writer=None):
        super().__init__(exclusion_writer)
        self.lang = lang
        self.min_script_share = min_script_share
        self.use_lingua = use_lingua
        self.candidates = tuple(sorted(set(candidates) | {lang}))
        self.allow_malay = allow_malay
        self.min_confidence = min_confidence
        self.sample_chars = sample_chars
        self._detector = None

    def detector(self):
        if self._detector is None:
            from lingua import Language, LanguageDetectorBuilder

            from seapt.languages import get

            names = {get(c).lingua for c in self.candidates if get(c).lingua}
            if self.allow_malay and self.lang == "id":
                names.add("MALAY")  # also when ms is not among the candidates
            self._detector = LanguageDetectorBuilder.from_languages(*(getattr(Language, n) for n in names)).build()
        return self._detector

    def score(self, text: str) -> tuple[str, float]:
        """(detected ISO code, confidence) of ``text``; script share decides non-Latin scripts, lingua the Latin ones."""
        from seapt.languages import by_lingua_name, get

        sample = text[: self.sample_chars]
        share = script_share_fast(sample, self.lang)
        if share < self.min_script_share:
            return "?", share
        if get(self.lang).script != "Latin" or get(self.lang).lingua is None or not self.use_lingua:
            return self.lang, share
        best, conf = "?", 0.0
        for value in self.detector().compute_language_confidence_values(sample):
            code = by_lingua_name(value.language.name) or value.language.iso_code_639_1.name.lower()
            if code == "ms" and self.lang == "id" and self.allow_malay:
                code = "id"  # Malay added to an Indonesian run's candidates (allow_malay) counts as Indonesian
            if code == self.lang:
                return code, round(value.value, 4)
            if value.value > conf:
                best, conf = code, value.value
        return best, 0.0

    def filter(self, doc: Document):
        code, score = self.score(doc.text)
        doc.metadata["lang_score"] = round(score, 4)
        if code == "?" :
            return False, "wrong_script"
        doc.metadata["lang"] = code
        if code != self.lang or score < self.min_confidence:
            return False, "wrong_language"
        return True


class QualityFilter(BaseFilter):
    """Gopher-style quality checks over segmenter words; the reason names the first failing check."""

    name = "quality"

    def __init__(self, lang: str, cfg, exclusion_writer=None):
        super().__init__(exclusion_writer)
        self.lang = lang
        self.cfg = cfg  # seapt.corpus.config.QualityConfig
        self._stop = None

    def filter(self, doc: Document):
        reason = self.check(doc)
        return (False, reason) if reason else True

    def check(self, doc: Document) -> str | None:
        """The first failing check's reason, or None when the document passes."""
        from seapt.languages import stopwords

        c, text = self.cfg, doc.text
        if self._stop is None:
            self._stop = stopwords(self.lang)
        chars = len(text) or 1
        bad = len(MOJIBAKE.findall(text))
        if bad / chars > c.max_replacement_char_ratio and bad >= c.min_mojibake_chars:
            return "mojibake"
        words = doc_words(doc, self.lang)
        n = len(words)
        doc.metadata["words"] = n  # kept in meta; stage 4 updates it when repeated lines are removed
        if n < c.min_words:
            return "too_few_words"
        if n > c.max_words:
            return "too_many_words"
        content = doc_content_words(doc, self.lang)
        if not content or (n - len(content)) / n > c.max_non_word_ratio:
            return "non_word_ratio"
        mean = sum(map(len, content)) / len(content)
        if not c.min_mean_word_chars <= mean <= c.max_mean_word_chars:
            return "mean_word_length"
        symbols = text.count("#") + sum(text.count(e) for e in ELLIPSES)
        if symbols / n > c.max_symbol_word_ratio:
            return "symbol_ratio"
        if not _EMOJI:
            import regex

            _EMOJI.append(regex.compile(r"\p{So}"))
        if not text.isascii() and len(_EMOJI[0].findall(text)) / n > c.max_emoji_word_ratio:
            return "emoji_ratio"
        non_space = (len(text) - len(SPACE.findall(text))) or 1
        if len(DIGIT.findall(text)) / non_space > c.max_digit_char_ratio:
            return "digit_ratio"
        lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
        if lines:
            if sum(ln.startswith(BULLETS) for ln in lines) / len(lines) > c.max_bullet_lines_ratio:
                return "bullet_lines"
            if sum(ln.endswith(ELLIPSES) for ln in lines) / len(lines) > c.max_ellipsis_lines_ratio:
                return "ellipsis_lines"
            counts = Counter(lines)
            dup_lines = sum(v - 1 for v in counts.values())
            if dup_lines / len(lines) > c.max_dup_line_frac:
                return "duplicate_lines"
            if sum(len(k) * (v - 1) for k, v in counts.items()) / chars > c.max_dup_line_char_frac:
                return "duplicate_line_chars"
        if len(self._stop.intersection(content)) < c.min_stop_words:
            return "stop_words"
        total = sum(map(len, content)) or 1
        for k, scale in ((2, 1.0), (3, 1.0), (4, 1.0)):
            if len(content) > k:
                grams = Counter(zip(*(content[i:] for i in range(k))))
                gram, cnt = grams.most_common(1)[0]
                if cnt > 1 and cnt * sum(map(len, gram)) / total > c.max_top_ngram_char_frac * scale:
                    return "top_ngram"
        if len(content) > 5 and _dup_5gram_chars(content) / total > c.max_dup_ngram_char_frac:
            return "duplicate_ngrams"
        return None


def _dup_5gram_chars(content: list[str]) -> int:
    """Characters of the words covered by a word 5-gram seen earlier in the document (Gopher's duplicate
    n-gram fraction; every word of a repeated occurrence counts once), with C-level loops."""
    grams = list(zip(*(content[j:] for j in range(5))))
    n = len(grams)
    first = dict(zip(reversed(grams), range(n - 1, -1, -1)))  # gram -> index of its first occurrence
    if len(first) == n:
        return 0
    import numpy as np

    at = np.fromiter(map(first.__getitem__, grams), dtype=np.int64, count=n)
    repeats = np.flatnonzero(at != np.arange(n))
    dup = np.zeros(len(content), dtype=bool)
    for k in range(5):
        dup[repeats + k] = True
    return int(np.fromiter(map(len, content), dtype=np.int64, count=len(content))[dup].sum())
