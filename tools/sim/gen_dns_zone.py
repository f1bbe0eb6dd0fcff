#!/usr/bin/env python3
"""Writes one synthetic, seeded DNS zone plus query lists and ground truth.

    gen_dns_zone.py --names N --seed S [--zone sim.test] --out DIR

DIR/<zone>.zone      zone file for NSD (SOA, NS, A/AAAA/MX/TXT/CNAME mix)
DIR/names-<T>.txt    the N query names, shuffled, for each type T in A,
                     AAAA, MX, TXT (~5% NXDOMAIN, ~10% CNAME chains of 1-3,
                     ~3% in mixed case; no trailing dot)
DIR/truth-<T>.jsonl  the expected `mxscan dns --format jsonl` line per name
                     (name lowercased with a trailing dot, TTLs 3600)

The truth is computed from the same in-memory records the zone file is
written from, so the two cannot drift; tests/sim/gen_dns_zone_test.sh checks
the truth against what a real NSD serves. Same seed, same files.
"""

import argparse
import gc
import ipaddress
import json
import os
import random

TTL = 3600
TYPES = ("A", "AAAA", "MX", "TXT")
NX_SHARE = 0.05
CNAME_SHARE = 0.10
MIXED_CASE_SHARE = 0.03
# ZERO_GROUP_MASKS[b] clears the 16-bit groups of a 96-bit value whose bit is
# set in b (6 groups, one bit each).
ZERO_GROUP_MASKS = [
    sum(0xFFFF << (16 * g) for g in range(6) if not b >> g & 1) for b in range(64)]
# Printable ASCII for TXT filler, including the characters that need care in
# zone files and JSON: quote, backslash, semicolon, parentheses, space.
TXT_CHARS = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
             " \"\\;()=-_.:/+!#$%&'*,<>?@[]^`{|}~")


def rr_json(owner, rtype, data):
    """One answer as JSON text; only TXT data can need escaping."""
    data = json.dumps(data) if rtype == "TXT" else f'"{data}"'
    return f'{{"name": "{owner}", "type": "{rtype}", "ttl": {TTL}, "data": {data}}}'


def zone_quote(s):
    """One <character-string> in zone-file syntax."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Generator:
    def __init__(self, n, seed, zone):
        self.rng = random.Random(seed)
        self.zone = zone.strip(".").lower()
        self.n = n
        # owner (lowercase fqdn) -> {type: [rdata presentation]}, insertion
        # ordered so output never depends on hash seeds.
        self.records = {}
        self.cname = {}  # owner -> target (fqdn)
        # Long TXT strings are random slices of one random filler string.
        self.filler = "".join(self.rng.choices(TXT_CHARS, k=1 << 16))

    def fqdn(self, label):
        return f"{label}.{self.zone}."

    def add(self, owner, rtype, data):
        self.records.setdefault(owner, {}).setdefault(rtype, []).append(data)

    def ipv4(self):
        # Loopback only: nothing that reads the sim can reach a real host.
        x = self.rng.getrandbits(24)
        return f"127.{x >> 16}.{(x >> 8) & 255}.{(x & 255) or 1}"

    def ipv6(self):
        # 2001:db8::/32 (documentation); about half the groups are zero so
        # that the compressed form ("::") varies.
        r = self.rng
        v = r.getrandbits(96) & ZERO_GROUP_MASKS[r.getrandbits(6)]
        return ipaddress.IPv6Address((0x20010DB8 << 96) | v).compressed

    def txt(self):
        """A list of character-strings for one TXT RR."""
        r = self.rng
        kind = r.random()
        if kind < 0.4:  # SPF-like, one string
            mech = [f"ip4:{self.ipv4()}", f"include:_spf.{self.zone}",
                    "mx", "a", f"ip6:{self.ipv6()}"]
            parts = ["v=spf1"] + r.sample(mech, r.randrange(1, 4))
            return [" ".join(parts) + " " + r.choice(("-all", "~all", "?all"))]
        if kind < 0.6:  # long: several strings, > 255 bytes in total
            out = []
            for _ in range(r.randrange(2, 4)):
                start = r.randrange(len(self.filler) - 256)
                out.append(self.filler[start:start + r.randrange(150, 256)])
            return out
        if kind < 0.8:  # quotes, backslashes and spaces
            return ['say "hi" to C:\\path\\' + str(r.randrange(1000)),
                    f' two\\"{r.randrange(100)} ']
        return [f"site-verification={r.getrandbits(64):016x}"]

    def build(self):
        r = self.rng
        n_nx = round(self.n * NX_SHARE)
        n_cname = round(self.n * CNAME_SHARE)
        n_plain = self.n - n_nx - n_cname
        mx_hosts = [self.fqdn(f"mx{i}") for i in range(max(3, self.n // 200))]
        for h in mx_hosts:
            for _ in range(r.randrange(1, 3)):
                self.add(h, "A", self.ipv4())
            if r.random() < 0.3:
                self.add(h, "AAAA", self.ipv6())

        plain = []
        for i in range(n_plain):
            # Some names sit one label below another existing name.
            if plain and r.random() < 0.1:
                name = f"{r.choice(('www', 'mail', 'smtp'))}{i}.{r.choice(plain)}"
            else:
                name = self.fqdn(f"h{i}")
            plain.append(name)
            rrs = {t for t, p in (("A", 0.75), ("AAAA", 0.4), ("MX", 0.35),
                                  ("TXT", 0.45)) if r.random() < p}
            if not rrs:
                rrs = {"A"}
            if "A" in rrs:
                for _ in range(r.randrange(1, 4)):
                    self.add(name, "A", self.ipv4())
            if "AAAA" in rrs:
                for _ in range(r.randrange(1, 3)):
                    self.add(name, "AAAA", self.ipv6())
            if "MX" in rrs:
                for host in r.sample(mx_hosts, r.randrange(1, 4)):
                    self.add(name, "MX", f"{r.choice((0, 5, 10, 20, 30))} {host}")
            if "TXT" in rrs:
                for _ in range(r.randrange(1, 3)):
                    self.add(name, "TXT", self.txt())
        # Deduplicate RRs (an RRset is a set; NSD would drop duplicates).
        for rrsets in self.records.values():
            for t, lst in rrsets.items():
                seen = []
                for d in lst:
                    if d not in seen:
                        seen.append(d)
                rrsets[t] = seen

        with_a = [name for name in plain if "A" in self.records[name]] or mx_hosts
        cnames = []
        for i in range(n_cname):
            chain = [self.fqdn(f"c{i}")] + [self.fqdn(f"c{i}-{k}")
                                            for k in range(1, r.randrange(1, 4))]
            for a, b in zip(chain, chain[1:] + [r.choice(with_a)]):
                self.cname[a] = b
            cnames.append(chain[0])

        nx = []
        for i in range(n_nx):
            if r.random() < 0.5:
                nx.append(self.fqdn(f"nx{i}"))
            else:  # below an existing leaf: still NXDOMAIN
                nx.append(f"nope{i}.{r.choice(plain)}")
        self.queries = plain + cnames + nx

    def answers(self, name, rtype, rrsets):
        """(status, answers as JSON text) the way NSD answers name/rtype:
        in-zone CNAMEs are followed. rrsets maps owner -> JSON text of its
        rtype RRs (see rrsets_json)."""
        parts = []
        while name in self.cname:
            target = self.cname[name]
            parts.append(rr_json(name, "CNAME", target))
            name = target
        if not parts and name not in self.records:
            return "NXDOMAIN", ""
        if name in rrsets:
            parts.append(rrsets[name])
        return "NOERROR", ", ".join(parts)

    def rrsets_json(self, rtype):
        """owner -> JSON text of its rtype answers, computed once per type."""
        return {o: ", ".join(rr_json(o, rtype, "".join(d) if rtype == "TXT" else d)
                             for d in sets[rtype])
                for o, sets in self.records.items() if rtype in sets}

    def write_zone(self, path):
        z = self.zone + "."
        lines = [f"$ORIGIN {z}", f"$TTL {TTL}",
                 f"@ IN SOA ns1.{z} hostmaster.{z} 1 3600 900 604800 3600",
                 f"@ IN NS ns1.{z}", f"ns1.{z} IN A 127.0.0.1"]
        for owner, rrsets in self.records.items():
            for t, lst in rrsets.items():
                for d in lst:
                    if t == "TXT":
                        d = " ".join(zone_quote(s) for s in d)
                    lines.append(f"{owner} IN {t} {d}")
        for owner, target in self.cname.items():
            lines.append(f"{owner} IN CNAME {target}")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")

    def mixed_case(self, name):
        if self.rng.random() >= MIXED_CASE_SHARE:
            return name
        return "".join(c.upper() if self.rng.random() < 0.5 else c for c in name)

    def write_queries(self, out):
        for t in TYPES:
            # Shuffle by sorting on random keys: much faster than
            # random.shuffle for 10^5 names, and just as deterministic.
            keys = [self.rng.getrandbits(40) for _ in self.queries]
            order = [self.queries[i]
                     for i in sorted(range(len(keys)), key=keys.__getitem__)]
            names = [self.mixed_case(q[:-1]) + "\n" for q in order]
            rrsets = self.rrsets_json(t)
            truth = []
            for q in order:
                # Same text as json.dumps of the dict, built by hand for speed.
                status, answers = self.answers(q, t, rrsets)
                truth.append(f'{{"name": "{q}", "type": "{t}", "status": "{status}", '
                             f'"answers": [{answers}]}}\n')
            with open(os.path.join(out, f"names-{t}.txt"), "w") as f:
                f.write("".join(names))
            with open(os.path.join(out, f"truth-{t}.jsonl"), "w") as f:
                f.write("".join(truth))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--names", type=int, required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--zone", default="sim.test")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    # Millions of small objects and no cycles: the cyclic GC would only
    # rescan them over and over (it costs about half the run time).
    gc.disable()
    os.makedirs(a.out, exist_ok=True)
    g = Generator(a.names, a.seed, a.zone)
    g.build()
    g.write_zone(os.path.join(a.out, g.zone + ".zone"))
    g.write_queries(a.out)


if __name__ == "__main__":
    main()
