"""*View > Labels*: **G** shows or hides the label map over the slices (3D Slicer's slice-view key
for a segmentation), **Shift+G** / **Alt+G** draw it more / less opaque (the overlay's O keys'
modifiers). They work the *Segments* panel's *Labels* box and *Opacity* slider, so the panel and
the keys always say the same; a press says the result in the status line."""

from __future__ import annotations

from .action_keys import menu_item

STEP = 10
"""Opacity points (of the slider's 100) a press of Shift+G / Alt+G moves."""


class LabelKeys:
    """The *View > Labels* submenu's items; ``window``: the main window."""

    def __init__(self, window, menu) -> None:
        self.window = window
        self.panel = window.segment_panel
        menu = menu.addMenu("Labels")
        self.show_action = menu_item(window, menu, "Show labels", self._show, "G")
        self.show_action.setCheckable(True)
        self.show_action.setChecked(self.panel.visible_check.isChecked())
        self.more_action = menu_item(window, menu, "More opaque labels", lambda: self.step(STEP),
                                     "Shift+G")
        self.less_action = menu_item(window, menu, "Less opaque labels", lambda: self.step(-STEP),
                                     "Alt+G")
        self.panel.visible_check.toggled.connect(self.show_action.setChecked)   # a click there
        self.panel.visible_check.setToolTip(
            "Draw the label map over the slices (G shows / hides it)")
        self.panel.opacity_slider.setToolTip(   # the actions' keys: tests/ui/test_label_keys.py
            "Opacity of the labels over the slices (Shift+G / Alt+G step it)")

    def _show(self, on: bool) -> None:
        self.panel.visible_check.setChecked(on)
        self.window.notices.status("Labels shown" if on else "Labels hidden (G shows them)")

    def step(self, points: int) -> None:
        """Opacity up or down by ``points`` (0-100); hidden labels are shown first, so the press
        is seen."""
        slider = self.panel.opacity_slider
        slider.setValue(slider.value() + points)   # the slider keeps it within 0-100
        self.panel.visible_check.setChecked(True)
        self.window.notices.status(f"Labels at {slider.value()} % opacity")

