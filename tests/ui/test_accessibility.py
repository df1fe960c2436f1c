"""Accessibility: names and descriptions for assistive technology, a sensible keyboard order,
and icons that stay crisp on a 200% display."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from reviewapp import APP_ID
from reviewapp.resources_path import resource_path
from reviewapp.ui.actions import ACTIONS

# ---------------------------------------------------------------------- icons at 200%


def _argb(image: QImage) -> QImage:
    return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


def _svg_at(path: Path, pixels: int) -> QImage:
    """The SVG drawn directly at this many pixels: what a crisp icon must look like."""
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(path)).render(painter)
    painter.end()
    return image


def _difference(a: QImage, b: QImage) -> float:
    """Mean absolute difference per channel byte, 0-255."""
    assert (a.width(), a.height()) == (b.width(), b.height())
    first, second = bytes(_argb(a).constBits()), bytes(_argb(b).constBits())
    return sum(abs(x - y) for x, y in zip(first, second, strict=True)) / len(first)


def _check_crisp(name: str, icon: QIcon, svg: Path | None, logical: int = 16) -> None:
    pixmap = icon.pixmap(QSize(logical, logical), 2.0)
    assert not pixmap.isNull(), f"{name}: no icon"
    assert pixmap.devicePixelRatio() == 2.0, name
    assert (pixmap.width(), pixmap.height()) == (2 * logical, 2 * logical), (
        f"{name}: drew {pixmap.width()}x{pixmap.height()} px at 2x, not {2 * logical} px"
    )
    image = pixmap.toImage()
    native = 0.0
    if svg is not None:
        native = _difference(image, _svg_at(svg, 2 * logical))
        assert native < 0.5, f"{name}: the 2x icon is not the SVG drawn at {2 * logical} px"
    # Nor the 1x picture blown up, which is blurry (smooth) or blocky (nearest): it differs
    # from the real 2x drawing by far more than the real drawing differs from the SVG.
    small = icon.pixmap(QSize(logical, logical), 1.0).toImage()
    for mode in (
        Qt.TransformationMode.SmoothTransformation,
        Qt.TransformationMode.FastTransformation,
    ):
        upscaled = small.scaled(
            2 * logical, 2 * logical, Qt.AspectRatioMode.IgnoreAspectRatio, mode
        )
        blown_up = _difference(image, upscaled)
        assert blown_up > max(0.25, 4 * native), f"{name}: the 2x icon is the 1x one upscaled"


def test_every_icon_in_the_action_registry_has_an_svg_fallback():
    """Windows and macOS have no freedesktop icon theme: our SVGs are what they show."""
    missing = []
    for spec in ACTIONS:
        if not spec.icon:
            continue
        path = resource_path("icons", "actions", f"{spec.icon}.svg")
        if not path.is_file() or not QSvgRenderer(str(path)).isValid():
            missing.append(f"{spec.id} ({spec.icon}.svg)")
    assert missing == [], "draw these in resources/icons/actions/: " + ", ".join(missing)


def test_the_app_icon_is_drawn_natively_at_2x(qapp):
    from reviewapp.ui.app import app_icon

    svg = resource_path("icons", f"{APP_ID}.svg")
    for logical in (16, 32, 64, 256):
        _check_crisp("app icon", app_icon(), svg, logical)


def test_every_action_icon_is_drawn_natively_at_2x(make_window):
    window = make_window(show=False)
    checked = 0
    for spec, action in window.action_set.items():
        if not spec.icon:
            continue
        # A desktop theme may supply its own icon; ours must then match the SVG exactly.
        ours = (
            None
            if QIcon.hasThemeIcon(spec.icon)
            else resource_path("icons", "actions", f"{spec.icon}.svg")
        )
        for logical in (16, 24):
            _check_crisp(spec.id, action.icon(), ours, logical)
        checked += 1
    assert checked >= 25


def test_status_swatches_are_drawn_for_2x_screens(qapp):
    from reviewapp.ui.widgets import colour_icon

    icon = colour_icon("#e06666")
    pixmap = icon.pixmap(QSize(12, 12), 2.0)
    assert (pixmap.width(), pixmap.devicePixelRatio()) == (24, 2.0)
    small = icon.pixmap(QSize(12, 12), 1.0).toImage()
    upscaled = small.scaled(24, 24, Qt.AspectRatioMode.IgnoreAspectRatio)
    assert _difference(pixmap.toImage(), upscaled) > 1.0


def test_the_crispness_check_catches_an_icon_made_from_a_small_bitmap(qapp):
    """The check itself: a 16 px PNG shown at 200% is refused."""
    png = resource_path("icons", "hicolor", "16x16", "apps", f"{APP_ID}.png")
    with pytest.raises(AssertionError):
        _check_crisp("16 px PNG", QIcon(str(png)), None)
