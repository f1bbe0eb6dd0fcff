"""The sector's in-memory DNS, answering as NSD does, and the zone files
written from it.

Part of tools/sim/gen_sector.py (see its documentation).
"""

import base64
import functools
import hashlib
import os

from sector.constants import FARM_KEYS, ROOT, TTL, ZONES


def fqdn(name):
    """A name as zone files write it: with its trailing dot."""
    return name if name == ROOT else name + "."


def zone_file_name(zone):
    """The file a fixed zone is written to, relative to the output."""
    return "root.zone" if zone == ROOT else zone + ".zone"


@functools.lru_cache(maxsize=None)
def farm_spki_sha256(name):
    """SHA-256 (hex) of the SubjectPublicKeyInfo of the farm's fixed key
    `name` (tools/sim/farm_keys/<name>.pub.pem: base64 of the DER SPKI)."""
    with open(os.path.join(FARM_KEYS, name + ".pub.pem")) as f:
        b64 = "".join(l.strip() for l in f if not l.startswith("-----"))
    return hashlib.sha256(base64.b64decode(b64)).hexdigest()


def zone_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Dns:
    """Owner (lowercase, no trailing dot) -> [(type, data)], answered the
    way NSD answers: CNAMEs followed, NXDOMAIN vs NODATA (empty
    non-terminals exist). Data: A/AAAA/CNAME/NS/SOA text, MX (preference,
    host or "" for the null MX), TXT the joined text (split into strings
    when written), TLSA (usage, selector, matching type, hex)."""

    def __init__(self, zones=ZONES):
        # The fixed zones: the sim's own, and with real names (--names) the
        # root and the names' top-level domains (sector.names.Layout).
        self.zones = zones
        self.zones_by_length = tuple(sorted(
            (z for z in zones if z != ROOT), key=len, reverse=True))
        self.has_root = ROOT in zones
        self.db = {}
        self.ents = set()
        self.cnames = {}
        self.spf_targets = {}  # Spf.target()'s cache
        self.dkim_selectors = {}
        # With DNSSEC: registered domain -> its zone's kind ("secure",
        # "insecure", "bogus-tlsa", DNSSEC_BOGUS_KINDS); zones whose every
        # answer is bogus; (owner, type) RRsets whose answer is bogus.
        self.domain_zones = {}
        self.bogus_zones = set()
        self.bogus_rrsets = set()

    def fixed_zone(self, name):
        """The fixed zone under which `name` falls, or None when it is
        outside the sim's tree."""
        for z in self.zones_by_length:
            if name == z or name.endswith("." + z):
                return z
        return ROOT if self.has_root else None

    def parent_zone(self, zone):
        """The fixed zone that delegates the fixed zone `zone` (None for the
        top of the tree: the root, else sim)."""
        if zone == ROOT:
            return None
        return self.fixed_zone(zone.partition(".")[2] or ROOT)

    def top_zone(self):
        """The zone whose key is the trust anchor."""
        return next(z for z in self.zones if self.parent_zone(z) is None)

    def zone(self, name):
        """The zone that holds `name`: a domain's own zone, else a fixed
        one."""
        if self.domain_zones:
            n = name
            while True:
                if n in self.domain_zones:
                    return n
                i = n.find(".")
                if i < 0:
                    break
                n = n[i + 1:]
        return self.fixed_zone(name)

    def dnssec_status(self, name):
        """What a validating resolver says of an answer about `name`."""
        if not self.domain_zones:
            return None
        zone = self.zone(name)
        if zone in self.bogus_zones:
            return "BOGUS"
        return ("INSECURE" if self.domain_zones.get(zone) == "insecure"
                else "SECURE")

    def add(self, owner, rtype, data):
        if rtype == "CNAME":
            self.cnames[owner] = data
        recs = self.db.get(owner)
        if recs is None:
            self.db[owner] = [(rtype, data)]
        else:
            recs.append((rtype, data))

    def has(self, owner):
        return owner in self.db

    def finish(self):
        """Computes the empty non-terminals and an index of DKIM selectors
        (domain -> selectors with records); call before lookups."""
        db, ents, selectors = self.db, self.ents, self.dkim_selectors
        for owner in db:
            if "._domainkey." in owner:
                sel, _, domain = owner.partition("._domainkey.")
                if "." not in sel:
                    selectors.setdefault(domain, set()).add(sel)
            name = owner
            while True:
                i = name.find(".")
                if i < 0:
                    break
                name = name[i + 1:]
                if name in db or name in ents:
                    break
                ents.add(name)

    def lookup(self, name, rtype):
        """(status, [data], cname links followed)."""
        links = 0
        db, cnames = self.db, self.cnames
        while True:
            if self.domain_zones and (self.zone(name) in self.bogus_zones or
                                     (name, rtype) in self.bogus_rrsets):
                return "SERVFAIL", [], links
            recs = db.get(name)
            if recs is None:
                if name in self.ents:
                    return "NOERROR", [], links
                if self.fixed_zone(name) is None:
                    raise ValueError(f"{name}: outside the sim's zones")
                return "NXDOMAIN", [], links
            if rtype != "CNAME":
                target = cnames.get(name)
                if target is not None:
                    links += 1
                    if links > 8:
                        raise ValueError(f"{name}: CNAME chain too long")
                    name = target
                    continue
            return "NOERROR", [d for t, d in recs if t == rtype], links

    def canonical(self, name):
        """The name at the end of `name`'s CNAME chain (itself without)."""
        for _ in range(9):
            target = self.cnames.get(name)
            if target is None:
                return name
            name = target
        raise ValueError(f"{name}: CNAME chain too long")

    def write_zones(self, out):
        lines = {z: [f"$TTL {TTL}"] for z in (*self.zones, *self.domain_zones)}
        for owner, recs in self.db.items():
            zl = lines[self.zone(owner)]
            o = fqdn(owner)
            for t, d in recs:
                if t == "TXT":
                    d = " ".join(zone_quote(d[i:i + 255])
                                 for i in range(0, max(len(d), 1), 255))
                elif t == "MX":
                    d = f"{d[0]} {d[1]}." if d[1] else f"{d[0]} ."
                elif t == "TLSA":
                    d = f"{d[0]} {d[1]} {d[2]} {d[3]}"
                elif t in ("CNAME", "NS"):
                    d = d + "."
                zl.append(f"{o} IN {t} {d}")
        # Delegations of the child zones, in their parent zone (NSD serves
        # both, and answers from the closest zone it has).
        for z in self.zones:
            parent = self.parent_zone(z)
            if parent is not None:
                lines[parent].append(f"{z}. IN NS ns1.sim.")
        for d in self.domain_zones:
            lines[self.fixed_zone(d)].append(f"{d}. IN NS ns1.sim.")
        files = {z: zone_file_name(z) for z in self.zones}
        if self.domain_zones:
            os.makedirs(os.path.join(out, "zones"), exist_ok=True)
            files.update((d, f"zones/{d}.zone") for d in self.domain_zones)
        for z, name in files.items():
            with open(os.path.join(out, name), "w") as f:
                f.write("\n".join(lines[z]) + "\n")
        with open(os.path.join(out, "zones.txt"), "w") as f:
            f.write("".join(f"{z} {name}\n" for z, name in files.items()))
