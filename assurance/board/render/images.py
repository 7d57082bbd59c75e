"""The pack's charts, drawn once per pack by matplotlib (no browser), for the PDF and the slides alike."""

from __future__ import annotations

from PIL import Image

from assurance.board.pack import Chart, Pack
from assurance.board.render.layout import Progress
from assurance.chart_images import png, raster

SCALE = 1.25  # a 760-pixel chart is 950 pixels wide: about 190 dots an inch at half a landscape A4 page


class ChartImages:
    """Every chart of the pack drawn once: as an image for the PDF, as PNG bytes for the slides."""

    def __init__(self, pack: Pack, progress: Progress | None = None):
        self._images: dict[int, Image.Image] = {}
        self._png: dict[int, bytes] = {}
        charts = [c for s in pack.sections for c in s.charts]
        for i, chart in enumerate(charts):
            if progress:
                progress(0.3 + 0.5 * i / len(charts), f"Drawing chart {i + 1} of {len(charts)}: {chart.title}")
            self._images[id(chart)] = raster(chart.drawing, chart.width, chart.height, SCALE)

    def image(self, chart: Chart) -> Image.Image:
        return self._images[id(chart)]

    def png(self, chart: Chart) -> bytes:
        if id(chart) not in self._png:
            self._png[id(chart)] = png(self._images[id(chart)])
        return self._png[id(chart)]
