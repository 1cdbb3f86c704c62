"""*File > Worklist > Mark not done* (Ctrl+Shift+D) and *AI > Show uncertainty* (Ctrl+Shift+U) are on
no tool bar: their tooltips (what a click does, or why it does nothing) are shown in their menus,
as the File menu shows its own. Until session 49 those menus showed no tooltip at all."""

from __future__ import annotations

from menu_tips import hover_tip


def test_mark_not_done_says_what_it_does_in_the_worklist_menu(qtbot, window):
    training = window.training_actions
    tip = hover_tip(qtbot, window, training.worklist_menu, training.mark_not_done_action)
    assert tip == ("Mark the worklist case on screen not done: Next case offers it again (open one "
                   "with File > Worklist > Open worklist folder... or File > Worklist > Open worklist "
                   "CSV...) (Ctrl+Shift+D)")


def test_show_uncertainty_says_what_it_shows_in_the_ai_menu(qtbot, window):
    ai = window.ai_actions
    tip = hover_tip(qtbot, window, ai.menu, ai.uncertainty.show_action)
    assert tip == "Heat overlay of the model's uncertainty (entropy over test-time flips, in bits)"
