"""The first frame sets Qt's properties from plain ints (qt_ints) and guesses the colour scheme
from the desktop's palette: each int is Qt's own value, and each setting takes effect."""

from PySide6.QtCore import Qt

from reviewapp.ui import qt_ints
from reviewapp.ui.style import apply_style, looks_dark, settle_colour_scheme

QT_VALUES = {
    "DISPLAY_ROLE": Qt.ItemDataRole.DisplayRole,
    "TOOL_TIP_ROLE": Qt.ItemDataRole.ToolTipRole,
    "USER_ROLE": Qt.ItemDataRole.UserRole,
    "ALIGN_LEFT": Qt.AlignmentFlag.AlignLeft,
    "ALIGN_V_CENTER": Qt.AlignmentFlag.AlignVCenter,
    "ALIGN_CENTER": Qt.AlignmentFlag.AlignCenter,
    "SCROLL_BAR_ALWAYS_OFF": Qt.ScrollBarPolicy.ScrollBarAlwaysOff,
    "ACTIONS_CONTEXT_MENU": Qt.ContextMenuPolicy.ActionsContextMenu,
    "WIDGET_WITH_CHILDREN_SHORTCUT": Qt.ShortcutContext.WidgetWithChildrenShortcut,
}


def test_each_int_is_qts_value():
    names = {name for name in vars(qt_ints) if name.isupper()}
    assert names == set(QT_VALUES)  # a new constant gets its check here
    for name, value in QT_VALUES.items():
        assert getattr(qt_ints, name) == value.value, name


def test_the_library_takes_the_settings_made_with_ints(make_window):
    window = make_window()
    library = window.library
    assert library.list.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert library.list.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert library.no_match.alignment() == Qt.AlignmentFlag.AlignCenter
    assert library.loading.alignment() == Qt.AlignmentFlag.AlignCenter
    assert window.splitter.orientation() == Qt.Orientation.Horizontal  # columns side by side
    # An action of the library acts only while the focus is in the list.
    (scoped, *_) = window.action_set.scoped("library")
    assert scoped.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut


def test_a_wrong_guess_of_the_colour_scheme_is_put_right_after_the_first_paint(qapp):
    palette, sheet, font, style = (
        qapp.palette(),
        qapp.styleSheet(),
        qapp.font(),
        qapp.style().name(),
    )
    try:
        apply_style(qapp, dark=True)  # guessed dark, where the (offscreen) desktop says light
        assert looks_dark(qapp)
        settle_colour_scheme(qapp)
        assert not looks_dark(qapp)
        assert qapp.styleHints().colorScheme() != Qt.ColorScheme.Dark
    finally:  # as the other tests expect it (apply_style sets Fusion and a font too)
        qapp.setStyle(style)
        qapp.setFont(font)
        qapp.setStyleSheet(sheet)
        qapp.setPalette(palette)
