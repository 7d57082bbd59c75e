"""Render a board pack (assurance.board.pack.Pack) as PDF, PowerPoint or Excel, byte-for-byte repeatable.

One module a format (pdf, slides, workbook), what they share in layout, and the charts drawn once in images.
"""

from __future__ import annotations

from assurance.board.pack import Pack
from assurance.board.render.images import ChartImages
from assurance.board.render.layout import Progress
from assurance.board.render.pdf import render_pdf
from assurance.board.render.slides import render_pptx
from assurance.board.render.workbook import render_xlsx


def render(pack: Pack, fmt: str, progress: Progress | None = None) -> bytes:
    """The pack in `fmt` (pdf, pptx or xlsx)."""
    if fmt == "xlsx":
        return render_xlsx(pack)
    images = ChartImages(pack, progress)
    return render_pdf(pack, images, progress) if fmt == "pdf" else render_pptx(pack, images, progress)


__all__ = ["ChartImages", "render", "render_pdf", "render_pptx", "render_xlsx"]
