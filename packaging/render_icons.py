"""Render the application icon's PNGs (and the Windows .ico and macOS .icns) from its SVG.

Run from the repository root after editing the SVG, then commit the results::

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py

A ``NAME-16.svg`` beside the SVG is a redraw on the 16 px grid and is used for that size, since
thin outlines scaled down to 16 px blur into grey. Qt's own SVG renderer (QtSvg ships in
PySide6-Essentials) does the drawing, so no other tool is needed. The .ico and .icns containers
are written here because Qt writes only one image per file in those formats, and both simply
wrap PNG images.
"""

from __future__ import annotations

import argparse
import struct
import sys
from pathlib import Path

APP_ID = "org.reviewapp.ReviewApp"
SIZES = (16, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 32, 48, 64, 128, 256)
# ICNS types that hold PNG data: (type, pixel size). The @2x types reuse the larger renders.
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"icp6", 64),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
)

REPO = Path(__file__).resolve().parent.parent
ICONS = REPO / "resources" / "icons"


def png_path(icons_dir: Path, size: int) -> Path:
    """Where the hicolor theme expects the ``size`` px icon."""
    return icons_dir / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def source_for(svg: Path, size: int) -> Path:
    """The SVG to draw ``size`` px from: a pixel-aligned ``NAME-<size>.svg`` beside it, if any."""
    variant = svg.with_name(f"{svg.stem}-{size}.svg")
    return variant if variant.is_file() else svg


def render_png(svg: Path, size: int) -> bytes:
    """Render ``svg`` to a square PNG of ``size`` px with a transparent background."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 6.11 accepts the format as str at run time; its stubs say bytes
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise SystemExit(f"Qt could not encode the {size} px PNG")
    buffer.close()
    return bytes(data.data())


def build_ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding PNG-compressed images (supported since Windows Vista)."""
    header = struct.pack("<HHH", 0, 1, len(ICO_SIZES))
    offset = len(header) + 16 * len(ICO_SIZES)
    entries, blobs = b"", b""
    for size in ICO_SIZES:
        blob = pngs[size]
        edge = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs += blob
    return header + entries + blobs


def build_icns(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns whose entries are PNG images."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def render_all(svg: Path, icons_dir: Path) -> list[Path]:
    """Write every PNG size, the .ico and the .icns below ``icons_dir``; return the paths."""
    from PySide6.QtGui import QGuiApplication

    # QImage and QPainter need a QGuiApplication; the offscreen platform needs no display.
    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0], "-platform", "offscreen"])
    pngs = {size: render_png(source_for(svg, size), size) for size in SIZES}
    written: list[Path] = []
    for size, blob in pngs.items():
        target = png_path(icons_dir, size)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob)
        written.append(target)
    for name, blob in ((f"{APP_ID}.ico", build_ico(pngs)), (f"{APP_ID}.icns", build_icns(pngs))):
        target = icons_dir / name
        target.write_bytes(blob)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", type=Path, default=ICONS / f"{APP_ID}.svg")
    parser.add_argument("--out", type=Path, default=ICONS, help="icons folder to write into")
    args = parser.parse_args(argv)
    if not args.svg.is_file():
        parser.error(f"no SVG at {args.svg}")
    for path in render_all(args.svg, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
