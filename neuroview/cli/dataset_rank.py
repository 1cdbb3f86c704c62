"""``neuroview dataset rank``: the unlabelled cases of a worklist, most uncertain first."""

from __future__ import annotations

from ..core.errors import DatasetError, ModelError, OutsideDomainError
from ..core.plural import plural
from ..core.volume_rules import single_slice
from . import domain_flag, trust


def _probability_fn(model: str, device: str = "auto", allow_domain_mismatch: bool = False):
    """The ProbabilityFn for ``--model``: ``module:function`` of the user's own, or a registry model
    (name, name@version or package path; empty = the default model) under test-time flips, and
    the model's name as the user is told it."""
    import importlib
    import os

    if ":" in model and not os.path.exists(model):
        module_name, _, function = model.partition(":")
        try:
            found = getattr(importlib.import_module(module_name), function)
        except (ImportError, AttributeError) as exc:
            raise ModelError(f"cannot load the probability function {model!r} ({exc})") from None
        return found, model
    from .. import ai
    from ..ai.registry import Registry

    registry = Registry()
    path = registry.resolve_path(model)  # a wrong --model is reported before any case is read
    named = (f"{registry.default_ref()} (the default model)" if not model else
             os.fspath(path) if os.path.exists(model) else registry.get(model).ref)

    def probabilities(volume, flips):
        try:   # one flip at a time; an untagged knee is refused once its brain extraction has run
            yield from ai.flip_probabilities(volume, model, flips, device, lazy=True,
                                             allow_domain_mismatch=allow_domain_mismatch)
        except OutsideDomainError as exc:
            exc.hint = domain_flag.hint("ranks")
            raise

    return probabilities, named


def _parse_flips(text: str) -> list[tuple[int, ...]]:
    flips = []
    for item in text.split(","):
        item = item.strip()
        if item in ("", "none"):
            flips.append(())
        elif item.isdigit() and all(c in "012" for c in item):
            flips.append(tuple(sorted({int(c) for c in item})))
        else:
            raise DatasetError(f"bad flip {item!r}: use none or axis digits 0, 1, 2 (e.g. 01)")
    return flips


def _card(model: str):
    """The card of a registry model or package (``--model``; empty: the default), or ``None`` for
    a ``module:function`` of the user's own."""
    import os

    if ":" in model and not os.path.exists(model):
        return None
    from ..ai.package import read_card
    from ..ai.registry import Registry

    return read_card(Registry().resolve_path(model))


def _not_ranked(name: str, why: str) -> None:
    """The one line for each case (or file of the ``--cases`` folder) the ranking passes over:
    ``note: NAME: WHY, not ranked`` (unreadable cases said ``note: skipped``, files that are no case
    ``note: left out``, the others ``..., not ranked``)."""
    import sys

    print(f"note: {name}: {why}, not ranked", file=sys.stderr)


def _note_no_case(cases: str, worklist) -> None:
    """The files of a ``--cases`` folder that are no case (a text file, a loose DICOM file), one
    line each as a batch ``segment`` names them: they were passed over silently."""
    import os
    from pathlib import Path

    from ..dataset.worklist_sources import is_dicom_seg
    from .batch_cases import IMAGE_SUFFIXES, NAMES_SHOWN, not_a_case, sidecar_of

    if not os.path.isdir(cases):
        return
    names = {os.path.basename(os.fspath(c.path)) for c in worklist.cases}
    images = [n for n in names if n.lower().endswith(IMAGE_SUFFIXES)]
    loose = sorted(e.name for e in os.scandir(cases) if e.is_file() and not e.name.startswith(".")
                   and e.name not in names and not e.name.lower().endswith(IMAGE_SUFFIXES)
                   and not sidecar_of(e.name, images) and not is_dicom_seg(Path(e.path)))
    for name in loose[:NAMES_SHOWN]:
        _not_ranked(os.path.join(cases, name), not_a_case("a worklist folder"))
    if len(loose) > NAMES_SHOWN:
        _not_ranked(f"... and {plural(len(loose) - NAMES_SHOWN, 'more file')}", "not cases")


LABELLED = {"corrected": "corrected", "in_training_set": "in the training set",
            "sent_to_pacs": "sent to PACS"}


def _labelled(worklist) -> str:
    """`` (labelled already: 2 in the training set, 1 corrected)``: the worklist's cases that
    ``rank`` passes over by their status, or "" when none is."""
    from collections import Counter

    counts = Counter(c.status for c in worklist.cases if c.status in LABELLED)
    said = ", ".join(f"{number} {LABELLED[status]}" for status, number in counts.most_common())
    return f" (labelled already: {said})" if said else ""


def _note_labelled(cases) -> None:
    """One line for each case the worklist holds labelled (the first ten, then how many more),
    ``note: a_t1.nii.gz: labelled already (in the training set), not ranked``."""
    from .batch_cases import NAMES_SHOWN

    for c in cases[:NAMES_SHOWN]:
        _not_ranked(c.case_id, f"labelled already ({LABELLED[c.status]})")
    if len(cases) > NAMES_SHOWN:
        _not_ranked(f"... and {plural(len(cases) - NAMES_SHOWN, 'more case')}", "labelled already")


def rank(args) -> int:
    import os
    import sys
    from pathlib import Path

    from ..ai.registry import DEFAULT_TASK
    from ..dataset.layout import read_dataset
    from ..dataset.links import default_links_path, sent_from_links
    from ..dataset.promoted import install_hint, promoted_elsewhere
    from ..dataset.rank import rank_cases, write_ranking_csv
    from ..dataset.store import find_image
    from ..dataset.worklist import Worklist
    from ..dataset.worklist_sources import check_source
    from ..io import load
    from .outputs import check_writable, not_the_input
    from .progress import TextProgress

    info = read_dataset(args.dir)
    if args.output:  # before the model's time on every case, not after it
        # the ranking lists only the cases ranked: the labelled and marked-done ones left the list
        not_the_input(args.output, args.cases, "the ranking (its unlabelled cases only)")
        check_writable(args.output)
    if args.json:
        not_the_input(args.json, args.cases, "the ranking's JSON")
        check_writable(args.json)
    if len(info.channel_names) != 1:
        raise DatasetError("ranking multi-channel cases is not supported yet", path=info.folder)
    flips = _parse_flips(args.flips)
    check_source(Path(args.cases))   # a refused folder is said at once, before the model's lookup
    if ":" not in args.model or os.path.exists(args.model):
        trust.apply(args, args.model)
    probability_fn, model_name = _probability_fn(args.model, args.device, args.allow_domain_mismatch)
    sent_from = sent_from_links(default_links_path(info))  # source path -> training case
    worklist = Worklist.open(args.cases)
    _note_no_case(args.cases, worklist)
    # which model scores the cases: a promotion changes the default, and the ranking with it
    print(f"note: ranking with {model_name}", file=sys.stderr)
    promoted, theirs = promoted_elsewhere(info.folder, model_name, DEFAULT_TASK)   # by another login
    if promoted and not _installed(theirs):   # in the promoter's models only: how to get it
        print(f"note: {promoted}: {install_hint(info.folder)}", file=sys.stderr)
    elif promoted:
        print(f"note: {promoted}: --model {theirs} uses theirs, `neuroview models default "
              f"{theirs}` makes it your default", file=sys.stderr)
    todo, already, labelled = [], [], []
    for c in worklist.cases:
        why = ("marked done in the worklist" if c.mark == "done"   # Mark done: nothing to label
               else "open in this window (being edited)" if c.case_id in worklist.parent_cases
               else f"open in {worklist.open_cases[c.case_id]}'s window (being edited)"
               if c.case_id in worklist.open_cases else "")   # ranked and sent to a second annotator
        if c.status in ("new", "proposed") and why:
            _not_ranked(c.case_id, why)
        elif c.status in LABELLED:   # (passed over in silence while other cases were ranked)
            labelled.append(c)
        if c.status not in ("new", "proposed") or why:
            continue
        if os.path.abspath(c.path) in sent_from:
            already.append((c.case_id, sent_from[os.path.abspath(c.path)]))
        else:
            todo.append((c.case_id, c.path))

    _note_labelled(labelled)

    def dataset_case(volume):  # the same image under another name or file type
        try:
            record = find_image(info.folder, volume)
        except DatasetError:  # not a 3D image: it cannot be a training case
            return None
        return record.case if record is not None else None

    card = _card(args.model)
    anyway: list[dict] = []   # the cases ranked though the card refuses them (--json's)

    def load_3d(path):  # left out in a note, as `segment` refuses them: a single slice, and an
        volume = load(path)   # image far smaller than the model's field of view (it stopped the
        flat = single_slice(volume.array.shape)   # whole ranking, naming no file)
        if flat:
            raise DatasetError(f"{flat}: the model ranks 3D volumes", path=path)
        if card is not None:
            from ..ai.infer import require_field_of_view
            from ..ai.segment import require_domain

            try:
                require_field_of_view(card, volume.array.shape, volume.ijk_to_ras)
                _is_ct, overrode = require_domain(card, volume, volume.frame_as_shown(),   # a knee
                                                  args.allow_domain_mismatch)   # for a head model
            except OutsideDomainError as exc:
                raise OutsideDomainError(exc.message, path=path, hint=domain_flag.hint("ranks")) from None
            except ModelError as exc:
                raise ModelError(exc.message, path=path) from None
            if overrode:
                print(f"note: {path}: ranked anyway: {overrode}", file=sys.stderr)
                anyway.append({"path": path, "overridden": overrode})
        return volume

    ranking = rank_cases(todo, probability_fn, load_3d, flips, progress=TextProgress(),
                         dataset_case=dataset_case) if todo else None
    if ranking is not None:
        already += [(a.case_id, a.dataset_case) for a in ranking.already]
    for case_id, held in already:
        _not_ranked(case_id, f"already case {held} in the dataset")
    for problem in ranking.unreadable if ranking is not None else ():   # as `info` goes on past them
        name, _, why = problem.partition(": ")   # the file and why it cannot be read
        _not_ranked(name, why or "cannot be read")
    for refused in ranking.refused if ranking is not None else ():   # another body part...
        _not_ranked(refused.path, refused.reason + (f" ({refused.hint})" if refused.hint else ""))
    for copy in ranking.twice if ranking is not None else ():
        _not_ranked(copy.case_id, f"the same image as {copy.same_as} (voxels and grid)")
    if args.json:
        _write_json(args.json, model_name, ranking, anyway)
    if ranking is None or not ranking.ranked:
        if args.output:  # an empty worklist, not the last run's list of cases now labelled
            print(f"{write_ranking_csv(args.output, [])} now lists no case", file=sys.stderr)
        if ranking is not None and len(ranking.unreadable) == len(todo):  # not "no unlabelled
            raise DatasetError(f"none of its {plural(len(todo), 'case')} could be read (the lines above "
                               "say why); nothing ranked", path=args.cases)  # case": none read
        if ranking is not None and ranking.refused:   # not "no unlabelled case": the model refused
            print(f"no case ranked: the model refused {plural(len(ranking.refused), 'case')} "
                  "(the lines above say why)")
            return 0
        # why, when the worklist's cases are labelled: "(the log says why)" in the Rank dialog
        print("no unlabelled case to rank" + _labelled(worklist))
        return 0
    for number, r in enumerate(ranking.ranked, start=1):
        print(f"{number:>3}  {r.case_id}  entropy {r.score:.4f} bits  MI {r.mutual_information:.4f}  "
              f"uncertain {r.uncertain_voxels} vox  {r.path}")
    if args.output:
        # the ranking shares the cases' worklist state: what one annotator has open or has done
        # is seen by the others, whichever ranking of these cases each works from
        print(write_ranking_csv(args.output, ranking.ranked, worklist.shares or worklist.source))
    return 0


def ranking_json(model: str, ranking, anyway: list[dict]) -> dict:
    """What ``--json`` writes: the model, the cases ranked (best first), those the model's card
    refused (``id``, ``path``, ``reason``: the refusal's line, ``way_on``: the flag that ranks it
    anyway) and those ranked anyway (``path``, ``overridden``). The Rank dialog reads the refused
    ones here: it found them by the wording of the note lines, which a rewording would have
    silently stopped."""
    ranked = ranking.ranked if ranking is not None else []
    refused = ranking.refused if ranking is not None else []
    return {"model": model,
            "ranked": [{"id": r.case_id, "path": r.path, "score": r.score,
                        "mutual_information": r.mutual_information,
                        "uncertain_voxels": r.uncertain_voxels} for r in ranked],
            "refused": [{"id": r.case_id, "path": r.path, "reason": r.reason, "way_on": r.hint}
                        for r in refused],
            "ranked_anyway": anyway}


def _write_json(target: str, model: str, ranking, anyway: list[dict]) -> None:
    """``--json FILE``: :func:`ranking_json` written whole (a kill leaves the old file or the new)."""
    import json

    from ..core.atomic import write_text_atomic

    write_text_atomic(target, json.dumps(ranking_json(model, ranking, anyway), indent=1) + "\n")


def _installed(ref: str) -> bool:
    """Whether this login's models (the registry) hold ``ref``."""
    from ..ai.registry import Registry

    try:
        Registry().get(ref)
    except ModelError:
        return False
    return True
