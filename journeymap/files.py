"""Reading and writing files: only regular files are read, and writes are atomic."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a regular file (through symlinks).

    Anything else raises ``OSError`` instead of being read: reading ``/dev/zero``
    or ``/dev/urandom`` never ends, and opening a FIFO waits for a writer that
    never comes (it is opened non-blocking to find out). A folder raises
    ``IsADirectoryError``.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory, not a file", str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file (a device, a pipe or a socket)", str(path))
        with os.fdopen(fd, "rb") as handle:
            fd = -1  # the file object closes it
            return handle.read()
    finally:
        if fd >= 0:
            os.close(fd)


class CannotWrite(OSError):
    """A file that could not be written (a read-only file or folder, a full disk): the file is as it was.
    An OSError, so that code that handles one (the workshop server) handles it."""

    def __init__(self, path: Path, why: str) -> None:
        # os.path.exists: Path.exists raises for a path too long (Python 3.11), inside this error
        self.why = why + ("; it was not changed" if os.path.exists(path) else "")
        super().__init__(f"cannot write {path}: {self.why}")
        self.path = path


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    The file is either the old one or the new one, never a mix, even if the
    process dies half-way. A symbolic link is written through (the file it leads to); a file that
    is not a regular one (a FIFO, /dev/null, /dev/stdout) is written into, never replaced. Text is
    written as UTF-8 with ``\\n`` line ends. An
    existing file keeps its permission bits; a file its owner made read-only is
    not replaced. What stops the write (permissions, a full disk) raises
    :class:`CannotWrite`, with the file as it was.
    """
    path = Path(path)
    if _written_into(path):
        try:
            with open(path, "ab") as handle:  # no O_TRUNC: `>> log` keeps what it holds
                handle.write(_utf8(data) if isinstance(data, str) else data)
        except OSError as exc:
            raise CannotWrite(path, (exc.strerror or str(exc)).lower()) from exc
        return
    target = through_link(path)
    try:
        _write_atomic(target, data)
    except OSError as exc:
        raise CannotWrite(path, _linked(path, target, _file_in_the_way(target) or (exc.strerror or str(exc)).lower())) from exc


def _linked(path: Path, target: Path, why: str) -> str:
    """``why`` a write to ``path`` failed, with the file its link leads to when it is a link (``target``): the error
    named the resolved target, a path the user never typed, and not the link they did."""
    if target == path:
        return why
    try:
        return f"{why} (it is a symbolic link to {os.readlink(path)})"
    except OSError:
        return why


#: Paths that name a descriptor the process already has open (``-o /dev/stdout``): the file behind
#: it (``>> log``) is written at its end, never replaced, never truncated.
_DESCRIPTORS = ("/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/")


def _written_into(path: Path) -> bool:
    """Whether ``path`` is written into, not replaced: a descriptor (:data:`_DESCRIPTORS`) or an existing
    file that is not a regular one (a FIFO with a reader waiting, /dev/null, a terminal). A rename over it
    replaced the FIFO, or (run as root) /dev/null itself, with a regular file."""
    if os.path.abspath(path).startswith(_DESCRIPTORS):
        return True
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


NAME_BYTES = 255
"""The longest file name most file systems take (ext4, XFS, APFS, NTFS in UTF-16 units)."""


def _beside(name: str) -> str:
    """The start of a temporary file's name beside ``name``: ``.NAME.``, with NAME cut (at a character)
    so that the whole name, 8 random characters and ``.tmp`` after it, fits in :data:`NAME_BYTES`: a
    journey named with 250 bytes could be read but not written ('file name too long')."""
    room = NAME_BYTES - 2 - 8 - len(".tmp")
    while len(os.fsencode(name)) > room:
        name = name[:-1]
    return f".{name}."


def _read_only(path: Path) -> bool:
    """Whether ``path`` is a file its owner made read-only: no write bit (which root, for whom
    os.access says yes to every file, would otherwise replace), or not writable by this user."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not mode & 0o222 or not os.access(path, os.W_OK)


def _utf8(text: str) -> bytes:
    from .render.escape import utf8  # a name that is not UTF-8, shown as its bytes (\\xe9)

    return utf8(text)


def through_link(path: Path) -> Path:
    """The file a symbolic link ``path`` leads to (made if it is not there), as the shell's ``>`` writes
    it: renamed over, the link itself was replaced by a file, and the file it led to kept the old text.

    A link left dangling to a folder that is not there (a share not mounted, a folder removed) raises
    :class:`CannotWrite` naming the link and its target, as ``>`` fails there: its folders were made and the file
    written in them, where nobody looks for it."""
    if not os.path.islink(path):  # False for a path too long
        return path
    if (loop := link_loop(path)) is not None:
        # realpath stops in a loop at one of its links, which was then named in the error ('too many levels of
        # symbolic links', a path the user never typed) or replaced by the file (simulate's log)
        raise CannotWrite(path, f"it is a symbolic link in a loop ({loop}), which leads to no file (remove the link,"
                                " or point it at a file)")
    target = Path(os.path.realpath(path))
    if not os.path.lexists(target) and not os.path.isdir(target.parent):
        raise CannotWrite(path, f"it is a symbolic link to {os.readlink(path)}, whose folder {target.parent} does not"
                                " exist (make the folder, or remove the link to write a file in its place)")
    return target


def link_loop(path: str | Path) -> str | None:
    """``out -> again -> out``, the links ``path`` leads through when they come back to one of them (as each
    link writes its target), else None: no link, or a chain that ends at a file, a folder or nothing."""
    seen: set[str] = set()
    chain = [str(path)]
    here = os.path.abspath(path)
    while os.path.islink(here):
        if here in seen:
            return " -> ".join(chain)
        seen.add(here)
        try:
            text = os.readlink(here)
        except OSError:
            return None
        chain.append(text)
        # a link's target is read from the link's folder, whose own links realpath resolves (not a loop of this one)
        here = os.path.join(os.path.realpath(os.path.dirname(here)), text)
        here = os.path.normpath(here)
        if len(chain) > 64:
            return " -> ".join([*chain[:4], "...", chain[-1]])
    return None


def _file_in_the_way(path: Path) -> str | None:
    """'out is a file, not a folder' when a folder above ``path`` is a file: ``render J -o out`` with a
    file named ``out`` was told 'cannot write out/j.html: file exists', of a file it never named."""
    for folder in path.parents:
        if str(folder) in ("", ".") or not os.path.lexists(folder):
            continue
        if os.path.islink(folder) and not os.path.exists(folder):  # `-o out`, a link left dangling
            if (loop := link_loop(folder)) is not None:
                return f"{folder} is a symbolic link in a loop ({loop}), which leads to no folder"
            return f"{folder} is a symbolic link to {os.readlink(folder)}, which does not exist"
        if not folder.is_dir():
            return f"{folder} is a file, not a folder"
        return None
    return None


def _write_atomic(path: Path, data: str | bytes) -> None:
    payload = _utf8(data) if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    if _read_only(path):
        raise PermissionError(errno.EACCES, "the file is read-only", str(path))
    tmp = _copy_beside(path, folder, payload)
    try:
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_new(path: str | Path, data: str) -> None:
    """Write a new file ``path`` whole or not at all, never over a file (or link) that is there: a temporary file
    beside it is hard-linked to the name, which fails if the name is taken, even by a file made a moment before.
    :class:`FileExistsError` when it is; :class:`CannotWrite` for what else stops the write."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        tmp = _copy_beside(path, folder, _utf8(data))
    except OSError as exc:
        raise CannotWrite(path, _file_in_the_way(path) or (exc.strerror or str(exc)).lower()) from exc
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise CannotWrite(path, (exc.strerror or str(exc)).lower()) from exc
        # a file system without hard links: exclusive creation, then the bytes
        with open(path, "xb") as handle:
            handle.write(_utf8(data))
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _copy_beside(path: Path, folder: Path, payload: bytes) -> str:
    """``payload`` in a new temporary file in ``folder`` beside ``path``, synced, with the mode ``path`` has
    (or would get): its name. Nothing is left behind if that fails."""
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=_beside(path.name), suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def write_all_atomic(files: Sequence[tuple[str | Path, str | bytes]]) -> None:
    """Write several files all or nothing: every one new, or every one as it was.

    Each file is first written whole beside its target (a temporary file in the same folder, as
    :func:`write_atomic` does), then all are put in place one rename each, in a run with SIGINT and
    SIGTERM held back (a Ctrl-C there is taken once the last rename is done). A rename that fails
    puts back every file already put in place (each old file was kept under a second name, a hard
    link) and raises :class:`CannotWrite`. Only a SIGKILL or a power cut among the renames (a few
    milliseconds) can leave a mix. Folders are made as needed; nothing else in them is touched.
    """
    targets = [(Path(path), through_link(Path(path)), _utf8(data) if isinstance(data, str) else data) for path, data in files]
    made: list[Path] = []  # folders this call made, removed again if nothing is put in place
    staged: list[tuple[Path, str]] = []
    done = False
    try:
        for typed, path, payload in targets:
            try:
                staged.append((path, _stage(path, payload, made)))
            except OSError as exc:
                raise CannotWrite(typed, _linked(typed, path, _file_in_the_way(path) or (exc.strerror or str(exc)).lower())) from exc
        with _signals_held():
            _swap_in(staged)
        done = True
    finally:
        for _, tmp in staged:
            try:
                os.unlink(tmp)
            except FileNotFoundError:  # put in place
                pass
        if not done:
            for folder in reversed(made):
                try:
                    folder.rmdir()
                except OSError:
                    pass


#: How long a build waits for another one writing into the same folder before it gives up.
LOCK_WAIT = 120.0


class folder_lock:  # noqa: N801  # used as a with-statement, like contextlib's
    """An exclusive lock on ``folder`` (``flock`` on the folder itself: no lock file is left in it),
    so that two builds writing a set of files into one folder put them in place one after the other,
    never interleaved. A build that finds the folder locked calls ``waiting`` once and waits up to
    :data:`LOCK_WAIT` seconds, then raises :class:`CannotWrite`. The folder is made if need be, and
    removed again (if still empty) when the block fails. Where ``flock`` does not exist nothing is locked."""

    def __init__(self, folder: Path, waiting: Callable[[], None] | None = None, wait: float | None = None) -> None:
        self.folder, self.waiting, self.wait = folder, waiting, LOCK_WAIT if wait is None else wait
        self.fd: int | None = None
        self.made: list[Path] = []  # folders made for the write, the deepest first

    def __enter__(self) -> None:
        try:
            import fcntl
        except ImportError:  # not a POSIX system
            return
        import time

        self.made = [f for f in (self.folder, *self.folder.parents) if str(f) not in ("", ".") and not os.path.lexists(f)]
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(self.folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError as exc:
            raise CannotWrite(self.folder, _file_in_the_way(self.folder) or (exc.strerror or str(exc)).lower()) from exc
        deadline = time.monotonic() + self.wait
        told = False
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                pass
            except OSError:  # a file system without locks (some network ones): write unlocked, as before
                return
            if time.monotonic() >= deadline:
                os.close(self.fd)
                self.fd = None
                raise CannotWrite(
                    self.folder,
                    f"another journeymap build has been writing into it for over {self.wait:g} s; try again once it is done",
                )
            if not told and self.waiting is not None:
                self.waiting()
                told = True
            time.sleep(0.05)

    def __exit__(self, kind: object, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)  # releases the lock
            self.fd = None
        for folder in self.made if kind is not None else ():
            try:
                folder.rmdir()  # made for this write, and nothing put in it
            except OSError:
                break


def _stage(path: Path, payload: bytes, made: list[Path]) -> str:
    """``payload`` in a temporary file beside ``path`` (synced, with the mode ``path`` has or would get)."""
    folder = path.parent if str(path.parent) else Path(".")
    missing = [f for f in (folder, *folder.parents) if str(f) not in ("", ".") and not os.path.lexists(f)]
    folder.mkdir(parents=True, exist_ok=True)
    made.extend(reversed(missing))
    if os.path.isdir(path):
        raise IsADirectoryError(errno.EISDIR, "a folder is in the way", str(path))
    if _written_into(path):  # one file of a set is not written into a FIFO or a device: never replaced
        raise OSError(errno.EINVAL, "not a regular file (a device, a FIFO or a socket)", str(path))
    if _read_only(path):
        raise PermissionError(errno.EACCES, "the file is read-only", str(path))
    return _copy_beside(path, folder, payload)


def _swap_in(staged: Sequence[tuple[Path, str]]) -> None:
    """Rename each staged file onto its target; on a failure, put every old file back and raise CannotWrite."""
    import secrets
    import shutil

    done: list[tuple[Path, str | None]] = []  # target, where its old file is kept (None: there was none)
    try:
        for path, tmp in staged:
            kept = None
            if os.path.lexists(path):
                kept = os.path.join(os.path.dirname(tmp), f"{_beside(path.name)}{secrets.token_hex(4)}.old")
                try:
                    os.link(path, kept, follow_symlinks=False)
                except OSError:  # a file system without hard links
                    shutil.copy2(path, kept, follow_symlinks=False)
            try:
                os.replace(tmp, path)
            except OSError as exc:
                if kept:
                    os.unlink(kept)
                raise CannotWrite(path, _file_in_the_way(path) or (exc.strerror or str(exc)).lower()) from exc
            done.append((path, kept))
    except BaseException:
        for path, kept in reversed(done):
            try:
                if kept:
                    os.replace(kept, path)
                else:
                    os.unlink(path)
            except OSError:
                pass
        raise
    for _, kept in done:
        if kept:
            try:
                os.unlink(kept)
            except OSError:
                pass


class _signals_held:  # noqa: N801  # used as a with-statement, like contextlib's
    """SIGINT and SIGTERM held back for the block, then handled as they would have been.

    Their Python handlers are swapped for one that notes the signal (blocking them with
    ``pthread_sigmask`` holds them for one thread only: another thread, a Graphviz or DuckDB
    helper, still takes them). Only the main thread can do so; elsewhere nothing is held."""

    def __enter__(self) -> None:
        import signal
        import threading

        self._old: dict[int, Any] = {}
        self._pending: list[int] = []
        if threading.current_thread() is not threading.main_thread():
            return
        for sig in (signal.SIGINT, signal.SIGTERM):
            handler = signal.getsignal(sig)
            if handler in (signal.SIG_IGN, None):
                continue
            self._old[sig] = handler
            signal.signal(sig, lambda signum, frame: self._pending.append(signum))

    def __exit__(self, *exc: object) -> None:
        import signal

        for sig, handler in self._old.items():
            signal.signal(sig, handler)
        for sig in self._pending[:1]:
            handler = self._old[sig]
            if callable(handler):
                handler(sig, None)
            else:  # SIG_DFL: the signal again, taken as if it came now
                os.kill(os.getpid(), sig)

HEADROOM = 24 << 20
"""Bytes kept free under an address-space limit by :func:`memory_guard`."""


def memory_guard(headroom: int = HEADROOM) -> Callable[[], None] | None:
    """Under an address-space limit (``ulimit -v``), a check that raises MemoryError a little
    before the limit is reached; None when there is no limit (the common case: nothing to check).

    Why: CPython 3.11 cannot unwind an exception through a ``finally`` or ``except`` when the
    memory is exhausted (it needs a small allocation for each handler it enters, fails, and tries
    again, for ever: the process spins at 100% CPU instead of failing). Raised with some memory
    still free, the MemoryError unwinds, the parsed nodes are let go, and the command says it ran
    out of memory. Call the check every few thousand items of a loop that builds up memory.
    """
    try:
        import resource

        limit = resource.getrlimit(resource.RLIMIT_AS)[0]
        page = os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError, AttributeError):
        return None
    if limit == resource.RLIM_INFINITY or limit <= 0:
        return None
    ceiling = limit - headroom

    def check() -> None:
        try:
            with open("/proc/self/statm", "rb") as statm:
                size = int(statm.read().split()[0]) * page  # the address space in use: what RLIMIT_AS limits
        except (OSError, ValueError, IndexError):
            return
        if size > ceiling:
            raise MemoryError(f"within {headroom >> 20} MB of the address-space limit ({limit >> 20} MB)")

    return check


def ran_out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is a memory failure: a MemoryError, or any error raised while the process
    had reached its address-space limit (C extensions such as libyaml report a failed allocation
    as a ``SystemError`` or worse; under ``ulimit -v`` the peak says what really happened)."""
    if isinstance(exc, MemoryError):
        return True
    try:
        import resource

        limit = resource.getrlimit(resource.RLIMIT_AS)[0]
        if limit == resource.RLIM_INFINITY:
            return False
        with open("/proc/self/status", encoding="ascii") as status:
            peak = next((int(line.split()[1]) * 1024 for line in status if line.startswith("VmPeak:")), 0)
    except (ImportError, OSError, ValueError, MemoryError):
        return False
    return peak >= 0.95 * limit


def out_of_memory(paths: Sequence[str | os.PathLike[str] | None]) -> str:
    """What to say when reading ``paths`` ran out of memory: which files, how big, what to do.

    >>> out_of_memory(["big.journey.yaml"])  # doctest: +SKIP
    'journeymap ran out of memory reading big.journey.yaml (61 MB); ...'
    """
    shown = []
    for path in paths:
        if path is None:
            shown.append("<stdin>")
            continue
        try:
            size = os.stat(path).st_size
        except OSError:
            shown.append(str(path))
            continue
        shown.append(f"{os.fspath(path)} ({size / 1_000_000:,.0f} MB)" if size >= 1_000_000 else f"{os.fspath(path)} ({size:,} bytes)")
    what = ", ".join(shown) if shown else "its input"
    return (
        f"journeymap ran out of memory reading {what}; nothing was written. Give it more memory "
        "(a limit set with ulimit -v, a container's limit), or split the journey into libraries it imports"
    )
