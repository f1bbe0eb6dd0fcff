#!/usr/bin/env python3
"""Checks one `mxscan bench --format json` report.

    check_bench_report.py NAME REPORT.json [PYTHON]

The report must be one JSON object whose counts add up: every attempt
succeeded or failed, failures by stage and by (stage, code) sum to the
failures, the negotiated mix and full + resumed sum to the successes,
latency percentiles are ordered. PYTHON, if given, is more assertions
over `d` (the parsed report). Prints a one-line summary.
"""
import json
import sys


def main():
    name, path = sys.argv[1:3]
    extra = sys.argv[3] if len(sys.argv) > 3 else ""
    d = json.load(open(path))
    assert isinstance(d, dict), d
    assert d["attempted"] == d["succeeded"] + d["failed"], d
    assert sum(d["failures_by_stage"].values()) == d["failed"], d
    assert sum(e["count"] for e in d["errors"]) == d["failed"], d
    assert sum(n["count"] for n in d["negotiated"]) == d["succeeded"], d
    assert d["full"]["count"] + d["resumed"]["count"] == d["succeeded"], d
    if d["succeeded"]:
        assert d["latency_ms"]["handshake"]["count"] == d["succeeded"], d
    for step, h in d["latency_ms"].items():
        assert 0 <= h["p50"] <= h["p90"] <= h["p99"] <= h["max"], (step, h)
    assert d["window"]["handshakes"] >= d["succeeded"], d
    exec(extra, {"d": d})
    print(f"  ok {name}: {d['attempted']} attempted, {d['succeeded']} succeeded, "
          f"{d['resumed']['count']} resumed, {d['handshakes_per_s']}/s, "
          f"{d['client_cpu']['us_per_handshake']} us CPU per handshake")


if __name__ == "__main__":
    main()
