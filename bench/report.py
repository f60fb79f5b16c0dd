"""bench/results.json as the README's tables, between `<!-- bench:NAME -->` markers.

`make bench` measures and rewrites both; a test checks that the README still shows what
results.json says, so neither is edited by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bench.understanding import missed_targets

SECTIONS = ("speed", "understanding", "holds", "reliability")


def _marker(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- bench:{name} -->\n).*?(<!-- /bench:{name} -->)", re.DOTALL)


def update_readme(readme: str, results: dict) -> str:
    """The README with every section's table replaced by the one `results` gives."""
    for name in SECTIONS:
        marker = _marker(name)
        if not marker.search(readme):
            raise ValueError(f"README.md has no <!-- bench:{name} --> section")
        table = RENDERERS[name](results)
        readme = marker.sub(_between_markers(table), readme)
    return readme


def _between_markers(table: str) -> Callable[[re.Match[str]], str]:
    return lambda match: match.group(1) + table + match.group(2)


def _ms(value: float) -> str:
    return f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms"


def _row(label: str, pair: dict, key: str, target: str = "") -> str:
    ours, bare = pair["ours"][f"{key}_ms"], pair["bare"][f"{key}_ms"]
    ratio = pair[f"{key}_ratio"]
    return f"| {label} | {_ms(ours)} | {_ms(bare)} | {ratio:.2f} | {target} |"


def _planned_row(device: str, measured: dict) -> str:
    """Cramp Coach against the bare skill given the same (planned) deserializer."""
    bare = measured["bare_planned"]
    ours = measured["mix"]["ours"]
    return (
        f"| One request in-process, p50 (mix, {device}); bare skill with the planned "
        f"deserializer | {_ms(ours['p50_ms'])} | {_ms(bare['p50_ms'])} "
        f"| {bare['p50_ratio']:.2f} | |"
    )


def speed(results: dict) -> str:
    speaker = results["in_process"]["speaker"]
    screen = results["in_process"]["screen"]
    cold = results["cold_start"]
    http = results["http"]
    printed = cold["stderr_lines_at_cold_start"]
    target = f"≤ {speaker['target_p50_ratio']}"
    lines = [
        "| Measure | Cramp Coach | Bare SDK | Ratio | Target |",
        "|---|---:|---:|---:|---|",
        _row("One request in-process, p50 (mix, speaker)", speaker["mix"], "p50", target),
        _row("One request in-process, p99 (mix, speaker)", speaker["mix"], "p99"),
        _planned_row("speaker", speaker),
        _row("One request in-process, p50 (mix, Echo Show)", screen["mix"], "p50", target),
        _row("One request in-process, p99 (mix, Echo Show)", screen["mix"], "p99"),
        _planned_row("Echo Show", screen),
        _row(
            f"Cold start as shipped (bytecode, {cold['python']}): import + LaunchRequest, p50; "
            "bare skill with the same bytecode",
            cold["shipped_bytecode"]["import_and_first_reply"],
            "p50",
            f"≤ {cold['target_ratio']}",
        ),
        _row(
            "Cold start as shipped, p50; bare skill without bytecode (a stock package on Lambda)",
            cold["shipped_vs_stock"],
            "p50",
            f"≤ {cold['target_ratio_stock']}",
        ),
        _row(
            "Cold start, neither with bytecode, p50",
            cold["no_bytecode"]["import_and_first_reply"],
            "p50",
        ),
        f"| Lines printed to stderr at a cold start: as shipped; without bytecode "
        f"| {printed['shipped_bytecode']['lambda_function']}; "
        f"{printed['no_bytecode']['lambda_function']} "
        f"| {printed['shipped_bytecode']['bare_function']}; "
        f"{printed['no_bytecode']['bare_function']} | | 0 as shipped |",
        *_http_rows(http),
    ]
    durability = results.get("durability")
    if durability:
        lines.append(
            f"| SQLite diary write at the cap, p50 / p99: synced (the WAL fsynced, as "
            f"shipped) | {_ms(durability['full']['p50_ms'])} / "
            f"{_ms(durability['full']['p99_ms'])} "
            f"| NORMAL: {_ms(durability['normal']['p50_ms'])} / "
            f"{_ms(durability['normal']['p99_ms'])} | {durability['p50_ratio']:.2f} | |"
        )
    package = cold["package"]
    modules = package["modules_at_cold_start"]
    lines += [
        f"| Lambda zip (unpacked) | {package['zip_bytes'] / 2**20:.1f} MiB "
        f"({package['unpacked_bytes'] / 2**20:.1f} MiB) | | | |",
        f"| Modules imported at cold start | {modules['ours']} | {modules['bare']} "
        f"| {modules['ours'] / modules['bare']:.2f} | |",
    ]
    lines += ["", "HTTP, round by round (each round runs the three servers back to back):", ""]
    lines += http_rounds(results).splitlines()
    lines += [
        "",
        "Per request in-process (speaker), p50, Cramp Coach / bare:",
        "",
        "| Request | Cramp Coach | Bare SDK | Ratio |",
        "|---|---:|---:|---:|",
    ]
    for name, pair in speaker["requests"].items():
        lines.append(
            f"| {name} | {_ms(pair['ours']['p50_ms'])} | {_ms(pair['bare']['p50_ms'])} "
            f"| {pair['p50_ratio']:.2f} |"
        )
    return "\n".join(lines) + "\n"


def _http_rows(http: dict) -> list[str]:
    """Medians over interleaved rounds, each ratio with its lowest and highest round."""
    latency, throughput, cpu = (
        http["latency"],
        http["throughput"],
        http["server_cpu_ms_per_request"],
    )
    setting = f"HTTP, {http['clients']} keep-alive clients, median of {http['rounds']} rounds"
    failed, requests = http["failed"], http["requests"]
    return [
        _row(f"{setting}: latency p50", latency, "p50"),
        f"| {setting}: latency p99 (rounds: {latency['p99_ratio_lowest']:.2f}"
        f" to {latency['p99_ratio_highest']:.2f}) | {_ms(latency['ours']['p99_ms'])} "
        f"| {_ms(latency['bare']['p99_ms'])} | {latency['p99_ratio']:.2f} | ≤ 1.0 |",
        f"| HTTP: requests per second (rounds: {throughput['ratio_lowest']:.2f}"
        f" to {throughput['ratio_highest']:.2f}) | {throughput['ours']:.0f} "
        f"| {throughput['bare']:.0f} | {throughput['ratio']:.2f} | ≥ 1.0 |",
        f"| HTTP: requests per second; bare skill with the planned deserializer "
        f"| {throughput['ours']:.0f} | {throughput['bare_planned']:.0f} "
        f"| {throughput['ratio_to_planned']:.2f} | |",
        f"| HTTP: server CPU per request (bare skill with the planned deserializer: "
        f"{cpu['bare_planned']:.2f} ms) | {cpu['ours']:.2f} ms | {cpu['bare']:.2f} ms "
        f"| {cpu['ratio']:.2f} | |",
        f"| HTTP: failed requests | {failed['ours']} of {requests['ours']} "
        f"| {failed['bare']} of {requests['bare']} | | 0 |",
        f"| HTTP: diary entries the skill said it noted, and of those lost "
        f"| {http['diary']['noted']}, {http['diary']['lost']} lost | | | 0 lost |",
    ]


def http_rounds(results: dict) -> str:
    """Each round of the HTTP comparison, in the order measured."""
    lines = [
        "| Round | Cramp Coach req/s, p99 | Bare req/s, p99 | Bare (planned) req/s, p99 "
        "| Ratio req/s, p99 |",
        "|---:|---:|---:|---:|---:|",
    ]
    for number, each in enumerate(results["http"]["per_round"], 1):
        ours, bare, planned = each["ours"], each["bare"], each["bare_planned"]
        lines.append(
            f"| {number} | {ours['per_second']:.0f}, {_ms(ours['p99_ms'])} "
            f"| {bare['per_second']:.0f}, {_ms(bare['p99_ms'])} "
            f"| {planned['per_second']:.0f}, {_ms(planned['p99_ms'])} "
            f"| {ours['per_second'] / bare['per_second']:.2f}, "
            f"{ours['p99_ms'] / bare['p99_ms']:.2f} |"
        )
    return "\n".join(lines) + "\n"


UNDERSTANDING_ROWS = (
    ("Intent right", "intent", "pct", ""),
    ("Intent and slots right", "intent_slots", "pct", "≥ 90%"),
    ("Emergency recall", "emergency_recall", "pct", "100%"),
    ("Warning level right", "level", "pct", ""),
    ("False emergencies", "false_emergencies", "pct", "≤ 3%"),
    ("Utterances per CPU second", "per_second", "int", "≥ 1000"),
    ("Load time (hassil: build; recogniser: read its file)", "load", "s", "≤ 0.5 s"),
    ("Build in a fresh process", "build_cold_s", "s", ""),
    (
        "Fresh process to first answer (import, build, first reading)",
        "first_answer_s",
        "s",
        "≤ 0.5 s",
    ),
)

# The second blind set (bench/eval/second/): its accuracy, beside the first set's.
SECOND_SET_ROWS = (
    ("intent right", "intent", "pct", ""),
    ("intent and slots right", "intent_slots", "pct", "≥ 90%"),
    ("emergency recall", "emergency_recall", "pct", "100%"),
    ("warning level right", "level", "pct", ""),
    ("false emergencies", "false_emergencies", "pct", "≤ 3%"),
)
# The tuning set (bench/tuning/): read while the model was changed, so it has no target.
TUNING_SET_ROWS = tuple((label, key, kind, "") for label, key, kind, _ in SECOND_SET_ROWS)


def understanding(results: dict) -> str:
    """Per locale, hassil alone and the full pipeline side by side, on the evaluation
    sets (bench/eval/), with the targets the pipeline has to meet."""
    figures = results["understanding"]
    locales = list(figures)
    lines = [
        "| Measure | "
        + " | ".join(f"{locale} hassil / pipeline" for locale in locales)
        + " | Target |",
        "|---|" + "---:|" * len(locales) + "---|",
    ]
    for label, key, kind, target in UNDERSTANDING_ROWS:
        cells = []
        for locale in locales:
            pair = [figures[locale][reader] for reader in ("hassil", "pipeline")]
            if key == "load":
                values = [pair[0]["build_s"], pair[1]["load_s"]]
            else:
                values = [reader[key] for reader in pair]
            cells.append(" / ".join(_figure(value, kind) for value in values))
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    for block, name, rows in (
        ("second", "Second set", SECOND_SET_ROWS),
        ("tuning", "Tuning set (seen)", TUNING_SET_ROWS),
    ):
        for label, key, kind, target in rows:
            cells = [
                " / ".join(
                    _figure(figures[locale][reader][block][key], kind)
                    for reader in ("hassil", "pipeline")
                )
                for locale in locales
            ]
            lines.append(f"| {name}: {label} | " + " | ".join(cells) + f" | {target} |")
    sizes = ", ".join(
        f"{locale} {f['pipeline']['utterances']} + {f['pipeline']['signs']} signs "
        f"+ {f['pipeline']['not_signs']} mentions (second set "
        f"{f['pipeline']['second']['utterances']} + {f['pipeline']['second']['signs']} + "
        f"{f['pipeline']['second']['not_signs']})"
        for locale, f in figures.items()
    )
    labelled = ", ".join(
        f"{locale} {f['labelled']['heard']} of {f['labelled']['utterances']}"
        for locale, f in figures.items()
    )
    missed = missed_targets(figures)
    lines += [
        "",
        f"Evaluation sentences per locale: {sizes}. The labelled sets in tests/utterances "
        f"(read by the tests), full pipeline: {labelled}.",
        "",
        "Targets missed in this run: " + ("; ".join(missed) if missed else "none") + ".",
    ]
    return "\n".join(lines) + "\n"


def _figure(value: float, kind: str) -> str:
    if kind == "pct":
        return f"{value:.1%}"
    if kind == "int":
        return f"{value:,}"
    return f"{value:.2f} s"


def holds(results: dict) -> str:
    lines = [
        "| hold | voice: planned / measured | error | tones: planned / measured "
        "(incl. 1.2 s chime) | error |",
        "|---:|---|---:|---|---:|",
    ]
    by_length: dict[int, dict[str, dict]] = {}
    for row in results["holds"]:
        by_length.setdefault(row["seconds"], {})[row["style"]] = row
    for seconds, styles in sorted(by_length.items()):
        cells = []
        for style in ("VOICE", "TONES"):
            row = styles[style]
            cells.append(
                f"{row['planned_ms'] / 1000:.2f} / {row['measured_ms'] / 1000:.2f} s "
                f"| {row['error']:+.1%}"
            )
        lines.append(f"| {seconds} s | {cells[0]} | {cells[1]} |")
    return "\n".join(lines) + "\n"


def reliability(results: dict) -> str:
    fuzz = results["reliability"]["fuzz"]
    scale = results["reliability"]["fuzz_at_scale"]
    crash = results["reliability"]["crash_soak"]
    soak = results["reliability"]["soak"]
    faults = results["reliability"]["faults"]
    attacks = results["reliability"]["attacks"]
    memory = soak["memory_kib"]
    survived = sum(fault["survived"] for fault in faults)
    lines = [
        "| What was tried | How much | What happened |",
        "|---|---|---|",
        f"| Fuzzing `POST /alexa`: real envelopes bent (random intents, slots, unicode, huge "
        f"strings, fields missing or mistyped) | {fuzz['alexa']['tried']} envelopes "
        f"| {fuzz['alexa']['answered']} valid replies within Alexa's limits, "
        f"{fuzz['alexa']['refused_4xx']} clean 4xx; no 5xx, no error inside the skill |",
        f"| Fuzzing at scale, in-process (bench/fuzz.py): forged session state in every field "
        f"(unknown muscles, topics, steps of 10^9, holds of 1000 s, markup and forged recipes "
        f"for \"repeat\"), slot resolutions such as `values: [{{}}]`, fields dropped or "
        f"mistyped | {scale['tried']:,} envelopes in {scale['seconds']:.0f} s "
        f"| {scale['answered']:,} valid replies, {scale['refused_4xx']:,} clean 4xx; "
        f"**{scale['skill_errors']} errors in the skill's code, {scale['outside_limits']} "
        f"replies outside Alexa's limits** |",
        f"| Fuzzing `POST /api/say` | {fuzz['console']['tried']} bodies "
        f"| {fuzz['console']['answered']} replies, {fuzz['console']['refused_4xx']} clean 400s; "
        f"no 5xx |",
        f"| Soak: whole conversations on the local server, SQLite, diary writes "
        f"| {soak['seconds']:.0f} s, {soak['clients']} clients, {soak['requests']} requests "
        f"({soak['per_second']}/s), {soak['users']} users, {soak['diary_writes']} diary writes "
        f"| {soak['failed']} failed, {soak['apologies']} apologies, {soak['server_errors']} "
        f"server errors; memory {memory['start'] / 1024:.0f} MB at start, "
        f"{memory['settled'] / 1024:.0f} MB settled, {memory['end'] / 1024:.0f} MB at the end |",
        f"| Server killed with `kill -9` mid-load, started again on the same SQLite file "
        f"| {crash['kills']} kills in {crash['seconds']:.0f} s, {crash['clients']} clients, "
        f"{crash['requests']} requests ({crash['failed_while_down']} sent while it was down) "
        f"| **{crash['entries_lost']} of {crash['acknowledged']} acknowledged entries lost**, "
        f"{crash['stored_unacknowledged']} stored whose reply died with the server; "
        f"{crash['apologies']} apologies, {crash['server_errors']} server errors |",
        f"| Faults injected (below) | {len(faults)} | {survived} survived |",
        f"| Attacks on the server (issue 19, below) | {len(attacks)} "
        f"| {sum(attack['held'] for attack in attacks)} held off |",
        f"| **Data lost** | {soak['diary_writes']} diary entries written under load "
        f"| **{soak['entries_lost']} lost**, {soak['entries_extra']} written twice |",
        "",
        "Faults (tests/test_faults.py):",
        "",
    ]
    for fault in faults:
        lines.append(f"- {'✓' if fault['survived'] else '✗ FAILED:'} {fault['fault']}")
    lines += [
        "",
        "Attacks (tests/test_hardening.py, test_cert_fetching.py, test_connections.py):",
        "",
    ]
    for attack in attacks:
        lines.append(f"- {'✓' if attack['held'] else '✗ FAILED:'} {attack['attack']}")
    return "\n".join(lines) + "\n"


RENDERERS = {
    "speed": speed,
    "understanding": understanding,
    "holds": holds,
    "reliability": reliability,
}
