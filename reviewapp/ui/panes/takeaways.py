"""The takeaways pane: add, edit in place (double-click or F2), delete and reorder."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reviewapp.core.model import Takeaway
from reviewapp.core.scales import TAKEAWAY_KINDS
from reviewapp.ui import commands
from reviewapp.ui.actions import ActionSet
from reviewapp.ui.models.takeaways import KIND, KIND_ROLE, TEXT, TakeawaysModel
from reviewapp.ui.session import ReviewSession
from reviewapp.ui.widgets import (
    ChoiceCombo,
    describe,
    follow_action,
    keep_alt_down,
    keep_rows,
    route_undo_to_stack,
)


class KindDelegate(QStyledItemDelegate):
    """Edits a takeaway's kind with a combo box."""

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        keep_alt_down(combo)
        for key, label in TAKEAWAY_KINDS.items():
            combo.addItem(label, key)
        return combo

    def setEditorData(self, editor, index) -> None:
        editor.setCurrentIndex(max(0, editor.findData(index.data(KIND_ROLE))))

    def setModelData(self, editor, model, index) -> None:
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class TakeawaysPane(QWidget):
    def __init__(self, session: ReviewSession, actions: ActionSet, parent: QWidget | None = None):
        super().__init__(parent)
        describe(self, "Takeaways pane", "What the reader of the review should take away")
        self.session = session
        self.model = TakeawaysModel(self._edit, self)
        self.list = QTreeView(self)
        self.list.setObjectName("takeawaysList")
        describe(
            self.list,
            "Takeaways",
            "The review's takeaways in order; F2 edits one, Ctrl+Shift+Up and Down move it, "
            "Delete removes it",
        )
        self.list.setModel(self.model)
        self.list.setRootIsDecorated(False)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setItemDelegateForColumn(KIND, KindDelegate(self.list))
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        header = self.list.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(KIND, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(KIND, 104)
        self.list.addActions(actions.scoped("takeaways"))
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.kind = ChoiceCombo(TAKEAWAY_KINDS, parent=self)
        self.kind.setObjectName("takeawayKind")
        describe(self.kind, "Kind of takeaway", "Summary, concern or follow-up")
        self.text = QLineEdit(self)
        self.text.setObjectName("takeawayText")
        self.text.setPlaceholderText("Write a takeaway and press Enter")
        describe(self.text, "New takeaway", "Write a takeaway and press Enter to add it")
        route_undo_to_stack(self.text)
        add = QPushButton("Add", self)
        add.clicked.connect(self.add_from_field)
        self.add = add
        self.text.returnPressed.connect(self.add_from_field)
        entry = QHBoxLayout()
        entry.addWidget(self.kind)
        entry.addWidget(self.text, 1)
        entry.addWidget(add)

        up, down, delete = (QPushButton(t, self) for t in ("Move Up", "Move Down", "Delete"))
        describe(add, "Add takeaway", "Add the takeaway written in the field")
        describe(up, "Move Up", actions["takeaway.up"].toolTip())
        describe(down, "Move Down", actions["takeaway.down"].toolTip())
        describe(delete, "Delete Takeaway", actions["takeaway.delete"].toolTip())
        delete.setObjectName("danger")
        follow_action(up, actions["takeaway.up"])
        follow_action(down, actions["takeaway.down"])
        follow_action(delete, actions["takeaway.delete"])
        self.action_set = actions  # not 'actions': that is QWidget.actions()
        self.tool_buttons = {"takeaway.up": up, "takeaway.down": down, "takeaway.delete": delete}
        tools = QHBoxLayout()
        tools.addWidget(up)
        tools.addWidget(down)
        tools.addStretch(1)
        tools.addWidget(delete)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.addWidget(self.list, 1)
        inner = QVBoxLayout()
        inner.setContentsMargins(10, 0, 10, 0)
        inner.addLayout(tools)
        inner.addLayout(entry)
        layout.addLayout(inner)

        actions["takeaway.add"].triggered.connect(self.focus_entry)
        actions["takeaway.delete"].triggered.connect(self.delete_current)
        actions["takeaway.up"].triggered.connect(lambda: self.move_current(-1))
        actions["takeaway.down"].triggered.connect(lambda: self.move_current(1))
        session.reviewOpened.connect(self._reload)
        session.takeawaysChanged.connect(self._reload)
        session.takeawayAdded.connect(self._added)
        session.takeawayUpdated.connect(self._updated)
        session.takeawayRemoved.connect(self._removed)
        session.takeawaysMoved.connect(self._moved)
        self.list.selectionModel().currentRowChanged.connect(lambda *_: self._update_tools())
        session.reviewChanged.connect(self._update_tools)  # signed off or reopened
        self._reload()

    def _reload(self) -> None:
        current = self.current()
        data = self.session.data
        self.model.set_takeaways(data.takeaways if data else [])
        if current is not None:
            self.select(current.id)
        self.setEnabled(data is not None)
        keep_rows(self.list)
        editable = self.session.editable
        for widget in (self.kind, self.text, self.add):
            widget.setEnabled(editable)
        self.list.setEditTriggers(
            (
                QAbstractItemView.EditTrigger.DoubleClicked
                | QAbstractItemView.EditTrigger.EditKeyPressed
            )
            if editable
            else QAbstractItemView.EditTrigger.NoEditTriggers
        )
        self._update_tools()

    def _items(self) -> list[Takeaway]:
        return self.session.data.takeaways if self.session.data else []

    def _added(self, takeaway_id: int) -> None:
        """One takeaway came: insert its row (the others keep theirs and the selection)."""
        items = self._items()
        row = next((i for i, t in enumerate(items) if t.id == takeaway_id), -1)
        if row < 0 or self.model.rowCount() != len(items) - 1:
            self._reload()
            return
        self.model.insert(row, items)
        self.model.rows_changed_from(row + 1)  # their positions moved down one
        keep_rows(self.list)
        self._update_tools()

    def _updated(self, takeaway_id: int) -> None:
        items = self._items()
        takeaway = next((t for t in items if t.id == takeaway_id), None)
        if takeaway is None or self.model.replace(takeaway) < 0:
            self._reload()

    def _removed(self, takeaway_id: int) -> None:
        items = self._items()
        row = self.model.row_of(takeaway_id)
        if row < 0 or self.model.rowCount() != len(items) + 1:
            self._reload()
            return
        self.model.remove(row, items)
        self.model.rows_changed_from(row)
        self._update_tools()

    def _moved(self) -> None:
        """The same takeaways in another order: every row shows its new one, the selected
        takeaway stays selected."""
        items = self._items()
        if self.model.rowCount() != len(items):
            self._reload()
            return
        current = self.current()
        self.model.rows_changed_from(0, items)
        if current is not None:
            self.select(current.id)
        self._update_tools()

    def _update_tools(self) -> None:
        """Delete and the moves only when there is a takeaway they would act on."""
        row = self.list.currentIndex().row() if self.current() is not None else -1
        editable = self.session.editable and row >= 0
        usable = {
            "takeaway.delete": editable,
            "takeaway.up": editable and row > 0,
            "takeaway.down": editable and row < self.model.rowCount() - 1,
        }
        for action_id, on in usable.items():
            self.action_set[action_id].setEnabled(on)  # its button follows (follow_action)

    def current(self) -> Takeaway | None:
        index = self.list.currentIndex()
        return self.model.takeaway_at(index.row()) if index.isValid() else None

    def select(self, takeaway_id: int) -> None:
        row = self.model.row_of(takeaway_id)
        if row >= 0:
            self.list.selectionModel().setCurrentIndex(
                self.model.index(row, TEXT),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def focus_entry(self) -> None:
        self.text.setFocus()

    def add_from_field(self) -> None:
        data = self.session.data
        text = self.text.text().strip()
        if data is None or not text:
            return
        command = commands.AddTakeaway(self.session, data.review.id, text, self.kind.key())
        if self.session.push(command):
            self.text.clear()
            if command.takeaway is not None:
                self.select(command.takeaway.id)

    def _edit(self, takeaway: Takeaway, field: str, value: str) -> None:
        self.session.push(commands.EditTakeaway(self.session, takeaway, field, value))

    def delete_current(self) -> None:
        takeaway = self.current()
        if takeaway is not None:
            self.session.push(commands.DeleteTakeaway(self.session, takeaway))

    def move_current(self, step: int) -> None:
        takeaway = self.current()
        if takeaway is None:
            return
        position = takeaway.position + step
        in_range = 0 <= position < self.model.rowCount()
        if in_range and self.session.push(commands.MoveTakeaway(self.session, takeaway, position)):
            self.select(takeaway.id)
