"""The palette: the six node kinds, to click (a card appears in view) or drag onto the chart.

Enter adds the current kind too, for keyboard users. Each entry shows the
kind's glyph and name, and a one-sentence tooltip from
:data:`planner.model.vocabulary.NODE_DESCRIPTIONS`. A drag carries the kind as
:data:`~planner.ui.canvas.view.KIND_MIME`, which the chart view accepts.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem

from planner.chart.theme import Theme, current_theme, kind_icon
from planner.model.vocabulary import NODE_DESCRIPTIONS, NODE_KINDS, NODE_LABELS
from planner.ui.canvas.view import KIND_MIME

KIND_ROLE = Qt.ItemDataRole.UserRole + 1


class PaletteWidget(QListWidget):
    """A list of the node kinds; clicking one asks for a new card, dragging one carries its kind."""

    kind_chosen = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("palette")
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setIconSize(QSize(28, 28))
        self.setSpacing(2)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.setMouseTracking(True)
        for kind in NODE_KINDS:
            item = QListWidgetItem(NODE_LABELS[kind])
            item.setData(KIND_ROLE, kind)
            item.setToolTip(
                f"<b>{NODE_LABELS[kind]}</b><br>{NODE_DESCRIPTIONS[kind]}<br>"
                "<i>Click to add one, or drag it onto the chart.</i>"
            )
            item.setStatusTip(NODE_DESCRIPTIONS[kind])
            item.setSizeHint(QSize(0, 38))
            self.addItem(item)
        self.set_theme(current_theme())
        self.itemClicked.connect(self._on_clicked)

    def set_theme(self, theme: Theme) -> None:
        for row in range(self.count()):
            item = self.item(row)
            item.setIcon(kind_icon(item.data(KIND_ROLE), theme))

    def item_for(self, kind: str) -> QListWidgetItem:
        for row in range(self.count()):
            if self.item(row).data(KIND_ROLE) == kind:
                return self.item(row)
        raise KeyError(kind)

    def _on_clicked(self, item: QListWidgetItem) -> None:
        self.clearSelection()
        self.kind_chosen.emit(item.data(KIND_ROLE))

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self.kind_chosen.emit(self.currentItem().data(KIND_ROLE))
            event.accept()
            return
        super().keyPressEvent(event)

    def mimeData(self, items) -> QMimeData:
        mime = QMimeData()
        if items:
            mime.setData(KIND_MIME, items[0].data(KIND_ROLE).encode("utf-8"))
        return mime

    def mimeTypes(self) -> list[str]:
        return [KIND_MIME]

    def startDrag(self, supported_actions) -> None:
        item = self.currentItem()
        if item is None:
            return
        drag = QDrag(self)
        drag.setMimeData(self.mimeData([item]))
        drag.setPixmap(item.icon().pixmap(QSize(32, 32), self.devicePixelRatioF()))
        drag.exec(Qt.DropAction.CopyAction)
        self.clearSelection()

    def sizeHint(self) -> QSize:
        return QSize(190, 6 * 42 + 8)
