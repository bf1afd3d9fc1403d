"""Incident reports: masking in every format, formula neutralising, the PDF's Japanese text."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook

from sellerguard.errors import ReportError
from sellerguard.reports import (
    FORMATS,
    IncidentReport,
    build_incident_report,
    format_for_path,
    neutralise,
    neutralise_frame,
    render_report,
    write_report,
)
from sellerguard.reports.masking import Scrubber, mask_orders, pii_values, scrub_by_group
from sellerguard.workflow.evidence import EvidenceEntry
from sellerguard.workflow.filings import Filing
from sellerguard.workflow.selection import select_orders

TOKYO = "Asia/Tokyo"
NAMES = ("山田太郎", "ヤマダ花子", "Taro Suzuki")
STREETS = ("中央区銀座9-8-7 ビル303", "本町二丁目3番4号", "1-2-3 Maison 101")
PHONES = ("090-1234-5678", "03-9876-5432", "0612345678")
FORMULA = '=HYPERLINK("http://evil.example","x")'


def pii_orders() -> pd.DataFrame:
    """Scanned orders carrying buyer PII, including in free-text reasons."""
    n = 3
    return pd.DataFrame(
        {
            "order_id": pd.Series(
                [f"503-000000{i}-000000{i}" for i in range(1, n + 1)], dtype="str"
            ),
            "purchase_date": pd.to_datetime(
                ["2024-05-01 10:00", "2024-05-02 11:00", "2024-07-10 09:00"]
            ).tz_localize(TOKYO),
            "status": pd.Series(["Shipped", "Cancelled", "Pending"], dtype="str"),
            "sku": pd.Series(["SKU-A", FORMULA, "-SKU-C"], dtype="str"),
            "skus": pd.Series(["SKU-A", FORMULA, "-SKU-C"], dtype="str"),
            "asin": pd.Series(["B000000001", "B000000002", "B000000003"], dtype="str"),
            "quantity": pd.array([1, 10, 3], dtype="Int64"),
            "order_value": pd.array([1000.0, 30000.0, -5.0], dtype="Float64"),
            "payment_method": pd.Series(["COD", pd.NA, pd.NA], dtype="str"),
            "risk_score": pd.array([90, 80, 70], dtype="Int64"),
            "risk_level": pd.Series(["high", "high", "medium"], dtype="str"),
            "reason_codes": pd.Series(["cod_refused", "cvs_lock", "phone_many_names"], dtype="str"),
            "reasons_ja": pd.Series(
                [f"電話 {PHONES[0]} が共通", f"{NAMES[1]} 様", "@SUM(A1)"], dtype="str"
            ),
            "reasons_en": pd.Series(
                [f"phone {PHONES[0]} shared", f"name {NAMES[2]}", "+cmd"], dtype="str"
            ),
            "group_id": pd.Series(["g1", "g1", pd.NA], dtype="str"),
            "buyer_name": pd.Series(list(NAMES), dtype="str"),
            "recipient_name": pd.Series(list(NAMES), dtype="str"),
            "buyer_email": pd.Series(["abc@marketplace.amazon.co.jp"] * n, dtype="str"),
            "ship_address_1": pd.Series(list(STREETS), dtype="str"),
            "ship_address_2": pd.Series([pd.NA, "ハイツ本町", pd.NA], dtype="str"),
            "ship_city": pd.Series(["中央区", "大阪市北区", "横浜市"], dtype="str"),
            "ship_state": pd.Series(["東京都", "大阪府", "神奈川県"], dtype="str"),
            "ship_postal_code": pd.Series(["104-0061", "530-0001", "2200011"], dtype="str"),
            "ship_phone": pd.Series(list(PHONES), dtype="str"),
            "buyer_phone": pd.Series(list(PHONES), dtype="str"),
            "phone_key": pd.Series(["09012345678", "0398765432", "0612345678"], dtype="str"),
            "address_key": pd.Series(["ak1", "ak2", "ak3"], dtype="str"),
        }
    )


def report(include_pii: bool = False, lang: str = "ja") -> IncidentReport:
    return build_incident_report(
        select_orders(pii_orders()),
        filings=[
            Filing(
                date(2024, 7, 1),
                "amazon_phone",
                case_id="1234567890",
                response=f"agent looked up {NAMES[0]}",
                follow_up_on=date(2024, 7, 8),
            ),
            Filing(date(2024, 7, 9), "police_station", response="=1+1"),
        ],
        evidence=[
            EvidenceEntry(
                date(2024, 7, 2),
                "スクリーンショット",
                f"住所 {STREETS[1]}",
                "shot.png",
                "evidence/x.png",
                "ab" * 32,
                1234,
            ),
        ],
        lang=lang,
        include_pii=include_pii,
        today=date(2024, 7, 20),
    )


def pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith(".xml")
        )


def output_text(data: bytes, fmt: str) -> str:
    if fmt == "pdf":
        return pdf_text(data)
    if fmt == "xlsx":
        return xlsx_text(data)
    return data.decode("utf-8-sig")


def pii_needles() -> list[str]:
    digits = [p.replace("-", "") for p in PHONES]
    return [*NAMES, *STREETS, *PHONES, *digits, "ハイツ本町", "abc@marketplace"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_masking_holds_in_every_format(fmt: str) -> None:
    data = render_report(report(), fmt)
    text = output_text(data, fmt)
    for needle in pii_needles():
        assert needle not in text, needle
        assert needle.encode("utf-8") not in data
    assert "503-0000001-0000001" in text
    if fmt != "csv":
        assert "1234567890" in text  # case ids stay


@pytest.mark.parametrize("fmt", FORMATS)
def test_pii_appears_only_when_asked(fmt: str) -> None:
    text = output_text(render_report(report(include_pii=True), fmt), fmt)
    for needle in (*NAMES, *STREETS[:1], PHONES[0]):
        assert needle in text, needle


def test_masked_orders_keep_prefecture_city_and_postal_prefix() -> None:
    r = report()
    orders = r.orders
    assert orders["ship_state"].tolist() == ["東京都", "大阪府", "神奈川県"]
    assert orders["ship_postal_code"].tolist() == ["104-****", "530-****", "220-****"]
    assert "buyer_name" not in orders.columns
    masked = mask_orders(pii_orders())
    assert set(masked["buyer_name"]) == {"＊＊＊"}
    assert "phone_key" not in masked.columns


def test_scrubber_masks_phone_digits_and_names_in_free_text() -> None:
    scrub = Scrubber(pii_values(pii_orders()))
    assert scrub.text("call 09012345678 or 山田太郎") == "call ＊＊＊ or ＊＊＊"
    assert scrub.text("〒104-0061 / 5300001") == "〒＊＊＊ / ＊＊＊"
    assert scrub.text("nothing here") == "nothing here"


def test_scrub_by_group_uses_the_values_of_the_linked_group() -> None:
    orders = pii_orders()
    texts = pd.Series(
        [f"same phone as {PHONES[1]}", f"name {NAMES[0]}", f"name {NAMES[0]}"], dtype="str"
    )
    scrubbed = scrub_by_group(texts, orders).tolist()
    # rows 0 and 1 are group g1: each sees the other's phone and name
    assert scrubbed[:2] == ["same phone as ＊＊＊", "name ＊＊＊"]
    # row 2 is alone: another group's name is not its own
    assert scrubbed[2] == f"name {NAMES[0]}"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_prefixes_a_quote(value: str) -> None:
    assert neutralise(value) == "'" + value
    assert neutralise("safe") == "safe"


def test_neutralise_frame_only_touches_text() -> None:
    frame = pd.DataFrame(
        {"a": pd.Series(["=x", "ok", pd.NA], dtype="str"), "n": pd.array([-1, 2, 3], dtype="Int64")}
    )
    result = neutralise_frame(frame)
    assert result["a"].tolist()[:2] == ["'=x", "ok"]
    assert pd.isna(result["a"].iloc[2])
    assert result["n"].tolist() == [-1, 2, 3]


def test_csv_cells_are_neutralised() -> None:
    data = render_report(report(include_pii=True), "csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA in cells
    assert "'-SKU-C" in cells
    assert "'@SUM(A1)" in cells
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)
    numeric_or_quoted = [c for c in cells if c.startswith("-")]
    assert all(c.lstrip("-").replace(".", "").isdigit() for c in numeric_or_quoted)


def test_xlsx_text_cells_are_neutralised_in_every_sheet() -> None:
    data = render_report(report(include_pii=True, lang="en"), "xlsx")
    book = load_workbook(io.BytesIO(data))
    seen = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    seen.append(cell.value)
                    assert cell.data_type != "f", (sheet.title, cell.value)
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert "'" + FORMULA in seen
    assert "'=1+1" in seen  # the police filing's response
    assert {"Summary", "Orders", "Filings", "Evidence"} <= set(book.sheetnames)


def test_pdf_text_extracts_with_japanese_intact_and_pages_render() -> None:
    data = render_report(report(), "pdf")
    text = pdf_text(data)
    assert "嫌がらせ注文の被害報告書" in text
    assert "代引き手数料" in text
    assert "1234567890" in text
    assert "ab" * 32 in text.replace("\n", "").replace("\r", "")
    document = pdfium.PdfDocument(data)
    assert len(document) >= 2
    for index in range(len(document)):
        image = document[index].render(scale=0.5).to_pil()
        assert image.width > 100 and image.height > 100
        # something was drawn: not a blank page
        assert image.convert("L").getextrema()[0] < 128


def test_pdf_embeds_a_subset_font() -> None:
    data = render_report(report(), "pdf")
    assert b"/FontFile" in data
    assert len(data) < 1_000_000  # a subset, not the 16 MB font


def test_json_is_complete_and_masked() -> None:
    document = json.loads(render_report(report(), "json"))
    assert document["order_count"] == 3
    assert document["orders"][0]["order_id"] == "503-0000001-0000001"
    assert document["filings"][0]["case_id"] == "1234567890"
    assert document["evidence"][0]["sha256"] == "ab" * 32
    assert document["losses"]["cod_fees"] == 330
    assert document["include_pii"] is False


def test_markdown_has_every_section() -> None:
    text = render_report(report(lang="en"), "md").decode("utf-8")
    for heading in (
        "## Summary",
        "## Timeline",
        "## The orders",
        "## Filings",
        "## Evidence (SHA-256)",
        "## Source data",
    ):
        assert heading in text


def test_write_report_takes_the_format_from_the_extension(tmp_path: Path) -> None:
    r = report()
    written = write_report(r, tmp_path / "out.PDF")
    assert written.read_bytes().startswith(b"%PDF")
    assert format_for_path("x.md") == "md"
    with pytest.raises(ReportError) as caught:
        write_report(r, tmp_path / "out.docx")
    assert caught.value.reason == "unknown_format"
    assert write_report(r, tmp_path / "o.txt", "json").read_bytes().startswith(b"{")


def test_pdf_lists_at_most_the_cap_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from sellerguard.reports import pdf

    monkeypatch.setattr(pdf, "MAX_PDF_ORDERS", 2)
    text = pdf_text(render_report(report(lang="en"), "pdf"))
    assert "the first 2 of 3 orders" in text
    assert "503-0000002-0000002" in text
    assert "503-0000003-0000003" not in text.split("The orders")[-1]


def test_report_without_orders_still_lists_records() -> None:
    r = build_incident_report(
        pii_orders().iloc[0:0],
        filings=[Filing(date(2024, 7, 1), "amazon_case", case_id="42")],
        today=date(2024, 7, 20),
    )
    for fmt in FORMATS:
        assert render_report(r, fmt)
    assert "42" in pdf_text(render_report(r, "pdf"))
