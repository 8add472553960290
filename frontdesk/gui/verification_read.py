"""Capturing a document for the verification panel: the reader (F2 and the card poll)
and manual entry (Ctrl+M, a manager's approval last).

A part of :class:`~frontdesk.gui.verification_panel.VerificationPanel` (a mixin it
inherits). The card is read through the device on a worker thread and handed to the
service's ``capture``: the card photo stays in memory for the screen and the face
comparison and is never stored (SPEC §2 step 3).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

from ..core.clock import business_date
from ..core.messages import RuleViolation
from ..services.verification import card_to_document
from .authorise import request_approval
from .manual_entry import ManualEntryDialog

if TYPE_CHECKING:
    from ..services.auth import StaffSession
    from ..services.verification import VerificationView
    from .context import CounterServices
    from .operations import OperationRunner
    from .qt import QComboBox, Signal
    from .widgets import EnterButton, MessageLine


class CardPoll(Protocol):
    """The window's card poll as the panel sees it (card_poll.CardPoller)."""

    @property
    def in_flight(self) -> bool: ...

    def wanted(self) -> None: ...


class CardReading:
    """Step 1, capture (mixed into VerificationPanel)."""

    _services: CounterServices
    _runner: OperationRunner
    _session: Callable[[], StaffSession]
    _ensure_visit: Callable[[], uuid.UUID | None]
    _photos: dict[str, bytes]
    _views: Mapping[str, VerificationView]
    auto_read: str | None
    card_poll: CardPoll | None
    changed: Signal
    party: QComboBox
    confirm_button: EnterButton
    message: MessageLine

    def read_card(self) -> None:
        visit = self._visit()
        if visit is None:
            return
        if not self._runner.idle:
            if self.card_poll is not None and self.card_poll.in_flight:
                self.card_poll.wanted()  # F2 during a poll: read once the poll ends
            return
        self._read_explicit(visit)

    def read_after_poll(self) -> None:
        """The F2 pressed while a poll ran, now that the poll has ended."""
        visit = self._ensure_visit()
        if visit is not None:
            self._read_explicit(visit)

    def _read_explicit(self, visit: uuid.UUID) -> None:
        if self._services.reader_problem:
            self.message.show_error(
                self.tr(
                    "读卡器不可用：{detail}。请检查读卡器，或按 Ctrl+M 经经理授权后手工录入。"
                ).format(detail=self._services.reader_problem)
            )
            return
        party = self.current_party()
        self.message.show_message(self.tr("正在读卡，请稍候…"), "info")
        self.start_read(visit, party, failed=lambda exc: self._read_failed(party, exc))

    def start_read(
        self,
        visit: uuid.UUID,
        party: str,
        *,
        failed: Callable[[BaseException], None],
        timeout_s: float = 5.0,
        after: Callable[[], None] | None = None,
        auto: bool = False,
    ) -> None:
        """Read the card on the reader and capture it for ``party`` (F2 and the poll)."""
        staff = self._session()
        reader, verification = self._services.reader, self._services.verification

        def work() -> tuple[VerificationView, bytes | None]:
            card = reader.read(timeout_s)
            try:
                view = verification.capture(
                    staff,
                    visit,
                    card_to_document(card),
                    party=party,
                    method="reader",
                    device=reader.name,
                    # the holder-to-be of a line: the card check applies the age rule (≥ 16)
                    purpose="new_line" if party in ("customer", "new_owner") else "general",
                )
            except RuleViolation as exc:
                exc.photo = card.photo_bmp  # type: ignore[attr-defined]  # kept if confirmed
                raise
            return view, card.photo_bmp

        def done(result: tuple[VerificationView, bytes | None]) -> None:
            if auto:
                self.auto_read = party
            self._captured(party, *result)
            if after is not None:
                after()

        self._runner.run(work, done, failed)

    def _read_failed(self, party: str, exc: BaseException) -> None:
        """F2 on the card the poll has just read: show that read, not "lift the card"."""
        if (
            getattr(exc, "code", None) == "card_not_lifted"
            and self.auto_read == party
            and party in self._views
        ):
            self._after_capture(self._views[party])
            return
        self._failed(exc)

    def report_failure(self, exc: BaseException) -> None:
        """A read's failure, said as after F2 (the poll's reads that reached the service)."""
        self._failed(exc)

    def _captured(self, party: str, view: VerificationView, photo: bytes | None) -> None:
        if photo:
            self._photos[party] = photo
        self._after_capture(view)

    def _after_capture(self, view: VerificationView) -> None:
        errors = [p for p in view.problems if p.is_error]
        if errors and all(p.code == "id.min_age" for p in errors):
            # the person is known; opening a line for them needs their guardian as agent
            self.message.show_message(
                self.tr(
                    "{name} 未满 16 周岁：入网须由监护人作为经办人办理——请选择“代办人”读取"
                    "监护人证件、人像比对并留存，再登记监护人关系；过户不能转给未成年人。"
                ).format(name=view.name),
                "warning",
            )
            self.confirm_button.setFocus()
            self.changed.emit()
            return
        if view.passed("check"):
            self.message.show_ok(
                self.tr(
                    "已读取 {name} 的证件，校验通过。请核对本人与证件照片（F4）；"
                    "入网、过户请做人像比对（F3）。"
                ).format(name=view.name)
            )
            self.confirm_button.setFocus()
        else:
            self.message.show_error(
                self.tr("证件校验未通过：")
                + "；".join(p.text() for p in view.problems if p.is_error)
            )
        self.changed.emit()

    def manual_entry(self) -> None:
        visit = self._visit()
        if visit is None:
            return
        party = self.current_party()
        today = business_date(self._services.ws.clock.now())
        dialog = ManualEntryDialog(self.party.currentText(), self, today=today)
        dialog.entered.connect(lambda doc: self._approve_manual(visit, party, doc, dialog))
        dialog.open()

    def _approve_manual(
        self, visit: uuid.UUID, party: str, doc: object, dialog: ManualEntryDialog
    ) -> None:
        """The typed document passed its checks: now (last) the manager authorises it."""

        def captured(view: VerificationView) -> None:
            dialog.captured()
            self._after_capture(view)

        def capture(approval: object) -> None:
            self._runner.run(
                lambda: self._services.verification.capture(
                    self._session(),
                    visit,
                    doc,
                    party=party,
                    method="manual",
                    approval=approval,  # type: ignore[arg-type]
                ),
                captured,
                dialog.authorisation_ended,
                background=False,
            )

        auth = request_approval(
            dialog,
            self._services.auth,
            self._session(),
            capture,
            action="manual_id_entry",
            binding={"visit_id": visit},
            title=self.tr("手工录入证件信息"),
            explanation=self.tr("读卡器无法读取时手工录入证件，须值班经理核对原件后授权。"),
        )
        auth.rejected.connect(lambda: dialog.authorisation_ended(None))
