"""bench/results.json as the README's tables, between `<!-- bench:NAME -->` markers.

`make bench` measures and rewrites both; a test checks that the README still shows what
results.json says, so neither is edited by hand.
"""

from __future__ import annotations

import re

SECTIONS = ("speed", "holds", "reliability")


def _marker(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- bench:{name} -->\n).*?(<!-- /bench:{name} -->)", re.DOTALL)


def update_readme(readme: str, results: dict) -> str:
    """The README with every section's table replaced by the one `results` gives."""
    for name in SECTIONS:
        marker = _marker(name)
        if not marker.search(readme):
            raise ValueError(f"README.md has no <!-- bench:{name} --> section")
        table = RENDERERS[name](results)
        readme = marker.sub(lambda match, t=table: match.group(1) + t + match.group(2), readme)
    return readme


def section(readme: str, name: str) -> str:
    match = _marker(name).search(readme)
    if match is None:
        raise ValueError(f"README.md has no <!-- bench:{name} --> section")
    return match.group(0)[len(match.group(1)) : -len(match.group(2))]


def _ms(value: float) -> str:
    return f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms"


def _row(label: str, pair: dict, key: str, target: str = "") -> str:
    ours, bare = pair["ours"][f"{key}_ms"], pair["bare"][f"{key}_ms"]
    ratio = pair[f"{key}_ratio"]
    return f"| {label} | {_ms(ours)} | {_ms(bare)} | {ratio:.2f} | {target} |"


def speed(results: dict) -> str:
    speaker = results["in_process"]["speaker"]
    screen = results["in_process"]["screen"]
    cold = results["cold_start"]
    http = results["http"]
    target = f"≤ {speaker['target_p50_ratio']}"
    lines = [
        "| Measure | Cramp Coach | Bare SDK | Ratio | Target |",
        "|---|---:|---:|---:|---|",
        _row("One request in-process, p50 (mix, speaker)", speaker["mix"], "p50", target),
        _row("One request in-process, p99 (mix, speaker)", speaker["mix"], "p99"),
        _row("One request in-process, p50 (mix, Echo Show)", screen["mix"], "p50"),
        _row("One request in-process, p99 (mix, Echo Show)", screen["mix"], "p99"),
        _row(
            "Cold start, no bytecode (as on Lambda): import + LaunchRequest, p50",
            cold["no_bytecode"]["import_and_first_reply"],
            "p50",
            f"≤ {cold['target_ratio']}",
        ),
        _row(
            "Cold start, bytecode cached, p50",
            cold["bytecode_cached"]["import_and_first_reply"],
            "p50",
        ),
        _row(f"HTTP, {http['clients']} keep-alive clients: latency p50", http["latency"], "p50"),
        _row(f"HTTP, {http['clients']} keep-alive clients: latency p99", http["latency"], "p99"),
        f"| HTTP: requests per second | {http['throughput']['ours']} "
        f"| {http['throughput']['bare']} | {http['throughput']['ratio']:.2f} | |",
        f"| HTTP: server CPU per request | {http['server_cpu_ms_per_request']['ours']:.2f} ms "
        f"| {http['server_cpu_ms_per_request']['bare']:.2f} ms "
        f"| {http['server_cpu_ms_per_request']['ratio']:.2f} | |",
        f"| HTTP: failed requests | {http['failed']['ours']} of {http['requests']['ours']} "
        f"| {http['failed']['bare']} of {http['requests']['bare']} | | 0 |",
    ]
    package = cold["package"]
    modules = package["modules_at_cold_start"]
    lines += [
        f"| Lambda zip (unpacked) | {package['zip_bytes'] / 2**20:.1f} MiB "
        f"({package['unpacked_bytes'] / 2**20:.1f} MiB) | | | |",
        f"| Modules imported at cold start | {modules['ours']} | {modules['bare']} "
        f"| {modules['ours'] / modules['bare']:.2f} | |",
    ]
    for locale, figures in results["understanding"].items():
        heard = round(figures["accuracy"] * figures["utterances"])
        lines.append(
            f"| Local understanding ({locale}): utterances per second; accuracy "
            f"| {figures['per_second']}; {figures['accuracy']:.1%} ({heard} of "
            f"{figures['utterances']}) | | | |"
        )
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


RENDERERS = {"speed": speed, "holds": holds, "reliability": reliability}
