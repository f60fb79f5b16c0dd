"""Cold start: a fresh interpreter imports the Lambda module and answers a LaunchRequest.

Cramp Coach's packaged `lambda_function` and the bare skill (`bench.baseline`) sit in the
same unpacked package, so both import the same copies of the SDK, with nothing but that
folder and the standard library on the path (`-I -S`, as the package test does), under
the Lambda runtime's Python (`skill.build.package.runtime_python`). Runs alternate
between the two. Two conditions: the package as shipped (every module's bytecode,
compiled by `make package`; the bare skill's module compiled the same way), and no
bytecode at all (`-B`: as a package without it runs on Lambda, whose code folder is
read-only, so Python compiles every module at every cold start). The targets compare
Cramp Coach as shipped with the bare skill without bytecode (what a stock skill ships)
and with the same bytecode. Anything a cold start prints to stderr (the SDK's
SyntaxWarnings, when it compiles) is counted.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.baseline import BARE_LAMBDA_MODULE, BARE_LAMBDA_SOURCE
from bench.mix import mix_envelopes
from bench.stats import Latency, comparison
from skill.build.package import PackageError, build, runtime_python

TARGET_RATIO = 1.3  # shipped, against the bare skill with the same bytecode
TARGET_RATIO_STOCK = 0.5  # shipped, against the bare skill without bytecode
OURS_MODULE = "lambda_function"
# Runs inside the fresh interpreter: the import and the first reply, timed from inside.
PROBE = """
import json, sys, time
start = time.perf_counter()
sys.path.insert(0, sys.argv[1])
module = __import__(sys.argv[2])
imported = time.perf_counter()
reply = module.handler(json.load(open(sys.argv[3], encoding="utf-8")), None)
answered = time.perf_counter()
assert reply["response"]["outputSpeech"]["ssml"]
print(json.dumps({"import": imported - start, "first": answered - imported,
                  "modules": len(sys.modules)}))
"""
COMPILE = """
import py_compile, sys
py_compile.compile(sys.argv[1], invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
                   doraise=True)
"""


def package(folder: Path, python: Path) -> tuple[Path, dict]:
    """The Lambda code (as `make package` builds it) with the bare skill beside it,
    compiled the same way, and the package's size as uploaded and as unpacked."""
    built = build(folder / "dist", python)
    code = built["code"]
    size = {
        "zip_bytes": built["zip"].stat().st_size,
        "unpacked_bytes": sum(p.stat().st_size for p in code.rglob("*") if p.is_file()),
    }
    bare = code / f"{BARE_LAMBDA_MODULE}.py"
    bare.write_text(BARE_LAMBDA_SOURCE, encoding="utf-8")
    subprocess.run([str(python), "-c", COMPILE, str(bare)], check=True)
    return code, size


def probe(python: Path, code: Path, module: str, bytecode: bool, launch: Path) -> dict:
    """One cold start: in-process import and first-reply times, the whole process's,
    and the lines it printed to stderr."""
    flags = ["-I", "-S"] + ([] if bytecode else ["-B"])
    started = time.perf_counter()
    result = subprocess.run(
        [str(python), *flags, "-c", PROBE, str(code), module, str(launch)],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "CRAMP_LOOKUP_TIME_ZONES": "0"},
    )
    timings = json.loads(result.stdout)
    timings["process"] = time.perf_counter() - started
    timings["stderr_lines"] = len(result.stderr.splitlines())
    return timings


def measure(runs: int) -> dict:
    """Both skills, `runs` cold starts each per condition, interleaved."""
    python = runtime_python()
    if python is None:
        raise PackageError("the cold-start benchmark needs the Lambda runtime's Python")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        shipped, size = package(folder, python)
        bare_code = shutil.copytree(
            shipped, folder / "no-bytecode", ignore=shutil.ignore_patterns("__pycache__")
        )
        launch = folder / "launch.json"
        launch.write_text(json.dumps(mix_envelopes()["launch"]), encoding="utf-8")
        results: dict = {
            "python": python.name,
            "target_ratio": TARGET_RATIO,
            "target_ratio_stock": TARGET_RATIO_STOCK,
            "package": size,
        }
        samples: dict[str, dict[str, list[dict]]] = {}
        for condition, code, bytecode in (
            ("shipped_bytecode", shipped, True),
            ("no_bytecode", bare_code, False),
        ):
            samples[condition] = {OURS_MODULE: [], BARE_LAMBDA_MODULE: []}
            for index in range(runs):
                order = (OURS_MODULE, BARE_LAMBDA_MODULE)
                for module in order if index % 2 else order[::-1]:
                    samples[condition][module].append(probe(python, code, module, bytecode, launch))
            results[condition] = summarise(samples[condition])
        ours = [run["import"] + run["first"] for run in samples["shipped_bytecode"][OURS_MODULE]]
        stock = [run["import"] + run["first"] for run in samples["no_bytecode"][BARE_LAMBDA_MODULE]]
        results["shipped_vs_stock"] = comparison(Latency.of(ours), Latency.of(stock))
        shipped_runs = samples["shipped_bytecode"]
        size["modules_at_cold_start"] = {
            "ours": shipped_runs[OURS_MODULE][0]["modules"],
            "bare": shipped_runs[BARE_LAMBDA_MODULE][0]["modules"],
        }
        results["stderr_lines_at_cold_start"] = {
            condition: {
                module: max(run["stderr_lines"] for run in runs_of)
                for module, runs_of in by_module.items()
            }
            for condition, by_module in samples.items()
        }
        return results


def summarise(samples: dict[str, list[dict]]) -> dict:
    """Import plus first reply (what a cold start costs the skill), and the whole process."""

    def latency(module: str, parts: tuple[str, ...]) -> Latency:
        return Latency.of([sum(run[part] for part in parts) for run in samples[module]])

    return {
        "import_and_first_reply": comparison(
            latency(OURS_MODULE, ("import", "first")),
            latency(BARE_LAMBDA_MODULE, ("import", "first")),
        ),
        "first_reply": comparison(
            latency(OURS_MODULE, ("first",)), latency(BARE_LAMBDA_MODULE, ("first",))
        ),
        "process": comparison(
            latency(OURS_MODULE, ("process",)), latency(BARE_LAMBDA_MODULE, ("process",))
        ),
    }
