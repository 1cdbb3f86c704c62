"""One current tool, shown alike in its three places: the *Mouse mode* tool bar, the Edit menu's
checked item and the Segment editor's tool buttons, as Slicer's effect buttons and its mouse-mode
tool bar do. Navigate stayed checked on the tool bar while Threshold, Islands or Grow from seeds
was the editor's tool, and nothing was checked there during AI click: two "current tool"s that
disagreed. A tool with no place in one of them (Islands on the tool bar, the Ruler among the
editor's buttons) leaves nothing checked there."""

from __future__ import annotations


def current_tool(panel, controller) -> str:
    """The editor's tool when one is picked, else the views' mouse mode (Navigate, Ruler...)."""
    return panel.tool if panel.tool != "navigate" else controller.mode


class ToolIndicators:
    """Keeps ``mode_actions`` (tool bar, with Navigate also in Edit), the Edit menu's
    ``tool_actions`` and the editor's ``tool_buttons`` checked on the one current tool."""

    def __init__(self, controller, mode_actions: dict, edit_actions) -> None:
        self.controller = controller
        self.panel = edit_actions.panel
        self.places = (mode_actions, edit_actions.tool_actions)
        for action in edit_actions.tool_actions.values():
            action.setCheckable(True)
        controller.mode_changed.connect(self.show)
        self.panel.tool_changed.connect(self.show)
        self.show()

    def show(self, _tool: str = "") -> None:
        tool = current_tool(self.panel, self.controller)
        for actions in self.places:
            for name, action in actions.items():
                action.setChecked(name == tool)
        group = self.panel.tool_group
        group.setExclusive(False)   # an exclusive group keeps one button checked: the Ruler none
        for name, button in self.panel.tool_buttons.items():
            button.setChecked(name == tool)
        group.setExclusive(True)
