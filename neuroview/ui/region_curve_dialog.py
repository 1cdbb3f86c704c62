"""*Mean over time...* of an ellipse or a rectangle on a 4D image (the slice view's right-click
menu): its mean at every time point drawn as a curve, the peak said in a line, the figures in a
table and *Copy as CSV* for a spreadsheet (``app.region_curve``)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..app.region_curve import curve_csv, curve_summary, region_over_time
from ..app.view_measure import format_value
from .plain_text import plain_label
from .qt_guard import guard_overrides


@guard_overrides
class CurveWidget(QWidget):
    """The means as a line over the time points (time across, mean up), with the lowest and
    highest mean and the first and last time written at the axes' ends."""

    MARGIN = 48

    def __init__(self, points, unit: str, parent=None) -> None:
        super().__init__(parent)
        self.points = [p for p in points if p.stats.voxels]
        self.unit = unit
        self.setMinimumSize(420, 220)

    def positions(self) -> list[QPointF]:
        """Where each time point's mean is drawn (widget pixels)."""
        if not self.points:
            return []
        m = self.MARGIN
        xs = [p.seconds if p.seconds is not None else p.frame for p in self.points]
        ys = [p.stats.mean for p in self.points]
        x0, x1 = min(xs), max(xs) or 1
        y0, y1 = min(ys), max(ys)
        span_x, span_y = (x1 - x0) or 1.0, (y1 - y0) or 1.0
        w, h = self.width() - 2 * m, self.height() - 2 * m
        return [QPointF(m + (x - x0) / span_x * w, m + h - (y - y0) / span_y * h) for x, y in zip(xs, ys)]

    def paintEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(20, 20, 24))
        m, w, h = self.MARGIN, self.width(), self.height()
        painter.setPen(QPen(QColor(160, 160, 160), 1))
        painter.drawLine(m, h - m, w - m, h - m)
        painter.drawLine(m, m, m, h - m)
        positions = self.positions()
        if positions:
            means = [p.stats.mean for p in self.points]
            unit = f" {self.unit}" if self.unit else ""
            painter.drawText(4, m + 4, f"{format_value(max(means))}{unit}")
            painter.drawText(4, h - m, f"{format_value(min(means))}{unit}")
            first, last = self.points[0], self.points[-1]
            time = "s" if first.seconds is not None else ""
            start = first.seconds if first.seconds is not None else first.frame + 1
            end = last.seconds if last.seconds is not None else last.frame + 1
            painter.drawText(m, h - m + 16, f"{start:g} {time}".strip())
            painter.drawText(w - m - 40, h - m + 16, f"{end:g} {time}".strip())
            painter.drawText(w // 2 - 40, h - 8, "time (s)" if time else "time point")
            painter.setRenderHint(QPainter.Antialiasing)
            painter.setPen(QPen(QColor(255, 160, 40), 2))
            painter.drawPolyline(QPolygonF(positions))
            painter.setBrush(QColor(255, 160, 40))
            for point in positions:
                painter.drawEllipse(point, 2.5, 2.5)
        painter.end()


class RegionCurveDialog(QDialog):
    """The curve, its one-line summary, the table and *Copy as CSV* of ``region`` over
    ``volume``'s time points."""

    def __init__(self, volume, region, parent=None) -> None:
        super().__init__(parent)
        self.points = region_over_time(volume, region)
        unit = self.points[0].stats.unit if self.points else ""
        self.setWindowTitle(f"{region.kind} over time")
        layout = QVBoxLayout(self)
        self.summary = plain_label(curve_summary(volume, self.points))
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.curve = CurveWidget(self.points, unit, self)
        layout.addWidget(self.summary)
        layout.addWidget(self.curve, 1)
        self.table = QTableWidget(len(self.points), 4, self)
        mean = f"Mean ({unit})" if unit else "Mean"
        self.table.setHorizontalHeaderLabels(["Time point", "t (s)", mean, "Std"])
        self.table.verticalHeader().setVisible(False)
        for row, p in enumerate(self.points):
            cells = [str(p.frame + 1), "" if p.seconds is None else f"{p.seconds:g}",
                     format_value(p.stats.mean) if p.stats.voxels else "-",
                     format_value(p.stats.std) if p.stats.voxels else "-"]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        self.copy_button = buttons.addButton("Copy as CSV", QDialogButtonBox.ActionRole)
        self.copy_button.clicked.connect(self.copy_csv)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 560)

    def copy_csv(self) -> None:
        QApplication.clipboard().setText(curve_csv(self.points))


def show_region_curve(window, region) -> RegionCurveDialog:
    """Open the dialog of ``region`` over the window's image (not modal: the views stay usable;
    kept on the window as ``region_curve`` until the next one)."""
    old = getattr(window, "region_curve", None)
    if old is not None:
        old.close()
    window.region_curve = RegionCurveDialog(window.controller.volume, region, window)
    window.region_curve.show()
    return window.region_curve
