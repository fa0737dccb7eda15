"""Journey files at a git revision: the edge where journeymap runs ``git``.

- :func:`changed_files` lists files changed between a revision and the
  working tree (``git diff --name-status -M REV -- PATH...`` plus untracked
  files), with added, deleted and renamed files;
- :func:`show` reads a file as it was at a revision (``git show REV:path``);
- :func:`materialize` writes a file at a revision *and every library it
  imports, as they were at that revision* into a scratch folder laid out like
  the repository, so the ordinary loader loads the old side with the old
  imports.

Paths handed in and out are repository-relative POSIX paths unless a
function says otherwise. Every git failure is a :class:`GitError` with a
message for people (not a repository, unknown revision).
"""

from __future__ import annotations

import posixpath
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .files import read_bytes


class GitError(Exception):
    """git could not do what was asked (not a repository, unknown revision, ...)."""


@dataclass(frozen=True)
class ChangedFile:
    """A file that differs between a revision and the working tree."""

    status: Literal["added", "removed", "modified", "renamed"]
    old_path: str | None
    """Repository-relative path at the revision (None for an added file)."""
    new_path: str | None
    """Repository-relative path in the working tree (None for a deleted file)."""


def _git(args: Sequence[str], cwd: Path, *, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise GitError("git is not installed (or not on PATH)") from exc
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {' '.join(args)} failed")
    return result


def repository_root(cwd: Path | None = None) -> Path:
    """The top of the git work tree that holds ``cwd``."""
    cwd = cwd or Path.cwd()
    result = _git(["rev-parse", "--show-toplevel"], cwd, check=False)
    if result.returncode != 0:
        raise GitError(f"not a git repository: {cwd}")
    return Path(result.stdout.decode("utf-8").strip())


def resolve_revision(root: Path, revision: str) -> str:
    """The commit id ``revision`` names; GitError if it names none.

    ``REV...`` (three dots, as in ``git diff main...``) names the merge base
    of REV and HEAD: what a branch changed since it left REV, ignoring what
    REV gained meanwhile.
    """
    if revision.startswith("-"):
        raise GitError(f"bad revision '{revision}'")
    if revision.endswith("...") and len(revision) > 3:
        base = resolve_revision(root, revision[:-3])
        result = _git(["merge-base", base, "HEAD"], root, check=False)
        if result.returncode != 0:
            raise GitError(f"bad revision '{revision}': {revision[:-3]} and HEAD have no common ancestor")
        return result.stdout.decode("ascii").strip()
    result = _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], root, check=False)
    if result.returncode != 0:
        message = f"bad revision '{revision}': git knows no commit by that name"
        remote, _, branch = revision.partition("/")
        if branch and remote in _git(["remote"], root, check=False).stdout.decode("utf-8", "replace").split():
            # The usual CI case: a shallow checkout that never fetched the base branch.
            message += f" (fetch it first: git fetch {remote} {branch}; in GitHub Actions, actions/checkout with fetch-depth: 0)"
        raise GitError(message)
    return result.stdout.decode("ascii").strip()


def show(root: Path, revision: str, path: str) -> bytes | None:
    """The bytes of the file ``path`` (repository-relative) at ``revision``; None if it was no file then.

    ``git cat-file blob``, not ``git show``: for a folder, show prints a listing of it.
    """
    if "\x00" in path:  # no file has that name (and no argument can hold it)
        return None
    result = _git(["cat-file", "blob", f"{revision}:{path}"], root, check=False)
    if result.returncode != 0:
        return None
    return result.stdout


def exists_at(root: Path, revision: str, path: str) -> bool:
    """Whether ``path`` (a file or folder; "" is the root) existed at ``revision``."""
    return _git(["cat-file", "-e", f"{revision}:{path}"], root, check=False).returncode == 0


def to_repo_path(root: Path, path: str | Path) -> str:
    """A path given on the command line (relative to the working directory) as a repository path."""
    absolute = (Path.cwd() / path).resolve()
    try:
        relative = absolute.relative_to(root.resolve())
    except ValueError as exc:
        raise GitError(f"{path} is outside the repository {root}") from exc
    text = relative.as_posix()
    return "" if text == "." else text


def changed_files(root: Path, revision: str, paths: Iterable[str] = ()) -> list[ChangedFile]:
    """Files changed between ``revision`` and the working tree, limited to ``paths``.

    Untracked (not ignored) files count as added: a journey written but not
    yet ``git add``-ed is part of the change a reviewer is about to see.
    git's content-based rename detection is off: journey files made from
    one template look alike, so a deleted journey and an unrelated new one
    would pass for a rename. :func:`pair_renames` matches them by journey id.
    """
    pathspec = ["--", *(p or "." for p in paths)] if paths else ["--", "."]
    output = _git(["diff", "--name-status", "-z", "--no-renames", "--no-ext-diff", revision, *pathspec], root).stdout
    fields = output.decode("utf-8", "surrogateescape").split("\0")
    files: list[ChangedFile] = []
    for index in range(0, len(fields) - 1, 2):
        letter, name = fields[index][:1], fields[index + 1]
        if letter == "A":
            files.append(ChangedFile("added", None, name))
        elif letter == "D":
            files.append(ChangedFile("removed", name, None))
        elif letter in ("M", "T"):
            files.append(ChangedFile("modified", name, name))
        # U (unmerged) and X (unknown) are left out: there is nothing sound to compare.
    untracked = _git(["ls-files", "-z", "--others", "--exclude-standard", *pathspec], root).stdout
    for name in untracked.decode("utf-8", "surrogateescape").split("\0"):
        if name:
            files.append(ChangedFile("added", None, name))
    return sorted(files, key=lambda f: f.new_path or f.old_path or "")


def pair_renames(files: Sequence[ChangedFile], journey_id: Callable[[ChangedFile], str | None]) -> list[ChangedFile]:
    """A removed and an added file holding the journey with the same id are one renamed file.

    ``journey_id`` gives the id of the journey a removed file held (at the
    revision) or an added file holds (in the working tree); None for files
    that are not journeys. A file is paired at most once, in path order.
    """
    added: dict[str, ChangedFile] = {}
    for file in files:
        if file.status == "added":
            ident = journey_id(file)
            if ident is not None:
                added.setdefault(ident, file)
    result: list[ChangedFile] = []
    used: set[str] = set()
    for file in files:
        if file.status == "removed":
            ident = journey_id(file)
            partner = added.get(ident) if ident is not None else None
            if partner is not None and partner.new_path not in used:
                assert partner.new_path is not None
                used.add(partner.new_path)
                result.append(ChangedFile("renamed", file.old_path, partner.new_path))
                continue
        result.append(file)
    result = [f for f in result if not (f.status == "added" and f.new_path in used)]
    return sorted(result, key=lambda f: f.new_path or f.old_path or "")


def journey_id(raw: bytes, name: str) -> str | None:
    """The top-level ``id`` of a journey file's text, or None."""
    data = _top_level(raw, name)
    ident = data.get("id") if data is not None else None
    return ident if isinstance(ident, str) else None


def is_yaml(path: str) -> bool:
    return path.endswith((".yaml", ".yml"))


def declares_journeymap(raw: bytes) -> bool:
    """A YAML text that says ``journeymap:`` at the top level (journey or library), however written."""
    from . import sniff

    return sniff.declares_journeymap(raw)


def is_journey_text(raw: bytes) -> bool:
    """A journeymap file that is a journey (has ``id``/``stages``/...), not a library."""
    from . import sniff

    return sniff.is_journey_text(raw)


def imports_of(raw: bytes, name: str) -> list[str]:
    """The ``imports:`` entries of a journey or library file (unreadable files have none)."""
    from .yamlio import YList

    data = _top_level(raw, name)
    imports = data.get("imports") if data is not None else None
    if not isinstance(imports, YList):
        return []
    # An entry with a NUL names no file (the loader reports it); it would not even go into a path.
    return [entry for entry in imports if isinstance(entry, str) and entry.strip() and "\x00" not in entry]


def _top_level(raw: bytes, name: str) -> dict[str, object] | None:
    """The top-level mapping of a YAML text (with journeymap's safe reader), or None."""
    from .yamlio import YMap, decode, parse

    text, _ = decode(raw, name)
    if text is None:
        return None
    data, _ = parse(text, name)
    return data if isinstance(data, YMap) else None


def import_closure(read: Callable[[str], bytes | None], path: str) -> dict[str, bytes]:
    """``path`` and every file it imports (transitively) that ``read`` can find.

    Paths are repository-relative; an import that climbs out of the
    repository is left out (the loader reports it as an escape).
    """
    found: dict[str, bytes] = {}
    pending = [path]
    while pending:
        current = pending.pop()
        if current in found:
            continue
        raw = read(current)
        if raw is None:
            continue
        found[current] = raw
        folder = posixpath.dirname(current)
        for entry in imports_of(raw, current):
            target = posixpath.normpath(posixpath.join(folder, entry))
            if target.startswith("../") or target == ".." or posixpath.isabs(target):
                continue
            pending.append(target)
    return found


def materialize(root: Path, revision: str, path: str, scratch: Path) -> Path | None:
    """Write ``path`` at ``revision`` and its imports at ``revision`` under ``scratch``.

    Returns the scratch copy of ``path`` (None if it did not exist at the
    revision). Load it with ``Loader(root=scratch)`` so imports resolve
    against the old revision, not the working tree.
    """
    files = import_closure(lambda p: show(root, revision, p), path)
    if path not in files:
        return None
    for name, raw in files.items():
        target = scratch / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(raw)
    return scratch / path


def working_tree_closure(root: Path, path: str) -> set[str]:
    """Repository paths of ``path`` and everything it imports, as in the working tree."""

    def read(name: str) -> bytes | None:
        try:
            return read_bytes(root / name)
        except OSError:
            return None

    return set(import_closure(read, path))


def revision_closure(root: Path, revision: str, path: str) -> set[str]:
    """Repository paths of ``path`` and everything it imports, as at ``revision``."""
    return set(import_closure(lambda p: show(root, revision, p), path))
