"""``neuroview dataset init|add|list|repair``: training sets in nnU-Net v2 layout, built from
corrected cases."""

from __future__ import annotations

import numpy as np

from ..core.errors import DatasetError, LabelMapError, ModelError
from ..core.extent import is_context
from ..core.labels import LabelMap, as_label_array
from ..core.segment_work import duration
from ..core.volume_rules import single_slice
from . import domain_flag, trust
from .arg_types import counting_number


def dataset_folder(path: str) -> str:
    """``path``, or the one dataset (``DatasetNNN_Name``) inside it: ``train --dataset`` and
    ``models compare/promote --dataset`` take what the dataset verbs and Send to training set
    take. A folder holding no dataset is passed on as it is (its reader says what is missing)."""
    import os

    from ..dataset.layout import find_dataset

    try:
        folder = os.fspath(find_dataset(path))
    except DatasetError as exc:
        if "no dataset here" in exc.message:
            return path
        raise
    _repair(folder)
    return folder


def _repair(folder: str) -> None:
    """Complete or roll back a case a killed ``add`` (a window's Send) left half moved in, as
    ``dataset list`` does: training read such a dataset as damaged (numTraining not counting a
    label in place) until someone listed it."""
    import os
    import sys

    from ..dataset.repair import repair_dataset

    if not os.path.isfile(os.path.join(folder, "neuroview.json")):
        return   # not made by neuroview: no add of ours to complete
    try:
        repaired = repair_dataset(folder)
    except (DatasetError, RecursionError):
        return   # unreadable: the training's reader says what is wrong, in one line
    for message in repaired:
        print(f"note: repaired: {message}", file=sys.stderr)
    _say_unsettled(folder, folder)


def _say_unsettled(folder, shown: str) -> None:
    """One note per case whose add was interrupted and whose plan of moves is damaged: left out
    (of the listing, of training) until ``dataset repair`` settles it."""
    import sys
    from pathlib import Path

    from ..dataset.repair import damaged_plans

    for case, damage in damaged_plans(Path(folder)).items():
        print(f"note: {case}'s add was interrupted and its plan of moves (.staging/{case}/ready.json) "
              f"is damaged: {damage}; {case} is not listed or counted until `neuroview dataset repair "
              f"{shown}` completes it (when each of its files is whole) or sets it aside in "
              "incomplete/", file=sys.stderr)


def register(parser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    init = actions.add_parser("init", help="create an empty training set")
    init.add_argument("dir", metavar="DIR",
                      help="DatasetNNN_Name folder, or a folder to create DatasetNNN_NAME in")
    init.add_argument("--name", required=True, help="dataset name (letters, digits, _ and -)")
    init.add_argument("--labels", required=True,
                      help="comma-separated label names, background first: background,lesion[,...]")
    init.add_argument("--channels", default="MRI",
                      help="comma-separated channel names in file order, e.g. T1,FLAIR or CT "
                           "(nnU-Net normalises 'CT' by HU windows, others by z-score)")
    init.add_argument("--id", type=int, default=None,
                      help="dataset number NNN (default the first free one from 501)")

    add = actions.add_parser("add", help="add one case (image + final mask) to a training set")
    add.add_argument("dir", metavar="DIR", help="the dataset (or the folder holding only it)")
    add.add_argument("--image", required=True, action="append", metavar="IMAGE",
                     help="image file, DICOM folder or DICOMDIR; repeat once per channel, in order")
    add.add_argument("--labels", required=True, metavar="LABELS",
                     help="final label map (NIfTI/NRRD) on the image grid, dataset label values")
    add.add_argument("--annotator", default="", help="who corrected or drew the mask")
    add.add_argument("--proposal", metavar="MASK", help="the model's mask before correction (for Dice)")
    add.add_argument("--model", default="", metavar="NAME@VERSION", help="model that proposed the mask")
    add.add_argument("--status", choices=("final", "proposed"), default="final",
                     help="'final' (checked by a person, default) or 'proposed' (model output as is)")
    add.add_argument("--editing-seconds", type=float, default=None, help="time spent correcting")
    add.add_argument("--reviewed", metavar="MASK",
                     help="mask of the voxels that were reviewed; the rest is labelled 'ignore'")
    add.add_argument("--series", type=counting_number, default=None, metavar="N",
                     help="series number as listed by 'neuroview info' when IMAGE holds several")
    add.add_argument("--frame", type=counting_number, default=None, metavar="N",
                     help="time point N of a 4D image (1-based, as the window's Time point box): "
                          "the one the labels were drawn on; default the one their .segments.json "
                          "names (a 4D image needs it when that names none or several)")
    add.add_argument("--links", metavar="FILE", default=None,
                     help="private pseudonym->source file (default in the user's data folder)")
    add.add_argument("--if-present", choices=("replace", "refuse"), default="replace",
                     help="when the dataset already holds this image (same voxels and geometry, any "
                          "file name): replace that case's label, keeping its id and fold (default), "
                          "or refuse")
    add.add_argument("--allow-modality-mismatch", action="store_true",
                     help="add a CT image to a channel named as MR (MRI, T1, FLAIR...) or an MR "
                          "image to a CT channel (refused by default: a channel holds one modality)")
    add.add_argument("--label-for", action="append", default=[], metavar="SEGMENT=LABEL",
                     help="the dataset label a segment of the mask's .segments.json is, when its "
                          "name is not one (e.g. 'Segment 1=lesion'); repeat per segment")

    listing = actions.add_parser("list", help="list the cases of a training set with provenance")
    listing.add_argument("dir", metavar="DIR", help="the dataset (or the folder holding only it)")
    listing.add_argument("--by-annotator", action="store_true",
                         help="end with each annotator's effort: cases, editing time, edits by hand, "
                              "AI click prompts")

    repair = actions.add_parser("repair", help="settle what an interrupted add left (a case whose "
                                "plan of moves is damaged: completed when its files are whole, "
                                "else set aside in incomplete/)")
    repair.add_argument("dir", metavar="DIR", help="the dataset (or the folder holding only it)")

    rank = actions.add_parser("rank", help="order unlabelled cases by the model's uncertainty")
    rank.add_argument("dir", metavar="DIR", help="the dataset (its cases are left out of the ranking)")
    rank.add_argument("--cases", required=True, metavar="FOLDER|CSV",
                      help="the unlabelled cases: a folder (one case per entry) or a worklist CSV")
    rank.add_argument("--model", default="", metavar="M",
                      help="registry model (name or name@version), a model package path, or "
                           "module:function giving foreground probabilities per flip (see README); "
                           "default the default model")
    rank.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda", "mps"),
                      help="where a registry model runs (default %(default)s)")
    rank.add_argument("--flips", default="none,0,1,2",
                      help="test-time flips, comma-separated: none, or axes like 0 or 01 "
                           "(default %(default)s)")
    rank.add_argument("--output", metavar="CSV",
                      help="write the ranking as a worklist CSV, most uncertain first")
    rank.add_argument("--json", metavar="FILE",
                      help="also write the result as JSON: the cases ranked, those the model's card "
                           "refused with the reason, those ranked anyway (the Rank dialog reads it)")
    domain_flag.add_flag(rank, "its note on stderr names each case ranked so")
    trust.add_flag(rank)


def _load_label_map(path: str, reference) -> LabelMap:
    """The mask with its segments' names and origins from its ``.segments.json`` when it has one
    (``neuroview segment``'s or *Save labels*'): without them a model's mask was recorded as drawn
    by hand, with no model, and a model's brain segment was refused as a value of no label."""
    from ..app.label_files import finish_label_save, read_sidecar, sidecar_path
    from ..io import load

    finish_label_save(path)   # a save killed between the mask and its sidecar: complete it first
    volume = load(path)
    if volume.array.ndim != 3:
        raise LabelMapError(f"a label map must be 3D, got shape {volume.array.shape}", path=path)
    array = as_label_array(np.asarray(volume.array), source=path)
    label_map = LabelMap(array, volume.ijk_to_ras)   # no sidecar: the file's values are the labels
    for segment in read_sidecar(sidecar_path(path)).values():
        label_map.segments.put(segment)   # an empty one too: a model that found nothing is its
        # result (it was dropped until session 40, and the case recorded as drawn by a person)
    return label_map.onto_grid_of(reference, source=path)


def _require_one_grid(volumes, images) -> None:
    """Every channel of a case on the first one's grid, else one line naming the file: the store
    compared each with the label map and named neither the file nor the channel."""
    from ..core.errors import GeometryError
    from ..core.geometry import grid_mismatch, same_grid

    first = volumes[0]
    for number, (volume, image) in enumerate(zip(volumes[1:], images[1:]), start=2):
        if not same_grid(volume.shape, volume.ijk_to_ras, first.shape, first.ijk_to_ras):
            raise GeometryError(grid_mismatch(f"channel {number}", volume.shape, volume.ijk_to_ras,
                                              first.shape, first.ijk_to_ras), path=image,
                                hint=f"resample it onto the grid of {images[0]}: the channels of a "
                                     "case share one grid")


def _drawn_frame(label_map: LabelMap, volume, image: str, frame, path: str) -> int:
    """The time point (1-based) of the 4D image ``volume`` to store with ``label_map``: ``--frame``
    (``frame``), which must be one the labels were drawn on where their ``.segments.json`` names
    them (the window records them: another is that time point's image with labels drawn on
    another); without it the one they name, said in one line on stderr. Labels naming several,
    or none, need ``--frame``: time point 1 by default could store a mask drawn on another."""
    import sys

    from ..app.frames import label_time_points, points_text

    drawn = label_time_points(label_map, volume)
    if not drawn and frame is None:
        raise DatasetError(f"a 4D image of {volume.n_frames} time points: choose the one the labels "
                           "were drawn on with --frame N (1-based, as the window's Time point box)",
                           path=image)
    if not drawn:
        return frame
    said = f"the labels were drawn on {points_text(drawn)} of the 4D image (their .segments.json says so)"
    if frame is not None and frame not in drawn:
        raise DatasetError(f"{said}, not on time point {frame}: give --frame {drawn[0]}"
                           + (" or another of them" if len(drawn) > 1 else ""), path=path)
    if frame is not None:
        return frame
    if len(drawn) > 1:
        raise DatasetError(f"{said}: choose the one whose image they belong to with --frame N", path=path)
    print(f"note: {path}: {said}: stored time point {drawn[0]} (--frame N to choose it yourself)",
          file=sys.stderr)
    return drawn[0]


def _require_dataset_values(label_map: LabelMap, foreground: dict[str, int], path: str,
                            label_for: dict[str, str]) -> None:
    """A mask file's values must be labels of the dataset, or segments of its ``.segments.json``
    named as one or given one by ``--label-for`` (or a model's brain segment, stored as
    background, as *Send to training set*)."""
    labels = set(foreground.values())
    names = {name.lower() for name in [*foreground, *label_for]}
    for segment in label_map.segments:
        if segment.name.lower() in names or is_context(segment):
            labels.add(segment.value)
    extra = sorted(set(np.unique(label_map.array).tolist()) - {0} - labels)
    if extra:
        shown = ", ".join(str(v) for v in extra[:5]) + (" ..." if len(extra) > 5 else "")
        raise DatasetError(f"mask holds values {shown} that are not labels of the dataset "
                           f"({', '.join(f'{v}={n}' for n, v in foreground.items())})", path=path)


def _init(args) -> int:
    import sys

    from ..dataset.layout import init_dataset

    names = [name.strip() for name in args.labels.split(",")]
    if "" in names:   # 'background,,x' was made as background,x: the empty name dropped in silence
        raise DatasetError(f"--labels {args.labels!r}: name {names.index('') + 1} is empty; "
                           "give each label a name, e.g. background,lesion")
    folder = init_dataset(args.dir, args.name, names,
                          channels=args.channels.split(","), dataset_id=args.id)
    print(folder)
    if names[0].lower() != "background":   # nnU-Net's label 0: added in silence
        print(f"note: added 'background' as label 0 before {names[0]} (1)", file=sys.stderr)
    return 0


def _add(args) -> int:
    from ..app.frames import pick_time_point
    from ..dataset.layout import read_dataset
    from ..dataset.provenance import Provenance
    from ..dataset.segment_labels import parse_label_for, unmatched_error, unmatched_segments
    from ..dataset.store import add_case
    from .progress import TextProgress
    from .series_choice import load_named_series

    read_dataset(args.dir)  # a wrong DIR is reported before any image is read
    volumes = [load_named_series(image, args.series, TextProgress(),
                                 "the one the labels were drawn on") for image in args.image]
    four_d = next(((v, image) for v, image in zip(volumes, args.image)
                   if v.axis4 == "time" and v.n_frames > 1), None)
    sources, frame = volumes, args.frame   # a 4D image's time point: --frame, else the labels' own
    volumes = [pick_time_point(volume, 1 if frame is None and four_d is not None else frame, image)[0]
               for volume, image in zip(sources, args.image)]
    for volume, image in zip(volumes, args.image):
        flat = single_slice(volume.array.shape)
        if flat:   # as `segment` refuses it: training and the model take 3D volumes
            raise DatasetError(f"{flat}: a training case is a 3D volume; nothing added", path=image)
    _require_one_grid(volumes, args.image)
    label_map = _load_label_map(args.labels, volumes[0])
    if four_d is not None:
        frame = _drawn_frame(label_map, *four_d, frame, args.labels)
        volumes = [pick_time_point(volume, frame, image)[0] for volume, image in zip(sources, args.image)]
    label_for = parse_label_for(args.label_for)
    info = read_dataset(args.dir)
    _require_dataset_values(label_map, info.foreground, args.labels, label_for)
    unmatched = unmatched_segments(label_map, info, label_for)
    if unmatched:   # as add_case refuses them, naming the file whose segments they are
        raise unmatched_error(unmatched, info, args.labels)
    proposal = _load_label_map(args.proposal, volumes[0]) if args.proposal else None
    reviewed = _load_label_map(args.reviewed, volumes[0]).array > 0 if args.reviewed else None
    provenance = Provenance(model=_model_ref(args.model), status=args.status,
                            time_point=frame if four_d is not None else None,
                            **_who_made(label_map, args.annotator, args.editing_seconds))
    record = add_case(args.dir, volumes, label_map, provenance, proposal=proposal,
                      reviewed=reviewed, links_path=args.links, same_image=args.if_present,
                      allow_modality_mismatch=args.allow_modality_mismatch, label_for=label_for)
    from ..ai.card_refusal import refused_note

    refused = refused_note(record.case, args.model, volumes[0], label_map.segments)
    if refused:   # added all the same: the person's label is the truth, whatever the model reads
        import sys

        print(f"note: {refused}", file=sys.stderr)
    if record.replaced:
        import sys

        print(f"note: the dataset already held this image as {record.case}: its label was replaced "
              "(same case id and fold)", file=sys.stderr)
    print(record.case)
    return 0


def _who_made(label_map: LabelMap, annotator: str, seconds) -> dict:
    """Provenance's ``annotator`` and ``editing_seconds`` as given, and, where the labels' sidecar
    names who made them (*Save labels*' work entries), ``annotators`` (each one's time and edits
    by hand, as a window's send records them; ``--annotator``'s beside them with the time given)
    and their sums; without ``--annotator`` the annotator is the one who saved the file. Until
    session 52 such a file went in as nobody's (``by -``), or as the person who ran the add."""
    from ..app.work_session import work_totals
    from ..core.segment_work import merge_work, saved_by

    given = annotator.strip()
    work = merge_work(*(segment.work for segment in label_map.segments))
    if not any(entry["annotator"] for entry in work):
        return {"annotator": given, "editing_seconds": seconds}
    people, spent, edits = work_totals(work)
    if given and given not in {person["annotator"] for person in people}:
        people.append({"annotator": given, "editing_seconds": seconds, "hand_edits": None})
    return {"annotator": given or saved_by(label_map.segments).strip(), "annotators": people,
            "editing_seconds": round(spent + (seconds or 0), 1), "hand_edits": edits}


def _model_ref(model: str) -> str:
    """``--model`` as NAME@VERSION: a registry model named without its version (``lesionseg``)
    gets its card's newest version; a name the registry does not hold is kept as given."""
    if not model or "@" in model:
        return model
    from ..ai.registry import Registry

    try:
        return Registry().get(model).ref
    except ModelError:
        import sys

        print(f"note: model {model!r} is not in the registry: its version is recorded as unknown "
              "(give --model NAME@VERSION)", file=sys.stderr)
        return model


def _list(args) -> int:
    import sys

    from ..dataset.layout import read_dataset
    from ..dataset.repair import repair_dataset
    from ..dataset.store import list_cases

    for message in repair_dataset(args.dir):
        print(f"note: repaired: {message}", file=sys.stderr)
    info = read_dataset(args.dir)
    _say_unsettled(info.folder, args.dir)
    print(f"{info.folder}  labels: {', '.join(f'{v}={n}' for n, v in info.labels.items())}  "
          f"channels: {', '.join(info.channel_names.values())}  cases: {info.num_training}")
    records = list_cases(info.folder)
    for record in records:
        model = f"{record.model['name']}@{record.model['version']}" if record.model else "-"
        parts = []
        for seg in record.segments:
            made = seg.source in ("model", "loaded", "adjudicated")   # then changed by a person?
            edited = ", corrected by hand" if made and seg.hand_edited else ""
            edited += ", by hand: unknown" if made and seg.hand_edited is None else ""
            edited += ", refined with AI click" if made and seg.ai_click else ""
            edited += ", AI click: unknown" if made and seg.ai_click is None else ""
            text = f"{seg.name} ({seg.source}{edited}) {seg.final_voxels} vox"
            if seg.dice is not None:
                text += f" dice {seg.dice:.3f}"
            if seg.changed_voxels is not None:
                text += f" changed {seg.changed_voxels}"
            parts.append(text)
        partial = f" partial({record.reviewed_fraction:.0%} reviewed)" if record.partial else ""
        if record.replaced:
            times = len(record.replaced)
            partial += f"  (label replaced {times} time{'s' if times > 1 else ''})"
        if record.adjudication:   # the list said nothing of it: which cases a senior decided
            partial += f"  ({_adjudicated(record.adjudication)})"
        shares = _shares(record)   # each annotator who worked on it, the sender last if not yet named
        who = ", ".join(dict.fromkeys([*(r.annotator or "-" for r in shares), record.annotator or "-"]))
        print(f"{record.case}  {record.subject}  {record.status:<8} model {model}  "
              f"by {who}  {'; '.join(parts)}  ({_work(record)}){partial}")
    if args.by_annotator:
        print("by annotator:")
        for line in _effort(records):
            print(f"  {line}")
    return 0


def _repair_verb(args) -> int:
    from ..dataset.repair import repair_dataset

    messages = repair_dataset(args.dir, settle_damaged=True)
    for message in messages:
        print(message)
    if not messages:
        print("nothing to repair")
    return 0


def _effort(records) -> list[str]:
    """``ann  2 cases, editing 2 min 40 s (1 min 20 s a case), 5 edits by hand``: each annotator's
    cases summed (the time over the cases that record it; ``-``: added with no annotator)."""
    from ..core.plural import plural

    by: dict[str, list] = {}
    for record in records:
        for share in _shares(record):
            by.setdefault(share.annotator or "-", []).append(share)
    width = max((len(who) for who in by), default=0)
    lines = []
    for who, cases in sorted(by.items(), key=lambda item: item[0].lower()):
        said = [plural(len(cases), "case")]
        seconds = [r.editing_seconds for r in cases if r.editing_seconds is not None]
        if seconds:
            total = sum(seconds)
            said.append(f"editing {duration(total)} ({duration(total / len(seconds))} a case)")
        edits = sum(r.hand_edits or 0 for r in cases)
        if edits:
            said.append(f"{plural(edits, 'edit')} by hand")
        prompts = sum((r.interaction or {}).get("prompt_count") or 0 for r in cases)
        if prompts:
            said.append(f"AI click {plural(prompts, 'prompt')}")
        lines.append(f"{who:<{width}}  {', '.join(said)}")
    return lines


def _shares(record) -> list:
    """Each annotator's part of ``record``: its ``annotators`` (who saved or sent the labels from a
    window, with their time and edits), the AI click prompts the sender's; a case recorded
    before session 47, or added by ``dataset add``, is its annotator's alone."""
    import dataclasses

    people = record.annotators or []
    if len(people) < 2:
        return [record]
    return [dataclasses.replace(record, annotator=person.get("annotator") or "",
                                editing_seconds=person.get("editing_seconds"),
                                hand_edits=person.get("hand_edits"),
                                interaction=record.interaction if person.get("annotator") == record.annotator
                                else None)
            for person in people]


def _work(record) -> str:
    """What the annotator spent and when, from the case's provenance: ``editing 8 min 20 s, 3
    edits by hand, AI click 7 prompts, corrected 13:47 today`` (the list named the annotator alone:
    the time spent, the prompts and the day were in the JSON files only)."""
    from ..app.shown_time import shown_time
    from ..core.plural import plural

    said = []
    if record.editing_seconds is not None:
        people = record.annotators or []
        each = (f" ({', '.join(_person(p) for p in people)})" if len(people) > 1 else "")
        said.append(f"editing {duration(record.editing_seconds)}{each}")
    if record.hand_edits:
        said.append(f"{plural(record.hand_edits, 'edit')} by hand")
    prompts = (record.interaction or {}).get("prompt_count")
    if isinstance(prompts, int) and prompts:
        said.append(f"AI click {plural(prompts, 'prompt')}")
    if record.corrected_at:
        said.append(f"corrected {shown_time(record.corrected_at)}")
    said.append(f"added {shown_time(record.added_at)}")
    return ", ".join(said)


def _person(person: dict) -> str:
    """``anna 5 min 0 s`` of one of a case's ``annotators``."""
    return f"{person.get('annotator') or '-'} {duration(person.get('editing_seconds') or 0)}"


def _adjudicated(adjudication: dict) -> str:
    """``adjudicated by Sam Senior: 3 of 4 lesions kept`` (a lesion taken as "none" is not)."""
    from ..core.plural import plural
    from ..io.dicom.person_name import readable_name

    lesions = adjudication.get("lesions") or []
    # an outline of none of the lesion (a reader who did not draw it) kept nothing (session 48)
    kept = sum(1 for lesion in lesions if (lesion.get("from_reader") or lesion.get("taken_from") != "none")
               and lesion.get("voxels") != 0)
    who = readable_name(str(adjudication.get("adjudicator") or "")) or "-"
    if adjudication.get("from_label_file"):   # the readers' plan stayed in the closed workspace
        return f"adjudicated by {who}, as its label file says"
    return f"adjudicated by {who}: {kept} of {plural(len(lesions), 'lesion')} kept"


def run(args) -> int:
    from .dataset_rank import rank

    actions = {"init": _init, "add": _add, "list": _list, "repair": _repair_verb,
               "rank": rank}
    if args.action not in actions:
        raise DatasetError(f"unknown action {args.action!r}")
    return actions[args.action](args)
