"""The command table and the child's command line (pure: no process starts)."""

from pathlib import Path

import pytest

from veritex import cli
from veritex.config import BuildConfig

CONFIG = BuildConfig(Path("/p"), "notes")


@pytest.mark.parametrize("argv, child", [
    (["build"], ["build", "notes", "-C", "/p"]),
    (["check", "notes", "--fresh", "-q"], ["check", "notes", "-C", "/p", "--fresh", "--quiet"]),
    (["audit", "--json", "out.json", "--draft"],
     ["audit", "notes", "-C", "/p", "--json", "out.json", "--draft"]),
    (["build", "-C", "/elsewhere", "--strict"], ["build", "notes", "-C", "/p", "--strict"]),
])
def test_the_child_gets_the_command_the_document_and_every_option(argv, child):
    assert cli.child_argv(CONFIG, cli.parser().parse_intermixed_args(argv)) == child


def test_every_option_of_the_parser_reaches_the_child():
    # an option added to the parser needs no line elsewhere to reach the build's child
    for action in cli.parser()._actions:
        if not action.option_strings or action.dest in ("help", "project"):
            continue
        flag = action.option_strings[-1]
        argv = ["build", flag] if action.nargs == 0 else ["build", flag, "value"]
        child = cli.child_argv(CONFIG, cli.parser().parse_intermixed_args(argv))
        assert flag in child, flag
        again = cli.parser().parse_intermixed_args(child)
        assert getattr(again, action.dest) == getattr(
            cli.parser().parse_intermixed_args(argv), action.dest)


def test_watch_passes_on_what_its_builds_use():
    args = cli.parser().parse_intermixed_args(["watch", "--fresh", "--draft", "--json", "x"])
    assert cli.options(args, omit=("fresh", "json")) == ["--draft"]


def test_every_command_runs_on_documents_or_on_the_project():
    assert set(cli.COMMANDS) == {"build", "check", "audit", "watch", "new"}
    for name, command in cli.COMMANDS.items():
        assert command.help
        assert (command.document is None) or (command.project is None), name
    help_text = cli.parser().format_help()
    assert all(f"  {name} " in help_text for name in cli.COMMANDS)
