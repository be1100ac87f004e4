"""PII masking: true positives per kind and language, and no false positives on ordinary numbers and dates."""

import pytest

from seapt.text.pii import cccd_valid, mask_pii, nik_valid, thai_id_valid


def thai_id(first12: str) -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


@pytest.mark.parametrize("text, lang, kind", [
    ("ติดต่อ somchai.k@example.co.th ได้เลย", "th", "email"),
    ("Email: nguyen_van.a+news@gmail.com.", "vi", "email"),
    ("ดูที่ https://www.thaigov.go.th/news/contents/details/1114 ครับ", "th", "url"),
    ("Baca di www.kompas.com/berita/123.", "id", "url"),
    ("โทร 081-234-5678 ได้ตลอด", "th", "phone"),
    ("โทร 02-123-4567 ในเวลาราชการ", "th", "phone"),
    ("โทร +66 81 234 5678", "th", "phone"),
    ("Gọi 0912 345 678 ngay", "vi", "phone"),
    ("Gọi +84 91 234 5678 ngay", "vi", "phone"),
    ("Số máy bàn 024 3825 1234.", "vi", "phone"),
    ("Hubungi 0812-3456-7890 sekarang", "id", "phone"),
    ("Hubungi +62 812 3456 7890 sekarang", "id", "phone"),
    ("Kantor (021) 555 1234.", "id", "phone"),
    ("CCCD số 001095012345 cấp ngày", "vi", "national_id"),
    ("NIK 3171234501900001 milik", "id", "national_id"),
])
def test_true_positives(text, lang, kind):
    masked, counts = mask_pii(text, lang)
    assert counts.get(kind) == 1, (masked, counts)
    assert "<" in masked


def test_thai_id_with_checksum_masked_grouped_and_plain():
    tid = thai_id("110170020345")
    grouped = f"{tid[0]}-{tid[1:5]}-{tid[5:10]}-{tid[10:12]}-{tid[12]}"
    for form in (tid, grouped):
        masked, counts = mask_pii(f"เลขบัตร {form} ของผู้ร้อง", "th")
        assert counts == {"national_id": 1} and "<ID>" in masked


def test_thai_id_with_wrong_check_digit_is_left_alone():
    tid = thai_id("110170020345")
    wrong = tid[:12] + str((int(tid[12]) + 1) % 10)
    assert thai_id_valid(tid) and not thai_id_valid(wrong)
    assert mask_pii(f"เลข {wrong}", "th") == (f"เลข {wrong}", {})


@pytest.mark.parametrize("text, lang", [
    ("งบประมาณ 24,000 ล้านบาท ปี พ.ศ. 2560 วันที่ 16/01/2017", "th"),
    ("ประชากร 65,931,550 คน อัตรา 3.14 เปอร์เซ็นต์", "th"),
    ("Ngày 2024-01-15, giá 1.250.000 đồng, dân số 96.208.984 người", "vi"),
    ("Năm 1991 TF1 là tiểu hành tinh số 15290, ngày 12 tháng 10 năm 1991.", "vi"),
    ("Tanggal 17-08-1945, Rp 1.500.000, ISBN 978-3-16-148410-0", "id"),
    ("Pada tahun 2008 sekitar 12,345,678 penduduk; kode pos 40115.", "id"),
    ("Skor 10/03/2020 dan 2019-2020 serta 123456789012345678", "id"),
    ("Order 1234567890123 shipped 2021-03-04 12:30", "th"),
])
def test_no_false_positives_on_numbers_and_dates(text, lang):
    assert mask_pii(text, lang) == (text, {})


def test_validators_reject_implausible_ids():
    assert not nik_valid("9971234501900001")  # unknown province 99
    assert not nik_valid("3171231513900001")  # month 13
    assert nik_valid("3171234501900001")  # day 45 = woman born on the 5th
    assert not cccd_valid("999095012345")  # province 999
    assert cccd_valid("079201001234")


def test_kinds_can_be_limited_and_counts_add_up():
    text = "a@b.co โทร 081-234-5678 และ 089 999 8888"
    masked, counts = mask_pii(text, "th", kinds=["phone"])
    assert counts == {"phone": 2} and "a@b.co" in masked
