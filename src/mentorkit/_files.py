"""The one atomic, owner-only file writer: stores, exports and their temporary files.

Files mentorkit writes hold personal data (a JSON store, an export, a graph with names), so
a new file is created readable by its owner only (``0600``, whatever the umask), a file
that already exists keeps its mode (a person who opened it up on purpose keeps that), and
the temporary copy written first is owner-only too. Temporary files are named
``.<name>.<pid>-<n>.tmp`` next to the target (``n`` counts the writes of the process, so
two threads writing one file never share a temporary file), so that `remove_orphans` can
clean those a killed writer left behind.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import itertools
import os
import stat

from mentorkit.errors import StorageError

#: The mode of every new file holding personal data: read and write for the owner only.
PRIVATE = 0o600


#: Numbers the temporary files of this process (``next`` is atomic under the GIL).
_WRITES = itertools.count()


def _temp_name(path: str) -> str:
    folder, name = os.path.split(os.path.abspath(path))
    return os.path.join(folder, f".{name}.{os.getpid()}-{next(_WRITES)}.tmp")


def target_mode(path: str) -> int:
    """The mode a rewrite of ``path`` gets: the existing file's, or `PRIVATE`."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return PRIVATE


def refuse_special(path: str) -> None:
    """Raise `OSError` if ``path`` exists and is not a regular file.

    Opening a FIFO blocks until a writer appears; a device or a folder is never a store.
    """
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    if not stat.S_ISREG(st.st_mode):
        raise OSError(errno.EINVAL, "not a regular file (a folder, FIFO, socket or device)", path)


def create_private(path: str) -> bool:
    """Create ``path`` empty and owner-only if it does not exist; whether it was created."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    except FileExistsError:
        return False
    try:
        os.fchmod(fd, PRIVATE)  # the umask may have taken bits away, never added: be exact
    finally:
        os.close(fd)
    return True


def write_private(path: str, data: str | bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` atomically (temporary file, fsync, rename).

    The file keeps its mode if it exists, else it is created owner-only; the temporary
    file is owner-only throughout and removed if anything fails. Temporary files of
    ``path`` that writers no longer running left behind (killed mid-write) go first: each
    holds a full copy of what was written.

    Raises:
        OSError: the file cannot be written (the target is then unchanged).
    """
    mode = target_mode(path)
    tmp = _temp_name(path)
    remove_orphans(path, running=False)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with contextlib.suppress(FileNotFoundError):
            # The name is this write's alone: a file there was left by a dead process that
            # had our pid. O_EXCL below must not meet it.
            os.remove(tmp)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
        with open(fd, "wb") as f:
            os.fchmod(fd, mode)
            f.write(raw)
            f.flush()
            if durable:
                os.fsync(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise
    if durable:
        with contextlib.suppress(OSError):  # make the rename itself durable (POSIX)
            fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def write_file(path: str, data: str | bytes, *, label: str | None = None) -> None:
    """`write_private`, with a failure as a ``StorageError``: what commands and exports call.

    Args:
        path: The file to replace.
        data: Its new content.
        label: What the message calls the file (default: ``path``).

    Raises:
        StorageError: ``cannot write <label>: <why>`` (the target is then unchanged); a NUL
            byte in the path is such a failure too.
    """
    try:
        write_private(path, data)
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise StorageError(f"cannot write {path if label is None else label}: {why}") from None


def remove_orphans(path: str, *, running: bool = True) -> int:
    """Remove the temporary files writers of ``path`` left behind.

    Args:
        path: The target file.
        running: Also remove those of processes still running (right when the caller
            holds the lock every writer of ``path`` takes).

    Returns:
        How many were removed.
    """
    folder, name = os.path.split(os.path.abspath(path))
    removed = 0
    for found in glob.glob(os.path.join(glob.escape(folder), f".{glob.escape(name)}.*.tmp")):
        # ``<pid>-<n>``, or ``<pid>`` alone (the name earlier versions used)
        pid = found[len(os.path.join(folder, f".{name}.")) : -len(".tmp")].partition("-")[0]
        if pid.isdigit() and (running or not _running(int(pid))):
            with contextlib.suppress(OSError):
                os.remove(found)
                removed += 1
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: it exists
        return True
    return True
