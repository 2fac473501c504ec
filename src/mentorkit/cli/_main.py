"""The ``mentorkit`` command: argparse with one module per command."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from mentorkit.errors import MentorkitError, ValidationError

# Each module defines add_parser(subparsers) that sets ``func`` (args -> exit code). Building
# the parser imports every one of them, so they import only what their parser needs at
# module level (argparse, the shared --store option) and the rest inside ``func``:
# `mentorkit --help` stays fast (tests/test_cli_startup.py holds every listed module to it).
_COMMANDS = (
    "mentorkit.cli._demo",
    "mentorkit.cli._store",
    "mentorkit.cli._match",
    "mentorkit.cli._graph",
    "mentorkit.cli._report",
    "mentorkit.cli._adherence",
    "mentorkit.cli._calendar",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``mentorkit`` command."""
    parser = _Parser(
        prog="mentorkit",
        description="Run mentoring and leadership-coaching programs: build a demo district, "
        "move data between stores, match mentees to mentors, explore the mentorship graph.",
    )
    parser.add_argument(
        "--version", action=_Version, nargs=0, help="print the installed mentorkit version and exit"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in _COMMANDS:
        importlib.import_module(name).add_parser(sub)
    return parser


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage mistake told in one line that names the command's ``--help``.

    argparse's own message is two lines (the whole usage, then the error); the usage of a
    command with many options hides the one line that says what is wrong. Subcommand
    parsers are made of the same class, so every command reports the same way (exit 2).
    """

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see: {self.prog} --help)\n")


class _Version(argparse.Action):
    """``--version``: reads the package metadata only when asked (not for every command)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("mentorkit")
        except PackageNotFoundError:  # a source tree that was never installed
            found = "unknown"
        print(f"mentorkit {found}")
        parser.exit()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``mentorkit`` command and return its exit code.

    Errors mentorkit raises on purpose, and a missing optional extra, are printed as one
    line on stderr (exit code 1); anything else is a bug and keeps its traceback.
    """
    parser = build_parser()
    given = list(sys.argv[1:] if argv is None else argv)
    if given and given[0].split("=", 1)[0] == "--store":
        # git-style global options are a habit: say where this one goes.
        parser.error("--store goes after the command: mentorkit COMMAND --store URL ...")
    args, extra = parser.parse_known_args(given)
    if extra:
        # Told by the command's own parser, which names the command and its --help (the
        # top-level parser would name neither).
        _command_parser(parser, args).error(f"unrecognized arguments: {' '.join(extra)}")
    # `mentorkit report outcomes: error: ...`: the subcommand too, as argparse says it.
    name = f"{args.command} {args.kind}" if args.command == "report" else args.command
    try:
        _refuse_output_over_store(args)
        code: int = args.func(args)
    except MentorkitError as exc:
        print(f"mentorkit {name}: error: {_one_line(_as_option(exc, args))}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as exc:
        # An optional extra that is not installed (mentorkit._optional.require): one line.
        if 'pip install "mentorkit[' not in str(exc):
            raise
        print(f"mentorkit {name}: error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # Ctrl-C: one line, and the shell's exit code for an interrupt (128 + SIGINT). Every
        # store write is a transaction and every file is written whole or not at all, so
        # what was there before is still there.
        print(f"mentorkit {name}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` or similar: stop quietly, like other Unix tools.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return code


#: The options that name a file a command writes, with how the help spells them.
_OUTPUTS = (("csv", "--csv"), ("output", "-o/--output"), ("out", "--out"))
#: Files beside a store file that are part of it (SQLite's journals, the JSON store's lock).
_SIDECARS = ("", "-wal", "-shm", "-journal", ".lock")


def _refuse_output_over_store(args: argparse.Namespace) -> None:
    """Refuse an output file that is the store the command reads (or one of its files).

    ``mentorkit report outcomes --csv mentorkit.db`` would otherwise replace the database
    with a CSV file, after reading it, and exit 0.
    """
    store = getattr(args, "store", _UNSET)
    if store is _UNSET or getattr(args, "scores", None) is not None:
        return
    from mentorkit.cli._calendar import calendar_file
    from mentorkit.cli._store import default_store
    from mentorkit.storage._url import file_path

    url: str = store if isinstance(store, str) and store else default_store()
    scheme = url.split("://", 1)[0].lower()  # SQLITE:// opens as sqlite:// does
    if scheme not in {"sqlite", "json"} or url.lower() in {"sqlite://", "sqlite:///:memory:"}:
        return
    try:
        path = os.path.realpath(file_path(url))
    except MentorkitError:
        return  # the store's own opening tells what is wrong with the URL
    store_files = {path + suffix for suffix in _SIDECARS}
    for dest, option in _OUTPUTS:
        target = getattr(args, dest, None)
        if target is None and dest == "output" and args.command == "calendar":
            target = calendar_file(args.cohort)  # the calendar's default file
        if target is None or str(target) == "-":
            continue
        try:
            where = os.path.realpath(os.fspath(target))
        except (ValueError, OSError):  # a NUL in the path: the write itself says so
            continue
        if where in store_files:
            raise ValidationError(
                f"is the store this command reads ({url}); write to another file",
                field=option,
                value=str(target),
            )


def _command_parser(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> argparse.ArgumentParser:
    """The parser of the command (and subcommand, as ``report outcomes``) that ``args`` ran."""
    for dest in ("command", "kind"):
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        chosen = getattr(args, dest, None)
        if not subs or chosen not in subs[0].choices:
            break
        parser = subs[0].choices[chosen]
    return parser


#: Control characters shown escaped: a value holding a newline (an id may) stays on its line.
_ESCAPES = {i: f"\\x{i:02x}" for i in (*range(32), 127)} | {9: "\\t", 10: "\\n", 13: "\\r"}


def _one_line(exc: BaseException) -> str:
    """An error as one line: the several problems of a document joined with ``;``."""
    text = str(exc)
    parts = [text]
    if isinstance(exc, ValidationError) and exc.errors:
        listed = "\n" + "\n".join(f"  - {e}" for e in exc.errors)
        if text.endswith(listed) and len(text) > len(listed):
            parts = [text[: -len(listed)], "; ".join(e.translate(_ESCAPES) for e in exc.errors)]
            return f"{parts[0].translate(_ESCAPES)}: {parts[1]}"
    return text.translate(_ESCAPES)


def _as_option(exc: MentorkitError, args: argparse.Namespace) -> MentorkitError:
    """An error about a value the user typed, naming the option (``--min-cell``) they typed.

    The functions a command calls name their own parameter (``min_cell``); when that is the
    option's destination and holds the very value refused, the message names the option.
    """
    if (
        isinstance(exc, ValidationError)
        and exc.has_value
        and len(exc.errors) <= 1
        and exc.field
        and exc.field.isidentifier()
        and getattr(args, exc.field, _UNSET) == exc.value
    ):
        option = "--" + exc.field.replace("_", "-")
        return ValidationError(exc.message, field=option, value=exc.value, errors=())
    return exc


_UNSET = object()
