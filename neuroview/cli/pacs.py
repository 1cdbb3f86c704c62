"""``neuroview pacs``: configure DICOM servers, echo, find, get (into a folder) and store.

The server is ``--server NAME`` (configured once with ``neuroview pacs add``) or given inline with
``--host/--port/--aet`` (DIMSE) or ``--url`` (DICOMweb). Passwords are never taken on the command
line (they would land in the shell history): ``NEUROVIEW_PACS_PASSWORD`` or a prompt.
"""

from __future__ import annotations

import getpass
import os
import shutil
import sys
from pathlib import Path

from ..core.atomic import fsync_dir
from ..core.plural import plural
from ..core.safepath import copy_tree_with_room
from ..io.dicom.person_name import shown_names
from ..io.pacs import (
    PROTOCOLS,
    PacsError,
    SeriesCache,
    ServerConfig,
    echo,
    find,
    get_server,
    load_servers,
    remove_server,
    retrieve,
    save_server,
    store,
    study_of_series,
)
from ..io.pacs.cache import kept_for_retry
from ..io.pacs.identifiers import shown_values
from .progress import TextProgress
from .stop_signals import exit_status, stop_line

PASSWORD_ENV = "NEUROVIEW_PACS_PASSWORD"
QUERY_FLAGS = {
    "patient_name": "PatientName", "patient_id": "PatientID", "date": "StudyDate",
    "modality": "ModalitiesInStudy", "description": "StudyDescription", "study": "StudyInstanceUID",
    "series_description": "SeriesDescription",
}


def _server_flags(parser, need_name: bool = False) -> None:
    if not need_name:
        parser.add_argument("--server", metavar="NAME", help="a server configured with `pacs add`")
    parser.add_argument("--host", default="", help="DIMSE: host name or address of the server")
    parser.add_argument("--port", type=int, default=104, help="DIMSE: port (default 104)")
    parser.add_argument("--aet", default="ANY-SCP", help="DIMSE: the server's AE title")
    parser.add_argument("--calling-aet", default="NEUROVIEW", help="DIMSE: our AE title (default NEUROVIEW)")
    parser.add_argument("--move-port", type=int, default=0,
                        help="DIMSE: retrieve by C-MOVE to this local port (default C-GET)")
    parser.add_argument("--url", default="", help="DICOMweb root URL (e.g. https://pacs/dicom-web)")
    parser.add_argument("--user", default="", help=f"user name (password from ${PASSWORD_ENV} or a prompt)")
    if not need_name:
        parser.add_argument("--protocol", choices=PROTOCOLS, default="auto",
                            help="dimse or web (default dimse when the server has a host)")


def _readers_flags(parser) -> None:
    """The server, and the series whose readers' SEGs are compared (``readers``, ``adjudicate``)."""
    _server_flags(parser)
    parser.add_argument("--study", metavar="UID",
                        help="StudyInstanceUID (default asked of the server by the series)")
    parser.add_argument("--series", metavar="UID", required=True, help="SeriesInstanceUID of the image")
    parser.add_argument("--consensus", choices=("staple", "majority"), default="staple",
                        help="how the readers' masks are combined: STAPLE (default) or a majority vote")


def register(parser) -> None:
    verbs = parser.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser("add", help="configure a server (replaces one of the same name)")
    add.add_argument("name", help="the name other commands give as --server NAME")
    _server_flags(add, need_name=True)
    verbs.add_parser("list", help="list the configured servers")
    remove = verbs.add_parser("remove", help="forget a configured server")
    remove.add_argument("name", help="a configured server's name")
    _server_flags(verbs.add_parser("echo", help="check the connection (C-ECHO or a QIDO search)"))
    finder = verbs.add_parser("find", help="search patients, studies or series")
    _server_flags(finder)
    finder.add_argument("--level", choices=("patient", "study", "series"), default="study",
                        help="what to list (default study)")
    finder.add_argument("--patient-name", help="e.g. 'Doe Jane', 'doe, jane' or 'DOE*': every word begins "
                        "a word of the name, in any order, regardless of case")
    finder.add_argument("--patient-id", help="PatientID, wildcards allowed")
    finder.add_argument("--date", help="study date or range, e.g. 20240101-20241231")
    finder.add_argument("--modality", help="e.g. MR")
    finder.add_argument("--description", help="study description, wildcards allowed")
    finder.add_argument("--series-description", help="series description (series level)")
    finder.add_argument("--study", metavar="UID", help="StudyInstanceUID (the series of one study)")
    finder.add_argument("--limit", type=int, default=1000, metavar="N",
                        help="list at most N matches; the server is asked to stop there (default 1000)")
    getter = verbs.add_parser("get", help="retrieve series into a folder (through the local cache)")
    _server_flags(getter)
    getter.add_argument("--study", metavar="UID",
                        help="StudyInstanceUID (with only --series: asked of the server)")
    getter.add_argument("--series", metavar="UID", action="append",
                        help="SeriesInstanceUID (repeatable; default every series of the study)")
    getter.add_argument("-o", "--output", required=True, metavar="DIR", help="one sub-folder per series")
    getter.add_argument("--cache-gb", type=float, default=None,
                        help="local cache bound (default the window's Settings > PACS cache..., 20 GB)")
    _readers_flags(verbs.add_parser("readers", help="every reader's SEG of a series and their agreement"))
    judge = verbs.add_parser("adjudicate", help="lesion by lesion: list the readers' lesions, or take "
                             "one outline per lesion and send the adjudicated SEG")
    _readers_flags(judge)
    judge.add_argument("--take", metavar="N=CHOICE", action="append", default=[],
                       help="lesion N gets READER's outline ('Ann Smith', 'Smith, Ann' or Smith^Ann), "
                       "'consensus' or 'none' (repeat per lesion); reader:NAME is always a reader "
                       "(one named Consensus: reader:Consensus)")
    judge.add_argument("--adjudicator", default="",
                       help="who decides ('Sam Senior', 'Senior, Sam' or Senior^Sam; recorded as DICOM's "
                       "Senior^Sam); needed with --take")
    judge.add_argument("--provenance", metavar="FILE", help="write which outline was taken per lesion (JSON)")
    judge.add_argument("--to-dataset", metavar="DIR",
                       help="also add the adjudicated mask to this training set as final (with the "
                            "readers and the outline taken per lesion in its provenance)")
    judge.add_argument("--allow-modality-mismatch", action="store_true",
                       help="with --to-dataset: add a CT image to a channel named as MR (MRI, T1, "
                            "FLAIR...) or an MR image to a CT channel (refused by default, before the "
                            "SEG is sent: a channel holds one modality)")
    work = verbs.add_parser("worklist", help="the series of a query a reader has not segmented yet, "
                            "retrieved into a folder with a worklist CSV")
    _server_flags(work)
    work.add_argument("--reader", required=True,
                      help="whose worklist ('Ann Smith', 'Smith, Ann' or Smith^Ann)")
    work.add_argument("--date", help="study date or range, e.g. 20240101-20241231")
    work.add_argument("--modality", help="e.g. MR")
    work.add_argument("--series-description", default="", help="e.g. '*FLAIR*'")
    work.add_argument("-o", "--output", required=True, metavar="DIR",
                      help="where the series and the worklist CSV go")
    sender = verbs.add_parser("store", help="send DICOM files or folders to the server")
    _server_flags(sender)
    sender.add_argument("paths", nargs="+", metavar="PATH", help="DICOM file or folder")


def _password(user: str) -> str:
    if not user:
        return ""
    if PASSWORD_ENV in os.environ:
        return os.environ[PASSWORD_ENV]
    return getpass.getpass(f"password for {user}: ")


def _inline(args, name: str) -> ServerConfig:
    return ServerConfig(name=name, host=args.host, port=args.port, called_aet=args.aet,
                        calling_aet=args.calling_aet, url=args.url, move_port=args.move_port,
                        username=args.user,
                        password=_password(args.user))


def _server(args) -> ServerConfig:
    if args.server:
        return get_server(args.server)
    if not (args.host or args.url):
        raise PacsError("say which server: --server NAME, or --host/--port/--aet, or --url")
    return _inline(args, "command line")


def _copy_out(folder: Path, target: Path) -> None:
    """Copy a cached series to ``target`` whole or not at all (refused before the first byte
    when the disk has no room for it); a copy there before is replaced only once this one is
    whole."""
    partial = target.with_name(f".partial-{target.name}")
    shutil.rmtree(partial, ignore_errors=True)
    copy_tree_with_room(folder, partial, "the series retrieved", PacsError)
    if target.exists():
        shutil.rmtree(target)
    os.replace(partial, target)
    fsync_dir(target.parent)


def run(args) -> int:
    if args.verb == "add":
        config = _inline(args, args.name)
        kept = save_server(config)
        print(f"saved {config.describe()}" + (f"; password kept in {kept}" if kept else ""))
        return 0
    if args.verb == "list":
        servers = load_servers()
        for config in servers.values():
            print(config.describe())
        if not servers:
            print("no DICOM server configured (neuroview pacs add NAME --host ... or --url ...)")
        return 0
    if args.verb == "remove":
        remove_server(args.name)
        print(f"removed {args.name}")
        return 0
    config = _server(args)
    if args.verb == "echo":
        checked = echo(config, args.protocol)
        print(f"ok ({' and '.join(checked)}): {config.describe()}")
        return 0
    if args.verb == "find":
        query = {key: getattr(args, flag) for flag, key in QUERY_FLAGS.items() if getattr(args, flag)}
        if args.level == "series" and "ModalitiesInStudy" in query:
            query["Modality"] = query.pop("ModalitiesInStudy")
        if args.level == "series":
            query.pop("StudyDescription", None)
        if args.limit < 1:
            raise PacsError(f"--limit {args.limit}: give 1 or more matches")
        matches = find(config, args.level.upper(), args.protocol, limit=args.limit, **query)
        for match in matches:   # multi-valued as the window shows them: MR\SEG -> "MR, SEG"
            shown = {k: shown_values(v) for k, v in match.items()}
            print("\t".join(f"{k}={v}" for k, v in shown.items() if v != ""))
        print(plural(len(matches), "match", "matches") + (
            f"; {config.name} returned {matches.answered}, the most asked for (--limit): narrow the search"
            if matches.more else ""))
        return 0
    if args.verb == "get":
        return _get(config, args)
    if args.verb == "readers":
        return _readers(config, args)
    if args.verb == "adjudicate":
        return _adjudicate(config, args)
    if args.verb == "worklist":
        from ..io.pacs.worklist import build_worklist, pending_series

        query = {k: v for k, v in (("StudyDate", args.date), ("ModalitiesInStudy", args.modality)) if v}
        cache = SeriesCache()
        entries = pending_series(config, args.reader, args.series_description, args.protocol, cache,
                                 **query)
        if not entries:
            from ..io.dicom.person_name import dicom_name, readable_name

            print(f"nothing left to segment for {readable_name(dicom_name(args.reader))}")
            return 0
        path = build_worklist(config, entries, args.output, args.reader, cache, args.protocol,
                              progress=TextProgress())
        print(f"{path}: {len(entries)} series (File > Worklist > Open worklist CSV...)")
        return 0
    if args.verb == "store":
        count = store(config, args.paths, args.protocol, progress=TextProgress())
        print(f"stored {plural(count, 'file')} on {config.name}")
        return 0
    raise PacsError(f"unknown pacs verb {args.verb!r}")


def _get(config: ServerConfig, args) -> int:
    if not (args.study or args.series):
        raise PacsError("say what to retrieve: --study UID, --series UID, or both")
    series = args.series or [m["SeriesInstanceUID"] for m in
                             find(config, "SERIES", args.protocol, StudyInstanceUID=args.study)]
    if not series:
        raise PacsError(f"{args.server or 'the server'} lists no series for the study "
                        f"{args.study}; nothing was retrieved")
    cache = SeriesCache(max_gb=args.cache_gb)
    # a series alone: its study is asked of the server (C-FIND/QIDO-RS at series level) before any
    # transfer, since a C-GET, C-MOVE or WADO-RS names the study too; a cached series is asked
    # for it by the check of its images (retrieve)
    studies = {uid: args.study or ("" if cache.lookup(uid) else study_of_series(config, uid, args.protocol))
               for uid in series}
    output = Path(args.output)
    for number, uid in enumerate(series, start=1):
        try:
            # a cached series is used while the server lists as many images of it (else retrieved anew)
            folder = retrieve(config, studies[uid], uid, cache, args.protocol,
                              progress=_stages(TextProgress(), f"series {number}/{len(series)}"))
            output.mkdir(parents=True, exist_ok=True)  # once a series is here: none, no folder
            _copy_out(folder, output / uid)
        except KeyboardInterrupt as stop:   # Ctrl+C or SIGTERM: said as the window's Cancel says it
            shutil.rmtree(output / f".partial-{uid}", ignore_errors=True)
            done = f"; {plural(number - 1, 'series', 'series')} before it in {output}" if number > 1 else ""
            which = f" of series {number}/{len(series)}" if len(series) > 1 else ""
            print(f"{stop_line(stop)}: retrieval{which} cancelled, {kept_for_retry(cache.kept(uid))}{done}",
                  file=sys.stderr)
            return exit_status(stop)
        print(f"{output / uid}: {plural(sum(1 for f in (output / uid).iterdir()), 'file')}")
    return 0


def _stages(bar: TextProgress, label: str):
    """``retrieve``'s progress drawn stage by stage: a retry's check of its kept images (``checking
    3 kept images...``) on a bar of its own, ended full, then the transfer's bar on the next line.
    One bar for both climbed to 66 % in the check and fell to 25 % when the transfer began."""
    last = []   # (total, text) of the stage drawn

    def report(done: float, total: float, text: str) -> None:
        if last and last[0][1] != text:   # the check is over (its last report was 2 of 3)
            bar(last[0][0], last[0][0], f"{label}: {last[0][1]}")
            bar.end_line()
        last[:] = [(total, text)]
        bar(done, total, f"{label}: {text}")
    return report


def _comparison(config: ServerConfig, args, quiet: bool = False):
    """(source folder, volume, comparison of the latest SEG of each reader on the server)."""
    from ..app.readers import compare, latest_per_reader
    from ..app.shown_time import shown_dicom_time
    from ..app.unnamed_readers import patient_words
    from ..io import load
    from ..io.pacs.readers import reader_versions

    cache = SeriesCache()
    # the series alone: its study asked of the server (C-FIND/QIDO-RS at series level), as pacs get
    study = args.study or study_of_series(config, args.series, args.protocol)
    source = retrieve(config, study, args.series, cache, args.protocol)
    volume = load(source)
    versions = reader_versions(config, study, args.series, volume, cache, args.protocol)
    private = patient_words(volume)
    if not quiet:
        latest = latest_per_reader(versions, private)  # a reader with several versions: the latest counts
        shown = shown_names(v.reader for v in latest)
        for version in latest:
            print(f"{shown[version.reader]}\t{version.model or '-'}\t"
                  f"{shown_dicom_time(version.created) or '-'}\t"
                  f"{version.description}")
    return source, volume, compare(versions, volume.ijk_to_ras, args.consensus, private)


def _adjudicate(config: ServerConfig, args) -> int:
    import json

    import numpy as np

    from ..app.reader_choice import READER, keyword_readers
    from ..app.readers import AdjudicationPlan, send_adjudicated, work_of
    from ..core.atomic import write_text_atomic
    from ..core.labels import LabelMap

    source, volume, comparison = _comparison(config, args, quiet=bool(args.take))
    if not comparison.readers:
        raise PacsError("no reader's SEG of that series on the server")
    plan = AdjudicationPlan(comparison)
    shown = shown_names(comparison.readers)
    if not args.take:
        for group in plan.groups:
            seen = ", ".join(f"{shown[name]} {count}" for name, count in group.voxels.items())
            centre = ", ".join(f"{c:.0f}" for c in group.centre_ijk)
            print(f"lesion {group.number}: voxels {seen}; centre (i, j, k) {centre}")
        print(f"{plural(len(plan.groups), 'lesion')}; decide each with --take N=READER|consensus|none")
        for name in keyword_readers(comparison.readers):   # (the words alone are not them)
            print(f"the reader {shown[name]}: --take N={READER}{shown[name]}")
        return 0
    if not args.adjudicator.strip():
        raise PacsError("say who adjudicates: --adjudicator 'Sam Senior'")
    if args.to_dataset:  # what add_case would refuse is refused before anything is sent
        from ..dataset.channels import check_channel_modalities
        from ..dataset.deid import check_no_burned_in_text
        from ..dataset.store import read_dataset

        check_no_burned_in_text(volume)
        if not args.allow_modality_mismatch:
            check_channel_modalities([volume], list(read_dataset(args.to_dataset).channel_names.values())[:1])
    for item in args.take:
        number, _, choice = item.partition("=")
        if not number.strip().isdigit() or not choice:
            raise PacsError(f"--take {item!r}: write N=READER, N=consensus or N=none")
        # the reader named in any spelling; the lesion numbers are checked all together by adjudicate()
        plan.choices[int(number)] = _taken(item, choice.strip(), comparison.readers)
    result = plan.result = plan.adjudicate(args.adjudicator)
    provenance = plan.provenance(result.mask)
    if args.provenance:
        write_text_atomic(args.provenance, json.dumps(provenance, indent=2))
    labels = LabelMap(result.mask.astype(np.uint8), volume.ijk_to_ras)
    work = work_of(comparison.versions)   # the readers' editing sessions their SEGs carry
    labels.segments.add("lesion", value=1, work=tuple(work))
    uid = send_adjudicated(config, labels, source, result.adjudicator, protocol=args.protocol, work=work)
    print(f"sent the adjudicated SEG ({plural(sum(result.voxels.values()), 'voxel')}, "
          f"{plural(len(plan.groups), 'lesion')}) as series {uid}")
    if args.to_dataset:
        from ..app.work_session import work_totals
        from ..dataset.provenance import Provenance
        from ..dataset.store import add_case
        from ..io.dicom.person_name import readable_name

        # the annotator as the window's Send to training set suggests it ("Sam Senior"); the
        # adjudication entry keeps DICOM's form (Senior^Sam); the readers' time, as their SEGs say
        who = readable_name(result.adjudicator)
        people, seconds, edits = work_totals(work) if work else (None, None, None)
        record = add_case(args.to_dataset, volume, labels,
                          Provenance(annotator=who, status="final", adjudication=provenance,
                                     annotators=people, editing_seconds=seconds, hand_edits=edits),
                          adjudicated=labels,   # as made: "adjudicated", 0 voxels changed
                          allow_modality_mismatch=args.allow_modality_mismatch)
        done = (f"replaced the label of {record.case} in the training set (it held this image)"
                if record.replaced else f"added to the training set as {record.case}")
        print(f"{done} (final, adjudicated from {len(comparison.readers)} readers)")
    return 0


def _taken(item: str, choice: str, readers: list[str]):
    """The ``--take`` choice (``app.reader_choice``), a reader as the SEG stores the name."""
    from ..app.reader_choice import typed_choice
    from ..core.errors import DatasetError

    try:
        return typed_choice(choice, readers)
    except DatasetError as exc:
        raise PacsError(f"--take {item!r}: {exc}") from None


def _readers(config: ServerConfig, args) -> int:
    _source, _volume, comparison = _comparison(config, args)
    if len(comparison.readers) < 2:
        print(f"{plural(len(comparison.readers), 'reader')}: agreement needs two")
        return 0
    shown = shown_names(comparison.readers)
    print("reader A\treader B\tDice\tHD95 mm\tlesion F1\tvolume B-A ml")
    for pair in comparison.pairs:
        print(f"{shown[pair.reader_a]}\t{shown[pair.reader_b]}\t{pair.dice:.3f}\t{pair.hausdorff95_mm:.2f}\t"
              f"{pair.lesion_f1:.3f}\t{pair.volume_difference_ml:+.3f}")
    consensus = comparison.consensus
    for name in comparison.readers:
        print(f"{consensus.method}: {shown[name]}\tsensitivity {consensus.sensitivity[name]:.3f}\t"
              f"specificity {consensus.specificity[name]:.4f}")
    return 0
