"""Boilerplate line patterns: furniture lines (share widgets, cookie notices, copyright lines) are dropped,
sentences that merely start with the same words are kept, and the fast matcher agrees with one regex."""

import pytest

from seapt.corpus.clean import Clean


@pytest.mark.parametrize("line", [
    "Share prices fell 3% on Monday.", "แชร์ลูกโซ่เป็นการหลอกลวงที่ทำให้ผู้เสียหายสูญเงิน",
    "Chia sẻ kinh nghiệm học tập với các bạn.", "Bagikan makanan kepada warga yang terdampak banjir.",
    "Copyright law protects authors.", "She ate a cookie and drank milk.", "Read more books to learn words.",
])
def test_clean_keeps_sentences_that_start_like_boilerplate(line):
    out, counts = Clean().clean_text(line)
    assert out == line and counts["boilerplate_line"] == 0


@pytest.mark.parametrize("line", [
    "Share: Facebook Twitter LINE", "Share", "แชร์ Facebook", "Bagikan ke WhatsApp", "Share this article",
    "Copyright © 2024 Example News", "This website uses cookies to improve your experience. Accept",
    "Baca juga: Harga beras naik di Jakarta",
])
def test_clean_drops_widget_lines(line):
    out, counts = Clean().clean_text("เนื้อหาข่าวจริง\n" + line)
    assert out == "เนื้อหาข่าวจริง" and counts["boilerplate_line"] == 1


def test_boilerplate_fast_match_equals_one_regex_search():
    import re

    from seapt.corpus.clean import BUILTIN_BOILERPLATE

    lines = ["Share prices fell", "Share: Facebook LINE", "x Facebook | Twitter", "We use cookies. Accept", "COOKIE policy",
             "ข่าว สงวนลิขสิทธิ์ 2567", "Copyright 2020 Foo", "abc © 2020", "Home | News | A | B", "หน้าแรก > ข่าว",
             "ที่มา : https://x.go.th", "Baca juga: Berita", "plain line", "www.example.com", "custom footer here"]
    clean = Clean(patterns=["footer"])
    full = re.compile("|".join(f"(?:{p})" for p in BUILTIN_BOILERPLATE + ["footer"]), re.I)
    assert [clean.is_boilerplate(s) for s in lines] == [bool(full.search(s)) for s in lines]
    assert sum(clean.is_boilerplate(s) for s in lines) == 12
