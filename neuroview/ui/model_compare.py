"""The Models dialog's text, without Qt, so that it is checked without a window: a registry row,
and the compare view, two model cards' held-out figures side by side (``(what, A, B, B - A)``)
with the line over them."""

from __future__ import annotations

from ..ai.held_out import (
    base_on_same_cases,
    dice_scores,
    held_out_lesionwise,
    held_out_set,
    label_dice_cases,
    other_cases,
    other_rules,
    other_tasks,
)
from ..ai.metrics import dice_cases_note, dice_text, lesion_rule, measured_mean, rule_name

SIZE_NAMES = ("<5mm", "5-10mm", ">10mm")  # neuroview.ai.metrics.SIZE_BINS' names


def registry_row(entry, default, clicks, task: str) -> tuple[tuple[str, ...], str]:
    """The registry table's texts of ``entry`` (mark, model, source, held-out Dice, split, parent,
    created) and the tooltip of its Dice and split ('' when it has no Dice). ``default``: the
    default for ``task``; ``clicks``: the AI click default, marked too."""
    card = entry.card
    dice = ", ".join(f"{k} {dice_text(v, '.4f')}" for k, v in dice_scores(card).items()) or "-"
    # each row's Dice is of its own held-out cases: the cases the card describes and its split
    # (a fine-tune's bare id, '35ed6036940c9f82', beside the bundled row's 'whole heads from
    # seeds ...' named no dataset), the description alone where it names none, never a bare "-"
    split_id = card.metrics.get("held_out_split")
    described = held_out_set(card) if card.metrics.get("held_out_description") else ""
    split = (f"{described} (split {split_id})" if described and split_id else split_id or described
             or (held_out_set(card) if dice != "-" else "-"))
    mark = ("\u2605 default" if entry.ref == default else
            "AI click default" if entry.ref == clicks and task != "interactive" else "")
    values = (mark, entry.ref, "bundled" if entry.bundled else "user", dice, str(split),
              card.parent or "-", (card.created or "-")[:16].replace("T", " "))
    tip = ("Held-out Dice of this model's own held-out cases: "
           + str(card.metrics.get("held_out_description") or held_out_set(card))
           + ". Only models of one split compare (Measure on a dataset... runs two on one).")
    return values, tip if dice != "-" else ""


def _card_dice(card, scores: dict, label: str) -> str:
    """A card's Dice of ``label``: ``0.8571 (1 of 2 cases)`` when held-out cases without it were
    left out (:func:`.held_out.label_dice_cases`), ``not measured`` when no case
    held it, ``-`` when the card has none."""
    if label not in scores:
        return "-"
    if scores[label] is None:
        return "not measured"
    note = label_dice_cases(card, label).split(":")[0].replace("over ", "")
    return f"{scores[label]:.4f}{note + ')' if note else ''}"


def compare_rows(card_a, card_b) -> list[tuple[str, str, str, str]]:
    """(what, A, B, B - A) rows of two cards: Dice per label, the mean, and how they were measured.
    Figures of different held-out cases are named so and get no difference: "Dice lesion, own
    cases" and "not comparable" (a fine-tune's Dice on the user's cases stood beside its base's on
    the bundled recipe's heads, "-0.1234", as if one had got worse)."""
    a, b = dice_scores(card_a), dice_scores(card_b)
    apart = other_cases(card_a, card_b)
    suffix = ", own cases" if apart else ""
    rows = []
    for label in list(a) + [k for k in b if k not in a]:
        va, vb = a.get(label), b.get(label)
        diff = f"{vb - va:+.4f}" if va is not None and vb is not None else ""
        rows.append((f"Dice {label}{suffix}", _card_dice(card_a, a, label), _card_dice(card_b, b, label),
                     diff))
    if len(a) > 1 or len(b) > 1:
        ma, mb = measured_mean(a.values()), measured_mean(b.values())
        rows.append((f"Dice mean{suffix}", "-" if ma is None else f"{ma:.4f}",
                     "-" if mb is None else f"{mb:.4f}",
                     f"{mb - ma:+.4f}" if ma is not None and mb is not None else ""))
    lesion_rows = lesionwise_rows(card_a, card_b)
    if other_rules(held_out_lesionwise(card_a), held_out_lesionwise(card_b)):   # counted two ways
        lesion_rows = [(what, va, vb, "not comparable" if diff else "") for what, va, vb, diff in lesion_rows]
    rows.extend((f"{what}{suffix}", va, vb, diff) for what, va, vb, diff in lesion_rows)
    if apart or other_tasks(card_a, card_b):
        rows = [(what, va, vb, "not comparable" if diff else "") for what, va, vb, diff in rows]
    for key, what in (("held_out_cases", "held-out cases"), ("held_out_split", "held-out split")):
        rows.append((what, str(card_a.metrics.get(key, "-")), str(card_b.metrics.get(key, "-")), ""))
    around = [around_network(card) for card in (card_a, card_b)]   # as one model's card shows it
    rows.append(("around the network", *around, "differs" if around[0] != around[1] else ""))
    for what, value in (("epochs", lambda c: c.training.get("epochs_run", "-")),
                        ("parent", lambda c: c.parent or "-"), ("created", lambda c: c.created or "-")):
        rows.append((what, str(value(card_a)), str(value(card_b)), ""))
    return rows


def lesionwise_rows(card_a, card_b) -> list[tuple[str, str, str, str]]:
    """Lesion-wise held-out rows (sensitivity overall and per size, false positives per case, F1)
    when either card has them (``metrics.held_out_lesionwise``)."""
    a = card_a.metrics.get("held_out_lesionwise") or {}
    b = card_b.metrics.get("held_out_lesionwise") or {}
    if not a and not b:
        return []

    def get(summary, *path):
        for key in path:
            summary = summary.get(key) if isinstance(summary, dict) else None
        return summary

    def rule(summary) -> str:   # the detection rule that counted "found" (none named: any-overlap)
        return rule_name(lesion_rule(summary)) if summary else "-"

    rows = [("lesion rule", rule(a), rule(b), "")]
    items = [("lesions found", ("sensitivity",), "{:.0%}"), ("F1 lesion-wise", ("f1",), "{:.3f}"),
             ("false regions per case", ("false_positives_per_case",), "{:.2f}")]
    items += [(f"found {name}", ("by_size", name, "sensitivity"), "{:.0%}") for name in SIZE_NAMES]
    for what, path, form in items:
        va, vb = get(a, *path), get(b, *path)
        diff = ""
        if va is not None and vb is not None:   # in the unit the two columns show
            diff = (f"{100 * (vb - va):+.0f} points" if form.endswith("%}")
                    else form.replace("{:", "{:+").format(vb - va))
        rows.append((what, _shown(a, path, form, va), _shown(b, path, form, vb), diff))
    return rows


def _shown(summary, path, form: str, value) -> str:
    """A figure as its column shows it; a share of lesions found with its count, ``33% (1/3)``,
    as ``models compare`` prints ``found 1/3`` (the dialog gave 33% alone, the count unsaid); F1
    with the cases it is over when some hold no lesion, ``0.800 (1 of 2 cases)``."""
    if value is None:   # F1 over no case: none holds a lesion (session 40 on)
        return "not measured" if path == ("f1",) and isinstance(summary.get("f1_cases"), int) else "-"
    text = form.format(value)
    if path == ("f1",) and summary.get("f1_cases") not in (None, summary.get("cases")):
        text += f" ({summary['f1_cases']} of {summary.get('cases')} cases)"
    if path[-1] == "sensitivity":
        for key in path[:-1]:
            summary = summary.get(key) if isinstance(summary, dict) else None
        if isinstance(summary, dict) and isinstance(summary.get("lesions"), int) and \
                isinstance(summary.get("found"), int):
            text += f" ({summary['found']}/{summary['lesions']})"
    return text


def same_cases_rows(card_a, card_b) -> list[tuple[str, str, str, str]]:
    """When one card is a fine-tune of the other and holds its base run on the same held-out cases
    (``metrics.base_held_out``): Dice per label, lesion-wise F1 and lesions found of both on
    those cases, which compare them directly (their own cards may be on different splits)."""
    measured, base_is_a = base_on_same_cases(card_b, card_a), True
    if not measured:
        measured, base_is_a = base_on_same_cases(card_a, card_b), False
    if not measured:
        return []
    fine = card_b if base_is_a else card_a
    base_dice = {str(k): None if v is None else float(v) for k, v in measured["dice"].items()}
    fine_lesions = fine.metrics.get("held_out_lesionwise") or {}
    base_lesions = measured.get("lesionwise") if isinstance(measured.get("lesionwise"), dict) else {}
    if other_rules(fine_lesions, base_lesions):   # counted two ways: Dice alone compares
        fine_lesions = base_lesions = {}
    pairs = [(f"Dice {label}, same cases", base_dice.get(label), value, "{:.4f}")
             for label, value in dice_scores(fine).items()]
    pairs.append(("F1 lesion-wise, same cases", base_lesions.get("f1"), fine_lesions.get("f1"), "{:.3f}"))
    rows = []
    for what, base_value, fine_value, form in pairs:
        if base_value is None or fine_value is None:
            continue
        va, vb = (base_value, fine_value) if base_is_a else (fine_value, base_value)
        rows.append((what, form.format(va), form.format(vb), form.replace("{:", "{:+").format(vb - va)))
    if "found" in base_lesions and "found" in fine_lesions:
        va, vb = (base_lesions, fine_lesions) if base_is_a else (fine_lesions, base_lesions)
        rows.append(("lesions found, same cases", f"{va['found']}/{va.get('lesions', '?')}",
                     f"{vb['found']}/{vb.get('lesions', '?')}", f"{vb['found'] - va['found']:+d}"))
    return rows


def measured_rows(card_a, card_b, dice_a, dice_b, a: dict, b: dict) -> list[tuple[str, str, str, str]]:
    """Rows of two models run on one split (``Measure on a dataset...``), which the cards' rows
    may not be on: Dice per label of ``card_a``'s labels (``dice_a``, ``dice_b``), then the
    lesion-wise summaries ``a`` and ``b``."""
    rows = [(f"Dice {label.name}, measured" + dice_cases_note(a).replace(":", ";"),
             dice_text(va, ".4f"), dice_text(vb, ".4f"),
             f"{vb - va:+.4f}" if va is not None and vb is not None else "")
            for label, va, vb in zip(card_a.labels, dice_a, dice_b)]   # None: no case holds it
    if other_rules(a, b):   # counted two ways: Dice alone compares
        return rows
    if a.get("f1") is not None and b.get("f1") is not None:
        rows.append(("F1 lesion-wise, measured", f"{a['f1']:.4f}", f"{b['f1']:.4f}",
                     f"{b['f1'] - a['f1']:+.4f}"))
    if "found" in a and "found" in b:
        rows.append(("lesions found, measured", f"{a['found']}/{a.get('lesions', '?')}",
                     f"{b['found']}/{b.get('lesions', '?')}", f"{b['found'] - a['found']:+d}"))
    key = "false_positives_per_case"
    if a.get(key) is not None and b.get(key) is not None:
        rows.append(("false regions per case, measured", f"{a[key]:.2f}", f"{b[key]:.2f}",
                     f"{b[key] - a[key]:+.2f}"))
    return rows


def one_model_text(ref: str, card) -> str:
    """The compare pane's lines for one selected model: what it does around the network (its
    card), and its base's Dice on the same held-out cases when the card holds them."""
    from ..ai.card_text import processing_lines
    from ..ai.domain import domain_line

    said = domain_line(card)
    lines = ([said] if said else []) + processing_lines(card)
    measured = card.metrics.get("base_held_out")
    if isinstance(measured, dict) and isinstance(measured.get("dice"), dict):
        dice = ", ".join(f"{k} {dice_text(v, '.4f')}" for k, v in measured["dice"].items())
        lines.append(f"its base {measured.get('ref') or card.parent} on the same held-out cases: "
                     f"Dice {dice} (this model: "
                     + (", ".join(f"{k} {dice_text(v, '.4f')}" for k, v in dice_scores(card).items()) or "-")
                     + "); select both to compare them")
    return f"{ref}:\n" + "\n".join(f"  {line}" for line in lines) + "\n"


def around_network(card) -> str:
    """What the model does before and after its network (brain extraction, the rules on its
    output), the lines one selected model shows: two selected showed their figures only, so a
    model that strips the skull first stood beside one that does not with nothing to say so."""
    from ..ai.card_text import processing_lines

    return "\n".join(processing_lines(card))


def compare_note(a, b, same_cases: bool) -> str:
    """The line over the compare table of cards ``a`` and ``b``: whether their figures compare
    (same held-out split, a fine-tune and its base on the same cases, different tasks)."""
    split, split_b = a.metrics.get("held_out_split"), b.metrics.get("held_out_split")
    # Cards of the bundled recipe name no split (their held-out heads are described instead):
    # two of them were said to be "measured on different held-out splits", which no card says
    if split and split == split_b:
        same = "measured on the same held-out split, so the Dice can be compared."
    elif not split and not split_b:
        same = ("neither card names its held-out split, so whether their Dice were measured on "
                "the same cases is not recorded (Promote compares them as they are; Measure on "
                "a dataset... runs both on one split).")
    else:
        same = ("measured on different held-out splits: the Dice are not comparable (run "
                "Measure on a dataset... to run both on one split).")
    if other_cases(a, b):   # which cases each card's figures ("own cases") come from
        same += f" {a.ref}'s own cases: {held_out_set(a)}; {b.ref}'s: {held_out_set(b)}."
    if same_cases:
        fine, base = (b, a) if base_on_same_cases(b, a) else (a, b)
        same = (f"{fine.ref} was trained from {base.ref}, and its card holds {base.ref} run on "
                f"the same held-out cases at the end of training: rows 'same cases' compare the "
                f"two directly. Below them, each card's own figures: {same}")
    rules = other_rules(held_out_lesionwise(a), held_out_lesionwise(b))
    if rules:   # a card of before MSSEG-2016's rule beside one of after
        same += f" The two cards' {rules}."
    same = f"{other_tasks(a, b)}." if other_tasks(a, b) else same   # a lesion and an AI click model
    return f"{a.ref} (A) against {b.ref} (B), from their cards: {same}"


__all__ = ["base_on_same_cases", "compare_note", "compare_rows", "dice_scores", "held_out_set",
           "lesionwise_rows", "measured_rows", "one_model_text", "other_cases", "other_rules", "other_tasks",
           "registry_row", "same_cases_rows"]
