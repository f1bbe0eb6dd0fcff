#!/usr/bin/env python3
"""Compares `mxscan dns --format jsonl` output with a generator's truth.

    check_dns_results.py --truth truth-A.jsonl --results results.jsonl

Results may come in any order. Every truth name must appear exactly once;
status must be equal; answers must be equal as multisets of (lowercased
owner, type, data), with the names inside CNAME/MX/... data compared
without case. TTLs and extra fields are ignored. Prints a summary and the
first 10 differences; exits 1 on any difference.
"""

import argparse
import collections
import json
import sys

MAX_SHOWN = 10


def key(name):
    name = name.lower()
    return name if name.endswith(".") else name + "."


# Types whose data holds domain names. These compare case-insensitively: a
# server may compress them against the question, whose case the client chose
# (NSD answers `C1.SIM.test CNAME` with target `h9.SIM.test.`).
NAME_DATA_TYPES = {"CNAME", "MX", "NS", "PTR", "DNAME", "SRV", "SOA"}


def answer_set(answers):
    out = collections.Counter()
    for a in answers or []:
        t = a["type"].upper()
        data = a["data"].lower() if t in NAME_DATA_TYPES else a["data"]
        out[(key(a["name"]), t, data)] += 1
    return out


def load(path):
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield lineno, json.loads(line)
                except json.JSONDecodeError as e:
                    sys.exit(f"{path}:{lineno}: not JSON: {e}")


def compare(truth_path, results_path):
    """Returns (summary counts, list of difference messages)."""
    truth = {}
    for _, t in load(truth_path):
        truth[key(t["name"])] = t
    seen = collections.Counter()
    diffs = []
    mismatched = unexpected = 0
    for lineno, r in load(results_path):
        name = key(r.get("name", ""))
        seen[name] += 1
        if name not in truth:
            unexpected += 1
            diffs.append(f"results:{lineno}: {name}: not in truth")
            continue
        if seen[name] > 1:
            continue  # counted as a duplicate below
        t = truth[name]
        problems = []
        if r.get("status") != t["status"]:
            problems.append(f"status {r.get('status')} != {t['status']}")
        got, want = answer_set(r.get("answers")), answer_set(t["answers"])
        if got != want:
            problems.append(f"answers: missing {sorted((want - got).elements())}, "
                            f"extra {sorted((got - want).elements())}")
        if problems:
            mismatched += 1
            diffs.append(f"{name} {t['type']}: " + "; ".join(problems))
    missing = [n for n in truth if n not in seen]
    duplicated = [n for n, c in seen.items() if c > 1 and n in truth]
    diffs += [f"{n}: missing from results" for n in missing]
    diffs += [f"{n}: {seen[n]} result lines" for n in duplicated]
    counts = collections.OrderedDict([
        ("names", len(truth)),
        ("matched", len(truth) - len(missing) - mismatched),
        ("mismatched", mismatched),
        ("missing", len(missing)),
        ("duplicated", len(duplicated)),
        ("unexpected", unexpected),
    ])
    return counts, diffs


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--truth", required=True)
    p.add_argument("--results", required=True)
    a = p.parse_args()
    counts, diffs = compare(a.truth, a.results)
    print(", ".join(f"{v} {k}" for k, v in counts.items()))
    for d in diffs[:MAX_SHOWN]:
        print("  " + d)
    if len(diffs) > MAX_SHOWN:
        print(f"  ... and {len(diffs) - MAX_SHOWN} more differences")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
