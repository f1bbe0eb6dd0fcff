#!/usr/bin/env python3
"""Splits a sector's farm behaviours file among several farms when one
farm would need more listening sockets than a process may open.

    split_farm.py ADDRESSES_JSON OUT_DIR MAX_LISTENERS

The farm opens one socket per MX address (tools/farm: never a wildcard
bind), so a sector with more MX addresses than the descriptor limit
(`ulimit -Hn`) needs several farm processes, all on the same SMTP port,
each serving a part of the addresses. Prints the behaviours file of each
farm, one per line: ADDRESSES_JSON itself when one farm is enough, else
OUT_DIR/behaviours-<i>.json, the addresses dealt out evenly in their order
(at most MAX_LISTENERS each) and every MTA-STS policy host in the first,
whose HTTPS port the policy hosts' A records point at.
"""

import ipaddress
import json
import math
import os
import sys


def is_address(key):
    try:
        ipaddress.ip_address(key)
        return True
    except ValueError:
        return False


def split(entries, max_listeners):
    """The entries in parts of at most max_listeners, as even as can be;
    the policy hosts (keys that are not addresses) go to the first part."""
    addresses = [k for k in entries if is_address(k)]
    policy_hosts = [k for k in entries if not is_address(k)]
    parts = max(1, math.ceil(len(entries) / max_listeners))
    size = math.ceil(len(entries) / parts)
    first = size - len(policy_hosts)
    if first < 0:
        raise SystemExit(f"split_farm: {len(policy_hosts)} policy hosts do "
                         f"not fit one farm of {max_listeners} listeners")
    keys = [addresses[:first] + policy_hosts]
    keys += [addresses[i:i + size] for i in range(first, len(addresses), size)]
    return [{k: entries[k] for k in part} for part in keys]


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    path, out, max_listeners = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(path) as f:
        entries = json.load(f)
    if len(entries) <= max_listeners:
        print(path)
        return
    os.makedirs(out, exist_ok=True)
    for i, part in enumerate(split(entries, max_listeners)):
        name = os.path.join(out, f"behaviours-{i}.json")
        with open(name, "w") as f:
            json.dump(part, f, indent=0)
            f.write("\n")
        print(name)


if __name__ == "__main__":
    main()
