"""Load journey files: path -> Journey + every problem in the file.

The loader runs in passes over the data read by :mod:`journeymap.yamlio`, each
collecting problems rather than stopping at the first:

1. read and parse (encoding, YAML syntax, tags, duplicate keys, alias bombs);
2. imports: library files merged in, with clash, escape and cycle checks;
3. metric values read on their scales (``82%``, ``1h30m``) and written back
   as floats, so the model sees numbers only;
4. the pydantic models check shapes and types; their errors are mapped to
   positions through the error's ``loc``, never by parsing messages;
5. references between ids, uniqueness, share sums, outcomes, entries and
   reachability are checked on the raw data, so that they are reported even
   when another part of the file has a type error.

:func:`load` returns a :class:`~journeymap.model.Journey` or raises
:class:`~journeymap.problems.JourneyError` carrying every problem;
:func:`check` returns the problems (and the journey when there were no errors).
"""

from __future__ import annotations

import dataclasses
import difflib
import errno
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from . import metrics as metric_catalogue
from ._cycles import without_cycle_collection
from .files import read_bytes
from .problems import (
    QUOTED_CHARACTERS,
    JourneyError,
    Problem,
    Span,
    did_you_mean,
    quoted,
    sort_problems,
)
from .yamlio import (
    YList,
    YMap,
    decode,
    lone_typographic_quote,
    parse,
    position_of,
    typographic_inner,
)

if TYPE_CHECKING:
    from .model import Journey

SHARE_TOLERANCE = 0.001
JOURNEY_KEYS = ("id", "title", "stages", "touchpoints")
#: The top-level keys of a journey file (FORMAT.md plus the README's extensions).
JOURNEY_FIELDS = frozenset(
    ("journeymap", "id", "title", "description", "owner", "version", "tags", "imports")
    + ("personas", "channels", "stages", "touchpoints", "metrics", "weak")
    + ("value", "scenarios", "opportunities")
)

# Which model validates the mapping at a loc "shape" (ints and metric names as "*").
_MODEL_AT: dict[tuple[str, ...], str] = {
    (): "Journey",
    ("personas", "*"): "Persona",
    ("channels", "*"): "Channel",
    ("stages", "*"): "Stage",
    ("touchpoints", "*"): "Touchpoint",
    ("touchpoints", "*", "friction", "*"): "Friction",
    ("touchpoints", "*", "next", "*"): "Flow",
    ("touchpoints", "*", "next", "*", "time"): "FlowTime",
    ("touchpoints", "*", "metrics", "*"): "MetricValue",
    ("metrics", "*"): "MetricDef",
    ("weak",): "WeakConfig",
    ("value",): "ValueModel",
    ("scenarios", "*"): "Scenario",
    ("scenarios", "*", "changes", "*"): "Change",
    ("opportunities", "*"): "Opportunity",
    ("opportunities", "*", "changes", "*"): "Change",
    ("scenarios", "*", "changes", "*", "next", "*"): "Flow",
    ("opportunities", "*", "changes", "*", "next", "*"): "Flow",
}
_TOUCHPOINTS_AT_TOP = ("touchpoints are listed once, under the top-level 'touchpoints:', each naming its stage"
                       " ('stage: <stage id>')")
_FLOWS_ON_TOUCHPOINTS = ("a flow is written on the touchpoint it leaves: 'next: [<touchpoint id>]', or"
                         " 'next: [{to: <touchpoint id>, share: 0.3}]'")
_NEXT_ON_TOUCHPOINT = ("a touchpoint's flows are under 'next:': 'next: [<touchpoint id>]', or"
                       " 'next: [{to: <touchpoint id>, share: 0.3}]'")
_FRICTION_ON_TOUCHPOINT = ("pain points are written under 'friction:', each with its 'type' (effort, wait, error, ...),"
                           " 'severity' (1..5) and 'note'")
_METRICS_ON_TOUCHPOINT = "measures are written under 'metrics:', a name and its value: 'metrics: {csat: 0.8, drop_off: 0.35}'"
_SHAPE_HINTS: dict[tuple[str, str], str] = {
    ("Stage", "touchpoint"): _TOUCHPOINTS_AT_TOP,
    ("Stage", "step"): _TOUCHPOINTS_AT_TOP,
    ("Persona", "touchpoint"): "touchpoints are listed under the top-level 'touchpoints:'; a touchpoint only some"
                                " personas meet says so with 'personas: [<persona id>]'",
    ("Journey", "flow"): _FLOWS_ON_TOUCHPOINTS,
    ("Journey", "edge"): _FLOWS_ON_TOUCHPOINTS,
    ("Journey", "transition"): _FLOWS_ON_TOUCHPOINTS,
    ("Journey", "link"): _FLOWS_ON_TOUCHPOINTS,
    ("Journey", "step"): "the steps of a journey are its touchpoints: list them under 'touchpoints:'",
    **{("Touchpoint", word): _NEXT_ON_TOUCHPOINT for word in ("flow", "edge", "transition", "link", "to", "go_to", "goes_to")},
    **{("Touchpoint", word): _FRICTION_ON_TOUCHPOINT for word in ("pain", "painpoint", "pain_point", "issue", "problem")},
    **{("Touchpoint", word): _METRICS_ON_TOUCHPOINT for word in ("kpi", "measure", "score")},
}
"""Hints for keys (singular, lower case: :func:`_stem`) an author writes when a journey is shaped differently in their head (touchpoints nested
in their stage, a list of flows apart from the touchpoints), where no known key is a near spelling."""


def _stem(key: str) -> str:
    """A key in lower case and singular, spaces and hyphens as underscores, as :data:`_SHAPE_HINTS` holds it
    ('Pain Points' is pain_point, 'KPIs' kpi)."""
    return key.lower().replace(" ", "_").replace("-", "_").removesuffix("s")


_KIND_WORD = {"personas": "persona", "channels": "channel", "stages": "stage", "touchpoints": "touchpoint"}
_RANGES = {
    "emotion": "-2..2",
    "severity": "1..5",
    "share": "0..1",
    "friction_severity": "1..5",
    "min_n": ">= 0",
    "n": ">= 0",
    "median": ">= 0 seconds",
    "p90": ">= 0 seconds",
}


@dataclass
class LoadResult:
    """What :func:`check` found: the journey (None if it had errors) and every problem."""

    path: Path
    journey: Journey | None
    problems: list[Problem]
    is_library: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


@dataclass
class _Defined:
    """A persona, channel or metric definition (as read, already checked) and where it came from."""

    raw: YMap
    span: Span
    override: bool = False


@dataclass
class _Imported:
    personas: dict[str, _Defined] = field(default_factory=dict)
    channels: dict[str, _Defined] = field(default_factory=dict)
    metrics: dict[str, _Defined] = field(default_factory=dict)
    #: An import could not be used (missing, broken, not a library): what it would have defined
    #: is unknown, so "unknown persona" and "no channels" would only be its knock-on effects.
    failed: bool = False


def display_name(path: Path) -> str:
    """How a file is named in messages: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def repository_root(path: Path) -> Path:
    """The directory tree imports must stay in: the enclosing git work tree, else the file's folder."""
    start = path.resolve().parent
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def declares_journeymap(path: Path) -> bool:
    """Whether a YAML file says ``journeymap:`` at the top level, however encoded or styled
    (:func:`journeymap.sniff.sniff`)."""
    from .sniff import declares_journeymap as says_journeymap

    try:
        return says_journeymap(read_bytes(path))
    except OSError:
        return False


def find_journey_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand paths: a file as is; a directory means every ``*.yaml``/``*.yml`` below it
    that declares ``journeymap:`` (sorted, hidden folders skipped)."""
    from .sniff import declares_journeymap as says_journeymap

    # A file named twice (`validate a.yaml ./a.yaml`, `fmt --check j.yaml .`) is listed once: it was
    # checked, formatted and counted twice ('failed: 3 files' of two, 'fmt: 1 file reformatted, 1 unchanged').
    seen: set[str] = set()
    for path in _each_journey_file(paths, says_journeymap):
        key = os.path.normpath(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            yield path


def _each_journey_file(paths: Iterable[str | Path], says_journeymap: Callable[[bytes], bool]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = []
            # A folder or a *.yaml that cannot be read (no permission, a symlink loop) is listed, so
            # that reading it says why: it was passed over, and 'validate .' said 'ok' without it,
            # or 'no journey files found' of a folder it could not open. A dangling link, a FIFO or
            # a device is no journey file.
            unreadable: list[OSError] = []
            for folder, dirs, files in os.walk(path, onerror=unreadable.append):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if name.endswith((".yaml", ".yml")):
                        candidate = Path(folder) / name
                        try:
                            if says_journeymap(read_bytes(candidate)):
                                found.append(candidate)
                        except FileNotFoundError:
                            pass
                        except OSError as exc:
                            if exc.errno != errno.EINVAL:  # a FIFO or a device is no journey file
                                found.append(candidate)
            found += [Path(exc.filename) for exc in unreadable if isinstance(exc.filename, str)]
            yield from sorted(found)
        else:
            yield path


class Loader:
    """Loads journey and library files; caches libraries imported by several journeys.

    ``build=False`` checks files without building :class:`Journey` objects
    (``LoadResult.journey`` stays None): that is all ``validate`` needs, and it
    spares the import of pydantic's model machinery.
    """

    def __init__(self, root: Path | None = None, *, build: bool = True, to_fill: bool = False) -> None:
        self.root = root
        self.build = build
        self.to_fill = to_fill
        """Read the figures ``calibrate`` fills (:data:`TO_FILL`), left empty, as not given, not as errors."""
        self._libraries: dict[Path, tuple[_Imported, list[Problem]]] = {}

    def libraries(self) -> list[Path]:
        """The library files read so far (imported by the files checked)."""
        return list(self._libraries)

    # -- entry points ---------------------------------------------------------

    @without_cycle_collection
    def check(self, path: str | Path, *, raw: bytes | None = None, name: str | None = None) -> LoadResult:
        """Check a file (or ``raw`` bytes standing for it); never raises for a bad file."""
        path = Path(path)
        name = name or display_name(path)
        data, problems, text = self._read(path, name, raw)
        if data is None:
            return LoadResult(path, None, sort_problems(problems))
        root = self.root or repository_root(path)
        if not _is_journey_data(data):
            imported, more = self._check_library(path, name, data, root, (path.resolve(),), text)
            return LoadResult(path, None, sort_problems(_quoted_short(_alias_once(problems + more))), is_library=True)
        journey, more = self._check_journey(path, name, data, root, text)
        problems = _quoted_short(_alias_once(problems + _once_per_place(_one_per_reference(more))))
        ok = not any(p.is_error for p in problems)
        return LoadResult(path, journey if ok else None, sort_problems(problems))

    # -- reading --------------------------------------------------------------

    def _read(self, path: Path, name: str, raw: bytes | None = None) -> tuple[YMap | None, list[Problem], str]:
        """The file's data (None when nothing usable could be read), its problems, and its text."""
        try:
            if raw is None:
                raw = read_bytes(path)
        except FileNotFoundError:
            return None, [Problem(Span(name), "io", "file not found")], ""
        except IsADirectoryError:
            return None, [Problem(Span(name), "io", "is a directory, not a file")], ""
        except OSError as exc:
            what = "folder" if path.is_dir() else "file"
            return None, [Problem(Span(name), "io", f"cannot read the {what}: {exc.strerror or exc}")], ""
        text, problems = decode(raw, name)
        if text is None:
            return None, problems, ""
        data, problems = parse(text, name)
        if data is None and not problems:
            return None, [
                Problem(
                    Span(name, 1, 1),
                    "empty",
                    "the file is empty" if not text.strip() else "the file holds only comments",
                    "a journey file starts with 'journeymap: 1'",
                )
            ], text
        if data is None:
            return None, problems, text
        if not isinstance(data, YMap):
            what = "a list" if isinstance(data, list) else f"a single value ({data!r})"
            line, col = getattr(data, "line", 1), getattr(data, "col", 1)
            problems.append(
                Problem(
                    Span(name, line, col),
                    "not-a-mapping",
                    f"a journey file is a mapping of keys (journeymap, id, title, ...), not {what}",
                    "start the file with 'journeymap: 1'",
                )
            )
            return None, problems, text
        version = data.get("journeymap", _MISSING)
        if version is _MISSING:
            problems.append(
                Problem(
                    Span(name, data.line, data.col),
                    "missing-key",
                    "not a journey file: the key 'journeymap' (the format version) is missing",
                    did_you_mean_key(data, ("journeymap",)) or "add 'journeymap: 1' as the first line",
                )
            )
        elif version != 1 or isinstance(version, bool):
            line, col = data.value_position("journeymap")
            problems.append(
                Problem(
                    Span(name, line, col),
                    "version",
                    f"unsupported format version {version!r}; this journeymap reads version 1",
                    "the version is a number: write 'journeymap: 1' without quotes"
                    if isinstance(version, str) and version.strip() == "1"
                    else "write 'journeymap: 1'",
                )
            )
        return data, problems, text

    # -- imports --------------------------------------------------------------

    def _resolve_imports(
        self,
        path: Path,
        name: str,
        data: YMap,
        root: Path,
        chain: tuple[Path, ...],
    ) -> tuple[_Imported, list[Problem]]:
        """Load every file ``data`` imports and merge them; clashes between imports are errors."""
        merged = _Imported()
        problems: list[Problem] = []
        imports = data.get("imports")
        if not isinstance(imports, YList):
            return merged, problems  # wrong shape is the model's to report
        for index, entry in enumerate(imports):
            line, col = imports.item_position(index)
            span = Span(name, line, col)
            if not isinstance(entry, str) or not entry.strip():
                continue
            target, unusable = _import_target(path, entry)
            if target is None:
                problems.append(Problem(span, "import-missing", f"imported file {entry!r} cannot be opened: {unusable}"))
                merged.failed = True
                continue
            if not _inside(target, root):
                problems.append(
                    Problem(
                        span,
                        "import-escape",
                        f"import '{entry}' points outside the repository ({root})",
                        "imports must stay inside the directory tree of the journey's repository",
                    )
                )
                merged.failed = True
                continue
            if target in chain:
                cycle = " -> ".join(display_name(p) for p in (*chain[chain.index(target) :], target))
                problems.append(Problem(span, "import-cycle", f"import cycle: {cycle}"))
                merged.failed = True
                continue
            try:
                mode: int | None = target.stat().st_mode
            except FileNotFoundError:
                mode = None
            except OSError as exc:  # a name too long for the file system, ...
                problems.append(
                    Problem(span, "import-missing", f"imported file {entry!r} cannot be opened: {exc.strerror or exc}")
                )
                merged.failed = True
                continue
            refused = _unusable_import(path, entry, target, root, mode, span)
            if refused is not None:
                problems.append(refused)
                merged.failed = True
                continue
            library, library_problems = self._library(target, root, (*chain, target))
            # Importing a journey is a mistake in this file: point at the import, not at the journey.
            not_library = [p for p in library_problems if p.code == "import-not-library"]
            problems += [p for p in library_problems if p.code != "import-not-library"]
            if library.failed or any(p.is_error for p in library_problems):
                merged.failed = True
            if not_library:
                problems.append(
                    Problem(
                        span,
                        "import-not-library",
                        f"import '{entry}' is a journey, not a library file",
                        "only files that hold journeymap, imports, personas, channels and metrics can be imported",
                        related=(not_library[0].span,),
                    )
                )
                continue
            for kind in ("personas", "channels", "metrics"):
                theirs: dict[str, _Defined] = getattr(library, kind)
                ours: dict[str, _Defined] = getattr(merged, kind)
                for key, defined in theirs.items():
                    if key in ours and ours[key].span != defined.span:
                        problems.append(_clash(kind, key, defined.span, ours[key].span, span))
                        continue
                    ours[key] = defined
        return merged, problems

    def _library(self, path: Path, root: Path, chain: tuple[Path, ...]) -> tuple[_Imported, list[Problem]]:
        cached = self._libraries.get(path)
        if cached is not None:
            return cached
        name = display_name(path)
        data, problems, text = self._read(path, name)
        if data is None:
            result: tuple[_Imported, list[Problem]] = (_Imported(), problems)
        elif _is_journey_data(data):
            problems.append(
                Problem(
                    Span(name, data.line, data.col),
                    "import-not-library",
                    "this file is imported, but it is a journey; only library files "
                    "(journeymap, personas, channels, metrics) can be imported",
                )
            )
            result = (_Imported(), problems)
        else:
            imported, more = self._check_library(path, name, data, root, chain, text)
            result = (imported, problems + more)
        self._libraries[path] = result
        return result

    def _check_library(
        self, path: Path, name: str, data: YMap, root: Path, chain: tuple[Path, ...], text: str = ""
    ) -> tuple[_Imported, list[Problem]]:
        _ids_as_text(data)
        split = _key_indented_into_an_item(name, data) + _split_items(name, data) + _flows_as_shares(name, data)
        hidden = split + _invisible_in_ids(name, data, text) + _empty_optional_values(name, data, self.to_fill)
        imported, problems = self._resolve_imports(path, name, data, root, chain)
        problems += hidden
        catalogue, reported = _read_metric_definitions(name, data, imported, problems)
        _normalise_targets(name, data.get("metrics"), ("metrics",), catalogue, problems, reported)
        own = _Imported()
        if _validate("LIBRARY", data, name, problems, reported):
            for kind in ("personas", "channels"):
                for _, item in _items(data, kind):
                    getattr(own, kind)[item["id"]] = _Defined(item, Span(name, item.line, item.col), item.get("override") is True)
            definitions = data.get("metrics")
            if isinstance(definitions, YMap):
                for metric_name, definition in definitions.items():
                    line, col = definitions.key_position(metric_name)
                    own.metrics[metric_name] = _Defined(definition, Span(name, line, col), definition.get("override") is True)
        problems += _check_unique_ids(name, data, ("personas", "channels"))
        merged = _Imported(failed=imported.failed)
        for kind in ("personas", "channels", "metrics"):
            theirs: dict[str, _Defined] = getattr(imported, kind)
            mine: dict[str, _Defined] = getattr(own, kind)
            target: dict[str, _Defined] = getattr(merged, kind)
            target.update(theirs)
            for key, defined in mine.items():
                if key in theirs and not defined.override:
                    problems.append(_clash(kind, key, defined.span, theirs[key].span, defined.span))
                    continue
                target[key] = defined
        return merged, problems

    # -- journeys -------------------------------------------------------------

    def _check_journey(
        self, path: Path, name: str, data: YMap, root: Path, text: str = ""
    ) -> tuple[Journey | None, list[Problem]]:
        _ids_as_text(data)
        split = _key_indented_into_an_item(name, data) + _split_items(name, data) + _flows_as_shares(name, data)
        hidden = split + _invisible_in_ids(name, data, text) + _empty_optional_values(name, data, self.to_fill)
        imported, problems = self._resolve_imports(path, name, data, root, (path.resolve(),))
        problems += hidden
        catalogue, reported = _read_metric_definitions(name, data, imported, problems)
        if imported.failed:
            # A broken import's metric definitions are not to be trusted: values of those metrics
            # go unchecked (as unknown metrics, a knock-on) until the import is fixed.
            own = data.get("metrics")
            for metric_name in imported.metrics:
                if metric_name not in metric_catalogue.BUILTIN and not (isinstance(own, YMap) and metric_name in own):
                    catalogue.pop(metric_name, None)
        currencies = _normalise_journey_metrics(name, data, catalogue, problems, reported)
        valid = _validate("JOURNEY", data, name, problems, reported)
        problems += _check_structure(name, data, imported)
        if imported.failed:
            problems = [p for p in problems if not _knock_on_of_failed_import(p)]
        from .value_check import check_value_model

        problems += check_value_model(name, data, catalogue)
        if not valid or any(p.is_error for p in problems) or not self.build:
            return None, problems
        from .model import Journey

        journey = Journey.model_validate(data)
        _merge_imports(journey, imported)
        journey._source = path
        journey._spans = _collect_spans(name, data)
        journey._currencies = currencies
        for kind in ("personas", "channels"):
            for key, defined in getattr(imported, kind).items():
                journey._spans.setdefault((kind, key), defined.span)
        return journey, problems


_MISSING = object()

def _key_indented_into_an_item(name: str, data: YMap) -> list[Problem]:
    """``touchpoints:`` lined up with the keys of the last stage above it: a key of that stage, empty,
    and the touchpoints after it stages (``stage 'visit': unknown key 'channel'`` for each of their keys,
    'no touchpoints', every stage empty). One error at the key, saying so; the items after it are read
    as the list it names, as the author meant."""
    problems: list[Problem] = []
    for kind in ("personas", "channels", "stages", "touchpoints"):
        items = data.get(kind)
        if not isinstance(items, YList):
            continue
        for index, item in enumerate(items):
            if not isinstance(item, YMap):
                continue
            moved = next((k for k in ("channels", "stages", "touchpoints") if k != kind and k in item.pos
                          and item.get(k) is None and k not in data.pos), None)
            if moved is None or index == len(items) - 1:
                continue
            line, col, *_ = item.pos[moved]
            after = len(items) - index - 1
            owner = f"{_KIND_WORD[kind]} '{quoted(i)}'" if isinstance(i := item.get("id"), str) else f"{_KIND_WORD[kind]} #{index + 1}"
            problems.append(Problem(
                Span(name, line, col), "unknown-key",
                f"'{moved}:' is indented as a key of {owner}, so the {after} item{'s' * (after != 1)} after it"
                f" {'were' if after != 1 else 'was'} read as {kind}",
                f"write '{moved}:' at the start of its line: it is a top-level key",
            ))
            rest = YList(line, col)
            rest.extend(items[index + 1 :])
            rest.pos.extend(items.pos[index + 1 :])
            del items[index + 1 :]
            del items.pos[index + 1 :]
            del item.pos[moved]
            item.pop(moved, None)
            data[moved] = rest
            data.pos[moved] = (line, col, line, col)
            break
    return problems


def _flows_as_shares(name: str, data: YMap) -> list[Problem]:
    """A flow written as its touchpoint and share, ``next:`` then ``- pay: 0.7`` (as a table of shares is
    read aloud): two errors at one place, no 'to' and an unknown key 'pay'. One error, with the flow to
    write; it is then read as that flow."""
    problems: list[Problem] = []
    ids = {i for _, t in _items(data, "touchpoints") if (i := _item_id(t))}
    for _, touchpoint in _items(data, "touchpoints"):
        flows = touchpoint.get("next")
        if not isinstance(flows, YList):
            continue
        for index, flow in enumerate(flows):
            if not (isinstance(flow, YMap) and len(flow.pos) == 1):
                continue
            target = next(iter(flow.pos))
            share = flow.get(target)
            if not isinstance(target, str) or target not in ids or isinstance(share, bool):
                continue
            if isinstance(share, str) and (m := re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*", share)):
                share = float(m.group(1)) / 100
            if not isinstance(share, (int, float)):
                continue
            kline, kcol, vline, vcol = flow.pos[target]
            line, col = flows.item_position(index)
            owner = f"touchpoint '{i}'" if isinstance(i := touchpoint.get("id"), str) else "a touchpoint"
            problems.append(Problem(
                Span(name, line, col), "wrong-type",
                f"{owner}: flow #{index + 1} is written as its touchpoint and share, '{target}: {flow[target]}'",
                f"write '- to: {target}' and under it 'share: {share:g}'",
            ))
            fixed = YMap(line, col)
            fixed["to"], fixed["share"] = target, share
            fixed.pos["to"], fixed.pos["share"] = (kline, kcol, kline, kcol), (vline, vcol, vline, vcol)
            flows[index] = fixed
    return problems


#: Lists of items, the key that starts each item, and the model whose keys an item has.
_ITEM_LISTS = {"personas": ("id", "Persona"), "channels": ("id", "Channel"), "stages": ("id", "Stage"),
               "touchpoints": ("id", "Touchpoint"), "friction": ("type", "Friction"), "next": ("to", "Flow")}


def _split_items(name: str, data: YMap) -> list[Problem]:
    """An author new to YAML writes a '-' before every key of an item (``- id: shopper`` then
    ``- name: Shopper``): each key is an item of its own. That was every key missing from the first
    (``persona 'shopper': the required key 'name' is missing``), the id missing from each other one,
    and every reference to the item unknown: a dozen errors, none saying what to do. Items of one key
    each that follow an item with its first key (``id``, a friction's ``type``, a flow's ``to``), and
    are keys it lacks, are one ``split-item`` error at the first of them; they are then read as that
    item's keys, so nothing else is told of them. So is an item written as a list of such one-key
    items (``- - id: web`` then ``  - name: Website``)."""
    problems: list[Problem] = []
    _validator("JOURNEY")  # the models' keys, from the precompiled schema (importing the models costs 0.1 s)

    def fields(kind: str) -> frozenset[str]:
        return frozenset(_FIELDS.get(_ITEM_LISTS[kind][1], ()))

    def one_key(item: Any) -> str | None:
        if isinstance(item, YMap) and len(item.pos) == 1:
            key = next(iter(item.pos))
            return key if isinstance(key, str) else None
        return None

    def merge(into: YMap, item: YMap) -> None:
        for key, where in item.pos.items():
            into.pos[key] = where
            if key in item:
                into[key] = item[key]

    def tell(line: int, col: int, owner: str, shown: str, keys: list[str], first: str, word: str) -> None:
        written = [f"'{k}:'" for k in keys]
        listed = written[0] if len(written) == 1 else ", ".join(written[:-1]) + " and " + written[-1]
        one = len(keys) == 1
        problems.append(Problem(
            Span(name, line, col), "split-item",
            f"{owner}{listed} {'is a key' if one else 'are keys'} of {word} {shown} above, written with a '-'"
            f" as {'an item' if one else 'items'} of {'its' if one else 'their'} own",
            f"remove the '-' before {listed}: the keys of one {word} line up under its '{first}:'",
        ))

    def fix(items: Any, kind: str, owner: str) -> None:
        if not isinstance(items, YList):
            return
        first, _ = _ITEM_LISTS[kind]
        known = fields(kind)
        word = {"friction": "friction", "next": "flow"}.get(kind) or _KIND_WORD[kind]
        kept: list[Any] = []
        kept_pos: list[tuple[int, int]] = []
        i = 0
        while i < len(items):
            item = items[i]
            if isinstance(item, YList) and item and (keys := [one_key(x) for x in item]) and all(keys) and first in keys \
                    and len(set(keys)) == len(keys) and set(keys) <= known:
                # `- - id: web` / `  - name: Website`: one item written as a list of its keys
                merged = YMap(*items.item_position(i))
                for x in item:
                    merge(merged, x)
                line, col = items.item_position(i)
                problems.append(Problem(
                    Span(name, line, col), "split-item",
                    f"{owner}{word} #{len(kept) + 1} is a list of its keys, each with a '-' of its own",
                    f"remove the '-' before each key ({', '.join(k for k in keys if k)}): the keys of one {word}"
                    f" go one under another, after one '-'",
                ))
                kept.append(merged)
                kept_pos.append((line, col))
                i += 1
                continue
            kept.append(item)
            kept_pos.append(items.item_position(i))
            i += 1
            if not (isinstance(item, YMap) and first in item):
                continue
            absorbed: list[str] = []
            while i < len(items) and (key := one_key(items[i])) is not None and key != first \
                    and key in known and key not in item.pos:
                if not absorbed:
                    at = items.item_position(i)
                merge(item, items[i])
                absorbed.append(key)
                i += 1
            if absorbed:
                ident = item.get(first)
                shown = f"'{quoted(ident)}'" if isinstance(ident, str) else f"#{len(kept)}"
                tell(*at, owner, shown, absorbed, first, word)
        items[:] = kept
        items.pos[:] = kept_pos

    for kind in ("personas", "channels", "stages", "touchpoints"):
        fix(data.get(kind), kind, "")
    for _, touchpoint in _items(data, "touchpoints"):
        ident = _item_id(touchpoint)
        owner = f"touchpoint '{ident}': " if ident else ""
        for kind in ("friction", "next"):
            fix(touchpoint.get(kind), kind, owner)
    return problems


def check(path: str | Path, *, root: Path | None = None, to_fill: bool = False) -> LoadResult:
    """Check one journey (or library) file and report every problem in it (``to_fill``: as
    ``calibrate`` reads it, the figures it fills left empty being no error).

    >>> result = check("sample_journeys/telecom-support.journey.yaml")
    >>> result.errors
    []
    """
    return Loader(root, to_fill=to_fill).check(path)


def load(path: str | Path, *, root: Path | None = None) -> Journey:
    """Load a journey file, raising :class:`JourneyError` with every problem if it has errors.

    Warnings do not stop a load; use :func:`check` to see them.
    """
    result = check(path, root=root)
    if result.journey is None:
        if result.is_library and not result.errors:
            raise JourneyError(
                [Problem(Span(display_name(Path(path)), 1, 1), "not-a-journey", "this is a library file, not a journey")]
            )
        raise JourneyError(result.problems)
    return result.journey


# -- helpers -----------------------------------------------------------------


def _is_journey_data(data: YMap) -> bool:
    return any(key in data.pos for key in JOURNEY_KEYS)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _import_target(path: Path, entry: str) -> tuple[Path | None, str | None]:
    """The absolute path an import names, or None and why no file can have that name. It is relative
    to the importing file where it is: a journey reached through a symbolic link imports as the file
    itself does (its repository, too, is the real file's: relative to the link, 'library/shared.yaml'
    pointed 'outside the repository' or at nothing)."""
    if "\x00" in entry:
        return None, "a file name cannot hold a NUL character"
    try:
        return (path.resolve().parent / entry).resolve(), None
    except RuntimeError as exc:  # Python 3.11-3.12: a symlink loop
        return None, str(exc)
    except OSError as exc:
        return None, exc.strerror or str(exc)


def _reference_hint(value: str, known: Iterable[str], kind: str) -> str | None:
    """"did you mean" for a near miss, else the ids there are (when few enough to read)."""
    known = list(known)
    hint = did_you_mean(value, known)  # not sorted first: 10,000 unknown references, each sorting 10,000 ids
    if hint is None and 0 < len(known) <= 12:
        ids = sorted(k for k in known if isinstance(k, str))
        if ids:
            hint = f"the {kind} are: {', '.join(ids)}"
    return hint


def _by_name(items: Iterable[Any]) -> dict[str, str | None]:
    """Items' ids by their names in any capitals (None for a name two items share)."""
    found: dict[str, str | None] = {}
    for item in items:
        if isinstance(item, YMap) and isinstance(ident := item.get("id"), str) and isinstance(named := item.get("name"), str):
            key = " ".join(named.split()).casefold()
            found[key] = ident if key not in found else None
    return found


def _text_item_hint(value: str, data: YMap, kind: str) -> str | None:
    """``stage: discover`` where ``stages: [Discover, Buy]`` wrote the stages as their names (each an error of its own):
    the reference is not wrong, the list is; None when no item written as text is the one referred to."""
    items = data.get(kind)
    if not isinstance(items, YList):
        return None
    for index, item in enumerate(items):
        if isinstance(item, str) and value in (item, slugify(item)):
            word = _KIND_WORD[kind]
            return f"{word} #{index + 1} is written as the text '{quoted(item)}': written as a mapping, its id '{value}' is read"
    return None


def _named_hint(value: str, names: dict[str, str | None], word: str) -> str | None:
    """``stage: Browse the shop``, ``next: [Adds to basket]``: a reference written as the name of a stage or
    touchpoint, not its id: the id to write; None for another reference."""
    ident = names.get(" ".join(value.split()).casefold())
    if ident is None or ident.casefold() == value.casefold():
        return None  # the id in other capitals: 'did you mean' says it
    return f"'{quoted(value)}' is the name of {word} '{ident}': a reference names its id, write '{ident}'"


#: ``pay (40%)``, ``pay share 0.4``, ``pay: 40%``: a flow's share written in its reference.
_SHARE_IN_REFERENCE = re.compile(
    r"([a-z0-9][a-z0-9-]*)\s*(?:[(\[]\s*)?(?:share\s*[:=]?\s*|[:=,]\s*)?([0-9]+(?:\.[0-9]+)?)\s*(%?)\s*[)\]]?")


def _share_in_reference_hint(value: str, touchpoint_ids: set[str]) -> str | None:
    """How to write a flow whose share is written in its reference (``next: [pay (40%)]``); None otherwise."""
    m = _SHARE_IN_REFERENCE.fullmatch(value.strip())
    if m is None or m.group(1) not in touchpoint_ids:
        return None
    share = float(m.group(2)) / (100 if m.group(3) else 1)
    return f"a flow's share is a key of its own: write '- to: {m.group(1)}' and under it 'share: {share:g}'"


#: ``card-activation/activate-card``: another journey's touchpoint written as one path (``/``, ``.``, ``:``, ``#``).
_JOURNEY_AND_TOUCHPOINT = re.compile(r"([a-z0-9][a-z0-9-]*)\s*[/.:#]\s*([a-z0-9][a-z0-9-]*)")


def _other_journey_hint(target: str, own: Any, touchpoint_ids: set[str]) -> str | None:
    """How to write a flow into another journey, for a reference that names one and its touchpoint in one
    (``next: [card-activation/activate-card]``); None for any other reference."""
    m = _JOURNEY_AND_TOUCHPOINT.fullmatch(target.strip())
    if m is None:
        return None
    journey, touchpoint = m.groups()
    if journey == own:
        if touchpoint in touchpoint_ids:
            return f"write '{touchpoint}': a touchpoint of this journey is named by its id alone"
        return None
    return (f"a flow into another journey names that journey apart: write '- to: {touchpoint}' and under it"
            f" 'journey: {journey}'")


_LIBRARY_ADVICE = "a journey library is a YAML text file that starts with 'journeymap: 1' and holds personas, channels or metrics"


def _knock_on_of_failed_import(problem: Problem) -> bool:
    """A problem the failed import may have caused: the import's own error says it all."""
    if problem.code in ("no-personas", "no-channels", "unknown-metric"):
        return True
    return problem.code == "unknown-reference" and (
        ": unknown channel '" in problem.message or ": unknown persona '" in problem.message
    )


def _unusable_import(importer: Path, entry: str, target: Path, root: Path, mode: int | None, span: Span) -> Problem | None:
    """Why an import names nothing a library can be read from, said at the import line; None if it can."""
    import stat

    if mode is None:
        return Problem(
            span, "import-missing", f"imported file '{entry}' does not exist", _missing_import_hint(importer, entry, target, root)
        )
    if stat.S_ISDIR(mode):
        try:
            inside = sorted(p.name for p in target.iterdir() if p.suffix in (".yaml", ".yml"))
        except OSError:
            inside = []
        hint = (
            "import a library file in it: " + ", ".join(f"'{entry.rstrip('/')}/{n}'" for n in inside[:5])
            if inside
            else _LIBRARY_ADVICE
        )
        return Problem(span, "import-missing", f"import '{entry}' is a folder, not a file", hint)
    if not stat.S_ISREG(mode):
        kind = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        return Problem(
            span,
            "import-not-library",
            f"import '{entry}' is not a journey library: it is {kind}, not a file",
            _LIBRARY_ADVICE,
        )
    try:
        with open(target, "rb") as handle:
            head = handle.read(8192)
    except OSError:
        return None  # reading it again reports why
    from .sniff import binary_kind

    binary = binary_kind(head)
    if binary is None:
        return None
    return Problem(
        span,
        "import-not-library",
        f"import '{entry}' is not a journey library: it is {binary}",
        _LIBRARY_ADVICE,
    )


def _missing_import_hint(importer: Path, entry: str, target: Path, root: Path) -> str:
    """The import as it should probably be written: a near miss in the same folder, else the one
    file of that name in the repository (imports are relative to the importing file)."""
    written = importer.resolve().parent / entry
    if written.is_symlink():  # a link to nowhere: the name is right, the link is not
        return f"'{entry}' is a link to '{os.readlink(written)}', which does not exist"
    folder = target.parent
    try:
        folder_exists = folder.is_dir()
        names = [p.name for p in folder.iterdir() if p.suffix in (".yaml", ".yml")] if folder_exists else []
    except OSError:
        folder_exists, names = False, []
    names = [n for n in names if n != target.name]  # never "did you mean" the very name written
    near = difflib.get_close_matches(target.name, names, n=1) or [n for n in names if n.lower() == target.name.lower()]
    if near:
        return f"did you mean '{(PurePosixPath(entry.replace(os.sep, '/')).parent / near[0]).as_posix()}'?"
    base = importer.resolve().parent
    found = _find_file(base, target.name) or _find_file(root, target.name)
    if found is not None:
        return f"did you mean '{Path(os.path.relpath(found, base)).as_posix()}'? Imports are relative to the importing file"
    if not folder_exists:
        return f"the folder '{display_name(folder)}' does not exist either"
    return "imports are relative to the importing file"


def _find_file(top: Path, name: str) -> Path | None:
    """The one file called ``name`` below ``top`` (hidden folders skipped); None if none, several
    or the search would be long: a guess is offered only when it is clear and cheap."""
    found: list[Path] = []
    seen = 0
    try:
        for folder, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            seen += len(files) + len(dirs)
            if name in files:
                found.append(Path(folder) / name)
            if len(found) > 1 or seen > 5000:
                return None
    except OSError:
        return None
    return found[0] if found else None


def _clash(kind: str, key: str, here: Span, there: Span, at: Span) -> Problem:
    word = {"personas": "persona", "channels": "channel", "metrics": "metric"}[kind]
    return Problem(
        at,
        "import-clash",
        f"{word} '{key}' is defined at {here} and also at {there}",
        f"rename one, or say 'override: true' on the one in the importing file to replace the imported {word}",
        related=(here, there),
    )


def did_you_mean_key(data: YMap, choices: Iterable[str]) -> str | None:
    for key in data.pos:
        if isinstance(key, str):
            hint = did_you_mean(key, choices, cutoff=0.75)
            if hint:
                return hint
    return None


def _item_id(item: Any) -> str | None:
    if isinstance(item, YMap):
        value = item.get("id")
        if isinstance(value, str):
            return value
    return None


def _describe(loc: tuple[Any, ...], data: Any) -> str:
    """Say where a loc points in the journey's own words: "touchpoint 'create-account'"."""
    words: list[str] = []
    node = data
    i = 0
    while i < len(loc):
        step = loc[i]
        child = node.get(step) if isinstance(node, dict) and isinstance(step, str) else None
        # Only the top-level lists are kinds; a touchpoint's `personas` is a list of references.
        if i == 0 and step in _KIND_WORD and i + 1 < len(loc) and isinstance(loc[i + 1], int) and isinstance(child, list):
            index = loc[i + 1]
            item = child[index] if 0 <= index < len(child) else None
            ident = _item_id(item)
            words = [f"{_KIND_WORD[step]} '{ident}'" if ident else f"{_KIND_WORD[step]} #{index + 1}"]
            node = item
            i += 2
            continue
        if i == 0 and step in ("scenarios", "opportunities") and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            index = loc[i + 1]
            item = child[index] if isinstance(child, list) and 0 <= index < len(child) else None
            ident = _item_id(item)
            word = step[:-1] if step == "scenarios" else "opportunity"
            words = [f"{word} '{ident}'" if ident else f"{word} #{index + 1}"]
            node = item
            i += 2
            continue
        if step in ("friction", "next", "changes") and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            label = {"friction": "friction", "next": "flow", "changes": "change"}[step]
            words.append(f"{label} #{loc[i + 1] + 1}")
            node = child[loc[i + 1]] if isinstance(child, list) and 0 <= loc[i + 1] < len(child) else None
            i += 2
            continue
        if step in ("metrics", "targets") and i + 1 < len(loc) and isinstance(loc[i + 1], str):
            words.append(f"{'metric' if step == 'metrics' else 'target'} '{loc[i + 1]}'")
            node = child.get(loc[i + 1]) if isinstance(child, dict) else None
            i += 2
            continue
        if step == "weak" and i + 1 < len(loc):
            words.append("weak")
        node = child
        i += 1
    return ", ".join(words)


def _shape(loc: tuple[Any, ...]) -> tuple[str, ...]:
    shape: list[str] = []
    for i, step in enumerate(loc):
        if isinstance(step, int) or (i > 0 and loc[i - 1] in ("metrics", "targets") and len(shape) == i):
            shape.append("*")
        else:
            shape.append(str(step))
    return tuple(shape)


def _clean_loc(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """Drop pydantic's union-member tags ("float", "function-before[...]") from a loc."""
    cleaned: list[Any] = []
    node = data
    for step in loc:
        if isinstance(node, dict) and isinstance(step, str) and (step in node or step in getattr(node, "pos", {})):
            cleaned.append(step)
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int):
            cleaned.append(step)
            node = node[step] if 0 <= step < len(node) else None
        elif isinstance(step, str) and ("[" in step or step.startswith("constrained-") or step in ("float", "str", "int", "bool", "none", "list", "dict")):
            continue
        else:
            cleaned.append(step)
            node = None
    return tuple(cleaned)


#: Keys whose value is a whole number: `n: 1,240` is a count with a thousands separator, not 1.24.
_WHOLE_NUMBER_KEYS = frozenset({"n", "min_n", "severity", "friction_severity", "evidence_from_severity"})


#: A value quoted in a message is cut to this many characters: a paragraph pasted into an id was quoted whole.
_QUOTED_AT_MOST = 200
_LONG_QUOTE = re.compile(f"'([^'\\n]{{{_QUOTED_AT_MOST + 1},}})'")


def _quoted_short(problems: list[Problem]) -> list[Problem]:
    """Problems whose message and hint quote no value longer than :data:`_QUOTED_AT_MOST` characters
    (its first ones and an ellipsis): a 100,000-character paragraph pasted into ``stage:`` made a
    line of 300,000, the value quoted in the owner's name, the message and the suggested id."""
    from .problems import quoted

    def cut(text: str | None) -> str | None:
        if text is None or len(text) <= _QUOTED_AT_MOST:
            return text
        return _LONG_QUOTE.sub(lambda m: f"'{quoted(m.group(1), _QUOTED_AT_MOST)}'", text)

    return [
        p if len(p.message) + len(p.hint or "") <= _QUOTED_AT_MOST else dataclasses.replace(p, message=cut(p.message) or "", hint=cut(p.hint))
        for p in problems
    ]


def _alias_once(problems: list[Problem]) -> list[Problem]:
    """An alias that reads as nothing (``title: *missing``, one inside its own anchor) is one error where
    it is written: what it leaves empty there (``'title' is empty``, a merge of nothing) is its knock-on."""
    broken = {p.span for p in problems if p.code in ("unknown-alias", "recursive-alias")}
    if not broken:
        return problems
    return [p for p in problems if p.span not in broken or p.code in ("unknown-alias", "recursive-alias")]


def _one_per_reference(problems: list[Problem]) -> list[Problem]:
    """A reference written as a name is (``stage: Browse``) is an unknown reference with "did you
    mean 'browse'?" (or the ids there are), and, by the id pattern, an invalid id at the same place:
    one mistake, told once, by the problem that says what to write. (A reference with a hidden or look-alike
    character keeps both: the invalid id names the id it should be, the character taken out.)"""
    meant = {p.span for p in problems if p.code == "unknown-reference"}
    if not meant:
        return problems
    # (`stage: “buy”` in autocorrect's quotes is told once too: its hint names no hidden character.)
    return [p for p in problems if not (p.code == "invalid-id" and p.span in meant and not (p.hint or "").startswith("its "))]


_OWNED = re.compile(r"(touchpoint|persona|channel|stage) '((?:[^'\\]|\\.)*)': (.*)", re.DOTALL)


def _once_per_place(problems: list[Problem]) -> list[Problem]:
    """One problem for a mistake that several items share through a merge key (``<<: *web`` in
    three touchpoints, the defaults holding ``chanel: web``): the same code, message and place,
    told once, naming every item it reaches (``touchpoints 'home', 'basket', 'pay': ...``)."""
    groups: dict[tuple[Any, ...], list[tuple[int, str]]] = {}
    for index, problem in enumerate(problems):
        if (owned := _OWNED.fullmatch(problem.message)) is not None:
            key = (problem.span, problem.code, problem.level, problem.hint, owned.group(1), owned.group(3))
            groups.setdefault(key, []).append((index, owned.group(2)))
    if all(len(members) == 1 for members in groups.values()):
        return problems
    replace: dict[int, Problem | None] = {}
    for (_, _, _, _, kind, rest), members in groups.items():
        if len(members) > 1:
            first = problems[members[0][0]]
            names = ", ".join(f"'{ident}'" for _, ident in members)
            replace[members[0][0]] = dataclasses.replace(first, message=f"{kind}s {names}: {rest}")
            replace.update((index, None) for index, _ in members[1:])
    kept = (replace.get(i, p) for i, p in enumerate(problems))
    return [p for p in kept if p is not None]


def _split_number(data: Any, loc: tuple[Any, ...]) -> str | None:
    """What happened to ``share: 0,4`` or ``n: 1,240`` in a flow mapping, where a comma separates
    entries: the number before the comma became the value and the digits after it a key of their
    own, without a value, on the same line. None when the unknown key at ``loc`` is not such digits."""
    node = data
    for step in loc[:-1]:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return split_number_hint(node, loc[-1])


def split_number_hint(node: Any, digits: Any) -> str | None:
    """:func:`_split_number` for the key ``digits`` of the mapping ``node``."""
    if not isinstance(node, YMap) or not isinstance(digits, str) or not digits.isdigit() or node.get(digits) is not None:
        return None
    line, col = node.key_position(digits)
    before = [
        (p[1], key) for key, p in node.pos.items() if p[0] == line and p[1] < col and key != digits and p[2] == line
    ]
    if not before:
        return None
    key = max(before)[1]
    value = node.get(key)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a metric's value or target, read as a float by then
    if isinstance(value, bool) or not isinstance(value, int) or getattr(value, "text", str(value)) != str(value):
        return None
    written = f"{value},{digits}"
    what = _number_written_otherwise(written, whole=key in _WHOLE_NUMBER_KEYS) or "write the number without the comma"
    return f"in {{...}} a comma separates entries, so '{key}: {written}' was read as {key} {value} and a key '{digits}': {what}"


_NAMED_KINDS = ("personas", "channels", "stages")
#: Words for a journey's end that mean one of the two outcomes.
_OUTCOME_WORDS = {
    **dict.fromkeys(("won", "win", "converted", "conversion", "convert", "completed", "complete", "done", "purchased",
                     "purchase", "paid", "ordered", "signed", "activated", "resolved", "succeeded", "succeed", "yes",
                     "true", "positive", "good", "happy"), "success"),
    **dict.fromkeys(("lost", "lose", "churned", "churn", "abandoned", "abandon", "dropped", "drop", "cancelled",
                     "canceled", "failed", "fail", "no", "false", "negative", "bad", "rejected", "declined", "unhappy",
                     "unresolved"), "failure"),
}


def _named_as_text(word: str, name: str, index: Any) -> str:
    """The hint for a persona, channel or stage written as its name (``stages: [Discover, Buy]``, a workshop's list):
    the mapping of an id made from the name and the name."""
    import json

    ident = slugify(name)
    if len(ident) > 40:  # cut at a word: parents-who-order-for-a-family-of-five, not ...-five-p
        ident = ident[:41].rsplit("-", 1)[0] if "-" in ident[:41] else ident[:40]
    ident = ident or f"{word}-{index + 1 if isinstance(index, int) else 1}"
    plain = name.strip() == name and not re.search(r"[:,\[\]{}#&*!|>'\"%@`]", name) and not name[:1].isdigit()
    # a long name is not cut where it would be pasted (the cut would be pasted): named instead
    shown = "<the name, in double quotes>" if len(name) > 60 else name if plain else json.dumps(name, ensure_ascii=False)
    article = "an" if word[0] in "aeiou" else "a"
    return f"{article} {word} is a mapping of an id and a name: write '- {{id: {ident}, name: {shown}}}'"


def _pain_point_as_text(value: str) -> str:
    """The hint for a pain point written as its words (``friction: [slow page]``, a sticky note's list): the mapping
    that keeps them as its note (or as its type, when they name one), with the types and the scale."""
    import json
    import typing

    from .model import FrictionType

    types = typing.get_args(FrictionType)
    words = value.strip()
    if words.lower() in types:
        mapping = f"{{type: {words.lower()}, severity: 3}}"
    else:
        # a long text is not cut in the mapping to paste (the cut would be pasted): named instead
        note = json.dumps(words, ensure_ascii=False) if len(words) <= 40 else "<the text, in double quotes>"
        mapping = f"{{type: other, severity: 3, note: {note}}}"
    return (f"a pain point is a mapping: write '- {mapping}', its type one of {', '.join(types)},"
            " its severity 1 (minor) to 5 (blocking)")


def _what(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, float) and math.isinf(value):
        return f"{'minus ' if value < 0 else ''}infinity (.inf, or a number too large to hold)"
    if isinstance(value, (int, float)):
        return f"the number {quoted(repr(value))}"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return f"the text '{short}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _reads_as(text: str, kind: str) -> bool:
    """Whether ``text`` is what a pydantic error of ``kind`` wanted, written plainly: true or false, a whole number,
    a number."""
    if kind.startswith("bool"):
        return text in ("true", "false")
    return re.fullmatch(r"[+-]?[0-9]+" if kind.startswith("int") else r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", text) is not None


def _values_cut(hint: str | None, value: Any) -> str | None:
    """A wrong-type hint with each long text or number of ``value`` (a list's or mapping's items and keys, two levels
    down) cut as messages quote values (:func:`~journeymap.problems.quoted`): the message cut a 300-character `next:`,
    and its hint wrote it back whole as the list to write."""
    if hint is None or len(hint) <= QUOTED_CHARACTERS:
        return hint
    found: set[str] = set()

    def collect(item: Any, depth: int) -> None:
        if isinstance(item, str) or (isinstance(item, (int, float)) and not isinstance(item, bool)):
            text = str(item)
            if len(text) > QUOTED_CHARACTERS:
                found.add(text)
                found.update(inner for inner in (typographic_inner(text), text.strip()) if inner and len(inner) > QUOTED_CHARACTERS)
        elif depth < 2 and isinstance(item, dict):
            for key, inside in item.items():
                collect(key, depth + 1)
                collect(inside, depth + 1)
        elif depth < 2 and isinstance(item, list):
            for inside in item:
                collect(inside, depth + 1)

    collect(value, 0)
    for text in sorted(found, key=len, reverse=True):
        hint = hint.replace(text, quoted(text))
    return hint


_EXPECTED = {
    "string_type": "text",
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def _share_hint(text: str, what: str = "a share") -> str:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%\s*", text)
    written = f"write {float(match.group(1)) / 100:g}; " if match else ""
    return written + f"{what} is a fraction of the customers, from 0 to 1"


def _customers(text: str) -> str | None:
    """What to write for a volume written as people say it: ``12k``, ``1.5M``, ``1000 customers``."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmM]|[A-Za-z][A-Za-z /-]*)?\s*", text)
    if m is None or m.group(2) is None:
        return None
    word = m.group(2).lower().split()[0].rstrip("s")
    scale = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "mio": 1e6, "mn": 1e6, "bn": 1e9, "billion": 1e9}.get(word, 1.0)
    return f"write {float(m.group(1)) * scale:.15g}: a volume is a number of customers"


def _change_as_mapping(text: str) -> str | None:
    """A scenario change written in ``--set``'s words (``form.drop_off=0.1``) as the mapping the file takes."""
    m = re.fullmatch(r"\s*([^=]+?)\s*=\s*(.*?)\s*", text)
    if m is None:
        return None
    subject, value = m.groups()
    if "." not in subject:
        return f"{{touchpoint: {subject}, remove: true}}" if value == "removed" else None
    left, _, key = subject.rpartition(".")
    if "->" in left and key == "share":
        source, _, target = (part.strip() for part in left.partition("->"))
        return f"{{from: {source}, to: {target}, share: {value}}}"
    if key == "drop_off":
        return f"{{touchpoint: {left}, drop_off: {value}}}"
    if key == "targets" and value == "met":
        return f"{{touchpoint: {left}, meets_targets: true}}"
    return f"{{touchpoint: {left}, metric: {key}, value: {value}}}" if key and value else None


_NUMERAL = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def _number_in_text(text: str) -> str | None:
    """What to write for a number that is text only for how it is written: in quotes (`share: "0.4"`,
    as tools that export numbers as JSON strings write them), or beside a space nobody sees (a no-break
    space pasted after it). It was told only what a share is, or the text shown with its invisible space."""
    number = text.strip()
    if not _NUMERAL.fullmatch(number):
        return None
    if number == text:
        return f"write {number} without quotes"
    from .lookalikes import describe

    hidden = describe(text)
    return f"{hidden}: write {number}" if hidden else f"write {number} without the spaces around it, or its quotes"


def _amount_with_currency(loc: tuple[Any, ...], text: str, data: YMap) -> str | None:
    """What to write for an amount of the value model written with a currency (``success: €180``,
    ``cost: 2.50 EUR``): the number, in the value model's currency. None for other fields and texts."""
    from .metrics import _AMOUNT_WITH_UNIT, _CURRENCY_SIGNS

    field = str(loc[-1]) if loc else ""
    if not (field in ("cost", "revenue") or loc[:1] == ("value",) and (field == "leave" or loc[-2:-1] == ("outcomes",))):
        return None
    m = _AMOUNT_WITH_UNIT.fullmatch(text)
    written = (m.group(1) or m.group(3) or "").strip() if m else ""
    if m is None or not written:
        return None
    code = _CURRENCY_SIGNS.get(written, written.upper())
    model = data.get("value")
    currency = model.get("currency") if isinstance(model, YMap) else None
    if not isinstance(currency, str) or not currency:
        return f"write {m.group(2).replace(',', '')} without the currency, and the currency once as the value model's: value: {{currency: {code}}}"
    if code != currency:
        return f"every amount is in the value model's currency, {currency}: write this {code} amount in {currency}, as a number"
    return f"write {m.group(2).replace(',', '')} without the currency: every amount is in the value model's currency, {currency}"


def _number_written_otherwise(text: str, *, whole: bool) -> str | None:
    """What to write for a number written as a European spreadsheet (``0,4``, ``1 200``), a word
    processor (``−1``, a typographic minus) or a CJK keyboard (``０.５``, full-width digits) writes
    it: the hints a metric value gets. A decimal comma in a whole-number field (``severity: 3,5``)
    gets none: 3.5 would not be read either. None when ``text`` is no such number."""
    from .metrics import hidden_number_hint, minus_hint, separator_hint

    separated = separator_hint(text)
    if separated is not None and whole and separated.startswith("write the decimal point"):
        thousands = re.search(r"\(or (\S+) if the comma separates thousands\)", separated)
        separated = f"write the number without thousands separators: {thousands.group(1)}" if thousands else None
    if separated is not None:
        return separated
    return minus_hint(text) or hidden_number_hint(text)


#: ``-1 (annoyed)``, ``4 - high``, ``+1, relieved``: a number and a workshop's words for it.
_NUMBER_AND_NOTE = re.compile(r"\s*([-+]?[0-9]+(?:\.[0-9]+)?)\s*(?:\((.+)\)|[-–—:,/]\s*(.+)|\s(.+))\s*")


def _number_with_a_note(field: str, text: str) -> str | None:
    """The number and its words written apart, for an emotion or severity written with its meaning after it
    (``emotion: -1 (annoyed)``): told to write a number in the range, the number that is there."""
    m = _NUMBER_AND_NOTE.fullmatch(text)
    if m is None or field not in ("emotion", "severity"):
        return None
    number, words = m.group(1), next(g for g in m.groups()[1:] if g is not None).strip().strip("()")
    if not words or not any(c.isalpha() for c in words):
        return None
    number = number.lstrip("+")
    low, high = (-2, 2) if field == "emotion" else (1, 5)
    if not low <= float(number) <= high or (field == "severity" and "." in number):
        return None  # the number is no answer either: the range's hint
    return f"write {number} and the words in a comment after it: '{field}: {number}  # {words}'"


#: What to write instead, for a number written as text ("60%", "high", "negative").
_TEXT_HINTS = {
    "share": _share_hint,
    "drop_off": lambda text: _share_hint(text, "a drop-off"),
    "severity": lambda _: "write a whole number from 1 to 5: 1 is minor, 5 is blocking",
    "emotion": lambda _: "write a number from -2 to 2: -2 is very negative, 0 neutral, 2 very positive",
}


_VALIDATORS: dict[str, Any] = {}
_FIELDS: dict[str, list[str]] = {}


def _validator(kind: str) -> Any:
    """A pydantic-core validator for "JOURNEY" or "LIBRARY", built from the precompiled schema."""
    validator = _VALIDATORS.get(kind)
    if validator is None:
        from pydantic_core import SchemaValidator

        from . import _coreschema

        try:
            validator = SchemaValidator(getattr(_coreschema, kind))
        except Exception:  # a pydantic-core that reads the schema differently: ask the models
            from . import model

            cls = model.Journey if kind == "JOURNEY" else model.Library
            cls.model_rebuild()
            validator = cls.__pydantic_validator__
        _VALIDATORS[kind] = validator
        if not _FIELDS:
            _collect_fields((_coreschema.JOURNEY, _coreschema.LIBRARY))
    return validator


def _collect_fields(schema: Any) -> None:
    """Every model's field names, for "did you mean": models sit anywhere in the schema, not only in definitions."""
    if isinstance(schema, dict):
        if schema.get("type") == "model-fields" and "model_name" in schema:
            _FIELDS[schema["model_name"]] = list(schema["fields"])
        for value in schema.values():
            _collect_fields(value)
    elif isinstance(schema, (list, tuple)):
        for value in schema:
            _collect_fields(value)


def _validate(kind: str, data: YMap, name: str, problems: list[Problem], reported: set[tuple[Any, ...]]) -> bool:
    """Check ``data`` against the models; turn each error into a positioned Problem."""
    from pydantic_core import ValidationError

    try:
        _validator(kind).validate_python(data)
        return True
    except ValidationError as exc:
        errors = [(error, _clean_loc(tuple(error["loc"]), data)) for error in exc.errors(include_url=False)]
        # `chanel: phone` is one mistake, not two: an unknown key that is a near miss
        # of a missing required key in the same mapping stands for it.
        missing: dict[tuple[Any, ...], list[str]] = {}
        for error, loc in errors:
            if error["type"] == "missing" and loc:
                missing.setdefault(loc[:-1], []).append(str(loc[-1]))
        misspelt: dict[tuple[Any, ...], str] = {}
        for error, loc in errors:
            if error["type"] == "extra_forbidden" and loc and loc[:-1] in missing:
                hint = did_you_mean(str(loc[-1]), missing[loc[:-1]])
                if hint:
                    misspelt[loc] = hint
                    # (the hint may go on to name a hidden character: 'chan<U+200B>nel' was told twice)
                    missing[loc[:-1]] = [m for m in missing[loc[:-1]] if not hint.startswith(f"did you mean '{m}'?")]
        seen: set[tuple[Any, ...]] = set()
        for error, loc in errors:
            if loc in seen or any(loc[: len(r)] == r for r in reported):
                continue
            if error["type"] == "missing" and loc and str(loc[-1]) not in missing.get(loc[:-1], ()):
                continue
            seen.add(loc)
            problem = _problem_from_error(error, loc, data, name, kind == "LIBRARY")
            if problem is not None and loc in misspelt and "two colons" not in (problem.hint or ""):
                stop = "" if misspelt[loc].endswith(("?", ".")) else "."
                problem = dataclasses.replace(problem, hint=f"{misspelt[loc]}{stop} It is a required key.")
            if problem is not None:
                problems.append(problem)
        return False


def _problem_from_error(error: Any, loc: tuple[Any, ...], data: YMap, name: str, library: bool) -> Problem | None:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    field_name = str(loc[-1]) if loc else ""
    where = _describe(loc, data)
    prefix = f"{where}: " if where else ""
    if loc == ("journeymap",):
        return None  # missing or wrong: reported by _read with a better message
    if kind == "missing":
        line, col = position_of(data, loc[:-1])
        hint = None
        if field_name == "to" and _shape(loc[:-1]) == ("touchpoints", "*", "next", "*"):
            flow: Any = data
            for step in loc[:-1]:
                flow = flow[step] if isinstance(flow, (dict, list)) and (isinstance(flow, dict) or 0 <= step < len(flow)) else None
            other = flow.get("journey") if isinstance(flow, dict) else None
            if isinstance(other, str) and other:
                # `- journey: card-activation` alone: the journey is named, not where in it the flow leads
                hint = (f"a flow into journey '{quoted(other)}' names the touchpoint of that journey it leads to:"
                        " add 'to: TOUCHPOINT-ID' beside 'journey:'")
            else:
                hint = "a flow names the touchpoint it leads to: write 'to: TOUCHPOINT-ID'"
        return Problem(Span(name, line, col), "missing-key", f"{prefix}the required key '{field_name}' is missing", hint)
    if kind == "extra_forbidden":
        line, col = position_of(data, loc, key=True)
        model = "Library" if library and not loc[:-1] else _MODEL_AT.get(_shape(loc[:-1]))
        choices = _FIELDS.get(model, []) if model else []
        # A key of another shape of journey in the author's head ('transitions' on a touchpoint) gets the shape, not
        # a near spelling ('did you mean friction?').
        shape = _SHAPE_HINTS.get((model, _stem(field_name))) if model is not None else None
        hint = shape or did_you_mean(field_name, choices)
        if (split := _split_number(data, loc)) is not None:
            hint = split
        elif field_name.endswith(":") and field_name.rstrip(":") in choices:
            # `owner:: CX team`: one colon too many, read as the key 'owner:'
            parent = data
            for step in loc[:-1]:
                parent = parent[step]
            value = parent.get(loc[-1]) if isinstance(parent, dict) else None
            shown = f"{field_name.rstrip(':')}: {value}" if isinstance(value, (str, int, float)) else field_name.rstrip(":") + ":"
            hint = f"'{field_name}' is written with two colons: write '{shown}', with one"
        elif library and not loc[:-1] and field_name in _FIELDS.get("Journey", ()):
            hint = "a library file holds only journeymap, imports, personas, channels and metrics"
        elif hint is None and choices:
            hint = "known keys: " + ", ".join(choices) + "; keys starting with 'x-' are ignored"
        return Problem(Span(name, line, col), "unknown-key", f"{prefix}unknown key '{field_name}'", hint)
    line, col = position_of(data, loc)
    span = Span(name, line, col)
    if kind in _EXPECTED:
        # What is wrong, in words: "'name'", "'systems' item #2", or the item itself ("channel #1").
        subject = f"'{field_name}'"
        if loc and isinstance(loc[-1], int):
            if (len(loc) == 2 and loc[0] in _KIND_WORD) or (len(loc) >= 2 and loc[-2] in ("friction", "next")):
                subject, prefix = where, ""
            else:
                subject = f"'{loc[-2]}' item #{loc[-1] + 1}" if len(loc) >= 2 else "an item"
        hint = None
        if kind == "string_type" and isinstance(value, float):
            hint = "put it in quotes to keep it as written"
        elif (
            isinstance(value, str)
            and kind.startswith(("float", "int", "bool"))
            and (inner := typographic_inner(value)) is not None
        ):
            # `share: ‘0.5’`, `entry: “true”`: autocorrect's quotes, which make text of a number
            hint = f"write {inner} without the quotes: {value[0]} and {value[-1]} are typographic quotes, text to YAML"
        elif (
            isinstance(value, str)
            and kind.startswith(("float", "int", "bool"))
            and (lone := lone_typographic_quote(value)) is not None
            and _reads_as(lone[0], kind)
        ):
            # `share: “0.40`: autocorrect's opening quote, its closing one lost
            hint = f"write {lone[0]} without the {lone[1]}: a typographic quote is text to YAML"
        elif kind.startswith("bool") and isinstance(value, str):
            hint = "write true or false; YAML 1.2 reads yes, no, on and off as text"
        elif value is None:
            hint = f"give {subject} a value, or remove it"
        elif isinstance(value, str) and kind.startswith("float") and (amount := _amount_with_currency(loc, value, data)):
            hint = amount
        elif isinstance(value, str) and kind.startswith(("float", "int")) and (in_text := _number_in_text(value)):
            hint = in_text
        elif isinstance(value, str) and kind.startswith(("float", "int")) and (
            written := _number_written_otherwise(value, whole=kind.startswith("int") or loc == ("value", "volume"))
        ):
            hint = written
        elif isinstance(value, str) and loc == ("value", "volume") and (customers := _customers(value)):
            hint = customers
        elif isinstance(value, str) and field_name in _TEXT_HINTS:
            hint = _number_with_a_note(field_name, value) or _TEXT_HINTS[field_name](value)
        elif kind == "list_type" and isinstance(value, dict) and value:
            hint = _list_written_as_mapping(loc, value)
        elif kind in ("model_type", "dict_type") and isinstance(value, str) and loc[-2:-1] == ("changes",) and (
            mapping := _change_as_mapping(value)
        ):
            hint = f"write it as a mapping: {mapping}"
        elif kind in ("model_type", "dict_type") and isinstance(value, str) and len(loc) >= 2 and loc[-2] == "friction":
            hint = _pain_point_as_text(value)
        elif kind in ("model_type", "dict_type") and isinstance(value, str) and len(loc) == 2 and loc[0] in _NAMED_KINDS:
            hint = _named_as_text(_KIND_WORD[loc[0]], value, loc[1])
        elif kind == "list_type" and isinstance(value, (str, int, float)):
            hint = f"a list goes in square brackets, even with one item: write [{value}]"
        elif kind in ("dict_type", "model_type") and isinstance(value, list) and value and all(
            isinstance(x, dict) and len(x) == 1 for x in value
        ):
            # `metrics:` then `- csat: 0.8`, `- ces: 5`: a '-' before every key; or `targets: [csat: 0.9]`
            pairs = ", ".join(f"{k}: {v if isinstance(v, (str, int, float)) and not isinstance(v, bool) else '...'}"
                              for x in value for k, v in x.items())
            hint = (f"{subject} is a mapping: write its keys one under another without a '-' before each, or in curly"
                    f" brackets: {{{pairs}}}")
        elif kind in ("dict_type", "model_type") and loc[:1] == ("metrics",) and len(loc) == 2 and isinstance(value, (int, float)):
            hint = f"a journey-wide target is written {field_name}: {{target: {value}}}"
        message = f"{prefix}{subject} must be {_EXPECTED[kind]}, not {_what(value)}"
        if value is None:
            message = f"{prefix}{subject} is empty; it must be {_EXPECTED[kind]}"
        return Problem(span, "wrong-type", message, _values_cut(hint, value))
    if kind == "literal_error" and loc[:1] == ("opportunities",) and field_name == "effort":
        # effort is a size or person-days: one error for both (the size's is reported, the number's dropped)
        sizes = "sizes: XS, S, M, L, XL; or person-days, a number above 0"
        written = f"'{value}'" if isinstance(value, str) else f"{value:g}" if isinstance(value, (int, float)) else _what(value)
        days = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:d|days?|pd|person[- ]?days?)\s*", value, re.I) if isinstance(value, str) else None
        close = f"write {days.group(1)}" if days else did_you_mean(value, ["XS", "S", "M", "L", "XL"]) if isinstance(value, str) else None
        return Problem(
            span, "invalid-value", f"{prefix}effort {written} is neither a size nor a number of person-days", f"{close} ({sizes})" if close else sizes
        )
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = re.findall(r"'([^']*)'", expected)
        hint = did_you_mean(str(value), options) if isinstance(value, str) else None
        if hint is None and field_name == "outcome" and isinstance(value, (str, bool)):
            # a CRM's or a sales team's word for the end: 'won', 'churned', 'converted'
            meant = _OUTCOME_WORDS.get(str(value).strip().lower())
            hint = f"did you mean '{meant}'?" if meant else None
        return Problem(
            span,
            "invalid-value",
            f"{prefix}{_what(value)} is not a valid '{field_name}'; expected {expected}",
            hint,
        )
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        scale = _RANGES.get(field_name) or _bound_text(ctx)
        hint = None
        if field_name == "share" and isinstance(value, (int, float)) and 2 <= value <= 100:
            hint = f"did you mean {value:g}%? write {value / 100:g}"  # a share as a dashboard shows it
        return Problem(span, "out-of-range", f"{prefix}{field_name} {value!r} is outside {scale}", hint)
    if kind == "string_pattern_mismatch" and field_name == "currency":
        code = re.sub(r"[^A-Za-z]", "", str(value)).upper()
        hint = f"write '{code}'" if len(code) == 3 else "three capital letters, e.g. EUR, GBP, USD"
        return Problem(span, "invalid-value", f"{prefix}'{value}' is not an ISO 4217 currency code", hint)
    if kind == "string_pattern_mismatch":
        from .lookalikes import describe, plain

        suggestion = slugify(plain(str(value)))
        hint = f"ids use lowercase letters, digits and hyphens, e.g. '{suggestion}'" if suggestion else None
        hidden = describe(str(value))
        if hidden:  # 'pаy' looks valid: say which character is not what it seems
            hint = f"{hidden}; {hint}" if hint else hidden
        return Problem(span, "invalid-id", f"{prefix}'{value}' is not a valid id", hint)
    if kind == "too_short" and field_name == "changes" and not ctx.get("actual_length"):
        return Problem(
            span, "invalid-value", f"{prefix}'changes' is an empty list; a scenario needs at least one change",
            "for example: changes: [{touchpoint: ID, drop_off: 0.1}]",
        )
    if kind in ("too_short", "too_long"):
        return Problem(span, "invalid-value", f"{prefix}'{field_name}' must be [low, high]")
    if kind == "finite_number":
        return Problem(span, "invalid-value", f"{prefix}'{field_name}' must be a finite number")
    if kind == "value_error" and loc[-2:-1] == ("time",):  # a flow time that is not a duration
        return Problem(span, "invalid-value", f"{prefix}{field_name} {str(error['msg']).removeprefix('Value error, ')}")
    return Problem(span, "invalid-value", f"{prefix}{error['msg']}")


#: The key each item of a list starts with.
_ITEM_FIRST_KEY = {"personas": "id", "channels": "id", "stages": "id", "touchpoints": "id", "next": "to", "friction": "type"}


def _list_written_as_mapping(loc: tuple[Any, ...], value: dict[Any, Any]) -> str | None:
    """How to write as a list what was written as a mapping: items keyed by their ids (``personas:``
    then ``shopper: {name: Shopper}``, as a dict in code is), one item without its '-' (``next:`` then
    ``to: pay``), or ids as keys (``personas: {shopper: true}``); None for another mapping."""
    field = str(loc[-1]) if loc else ""
    first = _ITEM_FIRST_KEY.get(field)
    keys = [str(k) for k in value]
    if first is not None and first in value and not isinstance(value[first], (dict, list)):
        return (f"a list item starts with '- ': write '- {first}: {value[first]}' and its other keys under it,"
                f" lined up with '{first}:'")
    if len(loc) == 1 and field in _KIND_WORD:
        return (f"each {_KIND_WORD[field]} is a list item that names its id: write '- id: {keys[0]}' and its other keys"
                f" under it, lined up with 'id:'")
    if all(v is True or v is None for v in value.values()):
        return f"a list goes in square brackets: write [{', '.join(keys)}]"
    return None


def _bound_text(ctx: dict[str, Any]) -> str:
    for key, word in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
        if key in ctx:
            return f"{word} {ctx[key]}"
    return "its range"


_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def slugify(text: str) -> str:
    """A slug suggestion for a bad id: ``"Create Account"`` -> ``"create-account"``, ``"Café"`` -> ``"cafe"``
    (a letter's accent dropped, not the letter)."""
    import unicodedata

    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug


# -- metrics -----------------------------------------------------------------


def _read_metric_definitions(
    name: str, data: YMap, imported: _Imported, problems: list[Problem]
) -> tuple[dict[str, metric_catalogue.MetricSpec], set[tuple[Any, ...]]]:
    """The metric catalogue this file sees: built-ins, imported and own definitions."""
    catalogue = dict(metric_catalogue.BUILTIN)
    reported: set[tuple[Any, ...]] = set()
    for metric_name, defined in imported.metrics.items():
        d = defined.raw
        catalogue[metric_name] = metric_catalogue.spec_from_definition(
            metric_name, label=d.get("label"), scale=d.get("scale"), better=d.get("better"), unit=d.get("unit")
        )
    definitions = data.get("metrics")
    if not isinstance(definitions, YMap):
        return catalogue, reported
    for metric_name, definition in definitions.items():
        if not isinstance(definition, YMap):
            continue
        line, col = definitions.key_position(metric_name)
        span = Span(name, line, col)
        scale = definition.get("scale")
        better = definition.get("better")
        label = definition.get("label")
        unit = definition.get("unit")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", metric_name):
            problems.append(
                Problem(
                    span,
                    "invalid-id",
                    f"'{metric_name}' is not a valid metric name",
                    "metric names use lowercase letters, digits and underscores, e.g. "
                    f"'{re.sub(r'[^a-z0-9]+', '_', metric_name.lower()).strip('_') or 'fcr'}'",
                )
            )
            reported.add(("metrics", metric_name))
            continue
        builtin = metric_catalogue.BUILTIN.get(metric_name)
        if builtin is not None:
            for key in ("scale", "better"):
                if key in definition:
                    kline, kcol = definition.key_position(key)
                    problems.append(
                        Problem(
                            Span(name, kline, kcol),
                            "builtin-metric",
                            f"{builtin.label} is a built-in metric; its {key} is fixed ({builtin.scale_text}, "
                            f"{builtin.better or 'no'} is better)",
                            f"remove '{key}', or define a custom metric under another name",
                        )
                    )
                    reported.add(("metrics", metric_name, key))
        else:
            valid_scale = (
                isinstance(scale, list)
                and len(scale) == 2
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in scale)
            )
            if valid_scale and scale is not None and scale[0] >= scale[1]:
                sline, scol = definition.value_position("scale")
                problems.append(
                    Problem(Span(name, sline, scol), "invalid-value", f"metric '{metric_name}': scale must be [low, high] with low < high")
                )
                reported.add(("metrics", metric_name, "scale"))
                valid_scale = False
            if "target" in definition and better not in ("higher", "lower"):
                if better is None:
                    problems.append(
                        Problem(
                            span,
                            "missing-key",
                            f"custom metric '{metric_name}' has a target but does not say which way is better",
                            "add 'better: higher' or 'better: lower'",
                        )
                    )
            catalogue[metric_name] = metric_catalogue.spec_from_definition(
                metric_name,
                label=label if isinstance(label, str) else None,
                scale=scale if valid_scale else None,
                better=better if better in ("higher", "lower") else None,
                unit=unit if isinstance(unit, str) else None,
            )
    return catalogue, reported


def _normalise(
    name: str,
    container: YMap,
    key: str,
    spec: metric_catalogue.MetricSpec,
    loc: tuple[Any, ...],
    problems: list[Problem],
    reported: set[tuple[Any, ...]],
    where: str = "",
) -> None:
    """Read ``container[key]`` on the metric's scale and write the float back.

    ``where`` names the place in words for the message ("touchpoint 'pay', target").
    """
    raw = container[key]
    if raw is None:  # `csat:` or `{target: }`, left to be filled in later
        base, _, target = where.rpartition(", ")
        noun = "target" if target == "target" or key == "target" else "value"
        place = (base if target == "target" else where) or ""
        percent = ", or a percentage like 82%" if metric_catalogue.takes_percent(spec) else ""
        scale = spec.scale_text if spec.scale_text.startswith(("a ", "an ")) else f"a number on its scale {spec.scale_text}"
        line, col = container.value_position(key)
        problems.append(
            Problem(
                Span(name, line, col),
                "metric-value",
                f"{place + ': ' if place else ''}the {spec.label} {noun} is empty",
                f"write {scale}{percent}, or remove it",
            )
        )
        reported.add(loc)
        return
    try:
        container[key] = metric_catalogue.parse_value(spec, raw)
    except metric_catalogue.MetricValueError as exc:
        line, col = container.value_position(key)
        message = f"{where}: {exc}" if where else str(exc)
        problems.append(Problem(Span(name, line, col), "metric-value", message, exc.hint))
        reported.add(loc)
        return
    try:
        metric_catalogue.check_plausible(spec, raw, container[key])
    except metric_catalogue.MetricValueError as exc:  # read as written, with a warning: a response time of years
        line, col = container.value_position(key)
        problems.append(Problem(Span(name, line, col), "implausible-value", f"{where}: {exc}" if where else str(exc),
                                exc.hint, level="warning"))


def _check_period(name: str, entry: YMap, where: str, loc: tuple[Any, ...], problems: list[Problem],
                  reported: set[tuple[Any, ...]]) -> None:
    """A touchpoint metric's ``period`` checked as a data file's period cell is: one no calendar has (``2026-13``,
    ``FY26 H3``) or that names no one calendar period (``Q3``, ``2026/27``) is an error at its place, worded as in a
    data file. It was read as written: '2026-13' sorted after '2026-12' beside a data file's series."""
    from .data.summary import (
        ambiguous_period_problem,
        canonical_period,
        impossible_period,
        impossible_period_problem,
    )

    written = str(entry["period"])  # a number unquoted, 99999999999999999999, is read as text
    label, why = canonical_period(written)
    line, col = entry.value_position("period")
    consequence = "the value's period is not known"
    if why is not None:
        found = ambiguous_period_problem(Span(name, line, col), written, why, consequence)
    elif (impossible := impossible_period(label)) is not None:
        found = impossible_period_problem(Span(name, line, col), written, impossible, consequence)
    else:
        return
    problems.append(dataclasses.replace(found, message=f"{where}: {found.message}"))
    reported.add(loc)


def _unknown_metric(
    name: str, container: YMap, metric_name: str, catalogue: dict[str, Any], loc: tuple[Any, ...], problems: list[Problem], reported: set[tuple[Any, ...]], where: str = ""
) -> None:
    line, col = container.key_position(metric_name)
    hint = (split_number_hint(container, metric_name)  # `targets: {csat: 0,8}`
            or did_you_mean(metric_name, catalogue) or "declare a custom metric under the top-level 'metrics:' key")
    prefix = f"{where}: " if where else ""
    problems.append(Problem(Span(name, line, col), "unknown-metric", f"{prefix}unknown metric '{metric_name}'", hint))
    reported.add(loc)


def _normalise_targets(
    name: str,
    definitions: Any,
    loc: tuple[Any, ...],
    catalogue: dict[str, metric_catalogue.MetricSpec],
    problems: list[Problem],
    reported: set[tuple[Any, ...]],
) -> None:
    if not isinstance(definitions, YMap):
        return
    for metric_name, definition in definitions.items():
        spec = catalogue.get(metric_name)
        if spec is None or not isinstance(definition, YMap) or "target" not in definition:
            continue
        _normalise(name, definition, "target", spec, (*loc, metric_name, "target"), problems, reported, f"metric '{metric_name}', target")


def _normalise_journey_metrics(
    name: str,
    data: YMap,
    catalogue: dict[str, metric_catalogue.MetricSpec],
    problems: list[Problem],
    reported: set[tuple[Any, ...]],
) -> dict[tuple[str, str], str]:
    """Read every metric value on its scale; returns the currency each touchpoint amount is written
    in (``clv: 1300 EUR``), by (touchpoint id, metric): the value keeps only the number."""
    currencies: dict[tuple[str, str], str] = {}
    _normalise_targets(name, data.get("metrics"), ("metrics",), catalogue, problems, reported)
    stages = data.get("stages")
    if isinstance(stages, YList):
        for index, stage in enumerate(stages):
            targets = stage.get("targets") if isinstance(stage, YMap) else None
            if not isinstance(targets, YMap):
                continue
            for metric_name in list(targets):
                loc = ("stages", index, "targets", metric_name)
                spec = catalogue.get(metric_name)
                where = _describe(("stages", index), data)
                if spec is None:
                    _unknown_metric(name, targets, metric_name, catalogue, loc, problems, reported, where)
                else:
                    _normalise(name, targets, metric_name, spec, loc, problems, reported, f"{where}, target")
    touchpoints = data.get("touchpoints")
    if not isinstance(touchpoints, YList):
        return currencies
    for index, touchpoint in enumerate(touchpoints):
        values = touchpoint.get("metrics") if isinstance(touchpoint, YMap) else None
        if not isinstance(values, YMap):
            continue
        tp_id = touchpoint.get("id")
        for metric_name in list(values):
            loc = ("touchpoints", index, "metrics", metric_name)
            spec = catalogue.get(metric_name)
            where = _describe(("touchpoints", index), data)
            if spec is None:
                _unknown_metric(name, values, metric_name, catalogue, loc, problems, reported, where)
                continue
            entry = values[metric_name]
            raw = entry.get("value") if isinstance(entry, YMap) else entry
            if isinstance(raw, str) and isinstance(tp_id, str) and (written := metric_catalogue.written_currency(spec, raw)):
                currencies[(tp_id, metric_name)] = written
            if isinstance(entry, YMap):
                for key in ("value", "target"):
                    if key in entry:
                        _normalise(name, entry, key, spec, (*loc, key), problems, reported, where + (", target" if key == "target" else ""))
                if isinstance(entry.get("period"), (str, int)) and not isinstance(entry.get("period"), bool):  # 2026 is a year
                    _check_period(name, entry, f"{where}, {metric_name}", (*loc, "period"), problems, reported)
            elif isinstance(entry, (int, float, str)) or entry is None:
                _normalise(name, values, metric_name, spec, loc, problems, reported, where)
    return currencies


# -- structure ---------------------------------------------------------------


def _ids_as_text(data: YMap) -> None:
    """``id: 2024`` is the slug "2024": turn numeric ids and references into text before any check compares them."""

    def fix(container: YMap | YList, key: Any) -> None:
        value = container[key]
        if isinstance(value, int) and not isinstance(value, bool):
            container[key] = str(getattr(value, "text", value))  # yamlio.YInt: `007` stays "007"

    for kind in ("personas", "channels", "stages", "touchpoints"):
        for _, item in _items(data, kind):
            if "id" in item:
                fix(item, "id")
    for _, touchpoint in _items(data, "touchpoints"):
        for key in ("stage", "channel"):
            if key in touchpoint:
                fix(touchpoint, key)
        for key in ("personas", "next"):
            entries = touchpoint.get(key)
            if not isinstance(entries, YList):
                continue
            for index, entry in enumerate(entries):
                fix(entries, index)
                if key == "next" and isinstance(entry, YMap) and "to" in entry:
                    fix(entry, "to")


#: Optional keys whose value is a number, a list, a choice or a mapping, and what it must be. Written
#: with nothing after it (`emotion:`), such a key was read as absent; an empty text (`description:`)
#: holds nothing to lose and is read as absent still.
NOT_EMPTY = {
    "persona": {"share": "a number from 0 to 1"},
    "touchpoint": {
        "emotion": "a number from -2 to 2",
        "personas": "a list of persona ids",
        "outcome": "success or failure",
        "cost": "a number >= 0",
        "revenue": "a number >= 0",
    },
    "flow": {"share": "a number from 0 to 1", "time": "a mapping", "journey": "a journey id"},
    "time": {"median": "a duration", "p90": "a duration", "n": "a whole number"},
    "metric value": {"n": "a whole number"},
}


#: The figures ``calibrate`` fills from data, which an analyst may leave empty for it to fill
#: (``share:   # from the log``): read as not given when the journey is calibrated.
TO_FILL = {"flow": {"share"}, "time": {"median", "p90", "n"}, "metric value": {"n"}}


def _empty_optional_values(name: str, data: YMap, to_fill: bool = False) -> list[Problem]:
    """An optional number, list or choice written with nothing after it (``emotion:``, ``personas:``,
    a flow's ``share:``) is an error, as an empty metric ``target:`` or ``entry:`` is: the author wrote
    the key to give a value. It was read as if absent (``personas:`` as every persona). With ``to_fill``
    (``calibrate``), the figures it fills (:data:`TO_FILL`) are read as not given, for it to fill."""
    problems: list[Problem] = []

    def check(container: Any, kind: str, loc: tuple[Any, ...]) -> None:
        if not isinstance(container, YMap):
            return
        for key, expected in NOT_EMPTY[kind].items():
            if to_fill and key in TO_FILL.get(kind, ()):
                continue
            if key in container.pos and key in container and container[key] is None:
                where = _describe((*loc, key), data)
                line, col = container.value_position(key)
                problems.append(
                    Problem(
                        Span(name, line, col),
                        "wrong-type",
                        f"{where + ': ' if where else ''}'{key}' is empty; it must be {expected}",
                        f"give '{key}' a value, or remove it",
                    )
                )

    for index, persona in _items(data, "personas"):
        check(persona, "persona", ("personas", index))
    for index, touchpoint in _items(data, "touchpoints"):
        check(touchpoint, "touchpoint", ("touchpoints", index))
        flows = touchpoint.get("next")
        for number, flow in enumerate(flows if isinstance(flows, YList) else []):
            check(flow, "flow", ("touchpoints", index, "next", number))
            if isinstance(flow, YMap):
                check(flow.get("time"), "time", ("touchpoints", index, "next", number, "time"))
        metrics = touchpoint.get("metrics")
        for metric_name, entry in metrics.items() if isinstance(metrics, YMap) else ():
            check(entry, "metric value", ("touchpoints", index, "metrics", metric_name))
    return problems


_PASTED_HINT = "text copied from a web page, Confluence or Word can carry characters nobody sees"


def _invisible_in_ids(name: str, data: YMap, text: str) -> list[Problem]:
    """An id or a reference carrying a character nobody sees (``pay\u200bment`` pasted from
    Confluence, ``payment\u00a0`` from Word) is one error at that character, naming it; the value is
    then read as it looks, so that the reference ``payment`` is not also unknown (with the
    suggestion to write the invisible character) nor the definition also an invalid id."""
    from .lookalikes import describe, invisible_in_slug, shown
    from .yamlio import char_column, source_line

    problems: list[Problem] = []
    told: set[tuple[int, int, str]] = set()  # several items merging one mapping (`<<`): grouped by _once_per_place

    def fix(container: YMap | YList, key: Any, what: str) -> None:
        value = container[key]
        if not isinstance(value, str) or (found := invisible_in_slug(value, written)) is None:
            return
        cleaned, index, replaced = found
        container[key] = cleaned
        line, col = container.value_position(key) if isinstance(container, YMap) else container.item_position(key)
        if text:
            col = char_column(source_line(text, line), col, value, index)
        if (line, col, what) in told:
            return
        told.add((line, col, what))
        message = f"{what} '{shown(value)}': {describe(value)}"
        fix = "replace it" if replaced else "delete it"
        problems.append(Problem(Span(name, line, col), "invalid-id", message, f"{fix}: write '{cleaned}'; {_PASTED_HINT}"))

    def as_named(item: YMap, kind: str, refs: set[str]) -> None:
        """`id: Payment` (or `Pay Now`, `pay_now`) where the file refers to it as `payment`: one invalid
        id, and the id read as referred to (it was also an unknown `payment`, did you mean 'Payment'?)."""
        value = item["id"]
        if not isinstance(value, str) or _SLUG.fullmatch(value) or (slug := slugify(value)) not in refs:
            return
        item["id"] = slug
        line, col = item.value_position("id")
        problems.append(Problem(
            Span(name, line, col), "invalid-id", f"{_KIND_WORD[kind]} '{value}': '{value}' is not a valid id",
            f"ids use lowercase letters, digits and hyphens: write '{slug}', as the file refers to it",
        ))

    # The ids and references written plainly: what a value with a space inside stands for.
    written: set[str] = set()
    referenced: dict[str, set[str]] = {"stages": set(), "channels": set(), "personas": set(), "touchpoints": set()}
    for kind in ("personas", "channels", "stages", "touchpoints"):
        written.update(v for _, item in _items(data, kind) if isinstance(v := item.get("id"), str) and v.isascii())
    for _, touchpoint in _items(data, "touchpoints"):
        for key, kind in (("stage", "stages"), ("channel", "channels"), ("personas", "personas"), ("next", "touchpoints")):
            entries = touchpoint.get(key)
            for entry in entries if isinstance(entries, YList) else [entries]:
                target = entry.get("to") if isinstance(entry, YMap) else entry
                if isinstance(target, str) and target.isascii():
                    written.add(target)
                    referenced[kind].add(target)
    if "id" in data.pos:
        fix(data, "id", "journey id")
    for kind in ("personas", "channels", "stages", "touchpoints"):
        for _, item in _items(data, kind):
            if "id" in item:
                fix(item, "id", f"{_KIND_WORD[kind]} id")
                as_named(item, kind, referenced[kind])
    for _, touchpoint in _items(data, "touchpoints"):
        owner = f"touchpoint '{touchpoint.get('id')}'"
        for key in ("stage", "channel"):
            if key in touchpoint:
                fix(touchpoint, key, f"{owner}: {key}")
        for key, word in (("personas", "persona"), ("next", "next")):
            entries = touchpoint.get(key)
            if not isinstance(entries, YList):
                continue
            for index, entry in enumerate(entries):
                fix(entries, index, f"{owner}: {word}")
                if key == "next" and isinstance(entry, YMap):
                    for field_name in ("to", "journey"):
                        if field_name in entry:
                            fix(entry, field_name, f"{owner}: next {'journey' if field_name == 'journey' else ''}".rstrip())
    return problems


def _items(data: YMap, kind: str) -> list[tuple[int, YMap]]:
    items = data.get(kind)
    if not isinstance(items, YList):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, YMap)]


def _check_unique_ids(name: str, data: YMap, kinds: Iterable[str]) -> list[Problem]:
    problems: list[Problem] = []
    for kind in kinds:
        seen: dict[str, tuple[int, YMap]] = {}
        listed = data.get(kind)
        for index, item in _items(data, kind):
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            line, col = item.value_position("id")
            if ident in seen and seen[ident][1] is item and isinstance(listed, YList):
                # `- *screen`: an alias repeats the whole item, id and all; its id's place is the first one's
                line, col = listed.item_position(index)
                problems.append(
                    Problem(
                        Span(name, line, col),
                        "duplicate-id",
                        f"{_KIND_WORD[kind]} id '{ident}' is used twice (first at line {seen[ident][0]}): this item is"
                        f" an alias of that {_KIND_WORD[kind]}",
                        "an alias repeats the whole item, id and all: to start from it, merge it"
                        " ('- <<: *anchor' then 'id: <its own id>' on the next line)",
                    )
                )
            elif ident in seen:
                problems.append(
                    Problem(
                        Span(name, line, col),
                        "duplicate-id",
                        f"{_KIND_WORD[kind]} id '{ident}' is used twice (first at line {seen[ident][0]})",
                        "ids must be unique per kind within a journey",
                    )
                )
            else:
                seen[ident] = (line, item)
    return problems


def _check_structure(name: str, data: YMap, imported: _Imported) -> list[Problem]:
    """References, uniqueness, shares, outcomes, entries and reachability, on the raw data."""
    problems = _check_unique_ids(name, data, ("personas", "channels", "stages", "touchpoints"))

    def at(container: YMap | YList, key: Any, code: str, message: str, hint: str | None = None, level: str = "error") -> None:
        if isinstance(container, YMap):
            line, col = container.value_position(key)
        else:
            line, col = container.item_position(key)
        problems.append(Problem(Span(name, line, col), code, message, hint, level))  # type: ignore[arg-type]

    # Imported definitions and clashes with the journey's own.
    own_ids: dict[str, set[str]] = {}
    for kind in ("personas", "channels"):
        own: set[str] = set()
        theirs: dict[str, _Defined] = getattr(imported, kind)
        for _, item in _items(data, kind):
            ident = _item_id(item)
            if ident is None:
                continue
            own.add(ident)
            override = item.get("override") is True
            line, col = item.value_position("id")
            if ident in theirs and not override:
                problems.append(_clash(kind, ident, Span(name, line, col), theirs[ident].span, Span(name, line, col)))
            elif override and ident not in theirs:
                oline, ocol = item.key_position("override")
                problems.append(
                    Problem(
                        Span(name, oline, ocol),
                        "override-nothing",
                        f"{_KIND_WORD[kind]} '{ident}' says 'override: true' but no import defines '{ident}'",
                        "remove 'override: true'",
                        "warning",
                    )
                )
        own_ids[kind] = own | set(theirs)
    metric_defs = data.get("metrics")
    if isinstance(metric_defs, YMap):
        for metric_name, definition in metric_defs.items():
            if metric_name in imported.metrics and not (isinstance(definition, YMap) and definition.get("override") is True):
                line, col = metric_defs.key_position(metric_name)
                span = Span(name, line, col)
                problems.append(_clash("metrics", metric_name, span, imported.metrics[metric_name].span, span))

    stages = {i: item for _, item in _items(data, "stages") if (i := _item_id(item))}
    touchpoints = _items(data, "touchpoints")
    touchpoint_ids = {i for _, item in touchpoints if (i := _item_id(item))}

    # Required collections. `touchpoint:` for `touchpoints:` is reported once, as an unknown
    # key with its "did you mean"; the collection it stands for is not also missing.
    misspelt = {
        kind
        for key in data.pos
        if isinstance(key, str) and key not in JOURNEY_FIELDS
        for kind in difflib.get_close_matches(key, ("personas", "channels", "stages", "touchpoints"), n=1, cutoff=0.75)
        if kind not in data.pos
    }
    for kind, word in (("personas", "persona"), ("channels", "channel"), ("stages", "stage"), ("touchpoints", "touchpoint")):
        if kind in misspelt:
            continue
        if not own_ids.get(kind, set()) and not (kind == "stages" and stages) and not (kind == "touchpoints" and touchpoint_ids):
            value = data.get(kind)
            if isinstance(value, YList) and len(value) > 0:
                continue  # items exist but are malformed; the model reports them
            if kind in data.pos and not isinstance(value, YList):
                continue  # not a list (or empty): the model reports the shape
            line, col = data.key_position(kind) if kind in data.pos else (data.line, data.col)
            extra = " (none are imported either)" if kind in ("personas", "channels") else ""
            problems.append(
                Problem(Span(name, line, col), f"no-{kind}", f"the journey has no {kind}{extra}", f"add at least one {word}")
            )

    persona_ids = own_ids.get("personas", set())
    channel_ids = own_ids.get("channels", set())

    # Persona shares.
    share_total = 0.0
    told = False  # a share outside 0..1 is told so (`share: 60`, meaning 60%): not its sum too
    for _, item in _items(data, "personas"):
        share = item.get("share")
        if isinstance(share, (int, float)) and not isinstance(share, bool):
            share_total += share
            told = told or not 0 <= share <= 1
    for defined in imported.personas.values():
        share = defined.raw.get("share")
        if isinstance(share, (int, float)) and not any(_item_id(p) == defined.raw["id"] for _, p in _items(data, "personas")):
            share_total += share
    if share_total > 1 + SHARE_TOLERANCE and not told:
        line, col = data.key_position("personas")
        problems.append(
            Problem(
                Span(name, line, col),
                "persona-share-sum",
                f"persona shares add up to {share_total:.3g}, more than 1",
                "shares are fractions of all customers; they can add up to at most 1",
            )
        )

    # Touchpoints: references, flows, outcomes.
    incoming: dict[str, int] = {}
    successors: dict[str, list[str]] = {}
    entries: list[str] = []
    broken_flow = False  # a flow to an unknown touchpoint: what it cuts off is not "unreachable"
    stage_names = _by_name(stages.values())
    channel_names = _by_name([*(c for _, c in _items(data, "channels")), *(d.raw for d in imported.channels.values())])
    touchpoint_names = _by_name(t for _, t in touchpoints)
    for number, touchpoint in touchpoints:
        ident = _item_id(touchpoint)
        # a touchpoint without an id (reported by the model) is named by its place: it was "touchpoint 'None'"
        who = f"touchpoint '{ident}'" if ident else f"touchpoint #{number + 1}"
        stage = touchpoint.get("stage")
        if isinstance(stage, str) and stage not in stages:
            hint = (_text_item_hint(stage, data, "stages") or _named_hint(stage, stage_names, "stage")
                    or _reference_hint(stage, stages, "stages"))
            at(touchpoint, "stage", "unknown-reference", f"{who}: unknown stage '{stage}'", hint)
        channel = touchpoint.get("channel")
        if isinstance(channel, str) and channel not in channel_ids:
            hint = (_text_item_hint(channel, data, "channels") or _named_hint(channel, channel_names, "channel")
                    or _reference_hint(channel, channel_ids, "channels"))
            at(touchpoint, "channel", "unknown-reference", f"{who}: unknown channel '{channel}'", hint)
        personas = touchpoint.get("personas")
        if isinstance(personas, YList):
            listed: dict[str, int] = {}
            for index, persona in enumerate(personas):
                if isinstance(persona, str) and persona not in persona_ids:
                    hint = _text_item_hint(persona, data, "personas") or _reference_hint(persona, persona_ids, "personas")
                    at(personas, index, "unknown-reference", f"{who}: unknown persona '{persona}'", hint)
                elif isinstance(persona, str) and persona in listed:
                    first_line, first_col = personas.item_position(listed[persona])
                    here_line, _ = personas.item_position(index)
                    first = f"column {first_col}" if first_line == here_line else f"line {first_line}"
                    at(personas, index, "duplicate-persona", f"{who} lists persona '{persona}' twice (first at {first})",
                       "remove one of them, or write the persona meant", "warning")
                elif isinstance(persona, str):
                    listed[persona] = index
        if touchpoint.get("entry") is True and ident:
            entries.append(ident)
        flows = touchpoint.get("next")
        if not isinstance(flows, YList):
            broken_flow = broken_flow or flows is not None  # `next: pay`: the model reports it
            continue
        if touchpoint.get("outcome") in ("success", "failure") and len(flows) > 0:
            kline, kcol = touchpoint.key_position("next")
            problems.append(
                Problem(
                    Span(name, kline, kcol),
                    "outcome-with-next",
                    f"{who} has outcome '{touchpoint.get('outcome')}' and also 'next'",
                    "an outcome ends the journey: remove 'next', or remove 'outcome'",
                )
            )
        total = 0.0
        told = False  # as for personas: a share outside 0..1 is one error, not two
        targets: dict[str, int] = {}
        for index, flow in enumerate(flows):
            target = flow if isinstance(flow, str) else flow.get("to") if isinstance(flow, YMap) else None
            if isinstance(flow, YMap):
                share = flow.get("share")
                if isinstance(share, (int, float)) and not isinstance(share, bool):
                    total += share
                    told = told or not 0 <= share <= 1
                other = flow.get("journey")
                if isinstance(other, str) and other != data.get("id"):
                    continue  # into another journey: checked where the other journey is known (journeymap.links)
            if not isinstance(target, str):
                continue
            line, _ = flows.item_position(index)
            if target in targets:
                at(
                    flows,
                    index,
                    "duplicate-flow",
                    f"{who} flows to '{target}' twice (first at line {targets[target]})",
                    "merge the two flows into one",
                )
                continue
            targets[target] = line
            if target not in touchpoint_ids:
                broken_flow = True
                hint = (_other_journey_hint(target, data.get("id"), touchpoint_ids)
                        or _named_hint(target, touchpoint_names, "touchpoint")
                        or _share_in_reference_hint(target, touchpoint_ids)
                        or _reference_hint(target, touchpoint_ids, "touchpoints"))
                where: YMap | YList = flow if isinstance(flow, YMap) else flows
                at(where, "to" if isinstance(flow, YMap) else index, "unknown-reference", f"{who}: next points to unknown touchpoint '{target}'", hint)
                continue
            if ident:
                successors.setdefault(ident, []).append(target)
            if target != ident:
                incoming[target] = incoming.get(target, 0) + 1
        if total > 1 + SHARE_TOLERANCE and not told:
            kline, kcol = touchpoint.key_position("next")
            problems.append(
                Problem(
                    Span(name, kline, kcol),
                    "share-sum",
                    f"{who}: the shares of its next flows add up to {total:.3g}, more than 1",
                    "shares are fractions of the customers at this touchpoint; what is missing to 1 leaves the journey",
                )
            )

    # Entries and reachability (warnings only; the analysis needs at least one entry).
    ordered = [i for _, t in touchpoints if (i := _item_id(t))]
    if not entries:
        entries = [i for i in ordered if incoming.get(i, 0) == 0]
    if ordered and not entries and not any(p.is_error for p in problems):
        line, col = data.key_position("touchpoints")
        problems.append(
            Problem(
                Span(name, line, col),
                "no-entry",
                "no touchpoint starts the journey: every touchpoint has a flow into it",
                "mark where customers start with 'entry: true'",
            )
        )
    reached: set[str] = set()
    frontier = list(entries)
    while frontier:
        current = frontier.pop()
        if current in reached:
            continue
        reached.add(current)
        frontier.extend(successors.get(current, ()))
    if entries and not broken_flow:
        for _, touchpoint in touchpoints:
            ident = _item_id(touchpoint)
            if ident and ident not in reached:
                at(
                    touchpoint,
                    "id",
                    "unreachable",
                    f"touchpoint '{ident}' cannot be reached from any entry ({', '.join(entries)})",
                    "add a flow to it, or mark it 'entry: true'",
                    "warning",
                )
    used_stages = {stage for _, t in touchpoints if isinstance(stage := t.get("stage"), str)}
    for stage_id, stage in stages.items() if "touchpoints" not in misspelt else ():
        if stage_id not in used_stages:
            at(stage, "id", "empty-stage", f"stage '{stage_id}' has no touchpoints", None, "warning")
    return problems


# -- building the model ------------------------------------------------------


def _merge_imports(journey: Journey, imported: _Imported) -> None:
    """Imported personas and channels come first; an own definition with override replaces one in place."""
    from .model import Channel, MetricDef, Persona

    models: dict[str, Any] = {"personas": Persona, "channels": Channel}
    for kind in ("personas", "channels"):
        theirs: dict[str, _Defined] = getattr(imported, kind)
        if not theirs:
            continue
        own = {item.id: item for item in getattr(journey, kind)}
        merged = [
            own.pop(key) if key in own else models[kind].model_validate(defined.raw) for key, defined in theirs.items()
        ]
        merged += list(own.values())
        setattr(journey, kind, merged)
    if imported.metrics:
        definitions = {
            key: MetricDef.model_validate(defined.raw) for key, defined in imported.metrics.items() if key not in journey.metrics
        }
        definitions.update(journey.metrics)
        journey.metrics = definitions


def _collect_spans(name: str, data: YMap) -> dict[tuple[str, ...], Span]:
    spans: dict[tuple[str, ...], Span] = {("journey",): Span(name, data.line, data.col)}
    for kind in ("personas", "channels", "stages", "touchpoints"):
        for _, item in _items(data, kind):
            ident = _item_id(item)
            if ident is None:
                continue
            line, col = item.line, item.col
            spans[(kind, ident)] = Span(name, line, col)
            if kind != "touchpoints":
                continue
            metrics_map = item.get("metrics")
            if isinstance(metrics_map, YMap):
                for metric_name in metrics_map:
                    mline, mcol = metrics_map.key_position(metric_name)
                    spans[(kind, ident, "metrics", metric_name)] = Span(name, mline, mcol)
            flows = item.get("next")
            if isinstance(flows, YList):
                for index, flow in enumerate(flows):
                    target = flow if isinstance(flow, str) else flow.get("to") if isinstance(flow, YMap) else None
                    if isinstance(target, str):
                        fline, fcol = flows.item_position(index)
                        spans[(kind, ident, "next", target)] = Span(name, fline, fcol)
            frictions = item.get("friction")
            if isinstance(frictions, YList):
                for index in range(len(frictions)):
                    fline, fcol = frictions.item_position(index)
                    spans[(kind, ident, "friction", str(index))] = Span(name, fline, fcol)
    definitions = data.get("metrics")
    if isinstance(definitions, YMap):
        for metric_name in definitions:
            line, col = definitions.key_position(metric_name)
            spans[("metrics", metric_name)] = Span(name, line, col)
    return spans


def load_text(text: str, name: str = "<string>", *, base: Path | None = None) -> Journey:
    r"""Load a journey from YAML text; imports resolve against ``base`` (default: the working directory).

    >>> journey = load_text("journeymap: 1\nid: x\n...")  # doctest: +SKIP
    """
    folder = (base or Path.cwd()).resolve()
    result = Loader(root=folder).check(folder / "<string>.yaml", raw=text.encode("utf-8"), name=name)
    if result.journey is None:
        raise JourneyError(result.problems)
    return result.journey
