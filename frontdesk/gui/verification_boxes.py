"""The verification panel's boxes beyond the person read: the unit customer (F6, its
统一社会信用代码 and authorisation letter), a minor's guardian, and the demo simulator.

A part of :class:`~frontdesk.gui.verification_panel.VerificationPanel` (a mixin it
inherits); each action is one ``IntakeService`` / ``VerificationService`` call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..devices.face import SimulatedFaceComparer
from ..devices.id_reader import SimulatedIdCardReader, demo_person_names
from .qt import QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QLineEdit
from .widgets import EnterButton

if TYPE_CHECKING:
    from ..services.auth import StaffSession
    from .context import CounterServices
    from .operations import OperationRunner
    from .qt import Signal
    from .widgets import MessageLine


class PartyBoxes:
    """Unit customer, guardian and simulator boxes (mixed into VerificationPanel)."""

    _services: CounterServices
    _runner: OperationRunner
    _session: Callable[[], StaffSession]
    changed: Signal
    party: QComboBox
    read_button: EnterButton
    message: MessageLine

    def _unit_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("单位客户 (F6)"))
        grid = QGridLayout(box)
        self.unit_name = QLineEdit()
        self.unit_name.setObjectName("unitName")
        self.unit_name.setPlaceholderText(self.tr("单位名称（与营业执照一致）"))
        self.credit_code = QLineEdit()
        self.credit_code.setObjectName("creditCode")
        self.credit_code.setPlaceholderText(self.tr("统一社会信用代码（18 位）"))
        self.unit_button = EnterButton(self.tr("登记单位"))
        self.unit_button.setObjectName("unitButton")
        self.letter_button = EnterButton(self.tr("留存委托书"))
        self.letter_button.setObjectName("letterButton")
        grid.addWidget(self.unit_name, 0, 0, 1, 2)
        grid.addWidget(self.credit_code, 1, 0, 1, 2)
        grid.addWidget(self.unit_button, 2, 0)
        grid.addWidget(self.letter_button, 2, 1)
        self.unit_name.returnPressed.connect(self.credit_code.setFocus)
        self.credit_code.returnPressed.connect(self.register_unit)
        self.unit_button.clicked.connect(self.register_unit)
        self.letter_button.clicked.connect(lambda: self.attach_scan(pick=False, letter=True))
        return box

    def _guardian_box(self) -> QGroupBox:
        """A minor opening a line: the agent read is their guardian, relationship recorded."""
        box = QGroupBox(self.tr("未成年人监护人"))
        row = QHBoxLayout(box)
        self.relationship = QComboBox()
        self.relationship.setObjectName("guardianRelationship")
        self.relationship.addItem(self.tr("父母"), "parent")
        self.relationship.addItem(self.tr("其他法定监护人"), "guardian")
        self.guardian_button = EnterButton(self.tr("登记监护人"))
        self.guardian_button.setObjectName("guardianButton")
        self.guardian_button.clicked.connect(self.record_guardian)
        row.addWidget(self.relationship, 1)
        row.addWidget(self.guardian_button)
        return box

    def record_guardian(self) -> None:
        visit = self._visit()
        if visit is None:
            return
        relationship = self.relationship.currentData()

        def done(_: object) -> None:
            self.message.show_ok(
                self.tr("已登记监护人及其与客户的关系（{rel}），将打印在受理单上。").format(
                    rel=self.relationship.currentText()
                )
            )
            self.changed.emit()

        self._runner.run(
            lambda: self._services.intake.record_guardian(self._session(), visit, relationship),
            done,
            self._failed,
            background=False,
        )

    def _simulator_box(self) -> QGroupBox:
        """Demo and training only: put a demo card on the simulated reader."""
        box = QGroupBox(self.tr("模拟设备（演示）"))
        row = QHBoxLayout(box)
        self.sim_person = QComboBox()
        self.sim_person.setObjectName("simPerson")
        for name in demo_person_names():
            self.sim_person.addItem(name, name)
        place = EnterButton(self.tr("放卡"))
        place.setObjectName("simPlace")
        place.clicked.connect(self._place_demo_card)
        self.sim_face = QComboBox()
        self.sim_face.setObjectName("simFace")
        for scenario in ("pass", "low_score", "liveness_fail", "device_error"):
            self.sim_face.addItem(scenario, scenario)
        self.sim_face.activated.connect(self._face_scenario)
        row.addWidget(self.sim_person, 1)
        row.addWidget(place)
        row.addWidget(self.sim_face)
        return box

    def _place_demo_card(self) -> None:
        reader = self._services.reader
        if isinstance(reader, SimulatedIdCardReader):
            reader.place(self.sim_person.currentData())
            self.message.show_message(self.tr("已在模拟读卡器上放置证件。"), "info")

    def _face_scenario(self, index: int) -> None:
        self._services.face = SimulatedFaceComparer.scenario(self.sim_face.itemData(index))

    def focus_unit(self) -> None:
        self.unit_name.setFocus()

    def register_unit(self) -> None:
        visit = self._visit()
        if visit is None:
            return
        name, code = self.unit_name.text(), self.credit_code.text()

        def done(_: object) -> None:
            self.party.setCurrentIndex(self.party.findData("agent"))
            self.message.show_ok(
                self.tr("单位已登记。请读取经办人本人证件（F2），并留存单位委托书。")
            )
            self.read_button.setFocus()
            self.changed.emit()

        self._runner.run(
            lambda: self._services.verification.register_unit(
                self._session(), visit, unit_name=name, credit_code=code
            ),
            done,
            self._failed,
            background=False,
        )
