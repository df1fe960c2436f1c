"""Library rows show a long title on two lines instead of cutting it after a few words."""

from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF

from reviewapp.ui.elide import elide_right
from reviewapp.ui.panes.library import wrap_in_two_lines

TITLE = "Amazon CEO reportedly raised Anthropic model concerns before government crackdown"


def test_a_long_title_fills_the_first_line_and_elides_the_second(qapp):
    metrics = QFontMetrics(QFont())
    width = metrics.horizontalAdvance("Amazon CEO reportedly raised")
    first, second = wrap_in_two_lines(metrics, QFontMetricsF(QFont()), TITLE, width)
    assert first == "Amazon CEO reportedly raised"
    assert second.startswith("Anthropic model") and second.endswith("…")
    assert metrics.horizontalAdvance(second) <= width


def test_short_titles_and_single_long_words_take_one_line(qapp):
    metrics = QFontMetrics(QFont())
    exact = QFontMetricsF(QFont())
    assert wrap_in_two_lines(metrics, exact, "Short title", 500) == ["Short title"]
    (only,) = wrap_in_two_lines(metrics, exact, "Supercalifragilistic" * 5, 80)
    assert only.endswith("…")


TEXTS = (
    TITLE,
    "Ünïcödé çàfé naïve résumé — déjà vu",
    "Emoji 😀👍🏽 family 👨‍👩‍👧 flags 🇫🇷🇩🇪 end",  # characters of several UTF-16 units
    "e\u0301e\u0301e\u0301 combining marks",
    "مرحبا بالعالم هذا نص طويل",  # joined letters: Qt keeps the last one joined
    "AVAVAV To Ta WAW",  # kerned pairs
    "x",
)


def test_titles_are_cut_exactly_where_qt_cuts_them(qapp):
    """The rows elide without Qt's enums (they are drawn before the first paint); the text
    cut must be Qt's own, or rows would change look once Qt's enums exist."""
    from PySide6.QtCore import Qt

    for bold in (False, True):
        font = QFont()
        font.setBold(bold)
        metrics, exact = QFontMetrics(font), QFontMetricsF(font)
        for text in TEXTS:
            for width in range(0, 400, 7):
                expected = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
                assert elide_right(exact, text, width) == expected, (text, width, bold)
