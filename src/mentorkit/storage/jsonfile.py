"""``JsonStore``: the whole store in one human-readable JSON file, written atomically."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import time
from typing import IO

from mentorkit import _files
from mentorkit.errors import StorageError, ValidationError
from mentorkit.storage import _codec, _document
from mentorkit.storage._base import check_timeout
from mentorkit.storage.memory import MemoryStore, _Record

__all__ = ["JsonStore"]


class JsonStore(MemoryStore):
    """A store kept in one JSON file that people can read, diff and check in.

    The file is the same versioned whole-store document that ``mentorkit export`` writes,
    with a change counter (``"$generation"``) on its first line. Every committed
    transaction rewrites it atomically (a temporary file, fsync, rename), so a crash leaves
    the last committed state; a temporary file a killed writer left behind is removed when
    the store is next opened. A new file is readable by its owner only (``0600``); an
    existing one keeps its mode. Processes sharing the file take turns through an advisory
    lock on ``<file>.lock`` (``fcntl``, on POSIX), waiting at most ``timeout`` seconds, and
    reload the file when its change counter moved, so version checks hold between them
    too, even on filesystems whose timestamps have one-second resolution. Each commit
    rewrites the whole file: fine for hundreds or a few thousand entities; batch writes in a
    transaction, or use
    [`SQLiteStore`][mentorkit.storage.SQLiteStore] for more.

    Args:
        path: The JSON file; created (owner-only) if missing.
        timeout: Seconds to wait for another writer's lock (another process's, or another
            handle's or thread's in this one) before raising
            [`StorageError`][mentorkit.errors.StorageError].

    Raises:
        StorageError: the file is not a mentorkit store document (or not a regular file),
            was written by a newer mentorkit, or cannot be read or written.
        ValidationError: ``timeout`` is not a number of seconds > 0.

    Examples:
        >>> import tempfile, pathlib
        >>> from mentorkit import Person
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "people.json"
        >>> with JsonStore(path) as store:
        ...     _ = store.put(Person(id="p-1", name="Ana"))
        >>> JsonStore(path).get(Person, "p-1").name
        'Ana'
    """

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 30.0) -> None:
        super().__init__()
        self._lock_timeout = check_timeout(timeout)
        try:
            self.path = os.fspath(path)
        except TypeError:
            raise ValidationError("must be a path", field="path", value=path) from None
        if not isinstance(self.path, str):
            raise ValidationError("must be a path", field="path", value=path)
        self._stamp: tuple[int, int, int] | None = None
        self._generation: int | None = None
        self._lockfile: IO[bytes] | None = None
        lock = self.path + ".lock"
        fresh_lock = isinstance(self.path, str) and not os.path.lexists(lock)
        try:
            with self._errors():
                _files.refuse_special(self.path)
                if self._lock_file(wait=not os.path.exists(self.path)):
                    try:
                        # Nobody writes meanwhile: what temporary files remain are a killed
                        # writer's, holding full copies of the data.
                        _files.remove_orphans(self.path)
                        if os.path.exists(self.path):
                            self._load()
                        else:
                            self._write()
                    finally:
                        self._unlock_file()
                else:  # another process is writing: read what it committed, clean up later
                    self._load()
        except BaseException:
            # A file that is not a store (or cannot be read) is refused without leaving a
            # lock file of ours beside it: a mistake makes nothing.
            if fresh_lock:
                with contextlib.suppress(OSError, ValueError):
                    os.unlink(lock)
            raise

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.path!r})"

    def _translate(self, exc: Exception) -> Exception | None:
        if isinstance(exc, OSError | ValueError) and not isinstance(exc, UnicodeDecodeError):
            # ValueError: a path the OS cannot take (a NUL byte, a lone surrogate)
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            return StorageError(f"JSON store {self.path!r}: {why}")
        return super()._translate(exc)

    # -- the file ------------------------------------------------------------------------------

    def _changed(self) -> bool:
        """Whether the file differs from what this handle last read or wrote.

        Size, inode and modification time repeat on filesystems with coarse timestamps (a
        rewrite of the same size within one second can even reuse the inode), so the change
        counter on the file's first line decides; a file without one is always re-read.
        """
        if self._generation is None:
            return True
        fd = self._open_regular()
        try:
            st = os.fstat(fd)
            head = os.read(fd, _document.HEAD_SIZE)
        finally:
            os.close(fd)
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        return stamp != self._stamp or _document.generation(head) != self._generation

    def _open_regular(self) -> int:
        # O_NONBLOCK: opening a FIFO must fail here, not wait for a writer forever.
        fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(errno.EINVAL, "not a regular file (a FIFO, socket or device)")
        except BaseException:
            os.close(fd)
            raise
        return fd

    def _load(self) -> None:
        with open(self._open_regular(), "rb") as f:
            stamp = os.fstat(f.fileno())
            text = f.read()
        found = _document.load(text, repr(self.path))
        data: dict[str, dict[str, _Record]] = {}
        for collection, docs in found.items():
            rows = data[collection] = {}
            for doc in docs:
                try:
                    keys: tuple[str | None, ...] | None = _codec.rekey(
                        collection, doc.type, doc.text
                    )
                except StorageError:
                    keys = None  # unknown or unreadable: reported when read
                names = _codec.INDEXES.get(collection, ())
                rows[doc.id] = _Record(doc.type, doc.version, keys, doc.text, names)
        self._data = data
        self._stamp = (stamp.st_ino, stamp.st_mtime_ns, stamp.st_size)
        self._generation = _document.generation(text[: _document.HEAD_SIZE])

    def _write(self) -> None:
        # A file without a counter (a new store, an export or backup put in its place) starts
        # at a random one: a restarted count could repeat the one another handle last saw.
        start = self._generation or secrets.randbelow(_document.GENERATION_START)
        generation = start + 1
        text = _document.dump(
            (
                (name, (r.text for _, r in sorted(rows.items())))
                for name, rows in sorted(self._data.items())
            ),
            generation=generation,
        )
        _files.write_private(self.path, text)
        self._generation = generation
        st = os.stat(self.path)
        self._stamp = (st.st_ino, st.st_mtime_ns, st.st_size)

    def _lock_file(self, *, wait: bool = True) -> bool:
        """Take the advisory lock on ``<file>.lock``, waiting up to the store's timeout.

        Returns:
            Whether it was taken (always, with ``wait``; else only if nobody held it).

        Raises:
            StorageError: another handle held it for longer than the timeout.
        """
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: one process per file
            return True
        lock = self.path + ".lock"
        _files.create_private(lock)
        f = open(lock, "ab")  # noqa: SIM115 - held across calls
        try:
            deadline = time.monotonic() + self._lock_timeout
            pause = 0.001
            while True:
                try:
                    fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not wait:
                        f.close()
                        return False
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise StorageError(
                            f"{self!r} is locked by another writer for longer than the "
                            f"timeout ({self._lock_timeout:g} s)"
                        ) from None
                    time.sleep(min(pause, left))
                    pause = min(pause * 2, 0.05)
        except BaseException:
            f.close()
            raise
        self._lockfile = f
        return True

    def _unlock_file(self) -> None:
        if self._lockfile is not None:
            self._lockfile.close()  # closing releases the flock
            self._lockfile = None

    # -- MemoryStore hooks (called with the store lock held) ------------------------------------

    def _opened(self, *, write: bool) -> None:
        if write:
            self._lock_file()
        try:
            if self._changed():
                self._load()
        except BaseException:
            self._unlock_file()
            raise

    def _persist(self) -> None:
        self._write()

    def _ended(self) -> None:
        self._unlock_file()
