"""Formatting steps: normalise, repair doubled text, strip markup and boilerplate lines, mask PII (datatrove
formatters).

Each step changes ``doc.text`` in place and counts what it did in datatrove stats (``lines_removed``,
``pii_email`` ...); a document that ends up empty is dropped later by the quality filter (too_few_words).
"""

from __future__ import annotations

import html
import re

from datatrove.pipeline.base import PipelineStep

# Lines that are navigation, sharing, cookie or copyright furniture, and source/credit lines (ที่มา: URL).
# Each pattern must match the furniture line only, never a sentence that merely starts with the same word
# ("Share prices fell 3%", "Copyright law protects ...", "Read more books"): a pattern that starts with a
# word ends at $ after short, furniture-only continuations.
_NETWORKS = r"(facebook|twitter|line|x|whatsapp|email|e-mail|telegram|zalo|messenger|linkedin|pinterest|reddit|tiktok)"
BUILTIN_BOILERPLATE = [
    r"^\s*(ที่มา|แหล่งที่มา|แหล่งข่าว|source|sumber|nguồn)\s*[:：]?\s*(\(|<)?\s*(https?://|www\.)",
    r"^\s*(https?://|www\.)\S+\s*$",
    # cookie notices: the word together with consent/policy/experience words, not any mention of cookies
    r"(cookie|คุกกี้).{0,80}(accept|agree|consent|polic|improve|experience|ยอมรับ|นโยบาย|ประสบการณ์|đồng ý|"
    r"chính sách|trải nghiệm|setuju|kebijakan|pengalaman|persetujuan)"
    r"|(website|this site|we|เว็บไซต์|trang web|situs|kami).{0,40}(use|ใช้|sử dụng|menggunakan).{0,20}(cookie|คุกกี้)",
    # share widgets: the word alone or followed by a preposition, a colon and social network names only
    rf"^\s*(share|แชร์|chia sẻ|bagikan)(\s+(this|on|via|to|ke|lên|บน|ไปยัง|qua))?(\s+(article|post|story|ข่าว|บทความ|"
    rf"bài viết|artikel|berita))?\s*[:：!]?(\s*[|/·•,]?\s*{_NETWORKS})*\s*[|/·•,.:]*\s*$",
    r"(facebook|twitter|line|whatsapp|telegram)\s*[|/·•,]\s*(facebook|twitter|line|whatsapp|telegram|email)",
    # read-more and subscribe prompts: short lines only (a prompt and at most a linked title)
    r"^\s*(read more|อ่านต่อ|อ่านเพิ่มเติม|คลิกอ่าน|đọc thêm|xem thêm|baca juga|baca selengkapnya)"
    r"(\s*[:：>»…]|\s*$|\.{3}).{0,100}$",
    r"^\s*(subscribe|สมัครสมาชิก|đăng ký nhận tin|berlangganan|follow us|ติดตามเรา|theo dõi chúng tôi|ikuti kami)"
    r"\b.{0,60}$",
    r"(all rights reserved|สงวนลิขสิทธิ์|bản quyền thuộc|hak cipta dilindungi)|^\s*(©|copyright\s*(©|\(c\))?)\s*\d{4}"
    r"|^\s*©",
    r"^\s*(home|หน้าแรก|trang chủ|beranda)\s*(\||»|>|/)",
    r"^([^|]{1,30}\|){3,}[^|]{0,30}$",  # menu bars: Home | News | Sport | Contact
    r"^\s*(login|log in|sign in|เข้าสู่ระบบ|đăng nhập|masuk)\s*(\||/|$)",
]
# Speed (the same lines match): the builtin patterns anchored at ^ are tried at the line start only, the
# others only on lines holding one of the words each of them needs (a regex search with the same flags).
_UNANCHORED_NEED = re.compile("cookie|คุกกี้|facebook|twitter|line|whatsapp|telegram|all rights reserved|สงวนลิขสิทธิ์|"
                              "bản quyền thuộc|hak cipta dilindungi|©|copyright", re.I)


def _compile(patterns: list[str]):
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None


def _is_anchored(pattern: str) -> bool:
    """Whether every match of ``pattern`` starts at ^ (parsed: a top-level alternation is not anchored)."""
    try:
        from re import _constants, _parser

        first = _parser.parse(pattern).data[0]
        return first == (_constants.AT, _constants.AT_BEGINNING)
    except Exception:  # noqa: BLE001 - a parser change only costs speed
        return False
TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?\s*>")
COMMENT = re.compile(r"<!--.*?-->", re.S)
SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
WIKI_HEADING = re.compile(r"^\s*(={2,6})\s*(.*?)\s*\1\s*$")
WIKI_LINK = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]")
WIKI_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
NO_LETTER_LINE = re.compile(r"^[\W_]+$")  # ------, *****, ====, |||| (no letter or digit at all)


class Normalize(PipelineStep):
    """seapt.text.normalize on every document (idempotent, Thai-safe; see DESIGN.md invariant 1). Documents in
    the language's legacy encoding (Burmese Zawgyi) are counted: legacy_<name>_detected, and _converted when
    normalising turned them into Unicode (meta converted_from)."""

    type = "✂️ - FORMAT"
    name = "normalize"

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def run(self, data, rank: int = 0, world_size: int = 1):
        from seapt.languages import get
        from seapt.text.normalize import normalize

        language = get(self.lang)
        detect, name = language.legacy_detect, language.legacy_encoding
        for doc in data:
            with self.track_time():
                legacy = detect is not None and detect(doc.text)
                doc.text = normalize(doc.text, self.lang)  # keeps line breaks: later steps work on lines
                if legacy:  # counted per document: stats.json "encodings" (seapt.corpus.stats_step)
                    self.stat_update(f"legacy_{name}_detected")
                    if not detect(doc.text):
                        self.stat_update(f"legacy_{name}_converted")
                        doc.metadata["converted_from"] = name
            self.stat_update("total")
            yield doc


class Clean(PipelineStep):
    """Repair scraper-doubled text (seapt.corpus.doubled), strip markup remnants and drop boilerplate lines and
    symbol-only lines (lines repeated across documents are removed corpus-wide in stage 4, see
    seapt.corpus.lines, so the result does not depend on sharding)."""

    type = "✂️ - FORMAT"
    name = "clean"

    def __init__(self, strip_html: bool = True, patterns: list[str] | None = None, builtin: bool = True,
                 doubled_min_share: float = 0.3):
        super().__init__()
        self.doubled_min_share = doubled_min_share
        self.strip_html = strip_html
        self.patterns = (BUILTIN_BOILERPLATE if builtin else []) + list(patterns or [])
        self.builtin = builtin
        self.user_patterns = list(patterns or [])
        self._regex = None

    def _matchers(self):
        """(anchored builtin, other builtin, user patterns) compiled regexes (None when empty)."""
        if self._regex is None:
            builtin = BUILTIN_BOILERPLATE if self.builtin else []
            self._regex = (_compile([p for p in builtin if _is_anchored(p)]),
                           _compile([p for p in builtin if not _is_anchored(p)]), _compile(self.user_patterns))
        return self._regex

    def is_boilerplate(self, line: str) -> bool:
        """Whether the stripped ``line`` matches a boilerplate pattern (builtin or configured)."""
        anchored, other, user = self._matchers()
        return bool((anchored is not None and anchored.match(line))
                    or (other is not None and _UNANCHORED_NEED.search(line) and other.search(line))
                    or (user is not None and user.search(line)))

    def clean_text(self, text: str) -> tuple[str, dict[str, int]]:
        """Return the cleaned text and counts per kind of removal (markup, boilerplate, symbols)."""
        counts = {"markup": 0, "boilerplate_line": 0, "symbol_line": 0}
        if self.strip_html and ("<" in text or "&" in text or "[[" in text or "{{" in text):
            before = len(text)
            text = SCRIPT.sub(" ", COMMENT.sub(" ", text))
            text = TAG.sub(" ", text)
            text = ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
            text = WIKI_TEMPLATE.sub("", WIKI_LINK.sub(r"\1", text))
            counts["markup"] += before != len(text)
        kept = []
        for line in text.split("\n"):
            s = line.strip()
            if not s:
                kept.append("")
                continue
            if self.strip_html and (m := WIKI_HEADING.match(s)):
                s = line = m.group(2)
                if not s:
                    continue
            if NO_LETTER_LINE.match(s):
                counts["symbol_line"] += 1
                continue
            if self.is_boilerplate(s):
                counts["boilerplate_line"] += 1
                continue
            kept.append(line.rstrip())
        out = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
        return out, counts

    def run(self, data, rank: int = 0, world_size: int = 1):
        from seapt.corpus.doubled import undouble

        for doc in data:
            with self.track_time():
                doc.text, doubled = undouble(doc.text, self.doubled_min_share)
                doc.text, counts = self.clean_text(doc.text)
            if doubled:  # counted per document: stats.json "repaired" (seapt.corpus.stats_step)
                doc.metadata["repaired"] = "doubled_text"
                self.stat_update("repaired_doubled_text")
            for kind, n in counts.items():
                if n:
                    self.stat_update(f"removed_{kind}", value=n)
            self.stat_update("total")
            yield doc


class MaskPii(PipelineStep):
    """Replace emails, URLs, phone numbers and national ids with tags (seapt.text.pii); counts in meta and stats."""

    type = "✂️ - FORMAT"
    name = "pii"

    def __init__(self, lang: str, kinds: list[str]):
        super().__init__()
        self.lang = lang
        self.kinds = tuple(kinds)

    def run(self, data, rank: int = 0, world_size: int = 1):
        from seapt.text.pii import mask_pii

        for doc in data:
            with self.track_time():
                doc.text, counts = mask_pii(doc.text, self.lang, self.kinds)
            if counts:
                doc.metadata["pii"] = counts
                for kind, n in counts.items():
                    self.stat_update(f"pii_{kind}", value=n)
            self.stat_update("total")
            yield doc
