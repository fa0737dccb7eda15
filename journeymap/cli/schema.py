"""journeymap schema: print the JSON Schema of the journey file format."""

from __future__ import annotations

import argparse
import sys

HELP = "print the JSON Schema of the journey format (for editor completion and checks)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--library", action="store_true", help="the schema of an imported library file instead")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output (- is standard output)")


def run(args: argparse.Namespace) -> int:
    from ..json_schema import schema_json

    text = schema_json(library=args.library)
    if args.output:
        from ..files import write_atomic
        from . import check_not_a_journey

        check_not_a_journey(args.output, "the schema")

        write_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    return 0
