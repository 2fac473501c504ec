"""``mentorkit export`` and ``mentorkit import``: a whole store to and from one JSON document.

Also the ``--store`` option every command that reads or writes data shares (default: the
SQLite file ``mentorkit.db`` in the current folder, or ``$MENTORKIT_STORE``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
from typing import TYPE_CHECKING, Any

from mentorkit.errors import StorageError, ValidationError

if TYPE_CHECKING:
    from mentorkit.storage import Store

#: Where commands keep their data unless told otherwise.
DEFAULT_STORE = "sqlite:///mentorkit.db"
#: The environment variable that overrides `DEFAULT_STORE`.
STORE_VARIABLE = "MENTORKIT_STORE"

_URLS = (
    "sqlite:///mentorkit.db (a file in the current folder), sqlite:////abs/path.db, "
    "json:///file.json, postgresql://user:password@host/db, memory://"
)


def default_store() -> str:
    """The store URL commands use without ``--store``: ``$MENTORKIT_STORE`` or mentorkit.db."""
    return os.environ.get(STORE_VARIABLE) or DEFAULT_STORE


def add_store_option(parser: argparse.ArgumentParser, *, help: str) -> None:
    """Add the shared ``--store URL`` option to a command's parser."""
    parser.add_argument(
        "--store",
        metavar="URL",
        default=None,
        help=f"{help} Default: ${STORE_VARIABLE} if set, else {DEFAULT_STORE}. URLs: {_URLS}.",
    )


def open_cli_store(args: argparse.Namespace, *, must_exist: bool = False) -> Store:
    """Open the store named by ``--store`` (or the default).

    Args:
        args: The parsed command line.
        must_exist: For read-only commands: refuse (rather than create) a SQLite or JSON
            store whose file does not exist.

    Raises:
        StorageError: ``must_exist`` and there is no store file at the URL's path.
    """
    return open_url(args.store or default_store(), must_exist=must_exist)


def open_url(url: str, *, must_exist: bool = False) -> Store:
    """Open the store a URL names; with ``must_exist``, never create a store file.

    Raises:
        StorageError: ``must_exist`` and there is no store file at the URL's path.
    """
    from mentorkit.serialization import load_entity_plugins
    from mentorkit.storage import open_store

    # A team's own entity subclasses (installed plugins) must be known before a store that
    # holds them is read or written.
    load_entity_plugins()
    if must_exist:
        _check_exists(url)
    return open_store(url)


def _check_exists(url: str) -> None:
    from mentorkit.storage._url import file_path

    scheme = url.split("://", 1)[0].lower() if isinstance(url, str) else ""
    if scheme not in {"sqlite", "json"} or url in {"sqlite://", "sqlite:///:memory:"}:
        return
    path = file_path(url)
    if not os.path.exists(path):
        raise StorageError(f"no store at {os.path.abspath(path)} ({url})")


def describe(url: str) -> str:
    """A store URL as a person reads it: the file path for file stores."""
    from mentorkit.storage._url import file_path

    scheme = url.split("://", 1)[0]
    if scheme in {"sqlite", "json"} and url not in {"sqlite://", "sqlite:///:memory:"}:
        return f"{os.path.abspath(file_path(url))} ({url})"
    if scheme.startswith("postgres"):
        from mentorkit.storage._url import redact

        return redact(url)
    return url


def add_parser(sub: Any) -> None:
    """Register the ``export`` and ``import`` commands."""
    export = sub.add_parser(
        "export",
        help="write a whole store to one versioned JSON document",
        description="Write every entity of a store (people, cohorts, enrollments, "
        "mentorships, sessions, ... and your own entity types) to one JSON document: a "
        "mentorkit.store document with a schema version, collections sorted by name and "
        "entities by id, one per line. `mentorkit import` loads it into any other store, "
        "so this is how data moves between SQLite, JSON files and PostgreSQL. People's "
        "e-mail addresses and demographics are personal data and are left out unless you pass "
        "--with-personal-data (which you need for a lossless move).",
        epilog="Examples: mentorkit export -o district.json; "
        "mentorkit export --store postgresql://app@db/mentoring --with-personal-data "
        "-o backup.json",
    )
    add_store_option(export, help="The store to export.")
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        default="-",
        help="where to write the document (default: standard output); the file is "
        "replaced only once the whole document is written",
    )
    export.add_argument(
        "--with-personal-data",
        action="store_true",
        help="keep people's e-mail addresses and demographic fields (left out by default)",
    )
    export.set_defaults(func=run_export)

    import_ = sub.add_parser(
        "import",
        help="load a JSON document written by `mentorkit export` into a store",
        description="Load a document written by `mentorkit export` into a store, all or "
        "nothing: every entity is validated first, and if any id already exists in the "
        "store nothing is imported. Entities keep their versions, so programs that read "
        "them before the move can keep writing after it.",
        epilog="Examples: mentorkit import district.json; "
        "mentorkit import backup.json --store postgresql://app@db/mentoring",
    )
    import_.add_argument("file", metavar="FILE", help="the exported document ('-' for stdin)")
    add_store_option(import_, help="The store to load into (created if it is a new file).")
    import_.set_defaults(func=run_import)


def run_export(args: argparse.Namespace) -> int:
    """Export the store to a file or standard output."""
    from mentorkit.storage import export_store

    with open_cli_store(args, must_exist=True) as store:
        text = export_store(store, personal_data=args.with_personal_data)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        _write_atomically(args.output, text)
    count = text.count("\n  {")
    where = "standard output" if args.output == "-" else args.output
    note = "" if args.with_personal_data else " (e-mail addresses and demographics left out)"
    print(f"Exported {count:,} entities to {where}{note}.", file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Import a document into the store."""
    from mentorkit._gc import paused
    from mentorkit.serialization import load_entity_plugins
    from mentorkit.storage._transfer import check_document, load_entities

    load_entity_plugins()  # the document may hold a team's own entity subclasses

    try:
        if args.file == "-":
            text = sys.stdin.read()
        else:
            with open(args.file, encoding="utf-8") as f:
                text = f.read()
    except (OSError, ValueError) as exc:  # ValueError: not UTF-8, or a NUL in the name
        raise StorageError(f"cannot read {args.file}: {exc}") from None
    url = args.store or default_store()
    # Validate the whole document before opening (perhaps creating) the store, and remove
    # what the import created if it fails anyway: a failed import leaves nothing behind.
    # The garbage collector stays paused from the check to the write, and the entities are
    # dropped before it resumes: between the two steps it would walk every entity made
    # (benchmarks/bench_import.py).
    with paused():
        entities = check_document(text)
        del text  # the document's text is not needed any more: free it before the writes
        created = _new_files(url)
        try:
            with open_cli_store(args) as store:
                count = load_entities(store, entities)
        except BaseException:
            for path in created:
                with contextlib.suppress(OSError):
                    os.remove(path)
            raise
        finally:
            del entities
    print(f"Imported {count:,} entities into {describe(url)}.")
    return 0


def parse_day(text: str, field: str) -> dt.date:
    """A ``YYYY-MM-DD`` option's date; a bad one says what is wrong (``month must be in 1..12``)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        why = "" if "isoformat" in str(exc) else f" ({exc})"
        raise ValidationError(f"must be a valid date YYYY-MM-DD{why}", field=field,
                              value=text) from None  # fmt: skip


def _new_files(url: str) -> list[str]:
    """The files opening a file store at ``url`` would create (none if it exists)."""
    from mentorkit.storage._url import file_path

    scheme = url.split("://", 1)[0].lower()
    if scheme not in {"sqlite", "json"} or url in {"sqlite://", "sqlite:///:memory:"}:
        return []
    path = file_path(url)
    if os.path.exists(path):
        return []
    extra = ("-wal", "-shm", "-journal") if scheme == "sqlite" else (".lock",)
    return [path] + [path + e for e in extra if not os.path.exists(path + e)]


def _write_atomically(path: str, text: str | bytes) -> None:
    from mentorkit._files import write_file

    write_file(path, text)  # also removes what a killed export left behind
