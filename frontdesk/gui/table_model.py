"""One read-only table model over rows replaced as a whole (slip lines, look-up results).

A real ``QAbstractTableModel`` (STYLE.md): subclasses name their headers (source texts
translated in ``context``) and say what each cell shows; the window replaces the rows
after every service call and the views keep their selection where the row still exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .i18n import translate
from .qt import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class RowsTableModel(QAbstractTableModel):
    headers: tuple[str, ...] = ()
    context: str = "Table"  # the translation context of the headers

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> Any:
        return self._rows[index]

    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return translate(self.context, self.headers[section])
        return None

    def cell(self, row: Any, column: int) -> str:
        """The text of one cell; rows that are plain sequences show their items."""
        return str(row[column])

    def is_money(self, column: int) -> bool:
        """Money columns are right-aligned."""
        return False

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(self._rows[index.row()], index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and self.is_money(index.column()):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
