"""``neuroview models list|show|add|remove|default|promote|rollback|compare``: the model registry.

A model that scores a lower held-out Dice than the current default, or a higher one on a single
held-out case, is never promoted silently:
``promote`` (and ``default NAME``) compare both on the same held-out split, from their cards when
they were measured on the same split or by running both on ``--dataset DIR``'s split, and refuse
unless ``--force``.
"""

from __future__ import annotations

import json
import sys

from ..core.errors import ModelError
from ..core.plural import plural
from . import trust

TASK_HELP = "lesion (the automatic models, default) or interactive (the AI click models)"


def register(parser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    listing = sub.add_parser("list", help="installed models (bundled and the user's)")
    listing.add_argument("--json", nargs="?", const="-", metavar="FILE",
                         help="machine-readable output: on stdout (--json or --json -), or written to FILE")
    add = sub.add_parser("add", help="import a model package folder, a TorchScript/ONNX file + card, an "
                         "nnU-Net v2 results folder or an nnInteractive weights folder")
    add.add_argument("path", help="the package folder, .pt/.onnx file (its card beside it), "
                     "nnU-Net v2 results folder or nnInteractive weights folder")
    trust.add_flag(add)
    remove = sub.add_parser("remove", help="delete a user model")
    remove.add_argument("model", help="the user model to delete: name or name@version")
    remove.add_argument("--force", action="store_true",
                        help="delete it even if it is the default (the bundled model becomes the default)")
    for name, text in (("default", "show the default model, or make MODEL the default (as promote)"),
                       ("promote", "make MODEL the default if it is not worse held-out")):
        action = sub.add_parser(name, help=text)
        action.add_argument("model", nargs="?" if name == "default" else None,
                            help="the model to make the default: name or name@version")
        action.add_argument("--dataset", metavar="DIR", help="measure both models on this dataset's split")
        action.add_argument("--force", action="store_true", help="promote even if worse")
        action.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda", "mps"],
                            help="where the models run for --dataset (default auto)")
        action.add_argument("--task", default="lesion", help=TASK_HELP)
        trust.add_flag(action)
    rollback = sub.add_parser("rollback", help="restore the previous default")
    rollback.add_argument("--task", default="lesion", help=TASK_HELP)
    show = sub.add_parser("show", help="what a model does before and after the network, and "
                          "its held-out figures")
    show.add_argument("model", help="installed model: name or name@version")
    compare = sub.add_parser("compare", help="held-out metrics of two models side by side")
    compare.add_argument("model_a", help="installed model: name or name@version")
    compare.add_argument("model_b", help="the other installed model")
    compare.add_argument("--dataset", metavar="DIR", help="measure both on this dataset's held-out split")
    compare.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda", "mps"],
                         help="where the models run for --dataset (default auto)")
    compare.add_argument("--json", nargs="?", const="-", metavar="FILE",
                         help="with --dataset: what was measured (Dice per label and the lesion-wise "
                              "figures of each model, the split) as JSON, on stdout (--json or --json -; "
                              "the readable lines then go to stderr) or written to FILE")
    trust.add_flag(compare)


def _write_json(target: str, text: str, out) -> None:
    """``--json``'s text on ``out`` (stdout: ``--json`` alone or ``--json -``), else written to the
    file ``target`` whole (a kill leaves the old file or the new one)."""
    if target == "-":
        print(text, file=out)
        return
    from ..core.atomic import write_text_atomic

    write_text_atomic(target, text + "\n")


def _cases_text(cases, refused=None) -> str:
    """A card's ``held_out_cases``: "1 case", "12 cases", "? cases" when not recorded; with its
    ``held_out_refused``: "1 case, nv_0007 refused" (listed apart, not scored)."""
    text = plural(cases, "case") if isinstance(cases, int) else "? cases"
    if isinstance(refused, dict) and refused:
        text += f", {', '.join(map(str, refused))} refused"
    return text


def _dice_text(card) -> str:
    """The card's Dice per label, each with the cases it is over when some held none of it."""
    from ..ai.held_out import dice_per_label_text

    return dice_per_label_text(card)


def _lesionwise_text(card) -> str:
    from ..ai.held_out import held_out_lesionwise
    from ..ai.metrics import format_summary

    summary = held_out_lesionwise(card)
    return format_summary(summary) if summary else "no lesion-wise figures on the card"


def _card_comparison(a, b, measuring: bool) -> list[str]:
    """What tells whether the two cards' figures compare (as the Models dialog says): the base
    run on its fine-tune's held-out cases, which its card holds (``metrics.base_held_out``), and
    a note when the cards' own figures come from different cases (a fine-tune's Dice on one case
    of the user's stood beside its base's on the bundled heads as if it had nearly doubled)."""
    from ..ai.held_out import base_on_same_cases, held_out_lesionwise, other_cases, other_rules, other_tasks
    from ..ai.metrics import dice_text

    if other_tasks(a, b):   # a lesion model beside an AI click model: nothing below compares
        return [f"note: {other_tasks(a, b)}"]
    rules = other_rules(held_out_lesionwise(a), held_out_lesionwise(b))
    lines = [f"note: the two cards' {rules}"] if rules else []
    for fine, base in ((b, a), (a, b)):
        measured = base_on_same_cases(fine, base)
        if measured:
            dice = ", ".join(f"{k} {dice_text(v)}" for k, v in measured["dice"].items())
            lesionwise = measured.get("lesionwise")
            figures = f"; lesion-wise {_summary_text(lesionwise)}" if isinstance(lesionwise, dict) else ""
            lines.append(f"{base.ref} on {fine.ref}'s held-out cases (run at the end of its "
                         f"training, on its card): Dice {dice}{figures}")
    if other_cases(a, b) and _dice_text(a) != "-" and _dice_text(b) != "-":
        lines.append("note: the two cards' own figures come from different held-out cases, so they "
                     "do not compare" + ("" if measuring else (
                         "; the line above compares both on the same cases" if lines else "")
                         + "; --dataset DIR runs both on one split"))
    return lines


def _summary_text(summary: dict) -> str:
    from ..ai.metrics import format_summary

    return format_summary(summary)


def _measure(refs: list[str], dataset: str, device: str,
             json_path: str | None = None, json_out=None) -> tuple[list[tuple[list[float], dict]], int]:
    """``([(Dice per label, lesion-wise summary) per model], held-out cases)`` on ``dataset``;
    with ``json_path`` also written there (``{"dataset", "split", "cases", "case_ids", "models":
    {ref: {"dice", "lesionwise", "reused_from"}}}``, ``reused_from`` the UTC stamp of figures reused, else "";
    ``dataset`` its folder's name ``DatasetNNN_Name``, never a path: the file is shared, the
    user's folder names are private): the Models dialog reads it, so it promotes by the same
    figures as ``models promote --dataset`` (lesion-wise F1 first, at full precision)."""
    from ..ai.finetune import dataset_hash, evaluate_cases, read_dataset, split
    from ..ai.infer import choose_device
    from ..ai.measurements import MeasurementStore, headers_digest, measurement_key, model_digest
    from ..ai.metrics import dice_cases_note, dice_text, format_summary
    from ..ai.registry import Registry
    from ..ai.segment import get_model
    from ..app.shown_time import shown_time
    from .dataset import dataset_folder
    from .progress import TextProgress

    dataset = dataset_folder(dataset)
    raw = read_dataset(dataset)
    _, held_out, split_id = split(raw)
    device = choose_device(device).type
    registry = Registry()
    store, dataset_sha = MeasurementStore(registry.home), dataset_hash(raw)
    headers_sha = headers_digest(raw.cases)   # a case's recorded body part decides its refusal
    results, reuses = [], {}   # ref -> when its reused figures were measured ("": measured now)
    refusals: dict = {}   # ref -> {case: refusal}: its card refuses them, listed apart

    def shown_ids(names):   # as the card names them: no name of the user's beyond nnU-Net's
        from ..ai.card_names import case_ids

        return case_ids(names, [c.name for c in raw.cases])

    bar, total = TextProgress(min_interval=0), len(refs) * len(held_out)   # one update per case
    for number, ref in enumerate(refs):
        def progress(done, cases, ref=ref, before=number * len(held_out)):
            bar(before + done, total, f"{ref} on held-out case {done + 1} of {cases}")

        key = measurement_key(model_digest(registry.resolve_path(ref)), dataset_sha, device, headers_sha)
        kept, reused, measured_at = store.get(key), "", ""
        if kept is not None:   # same model files, dataset content, device and version by hash
            dice, summary, refused = kept["dice"], kept["lesionwise"], kept["refused"]
            measured_at = str(kept.get("measured_at") or "")   # UTC: shown in local time
            reused = (f" (reused from {shown_time(measured_at) if measured_at else 'an earlier run'}: "
                      "the same model files and dataset content by hash)")
        else:
            refused = {}   # the cases its card refuses (a knee in a head set): not scored
            dice, summary = evaluate_cases(get_model(ref), held_out, device, progress=progress,
                                           refused=refused)
            bar((number + 1) * len(held_out), total, f"{ref} measured")
            bar.end_line()
            store.put(key, ref, dice, summary, refused)
        results.append((dice, summary))
        reuses[ref], refusals[ref] = measured_at, refused
        for name, why in refused.items():
            print(f"note: {ref}: held-out case {shown_ids([name])[0]} not scored: {why}")
        measured = len(held_out) - len(refused)
        print(f"{ref}: held-out Dice on {dataset} (split {split_id}, {plural(measured, 'case')}"
              + (f", {len(refused)} refused" if refused else "") + "): "
              + ", ".join(dice_text(d, ".4f") for d in dice) + dice_cases_note(summary) + reused)
        print(f"{ref}: lesion-wise {format_summary(summary)}")
    # the cases every model was scored on (promotion needs two): a refused case is none of them
    scored = len(held_out) - max((len(r) for r in refusals.values()), default=0)
    if json_path:
        import os

        from ..ai.card_names import case_ids, dataset_name

        _write_json(json_path, json.dumps({   # the dataset's name: no folder of the user's
            "dataset": dataset_name(os.path.basename(os.path.normpath(dataset))),   # DATASET if not nnU-Net's
            # case_ids: whose figures each per_case entry is, less each model's refused ones
            "split": split_id, "cases": scored,
            "case_ids": case_ids([c.name for c in held_out], [c.name for c in raw.cases]),
            "models": {ref: {"dice": dice, "lesionwise": summary, "reused_from": reuses[ref],
                             "refused": dict(zip(shown_ids(list(refusals[ref])), refusals[ref].values()))}
                       for ref, (dice, summary) in zip(refs, results)}}, default=float), json_out)
    if results and results[0][1].get("lesions") == 0:
        print(f"note: the {plural(len(held_out), 'held-out case')} of {dataset} "
              "hold no lesion: Dice is not measured there, and a model that finds nothing scores F1 1.0")
    return results, scored


def _promote(registry, args) -> int:
    from ..ai.held_out import compared_mean, other_rules, promotion_rules

    entry = registry.get(args.model)
    current = registry.default_ref(args.task)
    scores = lesion_f1 = cases = new_summary = None
    judged = current and current != entry.ref and not args.force
    rules = promotion_rules(entry.card, registry.get(current).card) if judged else ""
    if args.dataset and judged:
        [(new, new_summary), (old, old_summary)], cases = _measure([entry.ref, current], args.dataset,
                                                                   args.device)
        scores = (compared_mean(new, new_summary), compared_mean(old, old_summary))
        rules = other_rules(new_summary, old_summary)
        lesion_f1 = None if rules else (new_summary.get("f1", float("nan")),
                                        old_summary.get("f1", float("nan")))
    registry.promote(entry.ref, args.task, force=args.force, scores=scores, lesion_f1=lesion_f1,
                     cases=cases, lesions=new_summary.get("lesions") if scores else None)
    if args.dataset:   # the others' dataset rank says so when it ranks with another model
        from ..dataset.promoted import record_promoted
        from .dataset import dataset_folder

        record_promoted(dataset_folder(args.dataset), entry.ref, args.task, str(entry.path))
    was = " (it was already)" if current == entry.ref else f" (was {current})" if current else ""
    print(f"default for {args.task}: {entry.ref}{was}")
    if rules:
        print(f"note: {rules}")
    return 0


def _remove(registry, args) -> int:
    """Delete a user model; the default of a task only with ``--force`` (the Models dialog asks
    first), then naming the task's new default, as the dialog does."""
    entry = registry.get(args.model)
    tasks = [] if entry.bundled else registry.tasks_defaulting_to(entry.ref)
    if tasks and not args.force:
        raise ModelError(f"{entry.ref} is the default for {' and '.join(tasks)}: removing it makes the "
                         f"bundled model {registry.bundled_default_ref(tasks[0]) or '(none)'} the default; "
                         "not removed", hint="promote another model first, or use --force")
    registry.remove(entry.ref)
    print(f"removed {entry.ref}" + "".join(f"; the default for {task} is now "
                                           f"{registry.default_ref(task) or 'none'}" for task in tasks))
    return 0


def run(args) -> int:
    from ..ai.registry import Registry

    if getattr(args, "json", None) not in (None, "-") and (args.action == "list" or args.dataset):
        from .outputs import check_writable

        check_writable(args.json)   # one line naming it, before the measuring (an internal error after)
    registry = Registry()
    if args.action == "list":
        entries = registry.entries()
        defaults = {registry.default_ref()}
        for problem in registry.unreadable():   # left out of the list: say so (they vanished)
            print(f"note: not listed, its card cannot be read: {problem}", file=sys.stderr)
        if args.json:
            listed = [{"model": e.ref, "default": e.ref in defaults, "bundled": e.bundled,
                       "path": e.path.name,   # its folder in the models folder: no home path
                       "held_out_dice": e.card.metrics.get("held_out_dice"),
                       "held_out_lesionwise": e.card.metrics.get("held_out_lesionwise"),
                       "parent": e.card.parent} for e in entries]
            _write_json(args.json, json.dumps(listed, indent=2), sys.stdout)
            if args.json != "-":   # it printed nothing: where the list went, as other verbs say
                print(f"{args.json}  ({plural(len(listed), 'model')})", file=sys.stderr)
            return 0
        if not entries:
            print("no models installed")
        for e in entries:
            mark = "*" if e.ref in defaults else " "
            where = "bundled" if e.bundled else "user"
            print(f"{mark} {e.ref:<28} {where:<8} inputs {'+'.join(e.card.input_channels):<10} "
                  f"labels {','.join(lab.name for lab in e.card.labels):<12} held-out Dice "
                  f"{_dice_text(e.card)}" + (f"  parent {e.card.parent}" if e.card.parent else ""))
        return 0
    if args.action == "add":
        trust.apply(args, args.path)
        entry = registry.add(args.path)
        print(f"added {entry.ref} ({entry.path})")
        return 0
    if args.action == "remove":
        return _remove(registry, args)
    if args.action == "default" and not args.model:
        ref = registry.default_ref(args.task)
        if ref is None:
            raise ModelError(f"no model installed for task {args.task}")
        print(ref)
        return 0
    if args.action in ("default", "promote"):
        trust.apply(args, args.model)
        return _promote(registry, args)
    if args.action == "rollback":
        before = registry.default_ref(args.task)
        ref = registry.rollback(args.task)
        if ref == before:   # it printed the default as if it had just been restored
            print(f"default for {args.task}: {ref or 'none'} (nothing to roll back: no earlier default)")
            return 0
        print(f"default for {args.task}: {ref or 'none'} (was {before})")
        return 0
    if args.action == "show":
        from ..ai.card_text import processing_lines
        from ..ai.domain import domain_line
        from ..ai.held_out import per_case_text

        card = registry.get(args.model).card
        print(f"{card.ref}: {card.description}" if card.description else card.ref)
        print(f"  inputs {'+'.join(card.input_channels)}, labels "
              f"{', '.join(lab.name for lab in card.labels)}"
              + (f", parent {card.parent}" if card.parent else ""))
        said = domain_line(card)   # a knee for a head model is refused
        for line in ([said] if said else []) + processing_lines(card):
            print(f"  {line}")
        tests = card.metrics.get("test_objects") or {}
        if "dice_1_click" in tests:
            print(f"  test objects ({tests.get('objects', '?')}): Dice {tests['dice_1_click']:.3f} "
                  f"after 1 click, {tests.get('dice_3_clicks', float('nan')):.3f} after 3")
        else:
            print(f"  held-out Dice {_dice_text(card)}; lesion-wise {_lesionwise_text(card)}")
            cases = per_case_text(card)
            if cases:
                print(f"  per held-out case: {cases}")
        return 0
    if args.action == "compare":
        if args.json and not args.dataset:   # before the cards' lines, not after them
            raise ModelError("--json needs --dataset (it writes what was measured there)")
        if args.json == "-":   # stdout holds the JSON alone, for a pipe: the readable lines to stderr
            import contextlib

            out = sys.stdout
            with contextlib.redirect_stdout(sys.stderr):
                return _compare(args, registry, json_out=out)
        return _compare(args, registry)
    raise ModelError(f"unknown action {args.action}")


def _compare(args, registry, json_out=None) -> int:
    from ..ai.held_out import held_out_set, other_tasks

    a, b = registry.get(args.model_a), registry.get(args.model_b)
    if args.dataset and other_tasks(a.card, b.card):   # measured one, then failed on the other
        raise ModelError(f"--dataset measures nothing: {other_tasks(a.card, b.card)}")
    if args.dataset:   # a wrong DIR before the cards' lines, not after them (until session 40)
        from .dataset import dataset_folder

        args.dataset = dataset_folder(args.dataset)
    for entry in (a, b):
        trust.apply(args, entry.ref)
    for entry in (a, b):
        split_id = entry.card.metrics.get("held_out_split")
        dice = _dice_text(entry.card)
        metrics = entry.card.metrics
        cases = _cases_text(metrics.get("held_out_cases"), metrics.get("held_out_refused"))
        print(f"{entry.ref}: card held-out Dice {dice}"
              + (f" ({f'split {split_id}' if split_id else held_out_set(entry.card)}, "
                 f"{cases})" if dice != "-" else "")
              + (f", parent {entry.card.parent}" if entry.card.parent else ""))
        print(f"{entry.ref}: card held-out lesion-wise {_lesionwise_text(entry.card)}")
    for line in _card_comparison(a.card, b.card, measuring=bool(args.dataset)):
        print(line)
    if args.dataset:
        _measure([a.ref, b.ref], args.dataset, args.device, args.json, json_out)
    return 0
