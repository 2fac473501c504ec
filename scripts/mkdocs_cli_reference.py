"""mkdocs hook: the command-line reference, generated from the ``mentorkit`` argparse parser.

``docs/reference/cli.md`` holds the marker ``<!-- mentorkit-cli-reference -->``; this hook
replaces it with one section per command (description, usage, options, notes), so the page
documents exactly what ``mentorkit COMMAND --help`` says and cannot drift from it.
"""

from __future__ import annotations

import argparse
import html
from typing import Any

MARKER = "<!-- mentorkit-cli-reference -->"


def _cell(text: str) -> str:
    return html.escape(" ".join(text.split())).replace("|", "\\|")


def _option(action: argparse.Action) -> str:
    if action.option_strings:
        names = ", ".join(action.option_strings)
        if action.nargs != 0 and action.metavar is not None:
            names += f" {action.metavar}"
        elif action.nargs != 0 and action.choices is None and action.dest:
            names += f" {action.dest.upper()}"
        return f"`{names}`"
    return f"`{action.metavar or action.dest}`"


def _details(action: argparse.Action) -> str:
    if isinstance(action, argparse._SubParsersAction):
        return "the command: " + ", ".join(f"`{name}`" for name in action.choices)
    text = (action.help or "").replace("%(default)s", str(action.default))
    if action.choices is not None and not isinstance(action, argparse._SubParsersAction):
        text += " Choices: " + ", ".join(f"`{c}`" for c in action.choices) + "."
    if action.required and action.option_strings:
        text += " Required."
    return _cell(text)


def _command(name: str, parser: argparse.ArgumentParser) -> str:
    out = [f"## `mentorkit {name}`", ""]
    if parser.description:
        out += [" ".join(parser.description.split()), ""]
    out += ["```console", parser.format_usage().strip().replace("usage: ", "$ ", 1), "```", ""]
    rows = [a for a in parser._actions if a.help != argparse.SUPPRESS]
    if rows:
        out += ["| argument | meaning |", "|---|---|"]
        out += [f"| {_option(a)} | {_details(a)} |" for a in rows]
        out.append("")
    if parser.epilog:
        out += ["```text", parser.epilog.strip(), "```", ""]
    return "\n".join(out)


def reference() -> str:
    """The Markdown of every command, in the order ``mentorkit --help`` lists them."""
    from mentorkit.cli import build_parser

    parser = build_parser()
    out = [_command("", parser).replace("## `mentorkit `", "## `mentorkit`", 1)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out.append(_command(name, sub))
    return "\n".join(out)


def on_page_markdown(markdown: str, **_: Any) -> str:
    """Replace the marker with the generated reference."""
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, reference())
