#!/usr/bin/env python3
"""Asks a DNS server with `drill` and prints `mxscan dns --format jsonl` lines.

    drill_results.py --port P --type T < names > results.jsonl

An independent client (ldns's drill) stands in for mxscan, so that the
generator's truth can be checked against what a real server serves.
"""

import argparse
import json
import re
import subprocess
import sys

RCODE = re.compile(r"rcode: (\w+)")


def txt_strings(rdata):
    """Decodes drill's `"a\\"b" "c"` presentation into the joined text."""
    out, i, inside = [], 0, False
    while i < len(rdata):
        c = rdata[i]
        i += 1
        if c == '"':
            inside = not inside
        elif not inside:
            continue  # the blank between two character-strings
        elif c == "\\" and rdata[i].isdigit():  # \DDD
            out.append(chr(int(rdata[i:i + 3])))
            i += 3
        elif c == "\\":
            out.append(rdata[i])
            i += 1
        else:
            out.append(c)
    return "".join(out)


def query(port, name, rtype):
    # -a: retry with EDNS0 and then TCP when the UDP answer is truncated.
    out = subprocess.run(
        ["drill", "-a", "-p", str(port), "@127.0.0.1", name, rtype],
        capture_output=True, text=True, check=False).stdout
    m = RCODE.search(out)
    result = {"name": name.lower().rstrip(".") + ".", "type": rtype,
              "status": m.group(1) if m else "ERROR", "answers": []}
    section = None
    for line in out.splitlines():
        if line.startswith(";;"):
            section = line[3:].strip()
            continue
        if section != "ANSWER SECTION:" or not line.strip():
            continue
        owner, ttl, _cls, t, rdata = line.split("\t", 4)
        if t == "TXT":
            rdata = txt_strings(rdata)
        result["answers"].append({"name": owner.lower(), "type": t,
                                  "ttl": int(ttl), "data": rdata})
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--type", required=True)
    a = p.parse_args()
    for name in sys.stdin:
        if name.strip():
            print(json.dumps(query(a.port, name.strip(), a.type)))


if __name__ == "__main__":
    main()
