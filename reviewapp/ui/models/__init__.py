"""One Qt item model per list pane; each is tested without a window."""

from PySide6.QtCore import Qt

# Custom item data roles shared by the models.
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's database id
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2  # the dataclass the row shows
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3  # a status key (claim or review)
SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 4  # a second, smaller line of text
