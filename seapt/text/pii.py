"""PII masking for th/vi/id text: emails, URLs, phone numbers, national ids — pure functions, no I/O.

    masked, counts = mask_pii("โทร 081-234-5678", "th")   # ("โทร <PHONE>", {"phone": 1})

Phone formats follow each numbering plan (Thailand NBTC: 0X-XXX-XXXX / 0[689]X-XXX-XXXX, +66; Vietnam:
0[35789]X XXX XXXX, +84; Indonesia: 08XX-XXXX-XXXX, (0XX) landlines, +62). National ids are validated, not
just matched by length: the Thai 13-digit id by its mod-11 check digit, the Indonesian NIK (16 digits) by its
province code and birth date, the Vietnamese CCCD (12 digits) by its province and century/sex digits — so
ordinary numbers, amounts and dates are left alone.
"""

from __future__ import annotations

import re

TAGS = {"email": "<EMAIL>", "url": "<URL>", "phone": "<PHONE>", "national_id": "<ID>"}
KINDS = tuple(TAGS)

EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}(?![\w])")
URL = re.compile(r"(?i)\b(?:https?://|ftp://|www\.)[^\s<>\"'()\[\]{}]+[^\s<>\"'()\[\]{}.,;:!?]")

_SEP = r"[ .\-]?"
# Each pattern must start and end on a digit boundary, so that digits inside longer numbers never match.
_PHONES = {
    "th": [
        r"(?:\+66|0066)" + _SEP + r"\(?0?\)?[689]\d" + _SEP + r"\d{3}" + _SEP + r"\d{4}",  # +66 81 234 5678
        r"(?:\+66|0066)" + _SEP + r"\(?0?\)?[2-7]" + _SEP + r"\d{3}" + _SEP + r"\d{4}",
        r"0[689]\d" + _SEP + r"\d{3}" + _SEP + r"\d{4}",  # 081-234-5678
        r"0[689]" + _SEP + r"\d{4}" + _SEP + r"\d{4}",  # 08-1234-5678
        r"0[2-7]" + _SEP + r"\d{3}" + _SEP + r"\d{4}",  # 02-123-4567 (landline, 9 digits)
    ],
    "vi": [
        r"(?:\+84|0084)" + _SEP + r"\(?0?\)?[35789]\d" + _SEP + r"\d{3}" + _SEP + r"\d{4}",
        r"0[35789]\d" + _SEP + r"\d{3}" + _SEP + r"\d{4}",  # 091 234 5678
        r"0[35789]\d{2}" + _SEP + r"\d{3}" + _SEP + r"\d{3}",  # 0912 345 678
        r"02\d{2}" + _SEP + r"\d{3}" + _SEP + r"\d{4}",  # landline 024 3825 1234 -> 0243 825 1234
        r"02\d" + _SEP + r"\d{4}" + _SEP + r"\d{4}",  # 024 3825 1234
    ],
    "id": [
        r"(?:\+62|0062)" + _SEP + r"\(?0?\)?8\d{1,2}" + _SEP + r"\d{3,4}" + _SEP + r"\d{3,5}",
        r"08\d{1,2}" + _SEP + r"\d{3,4}" + _SEP + r"\d{3,5}",  # 0812-3456-7890
        r"\(0\d{2,3}\)" + _SEP + r"\d{3,4}" + _SEP + r"\d{3,4}",  # (021) 555 1234
        r"0\d{2}" + r"[ \-]" + r"\d{3,4}" + r"[ \-]" + r"\d{4}",  # 021-555-1234 (separators required)
    ],
}
_PHONE_RES = {
    lang: re.compile(r"(?<![\w+])(?:" + "|".join(pats) + r")(?![\d])") for lang, pats in _PHONES.items()
}
_ALL_PHONES = re.compile(r"(?<![\w+])(?:" + "|".join(p for v in _PHONES.values() for p in v) + r")(?![\d])")

# 13 digits, optionally grouped 1-4-5-2-1 (Thai); 16 (NIK); 12 (CCCD) — validated after matching.
THAI_ID = re.compile(r"(?<![\d\-])\d(?:[ \-]?)\d{4}(?:[ \-]?)\d{5}(?:[ \-]?)\d{2}(?:[ \-]?)\d(?![\d\-])")
NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
CCCD = re.compile(r"(?<!\d)\d{12}(?!\d)")

# Province codes (Kemendagri) of the NIK's first two digits.
_NIK_PROVINCES = {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64,
                  65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97}


def thai_id_valid(digits: str) -> bool:
    """True for a 13-digit Thai national id whose last digit is the mod-11 check digit of the first 12."""
    if len(digits) != 13 or not digits.isdigit() or digits[0] == "0":
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


def nik_valid(digits: str) -> bool:
    """True for a plausible Indonesian NIK: province code, birth day (women +40), month 01-12, serial > 0."""
    if len(digits) != 16 or not digits.isdigit():
        return False
    day, month = int(digits[6:8]), int(digits[8:10])
    day = day - 40 if day > 40 else day
    return int(digits[:2]) in _NIK_PROVINCES and 1 <= day <= 31 and 1 <= month <= 12 and int(digits[12:]) > 0


def cccd_valid(digits: str) -> bool:
    """True for a plausible Vietnamese CCCD: province code 001-096 (odd gaps allowed), century/sex digit
    0-5 (born 1900-2099) and a birth year."""
    if len(digits) != 12 or not digits.isdigit():
        return False
    return 1 <= int(digits[:3]) <= 96 and digits[3] in "012345"


def _mask_ids(text: str, lang: str | None) -> tuple[str, int]:
    count = 0

    def repl(valid):
        def inner(m: re.Match) -> str:
            nonlocal count
            if valid(re.sub(r"\D", "", m.group(0))):
                count += 1
                return TAGS["national_id"]
            return m.group(0)

        return inner

    if lang in (None, "th"):
        text = THAI_ID.sub(repl(thai_id_valid), text)
    if lang in (None, "id"):
        text = NIK.sub(repl(nik_valid), text)
    if lang in (None, "vi"):
        text = CCCD.sub(repl(cccd_valid), text)
    return text, count


def mask_pii(text: str, lang: str | None = None, kinds: tuple[str, ...] | list[str] = KINDS
             ) -> tuple[str, dict[str, int]]:
    """Replace PII in ``text`` by tags (<EMAIL>, <URL>, <PHONE>, <ID>) and count them per kind.

    ``lang`` picks the phone formats and national-id scheme (None: all of th, vi and id). Order matters:
    emails and URLs first (they contain digits), then ids (longer digit runs), then phones.
    """
    counts: dict[str, int] = {}
    if "email" in kinds and "@" in text:  # every EMAIL match holds an "@": a C-level test skips the regex
        text, n = EMAIL.subn(TAGS["email"], text)
        if n:
            counts["email"] = n
    if "url" in kinds:
        text, n = URL.subn(TAGS["url"], text)
        if n:
            counts["url"] = n
    if "national_id" in kinds:
        text, n = _mask_ids(text, lang)
        if n:
            counts["national_id"] = n
    if "phone" in kinds:
        pattern = _PHONE_RES.get(lang, _ALL_PHONES) if lang else _ALL_PHONES
        text, n = pattern.subn(TAGS["phone"], text)
        if n:
            counts["phone"] = n
    return text, counts


def find_pii(text: str, lang: str | None = None) -> dict[str, int]:
    """Counts of each PII kind in ``text`` without changing it."""
    return mask_pii(text, lang)[1]
