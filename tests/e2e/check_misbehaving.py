#!/usr/bin/env python3
"""Checks `mxscan dns` output against the misbehaving server's behaviours.

Every input name must have exactly one line, and each line the status its
behaviour (the name's first label up to '-') calls for; a forged answer
must never be accepted.
"""
import json
import sys

EXPECTED = {
    "ok": "NOERROR", "nodata": "NOERROR", "dropfirst": "NOERROR",
    "delay20": "NOERROR", "dup": "NOERROR", "wrongidthenok": "NOERROR",
    "wrongqthenok": "NOERROR", "spoof": "NOERROR", "tc": "NOERROR",
    "tcbig": "NOERROR", "chain3": "NOERROR",
    "drop": "TIMEOUT", "wrongid": "TIMEOUT", "wrongq": "TIMEOUT",
    "wrongport": "TIMEOUT", "tcsilent": "TIMEOUT", "garbage": "TIMEOUT",
    "short": "TIMEOUT",
    "tcclose": "ERROR", "malformed": "ERROR", "ptrloop": "ERROR",
    "cnameloop": "ERROR", "chain20": "ERROR", "badrdata": "ERROR",
    "formerr": "ERROR", "invalid..name": "ERROR",
    "servfail": "SERVFAIL", "refused": "REFUSED", "nxdomain": "NXDOMAIN",
}


def behaviour(name):
    label = name.split(".")[0]
    return label.split("-")[0] if "-" in label else name.rstrip(".")


def main():
    names_file, results_file = sys.argv[1], sys.argv[2]
    # Names compare without case and trailing dot (an invalid name is
    # reported as given).
    names = [l.strip().lower().rstrip(".") for l in open(names_file)
             if l.strip()]
    seen = {}
    problems = []
    for line in open(results_file):
        r = json.loads(line)
        key = r["name"].lower().rstrip(".")
        seen[key] = seen.get(key, 0) + 1
        b = behaviour(r["name"])
        want = EXPECTED.get(b)
        if want is None:
            problems.append(f"{r['name']}: no expectation for {b}")
        elif r["status"] != want:
            problems.append(f"{r['name']}: {r['status']} ({r.get('error')}),"
                            f" want {want}")
        for a in r["answers"]:
            if a["data"] == "6.6.6.6":
                problems.append(f"{r['name']}: accepted a forged answer")
    for n in names:
        if seen.get(n, 0) != 1:
            problems.append(f"{n}: {seen.get(n, 0)} result lines")
    print(f"{len(names)} names, {sum(seen.values())} lines, "
          f"{len(problems)} problems")
    for p in problems[:20]:
        print("  " + p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
