"""`cramp-coach package`: the Lambda code and the ASK CLI skill package, under dist/.

dist/lambda/            the Lambda code: lambda_function.py, the skill (without its local
                        tools), and only the runtime's dependencies
dist/lambda.zip         the same, zipped deterministically, for uploading by hand
dist/skill-package/     skill.json and interactionModels/custom/<locale>.json (ASK CLI v2)
dist/ask-resources.json so that `ask deploy` in dist/ deploys both

Dependencies are copied from this environment's installed distributions (their own file
lists), so packaging needs no network. boto3 and its family are left out: the Lambda
runtime has them. Compiled extensions are left out too: they would be built for this
machine's Python, and every dependency here falls back to pure Python without them.

Every module is shipped with its bytecode, compiled by the runtime's own Python version
(RUNTIME; found as CRAMP_LAMBDA_PYTHON, `python3.13` on the PATH, or pyenv's): Lambda's
code folder is read-only, so without it every cold start compiles every module again,
and Python 3.12+ prints the SDK's SyntaxWarnings while doing so. The pycs are
unchecked-hash (PEP 552): Lambda's file times say nothing, so Python must not compare
them with the source; each pyc's magic number is checked against the runtime's.
"""

from __future__ import annotations

import importlib.metadata as metadata
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import cast

from packaging.markers import default_environment
from packaging.requirements import Requirement

from skill.build import source_checkout
from skill.build.icons import write_icons
from skill.model_files import LOCALES, MANIFEST, model_path

PROJECT_ROOT = source_checkout("cramp-coach package")
DIST = PROJECT_ROOT / "dist"
RUNTIME = "python3.13"
RUNTIME_VERSION = RUNTIME.removeprefix("python")
# Where Lambda unpacks the code: the file names the pycs carry, for tracebacks.
TASK_ROOT = "/var/task"
# The function's settings, where the ASK CLI's lambda deployer reads them (userConfig.lambda).
LAMBDA_CONFIG = {
    "memorySize": 256,
    "timeout": 8,
    "environmentVariables": {"CRAMP_DIARY": "0"},
}
# What the skill needs at run time in Lambda (the DynamoDB adapter is imported only with
# a table configured; tzdata, because the runtime's image may lack a zone database).
ROOTS = ("ask-sdk-core", "ask-sdk-dynamodb-persistence-adapter", "tzdata")
IN_THE_RUNTIME = {"boto3", "botocore", "s3transfer", "jmespath"}
# The Lambda runtime's Python, for evaluating dependency markers.
TARGET = {
    **default_environment(),
    "python_version": RUNTIME_VERSION,
    "python_full_version": f"{RUNTIME_VERSION}.0",
}
SKIPPED_FILES = re.compile(r"(__pycache__/|\.pyc$|\.so$|\.pyd$|\.dist-info/|^\.\./|\.pth$)")
# The skill's own files the Lambda needs: not the HTTP adapter (Flask), the build tools, the
# development tools (hassil, CLI, console), the sounds (served over HTTPS) or the models.
SKILL_EXCLUDED = re.compile(r"(__pycache__|^skill/(web|build|dev|sounds|interaction_models)/)")
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def _name(requirement: str) -> str:
    return re.split(r"[ ;<>=!\[(~]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def runtime_distributions() -> list[metadata.Distribution]:
    """ROOTS and what they require (for the runtime's Python on Linux), minus the
    runtime's own."""
    seen: dict[str, metadata.Distribution] = {}
    pending = list(ROOTS)
    while pending:
        name = _name(pending.pop())
        if name in seen or name in IN_THE_RUNTIME:
            continue
        distribution = metadata.distribution(name)
        seen[name] = distribution
        for requirement in distribution.requires or []:
            parsed = Requirement(requirement)
            if parsed.marker is None or parsed.marker.evaluate(
                cast(dict[str, str], {**TARGET, "extra": ""})
            ):
                pending.append(parsed.name)
    return sorted(seen.values(), key=lambda d: d.metadata["Name"].lower())


def copy_distribution(distribution: metadata.Distribution, target: Path) -> None:
    for file in distribution.files or []:
        relative = str(file)
        if SKIPPED_FILES.search(relative):
            continue
        source = Path(str(distribution.locate_file(file)))
        if source.is_file():
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)


def copy_skill(target: Path) -> None:
    package = PROJECT_ROOT / "skill"
    for source in sorted(package.rglob("*")):
        relative = source.relative_to(PROJECT_ROOT).as_posix()
        if source.is_file() and not SKILL_EXCLUDED.search(relative):
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
    shutil.copyfile(PROJECT_ROOT / "lambda" / "lambda_function.py", target / "lambda_function.py")


class PackageError(Exception):
    """The package cannot be built as Lambda needs it (said in words)."""


def runtime_python() -> Path | None:
    """An interpreter of the runtime's Python version, or None."""
    named = os.environ.get("CRAMP_LAMBDA_PYTHON")
    candidates = [Path(named)] if named else []
    found = shutil.which(RUNTIME)
    if found:
        candidates.append(Path(found))
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    candidates += sorted(pyenv.glob(f"{RUNTIME_VERSION}.*/bin/{RUNTIME}"), reverse=True)
    for candidate in candidates:
        if candidate.is_file() and _version(candidate) == RUNTIME_VERSION:
            return candidate
    return None


def _version(python: Path) -> str | None:
    try:
        result = subprocess.run(
            [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except OSError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def magic_number(python: Path) -> bytes:
    """The first four bytes of every pyc this interpreter writes and reads."""
    result = subprocess.run(
        [str(python), "-c", "import importlib.util; print(importlib.util.MAGIC_NUMBER.hex())"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return bytes.fromhex(result.stdout.strip())


def compile_bytecode(code: Path, python: Path) -> int:
    """Compile every module under `code` with `python` (unchecked-hash pycs, file names
    as Lambda will see them), then check each pyc; returns how many there are.

    The SDK's SyntaxWarnings (invalid escapes in docstrings) are said once here, at
    build time, instead of at every cold start: they are silenced for the compile."""
    subprocess.run(
        [
            str(python), "-W", "ignore::SyntaxWarning", "-m", "compileall", "-q",
            "--invalidation-mode", "unchecked-hash",
            "-s", str(code), "-p", TASK_ROOT, str(code),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )  # fmt: skip
    expected = magic_number(python)
    tag = f"cpython-{RUNTIME_VERSION.replace('.', '')}"
    sources = sorted(code.rglob("*.py"))
    for source in sources:
        pyc = source.parent / "__pycache__" / f"{source.stem}.{tag}.pyc"
        if not pyc.is_file():
            raise PackageError(f"{source.relative_to(code)} was not compiled")
        header = pyc.read_bytes()[:8]
        if header[:4] != expected:
            raise PackageError(f"{pyc.relative_to(code)} is not {RUNTIME} bytecode")
        # PEP 552 flags: bit 0 hash-based, bit 1 check the source; unchecked is 0b01.
        if int.from_bytes(header[4:8], "little") != 0b01:
            raise PackageError(f"{pyc.relative_to(code)} is not an unchecked-hash pyc")
    return len(sources)


def write_zip(folder: Path, path: Path) -> None:
    """Sorted entries with fixed times: the same code always gives the same zip."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(file.relative_to(folder).as_posix(), ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, file.read_bytes())


def write_skill_package(target: Path, endpoint: str | None = None) -> None:
    """skill.json (with `endpoint` as the custom API's endpoint, for a package imported
    without `ask deploy`, which sets its own), the models, and the store icons."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    if endpoint:
        manifest["manifest"]["apis"]["custom"]["endpoint"] = {"uri": endpoint}
    write_icons(target / "assets" / "images")
    (target / "interactionModels" / "custom").mkdir(parents=True)
    (target / "skill.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    for locale in LOCALES:
        shutil.copyfile(
            model_path(locale), target / "interactionModels" / "custom" / f"{locale}.json"
        )


def ask_resources() -> dict:
    """ASK CLI v2: the skill package and the Lambda code, deployed by its Lambda deployer."""
    return {
        "askcliResourcesVersion": "2020-03-31",
        "profiles": {
            "default": {
                "skillMetadata": {"src": "./skill-package"},
                "code": {"default": {"src": "./lambda"}},
                "skillInfrastructure": {
                    "type": "@ask-cli/lambda-deployer",
                    "userConfig": {
                        "runtime": RUNTIME,
                        "handler": "lambda_function.handler",
                        "awsRegion": "us-east-1",
                        "lambda": LAMBDA_CONFIG,
                    },
                },
            }
        },
    }


def build(
    dist: Path = DIST, python: Path | None = None, endpoint: str | None = None
) -> dict[str, Path]:
    """Everything under `dist` afresh, the modules compiled by `python` (default: the
    runtime's, found by `runtime_python`); returns the paths it wrote."""
    python = python or runtime_python()
    if python is None:
        raise PackageError(
            f"{RUNTIME} is needed to compile the Lambda's bytecode: install it "
            f"(pyenv install {RUNTIME_VERSION}) or set CRAMP_LAMBDA_PYTHON to one"
        )
    if dist.exists():
        shutil.rmtree(dist)
    code = dist / "lambda"
    code.mkdir(parents=True)
    copy_skill(code)
    for distribution in runtime_distributions():
        copy_distribution(distribution, code)
    compile_bytecode(code, python)
    write_zip(code, dist / "lambda.zip")
    write_skill_package(dist / "skill-package", endpoint)
    resources = dist / "ask-resources.json"
    resources.write_text(json.dumps(ask_resources(), indent=2) + "\n", encoding="utf-8")
    return {
        "code": code,
        "zip": dist / "lambda.zip",
        "skill_package": dist / "skill-package",
        "ask_resources": resources,
    }
