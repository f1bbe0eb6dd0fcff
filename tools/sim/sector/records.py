"""Evaluators of the DNS records: SPF (RFC 7208) and DMARC (RFC 9989), what
the truth says from the records.

Part of tools/sim/gen_sector.py (see its documentation).
"""

import ipaddress
import re

from sector.constants import PSL_SUFFIXES


SPF_MODIFIER = re.compile(r"([A-Za-z][A-Za-z0-9_.-]*)=(.*)\Z", re.S)
SPF_MECHANISM = re.compile(r"([-+?~]?)([A-Za-z][A-Za-z0-9_.-]*)(.*)\Z", re.S)
SPF_CIDR = re.compile(r"(/(\d+))?(//(\d+))?\Z")
DOMAIN_SPEC = re.compile(r"[A-Za-z0-9_.-]+\Z")  # no macros in the sim
URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s,;!]+\Z")
IP4_CIDR = re.compile(r"(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(/(\d{1,2}))?\Z")
ALNUM_1_32 = re.compile(r"[A-Za-z0-9]{1,32}\Z")
TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def is_spf(text):
    t = text.lower()
    return t == "v=spf1" or t.startswith("v=spf1 ")


def has_version(text, version):
    """The scanner's prefix rule (scanner/scan/txt_records.cc)."""
    t = text.lstrip(" \t")
    if t[:len(version)].lower() != version.lower():
        return False
    return len(t) == len(version) or t[len(version)] in " ;\t"


SPF_PARSED = {}


def parse_spf(record):
    """(ok, [(qualifier, name, domain or None)], redirect or None)."""
    got = SPF_PARSED.get(record)
    if got is None:
        got = SPF_PARSED[record] = parse_spf_uncached(record)
    return got


def parse_spf_uncached(record):
    mechs, redirect, seen = [], None, set()
    for term in record.split()[1:]:
        m = SPF_MODIFIER.match(term)
        if m:
            name = m.group(1).lower()
            if name in ("redirect", "exp"):
                if name in seen or not DOMAIN_SPEC.match(m.group(2)):
                    return False, [], None
                seen.add(name)
                if name == "redirect":
                    redirect = m.group(2).lower()
            continue  # unknown modifiers are ignored (RFC 7208 6)
        m = SPF_MECHANISM.match(term)
        if not m:
            return False, [], None
        q, name, rest = m.group(1) or "+", m.group(2).lower(), m.group(3)
        domain = None
        if name == "all":
            if rest:
                return False, [], None
        elif name in ("include", "exists"):
            if not rest.startswith(":") or not DOMAIN_SPEC.match(rest[1:]):
                return False, [], None
            domain = rest[1:].lower()
        elif name in ("a", "mx", "ptr"):
            if rest.startswith(":"):
                domain, _, cidr = rest[1:].partition("/")
                if not DOMAIN_SPEC.match(domain):
                    return False, [], None
                domain = domain.lower()
                rest = "/" + cidr if cidr else ""
            c = SPF_CIDR.match(rest)
            if not c or name == "ptr" and rest:
                return False, [], None
            if (c.group(2) and int(c.group(2)) > 32 or
                    c.group(4) and int(c.group(4)) > 128):
                return False, [], None
        elif name in ("ip4", "ip6"):
            if not rest.startswith(":"):
                return False, [], None
            m = IP4_CIDR.match(rest[1:])
            if name == "ip4" and m:
                if (max(int(o) for o in m.groups()[:4]) > 255 or
                        m.group(6) and int(m.group(6)) > 32):
                    return False, [], None
                mechs.append((q, name, domain))
                continue
            try:
                net = ipaddress.ip_network(rest[1:], strict=False)
            except ValueError:
                return False, [], None
            if net.version != (4 if name == "ip4" else 6):
                return False, [], None
        else:
            return False, [], None  # unknown mechanism: permerror
        mechs.append((q, name, domain))
    return True, mechs, redirect


class Spf:
    """check_host() of RFC 7208 without a client IP: every term is
    evaluated (a scanner cannot stop at the first match). Two counts are
    kept: the whole tree, and where an evaluator stopping at the first
    permerror would be; a count is certain when both agree.

    What an include/redirect target contributes does not depend on who
    includes it, so it is evaluated once, as a list of events (a lookup, a
    void lookup, a permerror, ...), and replayed wherever it is included."""

    def __init__(self, dns, trace=None):
        self.dns = dns
        self.trace = trace  # a list: record events instead of applying them
        self.lookups = self.voids = self.half_voids = 0
        self.error = None
        self.at_error = None
        self.lookups_unsure = self.voids_unsure = False

    def emit(self, event, why=None):
        if self.trace is not None:
            self.trace.append((event, why))
        elif event == "lookup":
            self.lookups += 1
            if self.lookups > 10:
                self.fail("more than 10 DNS lookups")
        elif event == "void":
            self.voids += 1
            if self.voids > 2:
                self.fail("more than 2 void lookups")
        elif event == "half-void":
            # Void for an evaluator that asks each address family
            # separately, not for one that asks for any address.
            self.half_voids += 1
            self.voids_unsure = True
        elif event == "fail":
            self.fail(why)
        elif event == "lookups-unsure":
            self.lookups_unsure = True
        elif event == "voids-unsure":
            self.voids_unsure = True

    def fail(self, why):
        if self.error is None:
            self.error = why
            self.at_error = (self.lookups, self.voids)

    def records(self, domain):
        status, txts, _ = self.dns.lookup(domain, "TXT")
        return status, [t for t in txts if is_spf(t)], txts

    def target(self, domain):
        """include:/redirect= target: returns its all ("" none, None
        unknown)."""
        cache = self.dns.spf_targets
        got = cache.get(domain)
        if got is None:
            sub = Spf(self.dns, trace=[])
            all_q = sub.target_uncached(domain)
            got = cache[domain] = (sub.trace, all_q)
        for event, why in got[0]:
            self.emit(event, why)
        return got[1]

    def target_uncached(self, domain):
        status, spf, txts = self.records(domain)
        if status == "NXDOMAIN" or not txts:
            self.emit("void")
        if len(spf) != 1:
            self.emit("fail", "no SPF record at an include/redirect target"
                      if not spf else "several SPF records")
            return None
        return self.record(spf[0], domain)

    def record(self, text, domain):
        ok, mechs, redirect = parse_spf(text)
        if not ok:
            self.emit("fail", "syntax error")
            self.emit("lookups-unsure")
            self.emit("voids-unsure")
            return None
        all_q, after_all = "", False
        lookup = self.dns.lookup
        for q, name, target in mechs:
            if after_all:
                # Ignored by RFC 7208 5.1; a static counter may count them.
                if name in ("include", "a", "mx", "ptr", "exists"):
                    self.emit("lookups-unsure")
                    self.emit("voids-unsure")
                continue
            if name == "all":
                all_q, after_all = q + "all", True
            elif name == "include":
                self.emit("lookup")
                self.target(target)
            elif name == "a":
                self.emit("lookup")
                t = target or domain
                a, aaaa = lookup(t, "A")[1], lookup(t, "AAAA")[1]
                if not a and not aaaa:
                    self.emit("void")
                elif not a or not aaaa:
                    self.emit("half-void")
            elif name == "mx":
                self.emit("lookup")
                hosts = [h for _, h in lookup(target or domain, "MX")[1]]
                if not hosts:
                    self.emit("void")
                for h in hosts:
                    # Whether an MX host without addresses counts as void
                    # is read differently by implementations.
                    if not h or not (lookup(h, "A")[1] or lookup(h, "AAAA")[1]):
                        self.emit("voids-unsure")
            elif name in ("ptr", "exists"):  # depend on the client IP
                self.emit("lookup")
                self.emit("voids-unsure")
        if redirect is not None:
            if after_all:
                self.emit("lookups-unsure")
                self.emit("voids-unsure")
                return all_q
            self.emit("lookup")
            return self.target(redirect)
        return all_q

    def truth(self, domain):
        _, spf, _ = self.records(domain)
        if not spf:
            return {"present": False}
        if len(spf) > 1:
            return {"present": True, "valid": False}
        out = {"present": True, "record": spf[0]}
        all_q = self.record(spf[0], domain)
        if self.error is None and self.voids + self.half_voids > 2:
            pass  # valid depends on how void lookups are counted
        else:
            out["valid"] = self.error is None
        if all_q is not None:
            out["all"] = all_q
        at = self.at_error or (self.lookups, self.voids)
        if not self.lookups_unsure and at[0] == self.lookups:
            out["dnsLookups"] = self.lookups
        if not self.voids_unsure and at[1] == self.voids:
            out["voidLookups"] = self.voids
        return out


DMARC_PARSED = {}


def parse_dmarc(text):
    """Tags of a valid RFC 9989 record, or None (do not modify them)."""
    if text not in DMARC_PARSED:
        DMARC_PARSED[text] = parse_dmarc_uncached(text)
    return DMARC_PARSED[text]


def parse_dmarc_uncached(text):
    tags = {}
    for i, part in enumerate(text.split(";")):
        part = part.strip(" \t")
        if not part:
            continue
        if "=" not in part:
            return None
        k, v = part.split("=", 1)
        k, v = k.strip(" \t").lower(), v.strip(" \t")
        if (i == 0) != (k == "v") or k in tags or not TAG_NAME.match(k):
            return None
        tags[k] = v
    if tags.get("v") != "DMARC1" or "p" not in tags:
        return None
    for k in ("p", "sp", "np"):
        if k in tags and tags[k].lower() not in ("none", "quarantine",
                                                  "reject"):
            return None
    for k, allowed in (("adkim", "rs"), ("aspf", "rs"), ("t", "yn"),
                       ("psd", "ynu")):
        if k in tags and (len(tags[k]) != 1 or tags[k].lower() not in allowed):
            return None
    if "fo" in tags and not all(o.strip() in ("0", "1", "d", "s")
                                for o in tags["fo"].split(":")):
        return None
    for k in ("rua", "ruf"):
        if k in tags and not all(URI.match(u.strip())
                                 for u in tags[k].split(",")):
            return None
    return tags


def psl_org_domain(name, suffixes=PSL_SUFFIXES):
    """The organisational domain of `name` under the public suffixes
    `suffixes` (RFC 7489 section 3.2; no wildcards or exceptions in the
    sim's lists)."""
    labels = name.split(".")
    for i in range(len(labels)):
        if ".".join(labels[i:]) in suffixes:
            return ".".join(labels[i - 1:]) if i > 0 else None
    return ".".join(labels[-2:])


def ancestors(name):
    while "." in name:
        name = name.split(".", 1)[1]
        yield name
