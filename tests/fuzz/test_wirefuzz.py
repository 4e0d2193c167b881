"""CI's slice of the wire fuzzer: 5,000 signed requests (seed 1) against a fresh server.

The full run is `python tests/fuzz/wirefuzz.py --requests 100000 --seed 1 --bin …` (see its
docstring). LOCALECS_BIN picks the server binary (default .build/release/localecs);
LOCALECS_WIREFUZZ_REQUESTS overrides the slice size.
"""
import os

import wirefuzz


def test_wire_fuzz_slice_has_no_crash_no_5xx_and_bounded_memory():
    n = os.environ.get("LOCALECS_WIREFUZZ_REQUESTS", "5000")
    assert wirefuzz.main(["--requests", n, "--seed", "1", "--max-rss-mib", "512"]) == 0, "see the reproducer above"
