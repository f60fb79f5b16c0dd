"""The Lambda package answers Alexa with nothing but its own contents and the standard
library, and the skill package is what the ASK CLI and SMAPI expect."""

from __future__ import annotations

import json
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from harness.replies import DATA
from skill.build.models import LOCALES, model_path
from skill.build.package import RUNTIME, build, magic_number, runtime_python
from skill.dev.envelopes import envelope_for, request_for
from skill.dev.nlu import for_locale
from tests.test_envelopes import REQUESTS, check_reply

# Run in a fresh interpreter: -I (no environment, no user site) and -S (no site-packages),
# so only the unpacked zip and the standard library can be imported.
HANDLER_SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[1])
import lambda_function
for path in sys.argv[2:]:
    reply = lambda_function.handler(json.load(open(path, encoding="utf-8")), None)
    print(json.dumps(reply))
print(json.dumps(sorted(sys.modules)))
"""
NOT_IN_LAMBDA = ("flask", "werkzeug", "hassil", "pydub", "pytest", "waitress", "boto3", "moto")


@pytest.fixture(scope="module")
def python() -> Path:
    """The Lambda runtime's Python, which compiles the package and runs the zip's tests."""
    found = runtime_python()
    if found is None:
        pytest.skip(
            f"no {RUNTIME} interpreter here (pyenv install {RUNTIME.removeprefix('python')}, "
            "or set CRAMP_LAMBDA_PYTHON): the package is compiled and tested with it"
        )
    return found


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory, python: Path) -> Path:
    folder = tmp_path_factory.mktemp("package") / "dist"
    build(folder, python)
    return folder


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def warning_sign_in(locale: str, folder: Path) -> Path:
    """An envelope of someone in `locale` saying they can't breathe, as a file."""
    reading = for_locale(locale).understand("I can't breathe")
    # In the afternoon: at night the same words come in the softer night voice.
    afternoon = datetime(2026, 6, 1, 15, 0, tzinfo=UTC)
    request = request_for(reading, locale, afternoon)
    envelope = envelope_for(request, "amzn1.ask.account.zip", None, {})
    path = folder / f"red-flag-{locale}.json"
    path.write_text(json.dumps(envelope), encoding="utf-8")
    return path


def test_the_zip_answers_real_envelopes_on_its_own(
    dist: Path, python: Path, tmp_path: Path
) -> None:
    """Under the runtime's Python, as Lambda runs it: every reply right, nothing printed
    to stderr (no warnings at a cold start), and no module compiled again."""
    unpacked = tmp_path / "lambda"
    with zipfile.ZipFile(dist / "lambda.zip") as archive:
        archive.extractall(unpacked)
    shipped = files_of(unpacked)
    australian = warning_sign_in("en-AU", tmp_path)
    envelopes = [*map(str, REQUESTS), str(australian)]
    result = subprocess.run(
        [str(python), "-I", "-S", "-c", HANDLER_SCRIPT, str(unpacked), *envelopes],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        # No time-zone lookup: a test reaches no network (the envelopes name Alexa's API).
        env={"PATH": "/usr/bin:/bin", "CRAMP_LOOKUP_TIME_ZONES": "0"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr == ""
    assert files_of(unpacked) == shipped, "a module was compiled at run time"
    *replies, australia, modules = result.stdout.strip().splitlines()
    assert len(replies) == len(REQUESTS)
    ssml = json.loads(australia)["response"]["outputSpeech"]["ssml"]
    assert ssml.startswith("<speak>Call triple zero now.")
    for path, reply in zip(REQUESTS, replies, strict=True):
        envelope = json.loads(path.read_text(encoding="utf-8"))
        check_reply(envelope["request"]["type"], json.loads(reply))
    loaded = {name.split(".")[0] for name in json.loads(modules)}
    assert not loaded & set(NOT_IN_LAMBDA)


def test_every_module_ships_unchecked_bytecode_for_the_runtime(dist: Path, python: Path) -> None:
    magic = magic_number(python)
    tag = "cpython-" + RUNTIME.removeprefix("python").replace(".", "")
    with zipfile.ZipFile(dist / "lambda.zip") as archive:
        names = set(archive.namelist())
        sources = [name for name in names if name.endswith(".py")]
        assert "lambda_function.py" in sources and len(sources) > 100
        for source in sources:
            folder, _, file = source.rpartition("/")
            pyc = f"{folder}/__pycache__/{file[:-3]}.{tag}.pyc".lstrip("/")
            assert pyc in names, source
            header = archive.read(pyc)[:8]
            assert header[:4] == magic and int.from_bytes(header[4:8], "little") == 0b01


def test_the_zip_holds_only_what_the_runtime_needs(dist: Path) -> None:
    with zipfile.ZipFile(dist / "lambda.zip") as archive:
        names = archive.namelist()
    tops = {name.split("/")[0] for name in names}
    assert "lambda_function.py" in tops and "skill" in tops and "ask_sdk_core" in tops
    assert not tops & {*NOT_IN_LAMBDA, "botocore", "tests", "audio"}
    assert not [
        name for name in names if name.startswith(("skill/web/", "skill/build/", "skill/dev/"))
    ]
    assert not [name for name in names if name.endswith(".so")]
    assert "skill/content/apl/document.json" in names
    assert (dist / "lambda.zip").stat().st_size < 5 * 1024 * 1024


def test_the_skill_package_is_what_the_ask_cli_expects(dist: Path) -> None:
    manifest = json.loads((dist / "skill-package/skill.json").read_text(encoding="utf-8"))
    schema = json.loads((DATA / "schemas/skill-manifest.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(manifest, schema)
    assert {"type": "ALEXA_PRESENTATION_APL"} in manifest["manifest"]["apis"]["custom"][
        "interfaces"
    ]
    for locale in LOCALES:
        model = dist / f"skill-package/interactionModels/custom/{locale}.json"
        assert model.read_text(encoding="utf-8") == model_path(locale).read_text(encoding="utf-8")
    assert set(manifest["manifest"]["publishingInformation"]["locales"]) == set(LOCALES)
    resources = json.loads((dist / "ask-resources.json").read_text(encoding="utf-8"))
    profile = resources["profiles"]["default"]
    assert profile["skillMetadata"]["src"] == "./skill-package"
    assert (dist / profile["code"]["default"]["src"] / "lambda_function.py").is_file()
    # Where @ask-cli/lambda-deployer reads them: runtime and handler at the top of
    # userConfig, the function's settings under userConfig.lambda (anywhere else they are
    # ignored, and the function gets the deployer's defaults and no environment).
    config = profile["skillInfrastructure"]["userConfig"]
    assert config["runtime"] == "python3.13" and config["handler"] == "lambda_function.handler"
    function = config["lambda"]
    assert function["memorySize"] == 256 and function["timeout"] == 8
    assert function["environmentVariables"] == {"CRAMP_DIARY": "0"}
    assert not {"memorySize", "timeout", "environmentVariables"} & set(config)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_the_store_icons_are_in_the_package_where_the_manifest_says(dist: Path) -> None:
    manifest = json.loads((dist / "skill-package/skill.json").read_text(encoding="utf-8"))
    for listing in manifest["manifest"]["publishingInformation"]["locales"].values():
        for key, size in (("smallIconUri", 108), ("largeIconUri", 512)):
            uri = listing[key]
            assert uri.startswith("file://"), uri
            assert png_size(dist / "skill-package" / uri.removeprefix("file://")) == (size, size)


def test_an_endpoint_can_be_given_for_a_package_imported_by_hand(tmp_path: Path) -> None:
    arn = "arn:aws:lambda:us-east-1:123456789012:function:cramp-coach"
    build(tmp_path / "dist", endpoint=arn)
    manifest = json.loads((tmp_path / "dist/skill-package/skill.json").read_text("utf-8"))
    assert manifest["manifest"]["apis"]["custom"]["endpoint"] == {"uri": arn}
    schema = json.loads((DATA / "schemas/skill-manifest.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(manifest, schema)
