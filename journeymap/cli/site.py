"""journeymap site DIR -o OUT: a static site of every journey under a folder."""

from __future__ import annotations

import argparse
import sys

HELP = "build a static site of every journey under a folder: index, weak touchpoints, channels, personas, maps"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="DIR", help="folder to search for journey files (*.yaml declaring 'journeymap:')")
    parser.add_argument(
        "-o", "--output", "--out-dir", dest="out_dir", metavar="OUT", default="journeymap-site",
        help="folder to write the site into (default: ./journeymap-site)",
    )
    parser.add_argument("--no-git", action="store_true", help="do not ask git for each file's last change")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..problems import format_problems, visible
    from ..site import collect, foreign_pages, render_site, stale_pages, write_site
    from . import UsageError

    folder = Path(args.folder)
    if not folder.is_dir():
        raise UsageError(f"no such folder: {args.folder}")
    portfolio = collect(folder, git=not args.no_git)
    if not portfolio.journeys:
        raise UsageError(f"no journey files found under {args.folder} (a journey file is *.yaml declaring 'journeymap:')")
    sys.stderr.write(format_problems(portfolio.problems))
    site = render_site(portfolio)
    foreign = foreign_pages(args.out_dir, site.files)
    if foreign:  # the project's own docs/index.html: never replaced without a word
        for name in foreign:
            print(visible(f"{args.out_dir}/{name}: error: not a page journeymap wrote (it has no <meta name=\"generator\""
                          ' content="journeymap ...">): the site would replace it'), file=sys.stderr)
        print("journeymap site: nothing was written: move them away, or build the site into another folder (-o)",
              file=sys.stderr)
        return 1
    def waiting() -> None:
        print(visible(f"journeymap site: waiting for another journeymap build writing into {args.out_dir}"), file=sys.stderr)

    written = write_site(site.files, args.out_dir, waiting=waiting)
    for note in site.notes:
        print(visible(note), file=sys.stderr)
    for name in stale_pages(args.out_dir, site.files):
        print(visible(f"{args.out_dir}/{name}: note: left from an earlier build (no journey has this id now)"), file=sys.stderr)
    broken = portfolio.broken
    print(
        f"{visible(str(Path(args.out_dir) / 'index.html'))}: {len(portfolio.loaded)} journey{'s' * (len(portfolio.loaded) != 1)}, "
        f"{len(written)} pages"
        + (f"; {len(broken)} file{'s' * (len(broken) != 1)} with errors listed on the index" if broken else "")
    )
    return 1 if broken else 0
