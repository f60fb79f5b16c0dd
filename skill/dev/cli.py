"""`cramp-coach`: talk to the skill from a terminal; in a checkout, also build it.

cramp-coach say [--locale en-US] [--json] [--state FILE] "TEXT"
cramp-coach chat [--locale en-US] [--json]
cramp-coach serve [--host 127.0.0.1] [--port 5000] [--verify | --no-verify]
cramp-coach test [--url URL] [--update] [--readme README.md] FILE...
cramp-coach package [--endpoint ARN_OR_URL]
cramp-coach models [--check]
cramp-coach audio [--list]
"""

from __future__ import annotations

import argparse
import difflib
import json
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from skill.build import NotACheckout, source_checkout
from skill.builder import build_skill
from skill.config import Settings
from skill.dev.runner import LocalSession, say
from skill.diary import MemoryDiary
from skill.persistence import MemoryPersistenceAdapter
from skill.reminders import LocalReminders


class StateFileError(Exception):
    """The --state file exists but is not one this tool wrote."""


def _read_state(path: Path | None) -> tuple[LocalSession, dict, list, dict]:
    """The session, the user's stored attributes, diary and reminders; a missing or empty
    file starts afresh."""
    if path is None or not path.exists() or not path.read_text(encoding="utf-8").strip():
        return LocalSession(), {}, [], {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise StateFileError(f"{path} is not a cramp-coach state file: {error}") from error
    if not isinstance(data, dict):
        raise StateFileError(f"{path} is not a cramp-coach state file")
    persistent = data.get("persistent")
    diary = data.get("diary")
    reminders = data.get("reminders")
    return (
        LocalSession.from_dict(data.get("session")),
        persistent if isinstance(persistent, dict) else {},
        diary if isinstance(diary, list) else [],
        {
            key: value
            for key, value in (reminders if isinstance(reminders, dict) else {}).items()
            if isinstance(value, dict)
        },
    )


def _write_state(
    path: Path, session: LocalSession, persistent: dict, diary: list, reminders: dict
) -> None:
    """Write atomically: the old file stays whole until the new one replaces it, and a
    failed write leaves no temporary file behind."""
    state = {"session": session.to_dict(), "persistent": persistent, "diary": diary}
    payload = json.dumps({**state, "reminders": reminders}, indent=2)
    handle, temporary = tempfile.mkstemp(dir=path.parent or Path("."), prefix=".state-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(payload + "\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _print_reply(reply: dict, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(reply, ensure_ascii=False) + "\n")
    else:
        out.write(reply["speech"] + "\n")
        if reply.get("reminder"):
            out.write(reminder_line(reply["reminder"]) + "\n")
    out.flush()


def reminder_line(reminder: dict) -> str:
    """What Alexa was asked to do with the reminder, as the CLI shows it."""
    if reminder.get("status") == "stopped":
        return "[Alexa reminder stopped]"
    return (
        f"[Alexa reminder set: every night at {reminder.get('at')} ({reminder.get('zone')}),"
        f" saying: {reminder.get('text')}]"
    )


def command_say(args: argparse.Namespace) -> int:
    path = Path(args.state) if args.state else None
    try:
        session, persistent, entries, saved_reminders = _read_state(path)
    except StateFileError as error:
        print(f"cramp-coach: {error}", file=sys.stderr)
        return 2
    store = MemoryPersistenceAdapter({session.user_id: persistent})
    diary = MemoryDiary({session.user_id: entries})
    reminders = LocalReminders(saved_reminders)
    skill = build_skill(store, Settings.from_env(local=True), diary, reminders)
    reply = say(skill, session, args.text, args.locale, reminders=reminders)
    _print_reply(reply, args.json, sys.stdout)
    if path is not None:
        user = session.user_id
        persistent, kept = store.snapshot().get(user, {}), diary.snapshot().get(user, [])
        _write_state(path, session, persistent, kept, reminders.snapshot())
    return 0


def command_chat(args: argparse.Namespace, lines: TextIO = sys.stdin) -> int:
    reminders = LocalReminders()
    skill = build_skill(settings=Settings.from_env(local=True), reminders=reminders)
    session = LocalSession()
    interactive = lines.isatty()
    if interactive:
        print("Say what you'd say to Alexa. An empty line opens the skill; Ctrl-D quits.")
    while True:
        if interactive:
            print("> ", end="", flush=True)
        text = lines.readline()
        if not text:
            return 0
        reply = say(skill, session, text.strip(), args.locale, reminders=reminders)
        _print_reply(reply, args.json, sys.stdout)
        if reply["end_session"]:
            return 0


def command_serve(args: argparse.Namespace) -> int:
    """The local server under waitress, a production WSGI server, saying how it is set."""
    from skill.web.server import ConfigError, config_from_env, create_app
    from skill.web.serving import serve

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    # waitress warns whenever a request waits for a free thread: under load, that is a
    # line for nearly every request, costing time and disk for nothing anyone acts on.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    try:
        config = config_from_env(args.verify, host=args.host)
    except ConfigError as error:
        print(f"cramp-coach: {error}", file=sys.stderr)
        return 2
    state = "ON" if config.verifier else "OFF (only for trying it on this machine)"
    print(f"Cramp Coach on http://{args.host}:{args.port}/  (Alexa endpoint: POST /alexa)")
    print(f"Request verification: {state}", flush=True)
    serve(create_app(config), args.host, args.port)
    return 0


def command_test(args: argparse.Namespace) -> int:
    """Replay conversation tests; 1 if any turn fails, 2 if a file cannot be read."""
    from skill.dev import conversations

    failed = 0
    for name in args.files:
        path = Path(name)
        try:
            script = conversations.load(path)
            if args.url:
                send, forget = conversations.over_http(args.url)
                try:
                    replies = conversations.replay(script, send)
                finally:
                    forget()
            else:
                replies = conversations.replay(script, conversations.in_process(script))
        except (conversations.ConversationError, conversations.ServerError) as error:
            print(f"cramp-coach: {error}", file=sys.stderr)
            return 2
        if args.update:
            data = conversations.updated(script, replies)
            if data != script.data:
                path.write_text(conversations.dump(data), encoding="utf-8")
                print(f"updated {path}")
            script = conversations.Script(path, data)
        failures = conversations.check(script, replies)
        if failures:
            failed += 1
            print(f"FAIL {path}")
            for failure in failures:
                print(failure.describe())
        else:
            print(f"ok   {path} ({len(script.turns)} turns)")
    if args.readme:
        failed += _check_readme(Path(args.readme), args.update)
    if failed:
        print(f"{failed} failed", file=sys.stderr)
    return 1 if failed else 0


def _check_readme(readme: Path, update: bool) -> int:
    """The README's transcripts against their conversation tests (rewritten with update)."""
    from skill.dev import conversations

    text = readme.read_text(encoding="utf-8")
    try:
        rendered = conversations.render_readme(text, readme.parent)
    except conversations.ConversationError as error:
        print(f"cramp-coach: {error}", file=sys.stderr)
        return 1
    if rendered == text:
        print(f"ok   {readme} (every transcript matches its conversation test)")
        return 0
    if update:
        readme.write_text(rendered, encoding="utf-8")
        print(f"updated {readme}")
        return 0
    diff = difflib.unified_diff(text.splitlines(), rendered.splitlines(), lineterm="", n=0)
    print(f"FAIL {readme}: a transcript differs from its conversation test")
    print("\n".join(list(diff)[2:]))
    return 1


def command_package(args: argparse.Namespace) -> int:
    """dist/lambda.zip and dist/skill-package/ (in a checkout, with the dev install:
    `make package`)."""
    source_checkout("cramp-coach package")
    from skill.build.package import PackageError, build

    try:
        written = build(endpoint=args.endpoint)
    except PackageError as error:
        print(f"cramp-coach package: {error}", file=sys.stderr)
        return 1
    for label, path in written.items():
        size = path.stat().st_size if path.is_file() else None
        print(f"{label}: {path}" + (f" ({size / 1024:.0f} KiB)" if size else ""))
    return 0


def command_models(args: argparse.Namespace) -> int:
    from skill.build import models

    if args.check:
        stale = models.stale()
        for path in stale:
            print(f"out of date: {path} (run: make models)", file=sys.stderr)
        return 1 if stale else 0
    for path in models.write_all():
        print(f"wrote {path}")
    return 0


def command_audio(args: argparse.Namespace) -> int:
    """Render audio/*.mp3 in a checkout, or list them for upload (needs the audio
    extra: pydub and its ffmpeg)."""
    if not args.list:
        source_checkout("cramp-coach audio")  # it writes the MP3s into the checkout
    try:
        from skill.build import sounds
    except ImportError as error:
        print(f"cramp-coach: rendering needs the audio extra ({error})", file=sys.stderr)
        return 2
    return sounds.main(["--list"] if args.list else [])


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="cramp-coach", description=__doc__.split("\n")[0])
    commands = root.add_subparsers(dest="command", required=True)

    say_parser = commands.add_parser("say", help="say one thing to the skill")
    say_parser.add_argument("text", nargs="?", default="", help="what you would say")
    say_parser.add_argument("--state", help="file that carries the conversation between calls")
    chat_parser = commands.add_parser("chat", help="a conversation, one line at a time")
    for sub in (say_parser, chat_parser):
        sub.add_argument("--locale", default="en-US")
        sub.add_argument("--json", action="store_true", help="one JSON object per reply")

    serve_parser = commands.add_parser("serve", help="the local server and test console")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=5000)
    serve_parser.add_argument(
        "--verify",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="check that requests come from Alexa (default: on unless on loopback)",
    )

    test_parser = commands.add_parser("test", help="replay conversation tests (YAML files)")
    test_parser.add_argument("files", nargs="+", metavar="FILE", help="conversation tests")
    test_parser.add_argument("--url", help="replay against this running server instead")
    test_parser.add_argument(
        "--update", action="store_true", help="rewrite expectations after a reviewed change"
    )
    test_parser.add_argument(
        "--readme", help="also check (or with --update, rewrite) this README's transcripts"
    )

    package_parser = commands.add_parser(
        "package", help="build dist/lambda.zip and dist/skill-package/"
    )
    package_parser.add_argument(
        "--endpoint",
        help="the skill's endpoint (a Lambda ARN or an HTTPS URL) for skill.json, when the "
        "package is imported without `ask deploy`",
    )
    models_parser = commands.add_parser(
        "models", help="generate every locale's model, skill.json and merged content"
    )
    models_parser.add_argument("--check", action="store_true", help="fail if out of date")
    audio_parser = commands.add_parser("audio", help="render audio/*.mp3 with pydub")
    audio_parser.add_argument("--list", action="store_true", help="list the files to upload")
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    handlers = {
        "say": command_say,
        "chat": command_chat,
        "serve": command_serve,
        "test": command_test,
        "package": command_package,
        "models": command_models,
        "audio": command_audio,
    }
    try:
        return handlers[args.command](args)
    except NotACheckout as error:
        print(f"cramp-coach: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
