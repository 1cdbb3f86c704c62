"""``neuroview dataset init|add|list``: training sets in nnU-Net v2 layout, built from corrected cases."""

from __future__ import annotations

import numpy as np

from ..core.errors import DatasetError, LabelMapError, ModelError
from ..core.labels import LabelMap, as_label_array
from . import trust


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
        print(f"repaired: {message}", file=sys.stderr)


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
                      help="dataset number NNN (default: the first free one from 501)")

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
    add.add_argument("--series", type=int, default=None, metavar="N",
                     help="series number as listed by 'neuroview info' when IMAGE holds several")
    add.add_argument("--frame", type=int, default=None, metavar="N",
                     help="time point N of a 4D image (1-based, as the window's Time point box): "
                          "the one the labels were drawn on; a 4D image needs it")
    add.add_argument("--links", metavar="FILE", default=None,
                     help="private pseudonym->source file (default: in the user's data folder)")
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

    rank = actions.add_parser("rank", help="order unlabelled cases by the model's uncertainty")
    rank.add_argument("dir", metavar="DIR", help="the dataset (its cases are left out of the ranking)")
    rank.add_argument("--cases", required=True, metavar="FOLDER|CSV",
                      help="the unlabelled cases: a folder (one case per entry) or a worklist CSV")
    rank.add_argument("--model", default="", metavar="M",
                      help="registry model (name or name@version), a model package path, or "
                           "module:function giving foreground probabilities per flip (see README); "
                           "default: the default model")
    rank.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda", "mps"),
                      help="where a registry model runs (default: %(default)s)")
    rank.add_argument("--flips", default="none,0,1,2",
                      help="test-time flips, comma-separated: none, or axes like 0 or 01 "
                           "(default: %(default)s)")
    rank.add_argument("--output", metavar="CSV",
                      help="write the ranking as a worklist CSV, most uncertain first")
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
    present = {int(v) for v in np.unique(array)}
    for value, segment in read_sidecar(sidecar_path(path)).items():
        if value in present:
            label_map.segments.put(segment)
    label_map.require_grid_of(reference, source=path)
    return label_map


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


def _time_point(volume, frame, source: str):
    """The 3D image to store: time point ``frame`` (``--frame``, 1-based) of a 4D image, which
    needs one (time point 1 by default could store a mask drawn on another as its label)."""
    from ..app.frames import pick_time_point

    if frame is None and volume.axis4 == "time" and volume.n_frames > 1:
        raise DatasetError(f"a 4D image of {volume.n_frames} time points: choose the one the labels "
                           "were drawn on with --frame N (1-based, as the window's Time point box)",
                           path=source)
    return pick_time_point(volume, frame, source)[0]


def _require_dataset_values(label_map: LabelMap, foreground: dict[str, int], path: str,
                            label_for: dict[str, str]) -> None:
    """A mask file's values must be labels of the dataset, or segments of its ``.segments.json``
    named as one or given one by ``--label-for`` (or a model's brain segment, stored as
    background, as *Send to training set*)."""
    labels = set(foreground.values())
    names = {name.lower() for name in [*foreground, *label_for]}
    for segment in label_map.segments:
        if segment.name.lower() in names or (segment.origin == "model" and segment.name.lower() == "brain"):
            labels.add(segment.value)
    extra = sorted(set(np.unique(label_map.array).tolist()) - {0} - labels)
    if extra:
        shown = ", ".join(str(v) for v in extra[:5]) + (" ..." if len(extra) > 5 else "")
        raise DatasetError(f"mask holds values {shown} that are not labels of the dataset "
                           f"({', '.join(f'{v}={n}' for n, v in foreground.items())})", path=path)


def _init(args) -> int:
    from ..dataset.layout import init_dataset

    folder = init_dataset(args.dir, args.name, args.labels.split(","),
                          channels=args.channels.split(","), dataset_id=args.id)
    print(folder)
    return 0


def _add(args) -> int:
    from ..dataset.layout import read_dataset
    from ..dataset.provenance import Provenance
    from ..dataset.segment_labels import parse_label_for
    from ..dataset.store import add_case
    from .progress import TextProgress
    from .series_choice import load_named_series

    read_dataset(args.dir)  # a wrong DIR is reported before any image is read
    volumes = [load_named_series(image, args.series, TextProgress(),
                                 "the one the labels were drawn on") for image in args.image]
    volumes = [_time_point(volume, args.frame, image) for volume, image in zip(volumes, args.image)]
    _require_one_grid(volumes, args.image)
    label_map = _load_label_map(args.labels, volumes[0])
    label_for = parse_label_for(args.label_for)
    _require_dataset_values(label_map, read_dataset(args.dir).foreground, args.labels, label_for)
    proposal = _load_label_map(args.proposal, volumes[0]) if args.proposal else None
    reviewed = _load_label_map(args.reviewed, volumes[0]).array > 0 if args.reviewed else None
    provenance = Provenance(annotator=args.annotator, model=_model_ref(args.model), status=args.status,
                            editing_seconds=args.editing_seconds)
    record = add_case(args.dir, volumes, label_map, provenance, proposal=proposal,
                      reviewed=reviewed, links_path=args.links, same_image=args.if_present,
                      allow_modality_mismatch=args.allow_modality_mismatch, label_for=label_for)
    if record.replaced:
        import sys

        print(f"the dataset already held this image as {record.case}: its label was replaced "
              "(same case id and fold)", file=sys.stderr)
    print(record.case)
    return 0


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

        print(f"model {model!r} is not in the registry: its version is recorded as unknown "
              "(give --model NAME@VERSION)", file=sys.stderr)
        return model


def _list(args) -> int:
    import sys

    from ..dataset.layout import read_dataset
    from ..dataset.repair import repair_dataset
    from ..dataset.store import list_cases

    for message in repair_dataset(args.dir):
        print(f"repaired: {message}", file=sys.stderr)
    info = read_dataset(args.dir)
    print(f"{info.folder}  labels: {', '.join(f'{v}={n}' for n, v in info.labels.items())}  "
          f"channels: {', '.join(info.channel_names.values())}  cases: {info.num_training}")
    for record in list_cases(info.folder):
        model = f"{record.model['name']}@{record.model['version']}" if record.model else "-"
        parts = []
        for seg in record.segments:
            edited = ", corrected by hand" if seg.source in ("model", "loaded") and seg.hand_edited else ""
            edited += ", refined with AI click" if seg.source in ("model", "loaded") and seg.ai_click else ""
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
        print(f"{record.case}  {record.subject}  {record.status:<8} model {model}  "
              f"by {record.annotator or '-'}  {'; '.join(parts)}{partial}")
    return 0


def _probability_fn(model: str, device: str = "auto"):
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
        return ai.flip_probabilities(volume, model, flips, device, lazy=True)

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


def _rank(args) -> int:
    import json
    import os
    import sys

    from ..dataset.layout import read_dataset
    from ..dataset.links import default_links_path
    from ..dataset.rank import rank_cases, write_ranking_csv
    from ..dataset.store import find_image
    from ..dataset.worklist import Worklist
    from ..io import load
    from .outputs import check_writable
    from .progress import TextProgress

    info = read_dataset(args.dir)
    if args.output:  # before the model's time on every case, not after it
        check_writable(args.output)
    if len(info.channel_names) != 1:
        raise DatasetError("ranking multi-channel cases is not supported yet", path=info.folder)
    flips = _parse_flips(args.flips)
    if ":" not in args.model or os.path.exists(args.model):
        trust.apply(args, args.model)
    probability_fn, model_name = _probability_fn(args.model, args.device)
    sent_from = {}  # source path -> training case, for files sent as they are
    links = default_links_path(info)
    if links.exists():
        sent_from = {c.get("source_path", ""): case
                     for case, c in json.loads(links.read_text())["cases"].items()}
    worklist = Worklist.open(args.cases)
    # which model scores the cases: a promotion changes the default, and the ranking with it
    print(f"ranking with {model_name}", file=sys.stderr)
    todo, already = [], []
    for c in worklist.cases:
        why = ("marked done in the worklist" if c.mark == "done"   # File > Mark done: nothing to label
               else f"open in {worklist.open_cases[c.case_id]}'s window (being edited)"
               if c.case_id in worklist.open_cases else "")   # ranked and sent to a second annotator
        if c.status in ("new", "proposed") and why:
            print(f"{c.case_id}: {why}, not ranked", file=sys.stderr)
        if c.status not in ("new", "proposed") or why:
            continue
        if os.path.abspath(c.path) in sent_from:
            already.append((c.case_id, sent_from[os.path.abspath(c.path)]))
        else:
            todo.append((c.case_id, c.path))

    def dataset_case(volume):  # the same image under another name or file type
        try:
            record = find_image(info.folder, volume)
        except DatasetError:  # not a 3D image: it cannot be a training case
            return None
        return record.case if record is not None else None

    ranking = rank_cases(todo, probability_fn, load, flips, progress=TextProgress(),
                         dataset_case=dataset_case) if todo else None
    if ranking is not None:
        already += [(a.case_id, a.dataset_case) for a in ranking.already]
    for case_id, held in already:
        print(f"{case_id}: already case {held} in the dataset, not ranked", file=sys.stderr)
    for problem in ranking.unreadable if ranking is not None else ():   # as `info` goes on past them
        print(f"note: skipped {problem} (not ranked)", file=sys.stderr)
    for copy in ranking.twice if ranking is not None else ():
        print(f"{copy.case_id}: the same image as {copy.same_as} (voxels and grid), not ranked twice",
              file=sys.stderr)
    if ranking is None or not ranking.ranked:
        if args.output:  # an empty worklist, not the last run's list of cases now labelled
            print(f"{write_ranking_csv(args.output, [])} now lists no case", file=sys.stderr)
        if ranking is not None and len(ranking.unreadable) == len(todo):  # not "no unlabelled
            raise DatasetError(f"none of its {len(todo)} case(s) could be read (the notes above "
                               "say why); nothing ranked", path=args.cases)  # case": none read
        print("no unlabelled case to rank")
        return 0
    for number, r in enumerate(ranking.ranked, start=1):
        print(f"{number:>3}  {r.case_id}  entropy {r.score:.4f} bits  MI {r.mutual_information:.4f}  "
              f"uncertain {r.uncertain_voxels} vox  {r.path}")
    if args.output:
        # the ranking shares the cases' worklist state: what one annotator has open or has done
        # is seen by the others, whichever ranking of these cases each works from
        print(write_ranking_csv(args.output, ranking.ranked, worklist.shares or worklist.source))
    return 0


def run(args) -> int:
    actions = {"init": _init, "add": _add, "list": _list, "rank": _rank}
    if args.action not in actions:
        raise DatasetError(f"unknown action {args.action!r}")
    return actions[args.action](args)
