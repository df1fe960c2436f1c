"""Library rows show a long title on two lines instead of cutting it after a few words."""

from PySide6.QtGui import QFont, QFontMetrics

from reviewapp.ui.panes.library import wrap_in_two_lines

TITLE = "Amazon CEO reportedly raised Anthropic model concerns before government crackdown"


def test_a_long_title_fills_the_first_line_and_elides_the_second(qapp):
    metrics = QFontMetrics(QFont())
    width = metrics.horizontalAdvance("Amazon CEO reportedly raised")
    first, second = wrap_in_two_lines(metrics, TITLE, width)
    assert first == "Amazon CEO reportedly raised"
    assert second.startswith("Anthropic model") and second.endswith("…")
    assert metrics.horizontalAdvance(second) <= width


def test_short_titles_and_single_long_words_take_one_line(qapp):
    metrics = QFontMetrics(QFont())
    assert wrap_in_two_lines(metrics, "Short title", 500) == ["Short title"]
    (only,) = wrap_in_two_lines(metrics, "Supercalifragilistic" * 5, 80)
    assert only.endswith("…")
