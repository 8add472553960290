"""ID verification panel: the SPEC §2 steps, in order, for the customer and an agent.

1 capture (reader F2, or manual Ctrl+M with a manager's approval) → 2 check (the
service's rules, shown in their own words) → 3 match (face comparison F3 for 入网/过户,
otherwise the clerk's photo-vs-person confirmation F4) → 4 retain (scan F5: the newest
file in the scanner folder, Shift+F5 to pick a file) → 5 limits (一证五号, run right
after a passed face comparison, since only 入网/过户 ask for one). Unit customers
register their 统一社会信用代码 (F6) and the agent's authorisation letter.

Capture (the reader, the card poll's reads, manual entry) is :class:`CardReading` in
verification_read.py; the unit, guardian and simulator boxes are :class:`PartyBoxes` in
verification_boxes.py — both mixed into the panel. Focus moves to the next step's
button after each step, so the clerk mostly presses Enter.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..devices.id_reader import SimulatedIdCardReader
from .context import CounterServices, scan_mime_type
from .i18n import current_language
from .operations import OperationRunner
from .qt import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPixmap,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .verification_boxes import PartyBoxes
from .verification_read import CardPoll, CardReading
from .widgets import EnterButton, MessageLine, key_hint

if TYPE_CHECKING:
    from ..services.auth import StaffSession
    from ..services.verification import VerificationView


STEP_ORDER = ("capture", "check", "match", "retain", "limits")
RESULT_MARKS = {"passed": "✓", "warning": "⚠", "failed": "✗"}


class VerificationPanel(CardReading, PartyBoxes, QWidget):
    """Emits ``changed`` after every recorded step, ``completed`` when ready for businesses."""

    changed = Signal()
    completed = Signal()

    def __init__(
        self,
        services: CounterServices,
        runner: OperationRunner,
        session: Callable[[], StaffSession],
        ensure_visit: Callable[[], uuid.UUID | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("VerificationPanel")
        self._services = services
        self._runner = runner
        self._session = session
        self._ensure_visit = ensure_visit
        self._photos: dict[str, bytes] = {}
        self._limits: dict[str, tuple[int, str]] = {}
        self._views: Mapping[str, VerificationView] = {}
        #: the party the card poll read in this visit (F2 on that card shows the read)
        self.auto_read: str | None = None
        #: set by the window: reads the customer's card when it is laid on the reader
        self.card_poll: CardPoll | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("<b>身份核验</b>"))
        layout.addWidget(title)
        who = QHBoxLayout()
        who.addWidget(QLabel(self.tr("读取对象")))
        self.party = QComboBox()
        self.party.setObjectName("party")
        self.party.addItem(self.tr("客户本人"), "customer")
        self.party.addItem(self.tr("代办人/单位经办人"), "agent")
        self.party.addItem(self.tr("新机主（过户）"), "new_owner")
        who.addWidget(self.party, 1)
        layout.addLayout(who)
        grid = QGridLayout()
        self.read_button = EnterButton(key_hint(self.tr("读取证件"), "F2"))
        self.read_button.setObjectName("readButton")
        self.manual_button = EnterButton(key_hint(self.tr("手工录入"), "Ctrl+M"))
        self.manual_button.setObjectName("manualButton")
        self.face_button = EnterButton(key_hint(self.tr("人像比对"), "F3"))
        self.face_button.setObjectName("faceButton")
        self.confirm_button = EnterButton(key_hint(self.tr("人证一致"), "F4"))
        self.confirm_button.setObjectName("confirmButton")
        self.scan_button = EnterButton(key_hint(self.tr("留存扫描件"), "F5"))
        self.scan_button.setObjectName("scanButton")
        self.file_button = EnterButton(key_hint(self.tr("选择文件"), "Shift+F5"))
        self.file_button.setObjectName("scanFileButton")
        self.limits_button = EnterButton(self.tr("一证五号核查"))
        self.limits_button.setObjectName("limitsButton")
        for i, button in enumerate(
            (
                self.read_button,
                self.manual_button,
                self.face_button,
                self.confirm_button,
                self.scan_button,
                self.file_button,
                self.limits_button,
            )
        ):
            grid.addWidget(button, i // 2, i % 2)
        layout.addLayout(grid)
        body = QHBoxLayout()
        self.photo = QLabel()
        self.photo.setObjectName("idPhoto")
        self.photo.setFixedSize(102, 126)
        self.photo.setStyleSheet("border: 1px solid #bbbbbb;")
        body.addWidget(self.photo)
        self.steps = QListWidget()
        self.steps.setObjectName("steps")
        self.steps.setWordWrap(True)
        body.addWidget(self.steps, 1)
        layout.addLayout(body, 1)
        layout.addWidget(self._unit_box())
        layout.addWidget(self._guardian_box())
        self.message = MessageLine()
        self.message.setObjectName("verificationMessage")
        layout.addWidget(self.message)
        if isinstance(services.reader, SimulatedIdCardReader):
            layout.addWidget(self._simulator_box())
        self.read_button.clicked.connect(self.read_card)
        self.manual_button.clicked.connect(self.manual_entry)
        self.face_button.clicked.connect(self.compare_face)
        self.confirm_button.clicked.connect(self.confirm_photo)
        self.scan_button.clicked.connect(lambda: self.attach_scan(pick=False))
        self.file_button.clicked.connect(lambda: self.attach_scan(pick=True))
        self.limits_button.clicked.connect(lambda: self.check_limits())

    # -- state ------------------------------------------------------------------------
    def current_party(self) -> str:
        return self.party.currentData()

    def reset(self) -> None:
        """A new visit: nothing read yet, photos forgotten."""
        self._photos.clear()
        self._limits.clear()
        self._views = {}
        self.auto_read = None
        self.party.setCurrentIndex(0)
        self.unit_name.clear()
        self.credit_code.clear()
        self.photo.clear()
        self.steps.clear()
        self.message.clear_message()

    def set_views(self, views: Mapping[str, VerificationView], unit_name: str | None) -> None:
        """Show every party's steps as the service recorded them."""
        self._views = views
        self.steps.clear()
        labels = {
            "customer": self.tr("客户"),
            "agent": self.tr("经办人"),
            "guardian": self.tr("监护人"),
            "new_owner": self.tr("新机主"),
        }
        step_labels = {
            "capture": self.tr("读取证件"),
            "check": self.tr("证件校验"),
            "match": self.tr("人证比对"),
            "retain": self.tr("证件留存"),
            "limits": self.tr("一证五号"),
        }
        if unit_name:
            self.steps.addItem(self.tr("单位：{name}").format(name=unit_name))
        for party, view in views.items():
            method = self.tr("读卡器") if view.capture_method == "reader" else self.tr("手工录入")
            zh = current_language() == "zh"
            colon, sep = ("：", "；") if zh else (": ", "; ")
            self.steps.addItem(
                f"{labels.get(party, party)}{colon}{view.name}  {view.id_masked}"
                + (f"（{method}）" if zh else f" ({method})")
            )
            for step in STEP_ORDER:
                latest = view.step(step)
                if latest is None:
                    self.steps.addItem(f"   ○ {step_labels[step]} — " + self.tr("待完成"))
                    continue
                detail = sep.join(p.text() for p in latest.problems)
                if step == "match" and latest.method == "face":
                    detail = detail or self.tr("人像比对通过")
                if step == "limits" and party in self._limits:
                    count, source = self._limits[party]
                    where = (
                        self.tr("总部")
                        if source == "head_office"
                        else self.tr("本地记录，待总部复核")
                    )
                    detail = self.tr("已有 {count} 个号码（{where}）").format(
                        count=count, where=where
                    )
                line = f"   {RESULT_MARKS.get(latest.result, '?')} {step_labels[step]}"
                self.steps.addItem(line + (f"{colon}{detail}" if detail else ""))
        photo = self._photos.get(self.current_party()) or self._photos.get("customer")
        if photo:
            pixmap = QPixmap()
            pixmap.loadFromData(photo)
            self.photo.setPixmap(pixmap)

    # -- the steps ----------------------------------------------------------------------
    def _visit(self) -> uuid.UUID | None:
        visit = self._ensure_visit()
        if visit is None:
            self.message.show_error(self.tr("请先开始接待：Ctrl+N 散客接待，或 F1 叫号。"))
        return visit

    def _failed(self, exc: BaseException) -> None:
        from ..services.verification import CustomerChangeNeedsConfirmation

        if isinstance(exc, CustomerChangeNeedsConfirmation) and self._visit_id() is not None:
            self._ask_customer_change(exc)
            return
        self.message.show_exception(exc)
        self.changed.emit()

    def _visit_id(self) -> uuid.UUID | None:
        return self._ensure_visit()

    def _ask_customer_change(self, exc: BaseException) -> None:
        """Another person's document on a visit with items or payments: ask first."""
        from .customer_change import confirm_customer_change

        photo = getattr(exc, "photo", None)

        def replaced(view: VerificationView) -> None:
            if photo:
                self._photos["customer"] = photo
            self._after_capture(view)
            self.message.show_message(
                self.tr("已更换客户，上一位客户的业务已从受理单移除；已收款仍在单上，请核对。")
                + " "
                + self.message.text(),
                "info",
            )

        self.message.show_error(str(exc.text()))  # type: ignore[attr-defined]
        confirm_customer_change(
            self,
            self._services,
            self._runner,
            self._session(),
            self._visit_id(),
            exc,  # type: ignore[arg-type]
            replaced,
            self._failed,
        )

    def compare_face(self) -> None:
        visit = self._visit()
        if visit is None or not self._runner.idle:
            return
        party, staff = self.current_party(), self._session()
        photo = self._photos.get(party)
        face, verification = self._services.face, self._services.verification
        self.message.show_message(self.tr("正在人像比对，请客户正对摄像头…"), "info")
        self._runner.run(
            lambda: verification.compare_face(staff, visit, face, photo, party=party),
            lambda view: self._compared(visit, party, view),
            self._failed,
        )

    def _compared(self, visit: uuid.UUID, party: str, view: VerificationView) -> None:
        if not view.passed("match"):
            latest = view.step("match")
            self.message.show_error("；".join(p.text() for p in latest.problems) if latest else "")
            self.changed.emit()
            return
        self.message.show_ok(self.tr("人像比对通过。"))
        if party in ("customer", "new_owner"):  # 一证五号 counts the holder(-to-be)
            self.check_limits()
        elif party == "agent" and "customer" in self._views:
            self.check_limits("customer")  # 代办: the absent customer's numbers count
        self.scan_button.setFocus()
        self.changed.emit()

    def confirm_photo(self) -> None:
        visit = self._visit()
        if visit is None:
            return
        party = self.current_party()
        self._runner.run(
            lambda: self._services.verification.confirm_photo(self._session(), visit, party=party),
            self._confirmed,
            self._failed,
            background=False,
        )

    def _confirmed(self, view: VerificationView) -> None:
        self.message.show_ok(self.tr("已确认本人与证件照片一致。请留存证件扫描件（F5）。"))
        self.scan_button.setFocus()
        self.changed.emit()

    def check_limits(self, party: str | None = None) -> None:
        visit = self._visit()
        if visit is None:
            return
        party = party or self.current_party()

        def done(result: tuple[int, str]) -> None:
            self._limits[party] = result
            self.changed.emit()

        self._runner.run(
            lambda: self._services.verification.check_number_limit(
                self._session(), visit, party=party
            ),
            done,
            self._failed,
            background=False,
        )

    def _newest_scan(self) -> Path | None:
        folder = self._services.scanner_folder
        try:
            files = [p for p in folder.iterdir() if p.is_file() and scan_mime_type(p)]
        except OSError:
            return None
        return max(files, key=lambda p: p.stat().st_mtime) if files else None

    def attach_scan(self, *, pick: bool, letter: bool = False) -> None:
        visit = self._visit()
        if visit is None:
            return
        path = None if pick else self._newest_scan()
        from_scanner = path is not None
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self,
                self.tr("选择证件扫描件"),
                str(self._services.scanner_folder),
                self.tr("扫描件 (*.jpg *.jpeg *.png *.pdf *.tif *.tiff)"),
            )
            if not chosen:
                return
            path = Path(chosen)
        mime = scan_mime_type(path)
        if mime is None:
            self.message.show_error(
                self.tr("扫描件格式不受支持，请使用 JPG、PNG、TIFF 或 PDF 文件。")
            )
            return
        party = "agent" if letter else self.current_party()
        kind = "authorisation_letter" if letter else "id_document"

        def work() -> VerificationView:
            view = self._services.verification.attach_scan(
                self._session(), visit, path.read_bytes(), mime, party=party, kind=kind
            )
            if from_scanner:  # the sealed copy is in the database; no clear copy left behind
                path.unlink(missing_ok=True)
            return view

        self._runner.run(work, lambda view: self._attached(letter), self._failed)

    def _attached(self, letter: bool) -> None:
        if letter:
            self.message.show_ok(self.tr("单位委托书已留存（加密保存）。"))
        else:
            self.message.show_ok(
                self.tr("证件扫描件已留存（加密保存）。请选择要办理的业务（F7）。")
            )
        self.changed.emit()
        self.completed.emit()
