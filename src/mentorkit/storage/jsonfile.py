"""``JsonStore``: the whole store in one human-readable JSON file, written atomically."""

from __future__ import annotations

import contextlib
import os
from typing import IO, TYPE_CHECKING

from mentorkit.errors import StorageError
from mentorkit.storage import _codec, _document
from mentorkit.storage.memory import MemoryStore, _Record

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["JsonStore"]


class JsonStore(MemoryStore):
    """A store kept in one JSON file that people can read, diff and check in.

    The file is the same versioned whole-store document that ``mentorkit export`` writes.
    Every committed transaction rewrites it atomically (a temporary file, fsync, rename), so
    a crash leaves the last committed state. Processes sharing the file take turns through
    an advisory lock on ``<file>.lock`` (``fcntl``, on POSIX) and reload the file when
    another process changed it, so version checks hold between them too. Each commit
    rewrites the whole file: fine for hundreds or a few thousand entities; batch writes in a
    transaction, or use
    [`SQLiteStore`][mentorkit.storage.SQLiteStore] for more.

    Args:
        path: The JSON file; created (with its folder's permission) if missing.

    Raises:
        StorageError: the file is not a mentorkit store document, was written by a newer
            mentorkit, or cannot be read or written.

    Examples:
        >>> import tempfile, pathlib
        >>> from mentorkit import Person
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "people.json"
        >>> with JsonStore(path) as store:
        ...     _ = store.put(Person(id="p-1", name="Ana"))
        >>> JsonStore(path).get(Person, "p-1").name
        'Ana'
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__()
        self.path = os.fspath(path)
        self._stamp: tuple[int, int, int] | None = None
        self._lockfile: IO[bytes] | None = None
        with self._errors():
            if os.path.exists(self.path):
                self._load()
            else:
                with self._file_lock():
                    if os.path.exists(self.path):
                        self._load()
                    else:
                        self._write()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.path!r})"

    def _translate(self, exc: Exception) -> Exception | None:
        if isinstance(exc, OSError):
            return StorageError(f"JSON store {self.path!r}: {exc.strerror or exc}")
        return super()._translate(exc)

    # -- the file ------------------------------------------------------------------------------

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _load(self) -> None:
        with open(self.path, "rb") as f:
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
                rows[doc.id] = _Record(doc.type, doc.version, keys, doc.text)
        self._data = data
        self._stamp = (stamp.st_ino, stamp.st_mtime_ns, stamp.st_size)

    def _write(self) -> None:
        text = _document.dump(
            (name, (r.text for _, r in sorted(rows.items())))
            for name, rows in sorted(self._data.items())
        )
        folder, name = os.path.split(os.path.abspath(self.path))
        tmp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.remove(tmp)
            raise
        with contextlib.suppress(OSError):  # make the rename itself durable (POSIX)
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        self._stamp = self._stat()

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        self._lock_file()
        try:
            yield
        finally:
            self._unlock_file()

    def _lock_file(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: one process per file
            return
        f = open(self.path + ".lock", "ab")  # noqa: SIM115 - held across calls
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        except BaseException:
            f.close()
            raise
        self._lockfile = f

    def _unlock_file(self) -> None:
        if self._lockfile is not None:
            self._lockfile.close()  # closing releases the flock
            self._lockfile = None

    # -- MemoryStore hooks (called with the store lock held) ------------------------------------

    def _opened(self, *, write: bool) -> None:
        if write:
            self._lock_file()
        try:
            if self._stat() != self._stamp:
                self._load()
        except BaseException:
            self._unlock_file()
            raise

    def _persist(self) -> None:
        self._write()

    def _ended(self) -> None:
        self._unlock_file()
