"""What the tests and the benchmarks share, so neither imports the other: the rules every
reply must keep (`replies`), the request fuzzer and its checks (`fuzz`), and the labelled
sentences the understanding is measured on (`labelled`). The benchmarks run these longer
and count; the tests run them briefly and assert.
"""
