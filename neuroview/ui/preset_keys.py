"""*View > Window preset*: a key for each window/level preset, as PACS viewers give CT readers.

1 to 7 choose the CT presets in the *Preset* box's order (brain 80/40, subdural, stroke, bone,
lung, soft tissue 400/40, mediastinum), 0 the automatic window; the keys go to the window as the
mouse mode keys do, so a box being typed into keeps its digits. A CT preset on an image that is not a CT
is refused in one line (its Hounsfield units would mean nothing there).
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from ..app.view_presets import AUTO, CT_PRESETS

PRESET_KEYS: tuple[tuple[str, str], ...] = (
    *((name, str(number)) for number, name in enumerate(CT_PRESETS, start=1)),
    (AUTO, "0"),
)
"""(preset name, key): the CT table's presets on 1-7, *Auto* on 0."""
KEYS_TIP = (f"Keys {PRESET_KEYS[0][1]} to {PRESET_KEYS[-2][1]}: the CT presets of View > Window preset "
            f"(a CT only), {PRESET_KEYS[-1][1]}: {AUTO}")
"""The *Preset* box's tooltip: the keys of *View > Window preset* (it named none)."""


def _label(name: str) -> str:
    if name in CT_PRESETS:
        window, level = CT_PRESETS[name]
        return f"{name} {window:g}/{level:g}"
    return name


def install_preset_keys(window, menu) -> dict[str, QAction]:
    """The *Window preset* submenu of ``menu`` (the View menu), one action per preset."""
    submenu = menu.addMenu("Window preset")
    actions = {}
    for name, key in PRESET_KEYS:
        action = QAction(_label(name), window)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _=False, n=name: choose_preset(window, n))
        submenu.addAction(action)
        actions[name] = action
    return actions


def choose_preset(window, name: str) -> None:
    """Apply the preset ``name`` from the *Display* panel; one line when this image has none."""
    if window.controller.volume is None:
        return
    if not window.display_panel.choose_preset(name):
        window.notice_bar.tell(f"{_label(name)} is a CT window (Hounsfield units): this image is "
                               "not a CT")
