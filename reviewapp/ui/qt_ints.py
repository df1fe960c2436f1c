"""Qt enum values as the plain ints they are, for code that runs before the window's first paint.

In PySide6 6.11 the first use of the name ``Qt`` (an import of it, or a call with a ``Qt.*``
argument or result) builds all 93 Python enums of Qt's namespace: 15-20 ms of a 200 ms start
(issue 14). Qt's properties and item data roles take ints, so the first frame uses these;
code that runs later may use ``Qt`` itself. tests/ui/test_qt_ints.py checks each against Qt.
"""

DISPLAY_ROLE = 0  # Qt.ItemDataRole.DisplayRole
TOOL_TIP_ROLE = 3  # Qt.ItemDataRole.ToolTipRole
USER_ROLE = 0x100  # Qt.ItemDataRole.UserRole

ALIGN_LEFT = 0x1  # Qt.AlignmentFlag.AlignLeft
ALIGN_V_CENTER = 0x80  # Qt.AlignmentFlag.AlignVCenter
ALIGN_CENTER = 0x84  # Qt.AlignmentFlag.AlignCenter

SCROLL_BAR_ALWAYS_OFF = 1  # Qt.ScrollBarPolicy.ScrollBarAlwaysOff
ACTIONS_CONTEXT_MENU = 2  # Qt.ContextMenuPolicy.ActionsContextMenu
WIDGET_WITH_CHILDREN_SHORTCUT = 3  # Qt.ShortcutContext.WidgetWithChildrenShortcut
