"""DocumentService: archive once, integrity, retry bookkeeping, signatures, fonts, stamps."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import func, select

from frontdesk.core.messages import RuleViolation
from frontdesk.devices.signature_pad import SimulatedSignaturePad
from frontdesk.printing import fonts as fonts_module
from frontdesk.printing.fonts import FontUnavailableError, candidate_paths, load_font_set
from frontdesk.printing.stamp import stamp_path
from frontdesk.store.models import ArchivedDocument, AuditEntry, Slip, SlipSignature

from .conftest import pdf_compact


def _images_on_pages(pdf: bytes) -> int:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return sum(len(page.images) for page in reader.pages)


def test_documents_are_archived_once_by_date_and_number(visits, documents):
    visit, settled = visits.sale()
    first = documents.archive_settlement(settled.slip_id, receipt_variants=("a4", "thermal80"))
    again = documents.archive_settlement(settled.slip_id, receipt_variants=("a4", "thermal80"))
    assert [r.document_id for r in first] == [r.document_id for r in again]
    slip_ref = first[0]
    assert slip_ref.path == (
        documents.archive_dir / "slip" / "2026" / "11" / "21" / f"{settled.slip_no}-a4.pdf"
    )
    assert slip_ref.path.read_bytes().startswith(b"%PDF")
    folder = slip_ref.path.parent
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    with visits.ws.db.reader() as s:
        assert s.scalar(select(func.count()).select_from(ArchivedDocument)) == 3
    listed = documents.documents_of_visit(visit)
    assert {(r.kind, r.variant) for r in listed} == {
        ("slip", "a4"),
        ("receipt", "a4"),
        ("receipt", "thermal80"),
    }
    assert all(r.needs_printing for r in listed)


def test_archive_refuses_altered_or_missing_files(visits, documents):
    _, settled = visits.top_up("20")
    ref = documents.archive_slip(settled.slip_id)
    data = ref.path.read_bytes()
    ref.path.write_bytes(data.replace(b"/Producer", b"/Producex"))
    with pytest.raises(RuleViolation) as info:
        documents.read_pdf(ref.document_id)
    assert info.value.codes == ["document.file_changed"]
    assert settled.slip_no in info.value.text("zh") and "IT" in info.value.text("zh")
    ref.path.unlink()
    with pytest.raises(RuleViolation) as info:
        documents.read_pdf(ref.document_id)
    assert info.value.codes == ["document.file_missing"]


def test_an_unwritable_archive_never_touches_the_settled_slip(visits, documents):
    _, settled = visits.top_up("20")
    archive = documents.archive_dir
    archive.parent.mkdir(parents=True, exist_ok=True)
    archive.write_text("not a folder")  # the archive path is blocked
    try:
        with pytest.raises(RuleViolation) as info:
            documents.archive_slip(settled.slip_id)
        assert info.value.codes == ["document.archive_unwritable"]
        assert "业务已办理成功" in info.value.text("zh")
    finally:
        archive.unlink()
    with visits.ws.db.reader() as s:
        assert s.scalar(select(Slip.slip_no).where(Slip.id == settled.slip_id)) == settled.slip_no
        assert s.scalar(select(func.count()).select_from(ArchivedDocument)) == 0
    assert documents.archive_slip(settled.slip_id).path.exists()  # retry works


def test_print_failure_is_kept_for_retry_and_a_print_is_audited(visits, documents, clerk):
    _, settled = visits.top_up("20")
    ref = documents.archive_slip(settled.slip_id)
    failed = documents.mark_print_failed(clerk, ref.document_id, "缺纸", "HP-LaserJet")
    assert failed.last_print_error == "HP-LaserJet: 缺纸" and failed.needs_printing
    assert ref.document_id in [r.document_id for r in documents.documents_needing_print()]
    printed = documents.mark_printed(clerk, ref.document_id, "HP-LaserJet")
    assert printed.print_count == 1 and printed.last_print_error is None
    assert not printed.needs_printing
    assert ref.document_id not in [r.document_id for r in documents.documents_needing_print()]
    with visits.ws.db.reader() as s:
        detail = s.scalar(select(AuditEntry.detail).where(AuditEntry.action == "document.printed"))
    assert detail["number"] == settled.slip_no and detail["printer"] == "HP-LaserJet"
    with pytest.raises(RuleViolation):
        documents.mark_printed(clerk, settled.slip_id, "x")  # not a document id


def test_void_and_refund_documents_belong_to_the_visit(visits, documents):
    visit, settled = visits.top_up("30")
    documents.archive_settlement(settled.slip_id)
    void = visits.void(settled.slip_no)
    documents.archive_settlement(void.slip_id)
    numbers = {r.number for r in documents.documents_of_visit(visit)}
    assert numbers == {settled.slip_no, settled.receipt_no, void.slip_no, void.receipt_no}
    assert len(documents.documents_of_slip(void.slip_id)) == 2


def test_paperless_signature_before_archiving_is_in_the_slip(visits, documents, clerk):
    _, settled = visits.sale()
    signature = SimulatedSignaturePad(seed=7).capture("请签名", 30)
    assert (
        documents.record_signature(
            clerk, settled.slip_id, "pad", image_png=signature.png, device=signature.device
        )
        is None
    )
    ref = documents.archive_slip(settled.slip_id)
    pdf = documents.read_pdf(ref.document_id)
    assert _images_on_pages(pdf) >= 1
    assert "签署方式：电子签名板" in pdf_compact(pdf)
    with visits.ws.db.reader() as s:
        row = s.scalar(select(SlipSignature).where(SlipSignature.slip_id == settled.slip_id))
        assert row.method == "pad" and row.image_sha256 and row.device == signature.device


def test_signature_after_archiving_adds_a_signed_copy(visits, documents, clerk):
    _, settled = visits.unit()
    original = documents.archive_slip(settled.slip_id)
    before = original.path.read_bytes()
    png = SimulatedSignaturePad(seed=3, method="second_screen").capture("请签名", 30).png
    signed = documents.record_signature(
        clerk, settled.slip_id, "second_screen", image_png=png, signer="agent"
    )
    assert signed is not None and signed.variant == "a4-signed"
    assert original.path.read_bytes() == before  # written once, never rewritten
    text = pdf_compact(documents.read_pdf(signed.document_id))
    assert "客户屏签名" in text and "经办人签名" in text
    assert _images_on_pages(documents.read_pdf(signed.document_id)) >= 1


def test_paper_signature_and_bad_signatures(visits, documents, clerk):
    _, settled = visits.top_up("20")
    assert documents.record_signature(clerk, settled.slip_id, "paper") is None
    assert "纸质签字" in pdf_compact(documents.render_slip(settled.slip_id))
    with pytest.raises(RuleViolation) as info:
        documents.record_signature(clerk, settled.slip_id, "pad")
    assert info.value.codes == ["signature.image_required"]
    with pytest.raises(RuleViolation) as info:
        documents.record_signature(clerk, settled.slip_id, "pad", image_png=b"GIF89a....")
    assert info.value.codes == ["signature.image_invalid"]
    with pytest.raises(RuleViolation) as info:
        documents.record_signature(clerk, settled.slip_id, "fax", signer="boss")
    assert info.value.codes == ["signature.method", "signature.signer"]
    assert "签名方式" in info.value.text("zh")


def test_unknown_receipt_layout_is_named(visits, documents):
    _, settled = visits.top_up("20")
    with pytest.raises(RuleViolation) as info:
        documents.archive_receipt(visits.receipt_id(settled.slip_id), "a5")
    assert info.value.codes == ["document.variant"] and "a5" in info.value.text("zh")


# --------------------------------------------------------------------------- fonts


def test_font_candidates_in_the_documented_order(tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    (data_dir / "fonts").mkdir(parents=True)
    dropped = data_dir / "fonts" / "branch.ttf"
    dropped.write_bytes(b"")
    monkeypatch.setenv("FRONTDESK_CJK_FONT", str(tmp_path / "env.ttf"))
    paths = candidate_paths(tmp_path / "configured.ttf", data_dir)
    assert paths[:4] == [
        tmp_path / "configured.ttf",
        tmp_path / "env.ttf",
        dropped,
        Path(fonts_module.resources_dir()) / "fonts" / "DroidSansFallbackFull.ttf",
    ]
    assert len(paths) > 4  # then the system fonts of this platform


def test_unusable_fonts_are_skipped_and_none_at_all_is_refused(tmp_path, monkeypatch):
    not_a_font = tmp_path / "broken.ttf"
    not_a_font.write_bytes(b"this is not a font")
    cff = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    monkeypatch.setattr(fonts_module, "_system_candidates", lambda: [])
    monkeypatch.setenv("FRONTDESK_RESOURCES", str(tmp_path / "no-resources"))
    monkeypatch.delenv("FRONTDESK_CJK_FONT", raising=False)
    candidates = [not_a_font] + ([cff] if cff.exists() else [])
    monkeypatch.setattr(
        fonts_module, "candidate_paths", lambda configured=None, data_dir=None: candidates
    )
    with pytest.raises(FontUnavailableError) as info:
        load_font_set()
    reasons = dict(info.value.tried)
    assert "not embeddable" in reasons[not_a_font]
    if cff.exists():  # CFF-outline OpenType: reportlab can't embed it
        assert "not embeddable" in reasons[cff]
    assert "FRONTDESK_CJK_FONT" in str(info.value) and "中文字体" in str(info.value)
    wqy = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    if wqy.exists():
        monkeypatch.setattr(
            fonts_module,
            "candidate_paths",
            lambda configured=None, data_dir=None: [not_a_font, wqy],
        )
        chosen = load_font_set()
        assert chosen.path == wqy and chosen.covers("营") and chosen.covers("A")


def test_bundled_font_and_its_licence_ship_together():
    folder = Path(fonts_module.resources_dir()) / "fonts"
    assert (folder / "DroidSansFallbackFull.ttf").is_file()
    assert "Apache License" in (folder / "LICENSE-Apache-2.0.txt").read_text()
    assert "Apache" in (folder / "NOTICE.md").read_text()
    fonts = load_font_set()
    runs = list(fonts.runs("合计 ¥250.00 元"))
    # Droid has no Latin: digits go to Helvetica, Chinese to the embedded font
    assert [f for f, _ in runs] == [fonts.cjk, "Helvetica", fonts.cjk]


# --------------------------------------------------------------------------- stamps


def test_branch_stamp_is_configurable_per_branch(tmp_path):
    default = stamp_path("ZZ9999")
    assert default is not None and default.name == "default.png"
    (tmp_path / "stamps").mkdir()
    own = tmp_path / "stamps" / "BJ0101.png"
    own.write_bytes(default.read_bytes())
    assert stamp_path("BJ0101", tmp_path) == own
    assert stamp_path("SH0202", tmp_path) == default
    assert os.path.getsize(default) > 1000
