"""`cramp-coach`: talk to the skill from a terminal, and build its model files.

cramp-coach say [--locale en-US] [--json] [--state FILE] "TEXT"
cramp-coach chat [--locale en-US] [--json]
cramp-coach serve [--host 127.0.0.1] [--port 5000] [--verify | --no-verify]
cramp-coach package
cramp-coach models [--check]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from skill.build import models
from skill.builder import build_skill
from skill.config import Settings
from skill.dev.runner import LocalSession, say
from skill.diary import MemoryDiary
from skill.persistence import MemoryPersistenceAdapter


class StateFileError(Exception):
    """The --state file exists but is not one this tool wrote."""


def _read_state(path: Path | None) -> tuple[LocalSession, dict, list]:
    """The session, the user's stored attributes and diary; a missing or empty file starts
    afresh."""
    if path is None or not path.exists() or not path.read_text(encoding="utf-8").strip():
        return LocalSession(), {}, []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise StateFileError(f"{path} is not a cramp-coach state file: {error}") from error
    if not isinstance(data, dict):
        raise StateFileError(f"{path} is not a cramp-coach state file")
    persistent = data.get("persistent")
    diary = data.get("diary")
    return (
        LocalSession.from_dict(data.get("session")),
        persistent if isinstance(persistent, dict) else {},
        diary if isinstance(diary, list) else [],
    )


def _write_state(path: Path, session: LocalSession, persistent: dict, diary: list) -> None:
    """Write atomically: the old file stays whole until the new one replaces it, and a
    failed write leaves no temporary file behind."""
    payload = json.dumps(
        {"session": session.to_dict(), "persistent": persistent, "diary": diary}, indent=2
    )
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
    out.flush()


def command_say(args: argparse.Namespace) -> int:
    path = Path(args.state) if args.state else None
    try:
        session, persistent, entries = _read_state(path)
    except StateFileError as error:
        print(f"cramp-coach: {error}", file=sys.stderr)
        return 2
    store = MemoryPersistenceAdapter({session.user_id: persistent})
    diary = MemoryDiary({session.user_id: entries})
    skill = build_skill(store, Settings.from_env(local=True), diary)
    reply = say(skill, session, args.text, args.locale)
    _print_reply(reply, args.json, sys.stdout)
    if path is not None:
        user = session.user_id
        _write_state(path, session, store.snapshot().get(user, {}), diary.snapshot().get(user, []))
    return 0


def command_chat(args: argparse.Namespace, lines: TextIO = sys.stdin) -> int:
    skill = build_skill(settings=Settings.from_env(local=True))
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
        reply = say(skill, session, text.strip(), args.locale)
        _print_reply(reply, args.json, sys.stdout)
        if reply["end_session"]:
            return 0


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def command_serve(args: argparse.Namespace) -> int:
    """The local server under waitress, a production WSGI server, saying how it is set."""
    import waitress

    from skill.web.server import SERVE_OPTIONS, ConfigError, config_from_env, create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    # waitress warns whenever a request waits for a free thread: under load, that is a
    # line for nearly every request, costing time and disk for nothing anyone acts on.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    verify = args.verify
    if verify is None and os.environ.get("CRAMP_VERIFY") is None:
        verify = args.host not in LOOPBACK
    try:
        config = config_from_env(verify)
    except ConfigError as error:
        print(f"cramp-coach: {error}", file=sys.stderr)
        return 2
    state = "ON" if config.verifier else "OFF (only for trying it on this machine)"
    print(f"Cramp Coach on http://{args.host}:{args.port}/  (Alexa endpoint: POST /alexa)")
    print(f"Request verification: {state}", flush=True)
    waitress.serve(create_app(config), host=args.host, port=args.port, **SERVE_OPTIONS)
    return 0


def command_package(args: argparse.Namespace) -> int:
    """dist/lambda.zip and dist/skill-package/ (needs the dev install: `make package`)."""
    from skill.build.package import build

    written = build()
    for label, path in written.items():
        size = path.stat().st_size if path.is_file() else None
        print(f"{label}: {path}" + (f" ({size / 1024:.0f} KiB)" if size else ""))
    return 0


def command_models(args: argparse.Namespace) -> int:
    if args.check:
        stale = models.stale()
        for path in stale:
            print(f"out of date: {path} (run: make models)", file=sys.stderr)
        return 1 if stale else 0
    for path in models.write_all():
        print(f"wrote {path}")
    return 0


def command_audio(args: argparse.Namespace) -> int:
    """Render audio/*.mp3, or list them for upload; needs the checkout's audio/render.py."""
    renderer = models.PROJECT_ROOT / "audio" / "render.py"
    if not renderer.exists():
        print(
            f"cramp-coach: {renderer} not found; run this from a source checkout", file=sys.stderr
        )
        return 2
    spec = importlib.util.spec_from_file_location("cramp_coach_audio_render", renderer)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module.main(["--list"] if args.list else [])


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

    commands.add_parser("package", help="build dist/lambda.zip and dist/skill-package/")
    models_parser = commands.add_parser(
        "models", help="generate interaction_models/*.json (every locale's model, skill.json)"
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
        "package": command_package,
        "models": command_models,
        "audio": command_audio,
    }
    return handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
