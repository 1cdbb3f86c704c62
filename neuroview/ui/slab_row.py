"""The *Slab* row of the Display panel: a thick-slab view (MIP, MinIP, mean) of a given thickness
in one slice view or in all three (``app.view_slab``; drawn by ``render.slab``)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QHBoxLayout, QSizePolicy, QWidget

from ..app.view_slab import MAX_THICKNESS_MM, SLAB_MODES, Slab
from ..app.view_state import PLANES

ALL_VIEWS = "All views"
DEFAULT_MM = 10.0
"""The thickness *View > Thick slab (MIP)* (M) draws when the Slab row's box reads Off."""


class SlabRowWidget(QWidget):
    """Thickness (mm; 0 reads *Off*), mode, and the view(s) it applies to. ``controller``: the
    main window's, or anything with its ``state``, ``set_slab`` and ``changed`` (the follow-up
    window's panes, whose one slab is in both panes: no view box there)."""

    def __init__(self, controller, parent=None, views: bool = True) -> None:
        super().__init__(parent)
        self.controller = controller
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.thickness_box = QDoubleSpinBox()
        self.thickness_box.setRange(0.0, MAX_THICKNESS_MM)
        self.thickness_box.setDecimals(1)
        self.thickness_box.setSingleStep(1.0)
        self.thickness_box.setSuffix(" mm")
        self.thickness_box.setSpecialValueText("Off")
        self.thickness_box.setKeyboardTracking(False)
        self.thickness_box.setToolTip("Slab thickness along the view's normal (0: the thin slice); "
                                      "M: a MIP of this thickness (10 mm at Off), or the thin slice again")
        self.mode_box = QComboBox()
        for mode, name in SLAB_MODES.items():
            self.mode_box.addItem(name, mode)
        self.mode_box.setToolTip("MIP: brightest voxel of the slab; MinIP: darkest; Mean: average")
        self.view_box = QComboBox()
        self.view_box.addItems([ALL_VIEWS] + [plane.capitalize() for plane in PLANES])
        self.view_box.setToolTip("The slice view(s) the slab is drawn in")
        for widget in (self.thickness_box, self.mode_box, self.view_box):
            row.addWidget(widget)
        self.view_box.setVisible(views)
        # the row takes the width the panel's other rows give it: its three boxes side by side
        # widened the Display panel by 43 px, taken from the views (measured at 1000 px)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(180)
        self.thickness_box.valueChanged.connect(self._apply)
        self.mode_box.activated.connect(self._apply)
        self.view_box.activated.connect(self.sync)
        controller.changed.connect(self.sync)

    def target(self) -> str | None:
        """The plane chosen in the view box, ``None`` for all slice views."""
        index = self.view_box.currentIndex()
        return None if index <= 0 else PLANES[index - 1]

    def set_slab(self, thickness_mm: float, mode: str = "max", plane: str | None = None) -> None:
        """Choose a slab as a user does in the row (tests, *View* keys)."""
        self.view_box.setCurrentIndex(0 if plane is None else PLANES.index(plane) + 1)
        self.mode_box.setCurrentIndex(list(SLAB_MODES).index(mode))
        self.thickness_box.setValue(thickness_mm)
        self._apply()

    def _apply(self, *_args) -> None:
        slab = Slab(float(self.thickness_box.value()), self.mode_box.currentData())
        self.controller.set_slab(slab, self.target())

    def sync(self, *_args) -> None:
        """Show the slab of the chosen view (all views: the axial view's)."""
        state = self.controller.state
        if self.isEnabled() != (state is not None):
            self.setEnabled(state is not None)
        if state is None:
            return
        slab = state.slabs[self.target() or PLANES[0]]
        mode = list(SLAB_MODES).index(slab.mode)
        # only what differs: a wheel step (every controller change) repaints no panel
        if self.thickness_box.value() != slab.thickness_mm:
            self.thickness_box.blockSignals(True)
            self.thickness_box.setValue(slab.thickness_mm)
            self.thickness_box.blockSignals(False)
        if self.mode_box.currentIndex() != mode:
            self.mode_box.blockSignals(True)
            self.mode_box.setCurrentIndex(mode)
            self.mode_box.blockSignals(False)


def install_slab_key(window, menu, row: SlabRowWidget):
    """*View > Thick slab (MIP)* (**M**): every slice view a MIP of the Slab row's thickness
    (10 mm when it reads Off), or back to the thin slice; checked while any view shows a slab."""
    from PySide6.QtGui import QAction, QKeySequence

    action = QAction("Thick slab (MIP)", window)
    action.setCheckable(True)
    action.setShortcut(QKeySequence("M"))
    menu.addAction(action)

    def toggle(on: bool) -> None:
        toggle_mip(row, on)

    def sync() -> None:
        state = row.controller.state
        action.blockSignals(True)
        action.setChecked(state is not None and any(s.on for s in state.slabs.values()))
        action.blockSignals(False)

    action.toggled.connect(toggle)
    row.controller.changed.connect(sync)
    return action


def toggle_mip(row: SlabRowWidget, on: bool) -> None:
    """**M**: a MIP of the row's thickness (:data:`DEFAULT_MM` when it reads Off), or the thin
    slice (the mode chosen kept)."""
    thickness = row.thickness_box.value() or DEFAULT_MM
    row.set_slab(thickness if on else 0.0, "max" if on else row.mode_box.currentData())
