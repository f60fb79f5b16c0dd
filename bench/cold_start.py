"""Cold start: a fresh interpreter imports the Lambda module and answers a LaunchRequest.

Cramp Coach's packaged `lambda_function` and the bare skill (`bench.baseline`) sit in the
same unpacked package, so both import the same copies of the SDK, with nothing but that
folder and the standard library on the path (`-I -S`, as the package test does). Runs
alternate between the two. Two conditions: no bytecode for the package (as on Lambda,
whose code folder is read-only, so Python compiles every module at every cold start),
and bytecode cached (a warm disk, as on a laptop).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.baseline import BARE_LAMBDA_MODULE, BARE_LAMBDA_SOURCE
from bench.stats import Latency, comparison
from skill.build.package import build

TARGET_RATIO = 1.3
OURS_MODULE = "lambda_function"
LAUNCH = Path(__file__).resolve().parents[1] / "tests/data/requests/LaunchRequest__jovo.json"
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


def package(folder: Path) -> tuple[Path, dict]:
    """The Lambda code (as `make package` builds it) with the bare skill beside it, and
    the package's size as uploaded and as unpacked on Lambda."""
    built = build(folder / "dist")
    code = built["code"]
    size = {
        "zip_bytes": built["zip"].stat().st_size,
        "unpacked_bytes": sum(p.stat().st_size for p in code.rglob("*") if p.is_file()),
    }
    (code / f"{BARE_LAMBDA_MODULE}.py").write_text(BARE_LAMBDA_SOURCE, encoding="utf-8")
    return code, size


def probe(code: Path, module: str, bytecode: bool) -> dict:
    """One cold start: in-process import and first-reply times, the whole process's."""
    flags = ["-I", "-S"] + ([] if bytecode else ["-B"])
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, *flags, "-c", PROBE, str(code), module, str(LAUNCH)],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    timings = json.loads(result.stdout)
    timings["process"] = time.perf_counter() - started
    return timings


def measure(runs: int) -> dict:
    """Both skills, `runs` cold starts each per condition, interleaved."""
    with tempfile.TemporaryDirectory() as scratch:
        code, size = package(Path(scratch))
        results: dict = {"target_ratio": TARGET_RATIO, "package": size}
        for condition, bytecode in (("no_bytecode", False), ("bytecode_cached", True)):
            if bytecode:  # compile once, as a disk that has run the code before would hold
                for module in (OURS_MODULE, BARE_LAMBDA_MODULE):
                    probe(code, module, bytecode=True)
            samples: dict[str, list[dict]] = {OURS_MODULE: [], BARE_LAMBDA_MODULE: []}
            for index in range(runs):
                order = (OURS_MODULE, BARE_LAMBDA_MODULE)
                for module in order if index % 2 else order[::-1]:
                    samples[module].append(probe(code, module, bytecode))
            results[condition] = summarise(samples)
            shutil.rmtree(code / "__pycache__", ignore_errors=True)
        size["modules_at_cold_start"] = {
            "ours": samples[OURS_MODULE][0]["modules"],
            "bare": samples[BARE_LAMBDA_MODULE][0]["modules"],
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
