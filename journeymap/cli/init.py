"""journeymap init: write a starter journey file (and the JSON Schema its editor modeline names)."""

from __future__ import annotations

import argparse

HELP = "write a starter journey file to fill in: your stages, personas and channels, valid and formatted"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE",
                        help="the journey file to write (a bare name gets .journey.yaml: 'checkout' is checkout.journey.yaml);"
                             " an existing file is never written over")
    parser.add_argument("--title", help="the journey's title (default: from the file's name, 'online-checkout' is"
                                        " 'Online checkout')")
    parser.add_argument("--stages", metavar="NAMES", help="stage names, comma-separated, in order"
                                                          " (default: 'Discover, Decide, Buy, Use'); one touchpoint each")
    parser.add_argument("--personas", metavar="NAMES", help="persona names, comma-separated (default: 'Customer')")
    parser.add_argument("--channels", metavar="NAMES", help="channel names, comma-separated (default: 'Website, Email')")
    parser.add_argument("--no-schema", action="store_true",
                        help="no editor modeline, and no journeymap.schema.json beside the file")


def _names(given: str | None, default: tuple[str, ...]) -> list[str]:
    return list(default) if given is None else given.split(",")


def run(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path

    from ..files import CannotWrite, write_new
    from ..json_schema import schema_json
    from ..problems import visible
    from ..starter import (
        DEFAULT_CHANNELS,
        DEFAULT_PERSONAS,
        DEFAULT_STAGES,
        SCHEMA_FILE,
        StarterError,
        starter_journey,
    )
    from . import UsageError

    path = Path(args.file)
    if not args.file.strip():
        raise UsageError("an empty file name was given (an unset shell variable?): nothing is written")
    if path.is_dir() or args.file.endswith(("/", os.sep)):
        raise UsageError(f"{visible(args.file)} is a folder: give the journey file's name,"
                         f" e.g. {visible(str(path / 'checkout.journey.yaml'))}")
    if path.name.lower().endswith(".json"):
        raise UsageError(f"{visible(args.file)}: init writes YAML, with its comments;"
                         f" name it {visible(path.name[:-5] + '.journey.yaml')}")
    if not path.name.endswith((".yaml", ".yml")):
        path = path.with_name(path.name + ".journey.yaml")
    # a name that is taken (a file, a folder, a link) is found by write_new itself, at the moment of writing
    if not path.parent.is_dir():
        raise UsageError(f"no such folder: {visible(str(path.parent))}")
    stem = path.name.removesuffix(".yaml").removesuffix(".yml").removesuffix(".journey")
    words = " ".join(stem.replace("-", " ").replace("_", " ").split())
    title = args.title if args.title is not None else (words[:1].upper() + words[1:] or "My journey")
    try:
        text = starter_journey(
            stem, title,
            stages=_names(args.stages, DEFAULT_STAGES),
            personas=_names(args.personas, DEFAULT_PERSONAS),
            channels=_names(args.channels, DEFAULT_CHANNELS),
            schema=None if args.no_schema else SCHEMA_FILE,
        )
    except StarterError as exc:
        raise UsageError(str(exc)) from exc
    shown = visible(str(path))
    try:
        write_new(path, text)
    except FileExistsError:
        raise UsageError(f"{shown} exists: journeymap init never writes over a file (give another name, or remove it)") from None
    except CannotWrite as exc:
        raise UsageError(visible(str(exc))) from None
    print(f"wrote {shown}")
    if not args.no_schema:
        schema = path.parent / SCHEMA_FILE.removeprefix("./")
        try:
            write_new(schema, schema_json())
            print(f"wrote {visible(str(schema))} (editor completion: the journey's first line names it)")
        except FileExistsError:
            print(f"kept {visible(str(schema))} (`journeymap schema -o {visible(str(schema))}` renews it)")
        except CannotWrite as exc:
            raise UsageError(visible(str(exc)) + f" ({shown} is written)") from None
    print(f"next: journeymap validate {shown}, then journeymap render {shown}")
    return 0
