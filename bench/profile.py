"""`make profile`: where a request's time goes, over the benchmark's mix (pyinstrument).

Prints the call tree of Cramp Coach answering the mix (bench/mix.py) many times, on a
speaker or, with --screen hub, on an Echo Show. This is how the hot path was found and
slimmed (README, "Speed"): look here before guessing.
"""

from __future__ import annotations

import argparse
import sys

from pyinstrument import Profiler

from bench.in_process import handlers
from bench.mix import mix_envelopes


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--screen", choices=["round", "hub", "phone", "tv"])
    parser.add_argument("--rounds", type=int, default=500)
    args = parser.parse_args(argv)
    ours = handlers()["ours"]
    envelopes = list(mix_envelopes(args.screen).values())
    for envelope in envelopes:  # first replies load content; not what is profiled
        ours(envelope)
    profiler = Profiler(interval=0.0002)
    with profiler:
        for _ in range(args.rounds):
            for envelope in envelopes:
                ours(envelope)
    print(profiler.output_text(unicode=True, color=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
