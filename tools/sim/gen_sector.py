#!/usr/bin/env python3
"""Writes a simulated public sector (DNS and SMTP halves) and its ground truth.

    gen_sector.py --domains N --seed S --out DIR [--address-base 127]
                  [--mta-sts-dir POLICY_DIR] [--hostile-share S]
                  [--dnssec-share S]

DIR/<zone>.zone    zone files for NSD: the sector zones gov.sim, council.sim,
                   nhs.sim, school.sim, the mail providers' provider.sim and
                   the parent zone sim (so that every name a scan asks about,
                   _dmarc.sim included, gets an authoritative answer)
DIR/zones.txt      "zone zonefile" per line (file names relative to DIR),
                   for `nsd_server.sh start DIR PORT --zones DIR/zones.txt`
DIR/psl.dat        the sim's public suffixes in Public Suffix List format
DIR/domains.csv    "domain,sector" with a header: the scan's input, one line
                   per domain, ~2% edge cases (mixed case, trailing dot, IDN
                   names in UTF-8, a few invalid names)
DIR/truth.jsonl    one JSON object per input line, in the shape of
                   `mxscan dump --format jsonl` (proto3 JSON names), holding
                   only the fields whose value is certain; "_posture" lists
                   what the generator built (ignored by check_sector.py)
DIR/addresses.json the SMTP+HTTPS farm's behaviours file (tools/farm,
                   smtp_farm --behaviours): every MX address (IPv4 in
                   127.0.0.0/8, and IPv4-mapped IPv6 ::ffff:127.x.y.z, so
                   that any connection stays on loopback) -> its host name
                   and SMTP behaviour; MTA-STS policy hosts with a hostile
                   HTTPS behaviour
DIR/mta-sts.json   domain -> MTA-STS policy body; --mta-sts-dir writes
                   them as POLICY_DIR/<domain> too (smtp_farm --mta-sts)
DIR/zones/<d>.zone with --dnssec-share: each registered domain's own zone;
DIR/dnssec.json    and the plan sign_sector.py signs them by (signed,
                   insecure and bogus zones; tools/sim/README.md)

The truth is not written from the generator's intentions: it is computed by
small evaluators (SPF per RFC 7208, DMARC per RFC 9989 with the PSL of RFC
7489 as a cross-check, MTA-STS/TLS-RPT/BIMI/DKIM record rules, MTA-STS
policies per RFC 8461, the SMTP probe each farm behaviour makes a client
see) that resolve names against the same in-memory records the zone files
are written from.
Where a value would depend on a reading of an RFC that implementations
disagree on, the field is left out (tools/sim/README.md lists them).

Same seed, same arguments: byte-identical files.
"""

import argparse
import base64
import functools
import gc
import hashlib
import ipaddress
import json
import os
import random
import re

TTL = 3600
# Public suffixes of the sim (psl.dat). provider.sim is in the list's
# private section, as hosting platforms are in the real list: each mail
# provider under it (bigmail.provider.sim, ...) is its own organisational
# domain, so statistics tell the providers apart.
ICANN_SUFFIXES = ("sim", "gov.sim", "council.sim", "nhs.sim", "school.sim")
PRIVATE_SUFFIXES = ("provider.sim",)
PSL_SUFFIXES = ICANN_SUFFIXES + PRIVATE_SUFFIXES
ZONES = ("sim", "gov.sim", "council.sim", "nhs.sim", "school.sim",
         "provider.sim")
# Longest first, for zone_of().
ZONES_BY_LENGTH = tuple(sorted(ZONES, key=len, reverse=True))

# The selectors a scan asks about when --dkim-selectors is not given: a copy
# of kDefaultDkimSelectors in scanner/checks/dkim/default_selectors.h. The
# truth's dkim lists the keys found under these; keys are published only
# under selectors that were also in the list's previous version
# (scanner/checks/default_dkim_selectors.h). tests/sim/sector_dns_test.sh
# checks that every selector the truth names is in the scanner's list.
DEFAULT_DKIM_SELECTORS = (
    "google", "selector1", "selector2", "k1", "k2", "k3", "mandrill", "s1",
    "s2", "default", "dkim", "mail", "smtp", "everlytic", "mxvault",
    "protonmail", "fm1", "zoho", "cm", "mailjet")
# Selectors self-hosted domains publish keys under.
SELF_DKIM_SELECTORS = ("default", "dkim", "mail", "k1", "k2", "selector1",
                       "s1", "s2", "smtp")
# A selector no scan guesses: keys only there leave _domainkey existing.
PRIVATE_DKIM_SELECTOR = "sim2024"

# Real public keys, generated once with
#   openssl genrsa 2048 | openssl rsa -pubout      (and 1024)
#   openssl genpkey -algorithm ed25519 | openssl pkey -pubout -outform DER
# (the last 32 bytes of the DER, base64). The private halves were discarded.
RSA2048_KEY = (
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqjPqxQfUFeso1vsmyo2ychGUOYWM"
    "CR8q8y6l4qw72Ly6tFIaB1jrr+xrgvQNlYMPHv7bcTAOi12+opo+81HgJrgo5V7yWmnjq2fO"
    "DNZsrRIVeLGOsbhzlZXvQVQJDubYCCBLfRz1baVvf0HQIbSGsDcZHqKpKyanRluv42W97qof"
    "Jlpf7tOzIZcgec3ieSVKP2Wby0Hjpu/ZH4QAzpRGGB6YCrJj9lQz28ICIDzWAhUpZVdNS2Jj"
    "hNrnnZDeTzbe5mu7BoUdi/Q4mo4wDV0bKc2h++NCjM7yUvPzsDif+dQ0yurrUJpn5JjbFyQy"
    "gr4pZbRfBxUqjKwkr8EX9tjEmwIDAQAB")
RSA1024_KEY = (
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDSR8glUmCgk7ynNpaSClzGva4/OZLM7pxb"
    "8Fu6zjjKmZOOFWWq7xP/QjuVgQFEEUqEtEPklXQpLt+uVIg4zyfh4Ftf+fI61h/M15bK+un4"
    "0xty3t2+2zFS3n/9+5OUppsRRic9U25miZN67sy8Au0o72HOXFEa1MP6pKxQw0QPQwIDAQAB")
ED25519_KEY = "99oeFYzLj+7CmB8PxNTlIufZ0iIHwrphySojbWGAkAs="

SECTORS = (
    # sector, zone, share of the domains, name stems
    ("central government", "gov.sim", 0.15,
     ("transport", "treasury", "justice", "defence", "revenue", "statistics",
      "land-registry", "met-office", "companies-house", "environment-agency",
      "food-standards", "courts", "culture", "energy", "work-pensions")),
    ("local government", "council.sim", 0.30,
     ("ashford", "brightwell", "carrow", "dunmere", "eastleigh", "farnley",
      "glenmoor", "harwood", "ivybridge", "kettleby", "lowfield", "marston",
      "northam", "oakridge", "pellston", "queensbury", "redhill", "stanmore")),
    ("health", "nhs.sim", 0.25,
     ("general-hospital", "health-trust", "ambulance", "mental-health",
      "community-care", "surgery", "gp-practice", "childrens-hospital",
      "dental", "pharmacy")),
    ("education", "school.sim", 0.30,
     ("primary", "academy", "high-school", "college", "university",
      "grammar", "infant-school", "sixth-form", "learning-trust")),
)
# Unicode stems for IDN names (NFC, lowercase, PVALID in IDNA2008, and the
# same under UTS 46 non-transitional mapping): their A-label is plain
# RFC 3492 Punycode.
IDN_STEMS = ("münchen", "zürich", "malmö", "ålesund", "tromsø", "göteborg",
             "café", "señora", "kraków", "düsseldorf")
SUB_LABELS = ("it", "digital", "planning", "hr", "alerts", "news", "careers",
              "events", "research", "library", "estates", "finance")
INVALID_NAMES = ("bad..name.gov.sim", "has space.council.sim",
                 "exclaim!.nhs.sim", "x" * 64 + ".school.sim")

MAILHOST = "mailhost"
PROVIDERS = {
    # name: MX set, SPF record name, DNS lookups an include of it costs,
    # DKIM selectors its customers publish, share of all domains
    "bigmail": {
        "mx": ((1, "aspmx.bigmail.provider.sim"),
               (5, "alt1.aspmx.bigmail.provider.sim"),
               (5, "alt2.aspmx.bigmail.provider.sim"),
               (10, "alt3.aspmx.bigmail.provider.sim"),
               (10, "alt4.aspmx.bigmail.provider.sim")),
        "spf": "_spf.bigmail.provider.sim", "lookups": 4,
        "dkim": ("google",), "share": 0.17},
    "msmail": {
        "mx": ((0, "mail.protection.msmail.provider.sim"),),
        "spf": "spf.protection.msmail.provider.sim", "lookups": 2,
        "dkim": ("selector1", "selector2"), "share": 0.12},
    "govmail": {
        "mx": ((10, "mx1.govmail.provider.sim"),
               (20, "mx2.govmail.provider.sim")),
        "spf": "_spf.govmail.provider.sim", "lookups": 3,
        "dkim": ("s1", "s2"), "share": 0.08},
    MAILHOST: {
        "mx": ((10, "mx.mailhost.provider.sim"),
               (20, "mx2.mailhost.provider.sim")),
        "spf": "_spf.mailhost.provider.sim", "lookups": 1,
        "dkim": ("default",), "share": 0.03},
}
NEWSLETTERS_SPF = "_spf.newsletters.provider.sim"
NO_SPF_INCLUDE = "_spf.oldhost.provider.sim"  # has a TXT, but no SPF record
REPORTS_DEST = "reports.provider.sim"         # external DMARC rua destination

# Shares of all input lines.
NX_SHARE = 0.02
SUBDOMAIN_SHARE = 0.04
IDN_SHARE = 0.003
MIXED_CASE_SHARE = 0.008
TRAILING_DOT_SHARE = 0.008
# Mail setups of the existing domains (the providers' shares are above).
NULL_MX_SHARE = 0.02
IMPLICIT_MX_SHARE = 0.03
# Within self-hosted domains.
CNAME_MX_SHARE = 0.018
DEAD_MX_SHARE = 0.018
TLSA_SHARE = 0.08

# DNSSEC (--dnssec-share S): the sim's root (sim), the sector zones and
# provider.sim are signed; every registered domain becomes a zone of its
# own, signed with probability S, else an insecure delegation. A signed
# zone is broken with these probabilities (sign_sector.py makes the damage;
# a validating resolver answers SERVFAIL for every name in it):
DNSSEC_BOGUS_KINDS = (("bogus-expired", 0.02),   # signatures expired
                      ("bogus-ds", 0.02),        # the DS matches no DNSKEY
                      ("bogus-no-rrsig", 0.02))  # RRSIGs stripped
# Of the signed zones that publish TLSA: the TLSA RRsets' RRSIGs are
# missing ("bogus-tlsa": the MX answer validates, the TLSA answer is bogus).
TLSA_BOGUS_SHARE = 0.15
# What the TLSA records of a self-hosted MX say, once the farm's keys are
# known (tools/sim/farm_keys): DANE-EE 3 1 1 of the leaf key, DANE-TA
# 2 1 1 of the intermediate CA's key, or digests that match nothing.
DANE_KINDS = (("ee", 0.5), ("ta", 0.25), ("nomatch", 0.25))
FARM_KEYS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "farm_keys")
# The behaviours whose chain leads to the intermediate with a leaf valid
# now (DANE-TA also needs the leaf valid for the name: RFC 7672 3.2.2).
TA_CHAIN_OK = ("expired", "self_signed", "missing_intermediate", "wrong_name")

# SPF postures: (kind, weight for self-hosted, weight for provider customers).
SPF_KINDS = (
    ("none", 12, 8), ("basic", 30, 52), ("ip", 8, 8), ("newsletters", 5, 8),
    ("chain", 10, 0), ("redirect", 5, 0), ("neutral", 3, 2), ("pass", 1.5, .5),
    ("bareall", .5, .2), ("noall", 1.5, 1), ("long", 2, 1), ("onevoid", 2, 1),
    ("multiple", 2, 2), ("syntax", 2, 1.5), ("toomany", 1.5, 1.5),
    ("voids", 1.5, 1), ("includenospf", 1.5, 1.5))
SPF_SELF = ([k for k, _, _ in SPF_KINDS], [w for _, w, _ in SPF_KINDS])
SPF_PROVIDER = ([k for k, _, _ in SPF_KINDS], [w for _, _, w in SPF_KINDS])
DMARC_KINDS = (("absent", "none", "quarantine", "reject", "broken", "multiple"),
               (24, 22, 18, 27, 3, 1.5))
BROKEN_DMARC = ("v=DMARC1; p=reject; p=none", "v=DMARC1; p=quarantine; t=x",
                "v=DMARC1; p=reject; fo=x", "v=DMARC1; p=none; sp=invalid")
BROKEN_SPF_TERMS = ("ip4:300.10.2.1", "ip4:192.0.2.0/33", "ipv4:192.0.2.10")

# --- the SMTP half ---------------------------------------------------------
# SMTP behaviours of the farm (tools/farm/README.md, behaviours.h) and their
# weights among the self-hosted MX addresses (implicit MX included); the
# shared providers' addresses are always "valid". The slow and hostile ones
# are rare: "silent" costs the scan a reply timeout, "defer_421" and
# "starttls_refused" (4xx: the scanner retries twice with back-off) cost a
# few seconds each.
SMTP_BEHAVIOURS = (
    ("valid", 62.3), ("no_starttls", 6), ("starttls_refused", 2),
    ("tls10_only", 3), ("expired", 4), ("self_signed", 4), ("wrong_name", 4),
    ("missing_intermediate", 3), ("multiline_banner", 3), ("defer_421", 1.5),
    ("ehlo_502", 1.5), ("silent", 0.7), ("garbage_tls", 1),
    ("reset_handshake", 1), ("starttls_injection", 1), ("slow_banner", 1),
    ("endless_line", 0.5), ("huge_reply", 0.5))
SMTP_BEHAVIOUR_NAMES = [b for b, _ in SMTP_BEHAVIOURS]
SMTP_BEHAVIOUR_WEIGHTS = [w for _, w in SMTP_BEHAVIOURS]
# A further address of a self-hosted MX host behaves on its own (another
# server behind the same name) with this probability, else like the first.
SMTP_OWN_BEHAVIOUR_SHARE = 0.15
# slow_banner's greeting delay: well under any sensible reply timeout (the
# truth assumes --smtp-timeout-ms of 1500 or more; the default is 30000).
SLOW_BANNER_MS = 600
# The slow policy host never answers within any timeout: the farm drops the
# connection after its --timeout-ms (60 s) first.
SLOW_POLICY_MS = 3600 * 1000
# Where the farm's HTTPS listener is (its --https-address default):
# every mta-sts.<domain> with a policy host resolves to it.
POLICY_HOST_ADDRESS = "127.0.0.1"
# Policy hosts with only an AAAA record (a scanner must fetch over IPv6).
POLICY_IPV6_ONLY_SHARE = 0.1
# Self-hosted MX hosts with IPv6 whose A records go: reachable over IPv6
# only.
IPV6_ONLY_MX_SHARE = 0.1
# MTA-STS policy postures of the domains with a valid _mta-sts TXT record
# and MX hosts (null-MX domains get no policy host).
MTA_STS_POLICIES = (
    ("enforce", 45), ("testing", 20), ("not-covered", 10), ("none", 4),
    ("invalid", 4), ("no-host", 5), ("not-found", 4), ("redirect", 3),
    ("expired-cert", 3), ("huge", 1), ("slow", 1))
MTA_STS_MAX_AGES = (86400, 604800, 1209600, 31557600)
# The hostile ones (--hostile-share): servers that stall, flood, break the
# TLS handshake, inject or defer, and policy hosts that redirect, present an
# expired certificate, send 1 MiB or never answer.
HOSTILE_SMTP_BEHAVIOURS = ("silent", "endless_line", "huge_reply",
                           "garbage_tls", "reset_handshake",
                           "starttls_injection", "slow_banner", "defer_421")
HOSTILE_POLICIES = ("redirect", "expired-cert", "huge", "slow")


def hostile_weights(kinds, hostile, share):
    """The weights of (kind, weight) pairs scaled so that the kinds in
    `hostile` make up `share` of the total, each keeping its part of the
    hostile total (and the others of the rest)."""
    h = sum(w for k, w in kinds if k in hostile)
    rest = sum(w for k, w in kinds if k not in hostile)
    return [w * share / h if k in hostile else w * (1 - share) / rest
            for k, w in kinds]
# Patterns covering each provider's MX hosts, and patterns that miss some.
PROVIDER_MTA_STS_MX = {
    "bigmail": (("aspmx.bigmail.provider.sim", "*.aspmx.bigmail.provider.sim"),
                ("*.bigmail.provider.sim",)),
    "msmail": (("*.protection.msmail.provider.sim",),
               ("mail.msmail.provider.sim",)),
    "govmail": (("*.govmail.provider.sim",), ("mx1.govmail.provider.sim",)),
    MAILHOST: (("mx.mailhost.provider.sim", "mx2.mailhost.provider.sim"),
               ("mx.mailhost.provider.sim",)),
}
# RFC 8461 section 3.2: max_age is at most 31557600.
MTA_STS_MAX_AGE_LIMIT = 31557600
MX_PATTERN_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")


# --- the in-memory DNS ------------------------------------------------------

def zone_of(name):
    for z in ZONES_BY_LENGTH:
        if name == z or name.endswith("." + z):
            return z
    return None


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

    def __init__(self):
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
        return zone_of(name)

    def dnssec_status(self, name):
        """What a validating resolver says of an answer about `name`."""
        if not self.domain_zones:
            return None
        kind = self.domain_zones.get(self.zone(name), "secure")
        if kind == "insecure":
            return "INSECURE"
        return "BOGUS" if kind.startswith("bogus-") and kind != "bogus-tlsa" \
            else "SECURE"

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
                if not name.endswith(".sim"):  # every zone is under sim
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

    def write_zones(self, out):
        lines = {z: [f"$TTL {TTL}"] for z in (*ZONES, *self.domain_zones)}
        for owner, recs in self.db.items():
            zl = lines[self.zone(owner)]
            o = owner + "."
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
        # Delegations of the child zones, in the parent zone sim (NSD serves
        # both, and answers from the closest zone it has).
        lines["sim"] += [f"{z}. IN NS ns1.sim." for z in ZONES if z != "sim"]
        for d in self.domain_zones:
            lines[zone_of(d)].append(f"{d}. IN NS ns1.sim.")
        files = {z: z + ".zone" for z in ZONES}
        if self.domain_zones:
            os.makedirs(os.path.join(out, "zones"), exist_ok=True)
            files.update((d, f"zones/{d}.zone") for d in self.domain_zones)
        for z, name in files.items():
            with open(os.path.join(out, name), "w") as f:
                f.write("\n".join(lines[z]) + "\n")
        with open(os.path.join(out, "zones.txt"), "w") as f:
            f.write("".join(f"{z} {name}\n" for z, name in files.items()))


# --- evaluators: what the truth says, from the records ---------------------

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


def psl_org_domain(name):
    labels = name.split(".")
    for i in range(len(labels)):
        if ".".join(labels[i:]) in PSL_SUFFIXES:
            return ".".join(labels[i - 1:]) if i > 0 else None
    return ".".join(labels[-2:])


def ancestors(name):
    while "." in name:
        name = name.split(".", 1)[1]
        yield name


# --- the SMTP half's evaluators --------------------------------------------

# The farm's leaf for wrong_name servers (tools/farm/tls_contexts.h).
FARM_WRONG_NAME = "wrong-name.farm.sim"


def dane_matches(records, behaviour, hostname_ok):
    """Whether a farm server with `behaviour` that completed a handshake is
    authenticated by one of the TLSA `records` (RFC 7672, as
    scanner/tls/dane.h judges): DANE-EE 3 1 1 of the shared leaf key under
    any chain; DANE-TA 2 1 1 of the intermediate when the chain carries it
    and the leaf is valid now and for the name."""
    for r in records:
        spec = (r["usage"], r["selector"], r["matchingType"], r["data"])
        if spec == (3, 1, 1, farm_spki_sha256("leaf")):
            return True
        if (spec == (2, 1, 1, farm_spki_sha256("intermediate")) and
                behaviour not in TA_CHAIN_OK and hostname_ok):
            return True
    return False


def smtp_truth(behaviour, cert_names, probe_name, tlsa_records=None,
               tlsa_authenticated=False):
    """What a probe of a farm address with `behaviour` (tools/farm/
    smtp_session.cc, farm_connection.cc, tls_contexts.cc) under SNI and
    name `probe_name` must report: the SmtpProbe fields that behaviour fixes
    whatever the client's timing. A client that follows RFC 5321/3207 and
    offers TLS 1.0-1.3 (scanner/smtp/session.h) sees:
      silent        connects, no greeting: a timeout at BANNER
      endless_line  a greeting line that never ends: over the reply-line
                    cap at BANNER
      defer_421     421 greeting (deferred; the server closes)
      ehlo_502      502 to EHLO, 250 to HELO: no STARTTLS, no error
      huge_reply    an EHLO reply of ~10,000 lines: over a reply cap at EHLO
      no_starttls   no STARTTLS in EHLO: no error, no TLS
      starttls_refused   454 to STARTTLS (deferred)
      starttls_injection a reply in the same write as the 220 to STARTTLS:
                    refused before the handshake, at STARTTLS
      garbage_tls   bytes that are not TLS after the ClientHello: HANDSHAKE
      reset_handshake    half the server's first flight, then a reset:
                    HANDSHAKE
      the rest      a handshake; the chain and version as the farm builds
                    them: tls10_only negotiates TLS 1.0, the others TLS 1.3
                    (the farm's modern context allows 1.2-1.3); expired,
                    self_signed and missing_intermediate chains do not
                    validate, a wrong_name leaf names another host.
    After a handshake, the MX host's TLSA records (`tlsa_records`) are
    judged against the chain seen (RFC 7672): only an authenticated
    (`tlsa_authenticated`: DNSSEC-validated) answer counts, and without
    --dnssec-share none is.
    None is "absent" (check_sector.py): no error, or no TLS."""
    out = {"connected": True}
    if behaviour in ("silent", "endless_line"):
        out.update(bannerCode=0, starttlsOffered=False, starttlsCode=0,
                   deferred=False, tlsAttempted=False, tls=None,
                   error={"stage": "BANNER",
                          "kind": "timeout" if behaviour == "silent"
                                  else "reply_too_large"})
        return out
    if behaviour == "defer_421":
        out.update(bannerCode=421, starttlsOffered=False, starttlsCode=0,
                   deferred=True, tlsAttempted=False, tls=None,
                   error={"stage": "BANNER", "code": 421, "kind": "temporary"})
        return out
    out["bannerCode"] = 220
    if behaviour == "ehlo_502":
        out.update(ehloCode=502, heloUsed=True, starttlsOffered=False,
                   starttlsCode=0, deferred=False, tlsAttempted=False,
                   tls=None, error=None)
        return out
    if behaviour == "huge_reply":
        out.update(ehloCode=0, starttlsOffered=False, starttlsCode=0,
                   deferred=False, tlsAttempted=False, tls=None,
                   error={"stage": "EHLO", "kind": "reply_too_large"})
        return out
    out.update(ehloCode=250, heloUsed=False)
    if behaviour == "no_starttls":
        out.update(starttlsOffered=False, starttlsCode=0, deferred=False,
                   tlsAttempted=False, tls=None, error=None)
        return out
    out["starttlsOffered"] = True
    if behaviour == "starttls_refused":
        out.update(starttlsCode=454, deferred=True, tlsAttempted=False,
                   tls=None,
                   error={"stage": "STARTTLS", "code": 454, "kind": "temporary"})
        return out
    out.update(starttlsCode=220, deferred=False)
    if behaviour == "starttls_injection":
        out.update(tls=None, error={"stage": "STARTTLS",
                                    "kind": "starttls_injection"})
        return out
    if behaviour in ("garbage_tls", "reset_handshake"):
        out.update(tlsAttempted=True, tls=None, error={"stage": "HANDSHAKE"})
        if behaviour == "garbage_tls":
            out["error"]["kind"] = "handshake_failed"
        return out
    names = [FARM_WRONG_NAME] if behaviour == "wrong_name" else cert_names
    chain_ok = behaviour not in ("expired", "self_signed",
                                 "missing_intermediate")
    out.update(tlsAttempted=True, error=None, tls={
        "version": "TLSv1" if behaviour == "tls10_only" else "TLSv1.3",
        "certTrusted": chain_ok,
        "hostnameMatch": probe_name in names,
        "certExpired": behaviour == "expired",
        "leafKeyBits": 2048})  # the farm's leaves are RSA-2048
    if tlsa_records:
        out["tlsa"] = {"records": tlsa_records,
                       "authenticated": tlsa_authenticated,
                       "daneValid": tlsa_authenticated and dane_matches(
                           tlsa_records, behaviour, probe_name in names)}
    return out


def mx_pattern_valid(pattern):
    """RFC 8461 section 3.2: ["*."] Domain, A-labels."""
    if pattern.startswith("*."):
        pattern = pattern[2:]
    labels = pattern.split(".")
    return (0 < len(pattern) <= 253 and
            all(MX_PATTERN_LABEL.match(l) for l in labels))


def mx_pattern_matches(host, pattern):
    """RFC 8461 section 4.1: case-insensitive; "*.example.com" covers
    exactly one more label."""
    host, pattern = host.lower().rstrip("."), pattern.lower().rstrip(".")
    if pattern.startswith("*."):
        head, _, rest = host.partition(".")
        return bool(head) and rest == pattern[2:]
    return host == pattern


def parse_mta_sts_policy(body):
    """(valid, mode, [mx patterns], max_age) of a policy body (RFC 8461
    section 3.2): "key: value" lines ended by LF or CRLF; version STSv1,
    mode and max_age exactly once; mx at least once unless mode is none.
    Only what the sim writes is told apart: known keys, no extensions."""
    seen, mx = {}, []
    for line in body.split("\n"):
        line = line.rstrip("\r").rstrip(" \t")
        if not line:
            continue
        key, colon, value = line.partition(":")
        if not colon or key not in ("version", "mode", "max_age", "mx"):
            return False, None, [], None
        value = value.strip(" \t")
        if key == "mx":
            if not mx_pattern_valid(value):
                return False, None, [], None
            mx.append(value)
        elif key in seen:
            return False, None, [], None
        else:
            seen[key] = value
    mode, max_age = seen.get("mode"), seen.get("max_age", "")
    valid = (seen.get("version") == "STSv1" and
             mode in ("enforce", "testing", "none") and
             max_age.isdigit() and len(max_age) <= 10 and
             int(max_age) <= MTA_STS_MAX_AGE_LIMIT and
             (bool(mx) or mode == "none"))
    if not valid:
        return False, None, [], None
    return True, mode, mx, int(max_age)


class Truth:
    def __init__(self, dns, farm=None):
        self.dns = dns
        self.farm = farm  # the SMTP half (a Sector), or None
        self.dmarc_cache = {}
        self.host_cache = {}

    def dmarc_records(self, name):
        got = self.dmarc_cache.get(name)
        if got is None:
            _, txts, _ = self.dns.lookup("_dmarc." + name, "TXT")
            got = [t for t in txts if has_version(t, "v=DMARC1")]
            self.dmarc_cache[name] = got
        return got

    def valid_dmarc(self, name):
        recs = self.dmarc_records(name)
        return parse_dmarc(recs[0]) if len(recs) == 1 else None

    def org_domain(self, name):
        """The organisational domain if the RFC 9989 tree walk and the PSL
        (RFC 7489) agree, else None."""
        found = []
        for n in (name, *ancestors(name)):
            tags = self.valid_dmarc(n)
            if tags is not None:
                if "psd" in tags:
                    return None  # the sim publishes no psd tags
                found.append(n)
        walk = found[-1] if found else name
        return walk if walk == psl_org_domain(name) else None

    def dmarc(self, name):
        out = self.dmarc_record(name)
        if out is not None:
            org = self.org_domain(name)
            if org is not None:
                out["orgDomain"] = org
        return out or {}

    def dmarc_record(self, name):
        own = self.dmarc_records(name)
        if len(own) > 1:
            # RFC 9989: receivers discard them all.
            return {"present": True, "valid": False, "inherited": False}
        record_domain, inherited = name, False
        if not own:
            for parent in ancestors(name):
                recs = self.dmarc_records(parent)
                if not recs:
                    continue
                if len(recs) > 1 or parse_dmarc(recs[0]) is None:
                    return None  # not built by the sim: nothing is certain
                if any(self.dmarc_records(p) for p in ancestors(parent)):
                    # A record at an intermediate name too (a two-level
                    # subdomain under another input domain): RFC 9989
                    # readings differ (the nearest record, or the
                    # organisational domain's).
                    return None
                record_domain, inherited, own = parent, True, recs
                break
            else:
                return {"present": False, "inherited": False, "policy": ""}
        tags = parse_dmarc(own[0])
        if tags is None and psl_org_domain(name) != name:
            return None  # see build_dmarc
        out = {"present": True, "record": own[0], "valid": tags is not None,
               "inherited": inherited, "recordDomain": record_domain}
        if tags is not None:
            sp = tags.get("sp", "").lower()
            out["policy"] = sp if inherited and sp else tags["p"].lower()
            if sp:
                out["subdomainPolicy"] = sp
            rua = [u.strip() for u in tags["rua"].split(",")] if "rua" in tags else []
            ruf = [u.strip() for u in tags["ruf"].split(",")] if "ruf" in tags else []
            out["rua"] = rua
            out["unauthorizedDestinations"] = [
                u for u in rua + ruf if not self.report_authorised(record_domain, u)]
        return out

    def report_authorised(self, record_domain, uri):
        """RFC 9990 section 4 (RFC 7489 7.1): a mailto: destination in
        another organisational domain must publish
        <record domain>._report._dmarc.<destination host>."""
        if not uri.lower().startswith("mailto:"):
            return True  # the sim writes mailto: only
        host = uri[7:].split("!")[0].rsplit("@", 1)[-1].lower()
        if psl_org_domain(host) == psl_org_domain(record_domain):
            return True
        _, txts, _ = self.dns.lookup(f"{record_domain}._report._dmarc.{host}", "TXT")
        return any(has_version(t, "v=DMARC1") for t in txts)

    def mta_sts(self, name):
        _, txts, _ = self.dns.lookup("_mta-sts." + name, "TXT")
        recs = [t for t in txts if has_version(t, "v=STSv1")]
        out = {"txtPresent": bool(recs)}
        if len(recs) == 1:
            out["record"] = recs[0]
            fields = [f.strip(" \t") for f in recs[0].split(";")]
            if fields and fields[-1] == "":
                fields.pop()  # one trailing ";" is allowed
            ids = [f[3:] for f in fields if f.startswith("id=")]
            if (fields[0] == "v=STSv1" and all("=" in f for f in fields) and
                    len(ids) == 1 and ALNUM_1_32.match(ids[0])):
                out["id"] = ids[0]
        return out

    def mta_sts_policy(self, name, txt_present, mx_hosts, out):
        """The policy fetch (RFC 8461 section 3.3) a scan with SMTP makes
        when the TXT record is there and the MX hosts are known (none for
        a null MX or a failed MX question): policyFetched when
        mta-sts.<name> resolves, its certificate is valid for the name, the
        answer is a 200 without a redirect and within 64 KiB; then mode,
        mx, maxAge and mxNotCovered from the body if it is a valid policy
        (the host reached over IPv4, or over IPv6 when it has no A record)
        (mxNotCovered not under mode none, where no pattern is expected)."""
        out["policyFetched"] = False
        if self.farm is None or not txt_present or not mx_hosts:
            return
        host = "mta-sts." + name
        # Over IPv4 if the host has an A record, else over IPv6.
        ip4 = self.dns.lookup(host, "A")[1]
        ip = ip4[0] if ip4 else next(iter(self.dns.lookup(host, "AAAA")[1]), "")
        if ip.removeprefix("::ffff:") != POLICY_HOST_ADDRESS:
            return  # no policy host (or not at the farm's HTTPS address)
        if self.farm.policy_hosts.get(host, "valid") != "valid":
            return  # redirect, expired certificate, huge body, no answer
        body = self.farm.policy_bodies.get(name)
        if body is None:
            return  # 404
        out["policyFetched"] = True
        valid, mode, mx, max_age = parse_mta_sts_policy(body)
        if not valid:
            return  # what a scanner reports of a bad policy is its choice
        out.update(mode=mode, mx=mx, maxAge=max_age)
        if mode != "none":
            out["mxNotCovered"] = [
                h for h in mx_hosts
                if not any(mx_pattern_matches(h, p) for p in mx)]

    def tls_rpt(self, name):
        _, txts, _ = self.dns.lookup("_smtp._tls." + name, "TXT")
        recs = [t for t in txts if has_version(t, "v=TLSRPTv1")]
        out = {"present": bool(recs)}
        if len(recs) == 1:
            out["record"] = recs[0]
            fields = [f.strip(" \t") for f in recs[0].split(";")]
            if fields and fields[-1] == "":
                fields.pop()
            ruas = [f[4:] for f in fields if f.startswith("rua=")]
            uris = ruas[0].split(",") if len(ruas) == 1 else []
            valid = (fields[0] == "v=TLSRPTv1" and len(ruas) == 1 and
                     all("=" in f for f in fields) and bool(uris) and
                     all(URI.match(u.strip()) and
                         u.strip().split(":")[0] in ("mailto", "https")
                         for u in uris))
            out["valid"] = valid
            if valid:
                out["rua"] = [u.strip() for u in uris]
        return out

    def bimi(self, name):
        _, txts, _ = self.dns.lookup("default._bimi." + name, "TXT")
        recs = [t for t in txts if has_version(t, "v=BIMI1")]
        out = {"present": bool(recs)}
        if len(recs) == 1:
            out["record"] = recs[0]
            for f in recs[0].split(";"):
                f = f.strip(" \t")
                if f.startswith("l="):
                    out["location"] = f[2:]
        return out

    def dkim(self, name):
        keys = []
        no_keys = self.dns.lookup("_domainkey." + name, "TXT")[0] == "NXDOMAIN"
        if no_keys:
            return keys, True  # nothing exists below an NXDOMAIN
        published = self.dns.dkim_selectors.get(name, ())
        for sel in DEFAULT_DKIM_SELECTORS:
            if sel not in published:
                continue  # NXDOMAIN (no ENTs at selector names in the sim)
            for t in self.dns.lookup(f"{sel}._domainkey.{name}", "TXT")[1]:
                tags = dict(p.strip(" \t").split("=", 1)
                            for p in t.split(";") if "=" in p)
                tags = {k.strip(): v.strip() for k, v in tags.items()}
                if "p" not in tags and not t.lower().startswith("v=dkim1"):
                    continue
                key = {"selector": sel, "revoked": tags.get("p", "") == ""}
                bits = {RSA2048_KEY: 2048, RSA1024_KEY: 1024,
                        ED25519_KEY: 256}.get(tags.get("p"))
                if bits:
                    key["keyBits"] = bits
                keys.append(key)
        return keys, False

    def mx(self, name):
        """(fields, JSON text of the mx list, MX host names in order). The
        mx list is written as text: big providers' hosts appear in tens of
        thousands of lines."""
        status, answers, _ = self.dns.lookup(name, "MX")
        out = {"status": "OK" if status == "NOERROR" else status,
               "mxStatus": status, "nullMx": False, "implicitMx": False,
               "dnssec": False}
        dnssec = self.dns.dnssec_status(name)
        if dnssec is not None:
            out["dnssec"] = status == "NOERROR" and dnssec == "SECURE"
            out["dnssecStatus"] = dnssec
        if status != "NOERROR":
            return out, "[]", []
        hosts = sorted(set((p, h) for p, h in answers if h))
        if any(not h for _, h in answers):
            out["nullMx"] = True
            if not hosts:
                return out, "[]", []
        if not answers:
            out["implicitMx"] = True
            hosts = [(0, name)]
        seen = []
        entries = []
        for pref, host in hosts:
            if host in seen:
                continue
            seen.append(host)
            entries.append(f'{{"host": {json.dumps(host)}, "preference": '
                           f'{pref}, {self.mx_host(host)}}}')
        return out, "[" + ", ".join(entries) + "]", seen

    def mx_host(self, host):
        """JSON text of the fields of an MX host that do not depend on the
        domain."""
        got = self.host_cache.get(host)
        if got is None:
            got = self.host_cache[host] = json.dumps(
                self.mx_host_uncached(host))[1:-1]
        return got

    def mx_host_uncached(self, host):
        st4, a, links = self.dns.lookup(host, "A")
        st6, aaaa, _ = self.dns.lookup(host, "AAAA")
        tlsa_status, tlsa, _ = self.dns.lookup(f"_25._tcp.{host}", "TLSA")
        records = [{"usage": u, "selector": s, "matchingType": m,
                    "data": h} for u, s, m, h in tlsa]
        if links:
            # RFC 7672 2.2.2 looks at the CNAME's target name first;
            # certain only when neither name publishes TLSA.
            canonical = self.dns.lookup(host, "CNAME")[1]
            if records or any(self.dns.lookup(f"_25._tcp.{c}", "TLSA")[1]
                              for c in canonical):
                records = None
        dnssec = self.dns.dnssec_status(f"_25._tcp.{host}")
        if tlsa_status == "SERVFAIL":
            dnssec = "BOGUS"
        authenticated = dnssec == "SECURE"
        entry = {"addresses": [self.mx_address(ip, host, records,
                                               authenticated)
                               for ip in a + aaaa],
                 "isCname": links > 0,
                 "addressStatus": "NOERROR" if a or aaaa else
                                  (st4 if st4 != "NOERROR" else st6)}
        if records is not None:
            entry["tlsa"] = {"records": records}
            if dnssec is not None:
                entry["tlsa"].update(dnsStatus=tlsa_status,
                                     authenticated=authenticated,
                                     dnssecStatus=dnssec)
                if self.farm is not None:
                    # Every address that completed a handshake authenticated.
                    probes = [x["smtp"] for x in entry["addresses"]
                              if x["smtp"].get("tls")]
                    entry["tlsa"]["daneValid"] = bool(probes) and all(
                        p.get("tlsa", {}).get("daneValid") for p in probes)
        return entry

    def mx_address(self, ip, host, tlsa_records, tlsa_authenticated):
        """An MX address of the truth: the address, and what the farm's
        server there shows a probe that uses the MX host's name."""
        out = {"ip": ip}
        if self.farm is not None:
            out["smtp"] = smtp_truth(self.farm.behaviours[ip],
                                     self.farm.cert_names(ip), host,
                                     tlsa_records, tlsa_authenticated)
        return out

    def line(self, name, sector, tags):
        """The truth line of a domain (JSON text)."""
        m, mx, hosts = self.mx(name)
        keys, no_keys = self.dkim(name)
        head = {"domain": name, "sector": sector, "status": m.pop("status")}
        head.update(m)
        if head["status"] == "SERVFAIL":
            # A bogus zone: every answer fails; what the checks make of
            # failed lookups is theirs to say (only the MX half is certain).
            return json.dumps({**head, "mx": [], "_posture": tags}) + "\n"
        sts = self.mta_sts(name)
        self.mta_sts_policy(name, sts["txtPresent"], hosts, sts)
        tail = {"spf": Spf(self.dns).truth(name), "dmarc": self.dmarc(name),
                "mtaSts": sts, "tlsRpt": self.tls_rpt(name),
                "bimi": self.bimi(name), "dkim": keys, "dkimNoKeys": no_keys,
                "_posture": tags}
        return (json.dumps(head)[:-1] + ', "mx": ' + mx + ", " +
                json.dumps(tail)[1:] + "\n")


# --- the generator ---------------------------------------------------------

def a_label(unicode_name):
    return ".".join("xn--" + l.encode("punycode").decode("ascii")
                    if any(ord(c) > 127 for c in l) else l
                    for l in unicode_name.split("."))


class Sector:
    def __init__(self, n, seed, base, hostile_share=None, dnssec_share=None):
        self.n = n
        # None: no DNSSEC, nothing drawn (byte-identical output); else the
        # DNSSEC half draws from its own generator.
        self.dnssec_share = dnssec_share
        self.dnssec_rng = random.Random(seed * 104723 + 12289)
        # None: the default weights, untouched (byte-identical output).
        self.smtp_weights = SMTP_BEHAVIOUR_WEIGHTS
        self.policy_kinds = tuple(zip(*MTA_STS_POLICIES))
        if hostile_share is not None:
            self.smtp_weights = hostile_weights(
                SMTP_BEHAVIOURS, HOSTILE_SMTP_BEHAVIOURS, hostile_share)
            self.policy_kinds = (self.policy_kinds[0], hostile_weights(
                MTA_STS_POLICIES, HOSTILE_POLICIES, hostile_share))
        self.rng = random.Random(seed)
        self.base = base
        self.dns = Dns()
        self.next_address = 0
        self.next_tenant = 0
        self.addresses = {}  # MX address -> the host name it belongs to
        # The SMTP half draws from its own generator, so that the DNS half
        # of a seed stays what it was without it.
        self.smtp_rng = random.Random(seed * 7919 + 104729)
        self.policy_family_rng = random.Random(seed * 6007 + 17)
        self.aliases = {}    # MX host name behind a CNAME -> the MX name
        self.providers = {}  # domain -> its mail provider
        self.behaviours = {}      # MX address -> SMTP behaviour
        self.policy_bodies = {}   # domain -> MTA-STS policy body
        self.policy_hosts = {}    # mta-sts.<domain> -> HTTPS behaviour
        self.lines = []      # [raw input, sector, truth domain or None, tags]
        self.dmarc_parents = []  # registered domains with one valid record

    # Addresses: distinct, in <base>.1.0.1 upwards, never .0 or .255.
    def ipv4(self):
        c = self.next_address
        self.next_address += 1
        z = c % 254 + 1
        c //= 254
        return f"{self.base}.{1 + c // 256}.{c % 256}.{z}"

    def host(self, name, n4=1, v6=False, mx=True):
        for _ in range(n4):
            ip = self.ipv4()
            self.dns.add(name, "A", ip)
            if mx:
                self.addresses[ip] = name
        if v6:
            # IPv4-mapped: a real AAAA record, yet loopback when connected to.
            ip = "::ffff:" + self.ipv4()
            self.dns.add(name, "AAAA", ip)
            if mx:
                self.addresses[ip] = name

    def digest(self):
        return "%064x" % self.rng.getrandbits(256)

    def doc_ip4(self):
        r = self.rng
        return f"{r.choice(('192.0.2', '198.51.100', '203.0.113'))}.{r.randrange(1, 255)}"

    def soa(self, zone):
        self.dns.add(zone, "SOA",
                     "ns1.sim. hostmaster.sim. 1 3600 900 604800 3600")
        self.dns.add(zone, "NS", "ns1.sim")

    def build_infrastructure(self):
        d = self.dns
        for z in ZONES:
            self.soa(z)
        d.add("ns1.sim", "A", "127.0.0.1")
        # The providers.
        for name, p in PROVIDERS.items():
            for _, h in p["mx"]:
                if not d.has(h):
                    self.host(h, n4=2 if name == "msmail" else 1,
                              v6=name != MAILHOST)
        d.add("_spf.bigmail.provider.sim", "TXT",
              "v=spf1 include:_netblocks.bigmail.provider.sim "
              "include:_netblocks2.bigmail.provider.sim "
              "include:_netblocks3.bigmail.provider.sim ~all")
        d.add("_netblocks.bigmail.provider.sim", "TXT",
              "v=spf1 ip4:192.0.2.0/26 ip4:198.51.100.0/26 ip4:203.0.113.0/26 "
              "ip4:192.0.2.64/27 ip4:198.51.100.64/27 ~all")
        d.add("_netblocks2.bigmail.provider.sim", "TXT",
              "v=spf1 ip6:2001:db8:1000::/36 ip6:2001:db8:2000::/36 ~all")
        d.add("_netblocks3.bigmail.provider.sim", "TXT",
              "v=spf1 ip4:203.0.113.64/27 ip4:203.0.113.96/28 ~all")
        d.add("spf.protection.msmail.provider.sim", "TXT",
              "v=spf1 ip4:198.51.100.128/26 ip4:203.0.113.128/26 "
              "ip6:2001:db8:4000::/40 "
              "include:spfd.protection.msmail.provider.sim -all")
        d.add("spfd.protection.msmail.provider.sim", "TXT",
              "v=spf1 ip4:192.0.2.128/26 -all")
        d.add("govmail.provider.sim", "MX", (10, "mx1.govmail.provider.sim"))
        d.add("govmail.provider.sim", "MX", (20, "mx2.govmail.provider.sim"))
        self.host("relay.govmail.provider.sim", v6=True, mx=False)
        d.add("_spf.govmail.provider.sim", "TXT",
              "v=spf1 ip4:198.51.100.192/27 a:relay.govmail.provider.sim "
              "mx:govmail.provider.sim -all")
        for h in ("mx1.govmail.provider.sim", "mx2.govmail.provider.sim"):
            d.add(f"_25._tcp.{h}", "TLSA", (3, 1, 1, self.digest()))
        d.add("_25._tcp.mx1.govmail.provider.sim", "TLSA",
              (2, 0, 1, self.digest()))
        d.add("_spf.mailhost.provider.sim", "TXT",
              "v=spf1 ip4:203.0.113.192/27 ip4:192.0.2.192/27 -all")
        d.add(NEWSLETTERS_SPF, "TXT",
              "v=spf1 ip4:198.51.100.224/27 ip6:2001:db8:7000::/48 ~all")
        d.add(NO_SPF_INCLUDE, "TXT", "oldhost-verification=5f2c9e1a7b3d4c6e")
        d.add(REPORTS_DEST, "MX", (10, "mx.mailhost.provider.sim"))

    # --- one domain ---
    def dkim_record(self, revoked=False):
        r = self.rng
        if revoked:
            return "v=DKIM1; k=rsa; p="
        x = r.random()
        if x < 0.03:
            return "v=DKIM1; k=ed25519; p=" + ED25519_KEY
        key = RSA1024_KEY if x < 0.15 else RSA2048_KEY
        return ("v=DKIM1; k=rsa; p=" if r.random() < 0.9 else "k=rsa; p=") + key

    def build_dkim(self, d, provider, tags):
        r = self.rng
        if r.random() < 0.52:
            sels = (PROVIDERS[provider]["dkim"] if provider else
                    r.sample(SELF_DKIM_SELECTORS, r.choice((1, 1, 2))))
            revoke = r.random() < 0.06
            self.next_tenant += 1
            for i, sel in enumerate(sels):
                text = self.dkim_record(revoked=revoke and i == 0)
                owner = f"{sel}._domainkey.{d}"
                if provider == "msmail":
                    target = (f"{sel}-tenant{self.next_tenant}"
                              "._domainkey.msmail.provider.sim")
                    self.dns.add(owner, "CNAME", target)
                    owner = target
                self.dns.add(owner, "TXT", text)
            tags.append("dkim:revoked" if revoke else
                        "dkim:cname" if provider == "msmail" else
                        f"dkim:{len(sels)}-keys")
        elif r.random() < 0.06:
            self.dns.add(f"{PRIVATE_DKIM_SELECTOR}._domainkey.{d}", "TXT",
                         self.dkim_record())
            tags.append("dkim:private-selector-only")
        else:
            tags.append("dkim:none")

    def build_mx(self, d, tags):
        """MX and addresses; returns (provider or None, kind, apex dual-stack,
        self-hosted MX addresses usable in ip4: terms)."""
        r, dns = self.rng, self.dns
        x = r.random()
        provider = None
        for name, p in PROVIDERS.items():
            if x < p["share"]:
                provider = name
                break
            x -= p["share"]
        apex_a = r.random() < 0.75
        apex_dual = apex_a and r.random() < 0.4
        if provider:
            self.providers[d] = provider
            for pref, h in PROVIDERS[provider]["mx"]:
                dns.add(d, "MX", (pref, h))
            tags.append(f"mx:provider-{provider}")
            kind = "provider"
        elif x < NULL_MX_SHARE:
            dns.add(d, "MX", (0, ""))
            tags.append("mx:null")
            kind = "null"
        elif x < NULL_MX_SHARE + IMPLICIT_MX_SHARE:
            self.host(d, n4=r.choice((1, 1, 2)), v6=apex_dual)
            tags.append("mx:implicit")
            return None, "implicit", apex_dual, []
        else:
            kind = "self"
            n = r.choices((1, 2, 3), (40, 50, 10))[0]
            prefs = [10] * n if n > 1 and r.random() < 0.2 else [10, 20, 30][:n]
            names = [f"mx{i + 1}.{d}" for i in range(n)]
            cname = r.random() < CNAME_MX_SHARE
            dead = r.random() < DEAD_MX_SHARE
            tlsa = not cname and r.random() < TLSA_SHARE
            for i, (pref, h) in enumerate(zip(prefs, names)):
                target = h
                if cname and i == 0:
                    h, target = f"mail.{d}", f"smtp-gw.{d}"
                    dns.add(h, "CNAME", target)
                    self.aliases[target] = h
                dns.add(d, "MX", (pref, h))
                self.host(target, n4=r.choices((1, 2), (85, 15))[0],
                          v6=r.random() < 0.2)
                if tlsa:
                    dns.add(f"_25._tcp.{h}", "TLSA", (3, 1, 1, self.digest()))
                    if r.random() < 0.3:
                        dns.add(f"_25._tcp.{h}", "TLSA",
                                (2, 0, 1, self.digest()))
            if dead:
                dns.add(d, "MX", (40, f"mx-old.{d}"))
                tags.append("mx:dead-host")
            tags.append(f"mx:self-{n}")
            if n > 1:
                tags.append("mx:equal-preference" if prefs[0] == prefs[1]
                            else "mx:preferences")
            if cname:
                tags.append("mx:cname")
            if tlsa:
                tags.append("mx:tlsa")
        if apex_a:
            self.host(d, v6=apex_dual, mx=False)
        return provider, kind, apex_dual, []

    def build_spf(self, d, provider, kind, apex_dual, tags):
        r, dns = self.rng, self.dns
        if kind == "null":
            if r.random() < 0.8:
                dns.add(d, "TXT", "v=spf1 -all")
                tags.append("spf:null-mx-deny")
            else:
                tags.append("spf:none")
            return
        if kind == "implicit":
            if r.random() < 0.7:
                dns.add(d, "TXT", "v=spf1 a -all" if apex_dual else
                        f"v=spf1 ip4:{self.doc_ip4()} -all")
                tags.append("spf:implicit")
            else:
                tags.append("spf:none")
            return
        spf_kind = r.choices(*(SPF_PROVIDER if provider else SPF_SELF))[0]
        if spf_kind == "redirect" and provider:
            spf_kind = "basic"
        tags.append(f"spf:{spf_kind}")
        if spf_kind == "none":
            return
        dead = f"mx-old.{d}" in [h for _, h in dns.lookup(d, "MX")[1]]
        if provider == MAILHOST and spf_kind in ("basic", "noall"):
            dns.add(d, "TXT", f"v=spf1 redirect={PROVIDERS[MAILHOST]['spf']}")
            tags.append("spf:provider-redirect")
            return
        if provider:
            core = [f"include:{PROVIDERS[provider]['spf']}"]
            core_lookups = PROVIDERS[provider]["lookups"]
        elif dead:
            core = [f"ip4:{self.doc_ip4()}"]
            core_lookups = 0
        else:
            core = r.choice((["mx"], ["mx", f"ip4:{self.doc_ip4()}"],
                             ["a", "mx"] if apex_dual else ["mx"]))
            core_lookups = len([t for t in core if t in ("a", "mx")])
        all_q = "-all" if r.random() < 0.55 else "~all"
        terms = list(core)
        if spf_kind == "ip":
            terms.append(f"ip4:{self.doc_ip4()}")
            if r.random() < 0.3:
                terms.append(f"ip6:2001:db8:{r.randrange(1, 0xffff):x}::/48")
        elif spf_kind == "newsletters":
            terms.append(f"include:{NEWSLETTERS_SPF}")
        elif spf_kind == "chain":
            depth = r.choice((1, 2, 3))
            terms.append(f"include:_spf.{d}")
            for i in range(1, depth + 1):
                owner = f"_spf{i if i > 1 else ''}.{d}"
                inner = [f"ip4:{self.doc_ip4()}"]
                if i < depth:
                    inner.append(f"include:_spf{i + 1}.{d}")
                dns.add(owner, "TXT", "v=spf1 " + " ".join(inner) + " ~all")
            tags.append(f"spf:include-depth-{depth}")
        elif spf_kind == "redirect":
            inner = ([f"ip4:{self.doc_ip4()}"] if dead else [f"mx:{d}"]) + \
                    [f"ip4:{self.doc_ip4()}", all_q]
            dns.add(f"_spf.{d}", "TXT", "v=spf1 " + " ".join(inner))
            dns.add(d, "TXT", f"v=spf1 redirect=_spf.{d}")
            return
        elif spf_kind == "neutral":
            all_q = "?all"
        elif spf_kind == "pass":
            all_q = "+all"
        elif spf_kind == "bareall":
            all_q = "all"
        elif spf_kind == "noall":
            all_q = None
        elif spf_kind == "long":
            terms += [f"ip4:{self.doc_ip4()}" for _ in range(r.randrange(18, 30))]
        elif spf_kind == "onevoid":
            terms.append(f"mx:old-relay.{d}")
        elif spf_kind == "multiple":
            dns.add(d, "TXT", f"v=spf1 ip4:{self.doc_ip4()} -all")
        elif spf_kind == "syntax":
            terms.insert(r.randrange(len(terms) + 1), r.choice(BROKEN_SPF_TERMS))
        elif spf_kind == "toomany":
            # Fill up to exactly 11 lookups, the 11th being the last term.
            need = 11 - core_lookups
            for name, p in sorted(PROVIDERS.items(),
                                  key=lambda kv: -kv[1]["lookups"]):
                if name != provider and p["lookups"] <= need - 1:
                    terms.append(f"include:{p['spf']}")
                    need -= p["lookups"]
            if need > 0:
                terms.append(f"include:{NEWSLETTERS_SPF}")
                need -= 1
            while need > 0:  # a:/mx: terms whose names resolve (not void)
                terms.append("a:relay.govmail.provider.sim")
                need -= 1
        elif spf_kind == "voids":
            terms += [f"mx:gone{i}.{d}" for i in (1, 2, 3)]
        elif spf_kind == "includenospf":
            terms.append(f"include:{NO_SPF_INCLUDE}")
        if all_q:
            terms.append(all_q)
        dns.add(d, "TXT", "v=spf1 " + " ".join(terms))

    def build_dmarc(self, d, tags, own_share=1.0):
        r, dns = self.rng, self.dns
        if r.random() >= own_share:
            tags.append("dmarc:inherit")
            return
        kind = r.choices(*DMARC_KINDS)[0]
        if own_share < 1 and kind in ("broken", "multiple"):
            # Whether the RFC 9989 walk goes on past a broken record at a
            # subdomain is unclear: the sim does not build that case.
            kind = "absent"
        tags.append(f"dmarc:{kind}")
        if kind == "absent":
            return None
        if kind == "broken":
            dns.add(f"_dmarc.{d}", "TXT", r.choice(BROKEN_DMARC))
            return None
        if kind == "multiple":
            dns.add(f"_dmarc.{d}", "TXT", f"v=DMARC1; p=reject; rua=mailto:dmarc@{d}")
            dns.add(f"_dmarc.{d}", "TXT", "v=DMARC1; p=none")
            return None
        parts = ["v=DMARC1", f"p={kind}"]
        if r.random() < 0.3:
            parts.append(f"sp={r.choice(('none', 'quarantine', 'reject'))}")
            tags.append("dmarc:sp")
        if kind != "reject" and r.random() < 0.4:
            parts.append(f"pct={r.choice((10, 25, 50, 100))}")
            tags.append("dmarc:pct")
        x = r.random()
        rua = []
        if x < 0.55:
            rua.append(f"mailto:dmarc@{d}")
        if 0.45 <= x < 0.8:
            rua.append(f"mailto:dmarc-reports@{REPORTS_DEST}")
            if r.random() < 0.7:
                dns.add(f"{d}._report._dmarc.{REPORTS_DEST}", "TXT", "v=DMARC1")
                tags.append("dmarc:rua-external-authorised")
            else:
                tags.append("dmarc:rua-external-unauthorised")
        if rua:
            parts.append("rua=" + ",".join(rua))
        if r.random() < 0.08:
            parts.append(f"ruf=mailto:dmarc-forensic@{d}")
        if r.random() < 0.15:
            parts += ["adkim=s", "aspf=s"]
        if r.random() < 0.08:
            parts.append("fo=1")
        dns.add(f"_dmarc.{d}", "TXT", "; ".join(parts))
        return kind

    def build_txt_checks(self, d, policy, tags):
        r, dns = self.rng, self.dns
        if r.random() < 0.14:
            if r.random() < 0.88:
                rec = r.choice((f"v=STSv1; id=2024{r.randrange(1, 13):02d}"
                                f"{r.randrange(1, 29):02d}T{r.randrange(24):02d}0000;",
                                f"v=STSv1; id={r.getrandbits(40):x}"))
                tags.append("mta-sts:valid")
            else:
                rec = r.choice(("v=STSv1; id=2024-01-15;", "v=STSv1;",
                                "v=STSv1; id=" + "a1" * 17 + ";",
                                "v=STSv1; id=20240115T093000; id=20240116T000000;"))
                tags.append("mta-sts:broken")
            dns.add(f"_mta-sts.{d}", "TXT", rec)
        if r.random() < 0.12:
            if r.random() < 0.88:
                rec = "v=TLSRPTv1; rua=" + r.choice((
                    f"mailto:tlsrpt@{d}", "https://tlsrpt.provider.sim/v1/report",
                    f"mailto:tlsrpt@{d},https://tlsrpt.provider.sim/v1/report"))
                tags.append("tls-rpt:valid")
            else:
                rec = r.choice(("v=TLSRPTv1;", f"v=TLSRPTv1; rua=tlsrpt@{d}",
                                "v=TLSRPTv1; rua="))
                tags.append("tls-rpt:invalid")
            dns.add(f"_smtp._tls.{d}", "TXT", rec)
        if policy in ("quarantine", "reject") and r.random() < 0.08:
            a = (f"a=https://www.{d}/brand/vmc.pem" if r.random() < 0.5
                 else "a=")
            dns.add(f"default._bimi.{d}", "TXT",
                    f"v=BIMI1; l=https://www.{d}/brand/logo.svg; {a}")
            tags.append("bimi")

    def build_domain(self, d, subdomain=False):
        tags = ["subdomain"] if subdomain else []
        provider, kind, apex_dual, _ = self.build_mx(d, tags)
        self.build_spf(d, provider, kind, apex_dual, tags)
        if self.rng.random() < 0.2:
            self.dns.add(d, "TXT", f"site-verification={self.rng.getrandbits(64):016x}")
        policy = self.build_dmarc(d, tags, own_share=0.2 if subdomain else 1.0)
        if policy in ("none", "quarantine", "reject") and not subdomain:
            self.dmarc_parents.append(d)
        self.build_txt_checks(d, policy, tags)
        self.build_dkim(d, provider, tags)
        return tags

    def pick_sector(self):
        x = self.rng.random()
        for s in SECTORS:
            if x < s[2]:
                return s
            x -= s[2]
        return SECTORS[-1]

    def build(self):
        r = self.rng
        self.build_infrastructure()
        n_invalid = min(len(INVALID_NAMES), max(2, self.n // 25000 + 2))
        n_invalid = min(n_invalid, self.n)
        n_sub = round(self.n * SUBDOMAIN_SHARE)
        n_nx = round(self.n * NX_SHARE)
        n_main = max(0, self.n - n_invalid - n_sub - n_nx)
        if n_main == 0:
            n_sub = n_nx = 0
            n_main = self.n - n_invalid
        sector_of = {}
        for i in range(n_main):
            sector, zone, _, stems = self.pick_sector()
            if zone in ("council.sim", "school.sim") and r.random() < IDN_SHARE * 2:
                raw = f"{r.choice(IDN_STEMS)}{i}.{zone}"
                d = a_label(raw)
                tags = ["input:idn"]
            else:
                d = raw = f"{r.choice(stems)}{i}.{zone}"
                tags = []
            tags += self.build_domain(d)
            sector_of[d] = sector
            self.lines.append([raw, sector, d, tags])
        used = set()
        for i in range(n_sub):
            if not self.dmarc_parents:
                break
            parent = r.choice(self.dmarc_parents)
            label = r.choice(SUB_LABELS)
            d = f"{label}.{parent}"
            if r.random() < 0.25:
                d = f"{r.choice(SUB_LABELS)}{i}.{d}"
            if d in used:
                d = f"{label}{i}.{parent}"
            used.add(d)
            tags = self.build_domain(d, subdomain=True)
            self.lines.append([d, sector_of[parent], d, tags])
        for i in range(n_nx):
            sector, zone, _, stems = self.pick_sector()
            d = f"{r.choice(stems)}-old{i}.{zone}"
            self.lines.append([d, sector, d, ["nxdomain"]])
        # Edge cases of the input's spelling (the truth keeps the
        # normalised name).
        for line in self.lines:
            if line[0] != line[2]:
                continue
            x = r.random()
            if x < MIXED_CASE_SHARE:
                line[0] = line[0][0].upper() + "".join(
                    c.upper() if r.random() < 0.5 else c for c in line[0][1:])
                line[3].append("input:mixed-case")
            elif x < MIXED_CASE_SHARE + TRAILING_DOT_SHARE:
                line[0] += "."
                line[3].append("input:trailing-dot")
        zone_sector = {zone: sector for sector, zone, _, _ in SECTORS}
        for name in INVALID_NAMES[:n_invalid]:
            self.lines.append([name, zone_sector[".".join(name.split(".")[-2:])], None,
                               ["input:invalid"]])
        keys = [r.getrandbits(48) for _ in self.lines]
        self.lines = [self.lines[i] for i in
                      sorted(range(len(keys)), key=keys.__getitem__)]
        self.make_ipv6_only_hosts()
        self.build_smtp()
        if self.dnssec_share is not None:
            self.build_dnssec()
        self.dns.finish()

    def make_ipv6_only_hosts(self):
        """Some self-hosted MX hosts with IPv4 and IPv6 addresses lose
        their A records: mail reaches them over IPv6 only."""
        r, db = self.policy_family_rng, self.dns.db
        for host in sorted(set(self.addresses.values())):
            recs = db.get(host, [])
            if (not host.startswith("mx") or
                    not any(t == "AAAA" for t, _ in recs) or
                    r.random() >= IPV6_ONLY_MX_SHARE):
                continue
            for t, ip in recs:
                if t == "A":
                    del self.addresses[ip]
            db[host] = [(t, d) for t, d in recs if t != "A"]

    # --- DNSSEC: which zones are signed, which are broken, DANE records ---
    def build_dnssec(self):
        r, dns = self.dnssec_rng, self.dns
        leaf, ta = farm_spki_sha256("leaf"), farm_spki_sha256("intermediate")
        # The government provider's hosts publish DANE that works.
        dns.db["_25._tcp.mx1.govmail.provider.sim"][0] = ("TLSA", (3, 1, 1, leaf))
        dns.db["_25._tcp.mx2.govmail.provider.sim"] = [("TLSA", (2, 1, 1, ta))]
        for line in self.lines:
            d, tags = line[2], line[3]
            if d is None or "subdomain" in tags or "nxdomain" in tags:
                continue
            kind = "insecure"
            if r.random() < self.dnssec_share:
                kind, x = "secure", r.random()
                for k, w in DNSSEC_BOGUS_KINDS:
                    if x < w:
                        kind = k
                        break
                    x -= w
            # The domain's own MX hosts' TLSA (a provider's are its own).
            tlsa_owners = [f"_25._tcp.{h}" for _, h in dns.lookup(d, "MX")[1]
                           if h.endswith("." + d) and dns.has(f"_25._tcp.{h}")]
            if tlsa_owners:
                dane = r.choices(*zip(*DANE_KINDS))[0]
                for owner in tlsa_owners:
                    if dane != "nomatch":
                        dns.db[owner][0] = ("TLSA", (3, 1, 1, leaf)
                                            if dane == "ee" else (2, 1, 1, ta))
                tags.append(f"dane:{dane}")
                if kind == "secure" and r.random() < TLSA_BOGUS_SHARE:
                    kind = "bogus-tlsa"
                    dns.bogus_rrsets.update((o, "TLSA") for o in tlsa_owners)
            dns.domain_zones[d] = kind
            if kind.startswith("bogus-") and kind != "bogus-tlsa":
                dns.bogus_zones.add(d)
            self.soa(d)
            tags.append(f"dnssec:{kind}")

    # --- the SMTP half: the farm's behaviours and the MTA-STS policies ---
    def cert_names(self, ip):
        """The names the farm's server at `ip` presents (its certificate):
        the host's, and the MX name of a host reached through a CNAME."""
        host = self.addresses[ip]
        alias = self.aliases.get(host)
        return [host, alias] if alias else [host]

    def build_smtp(self):
        r = self.smtp_rng
        provider_hosts = {h for p in PROVIDERS.values() for _, h in p["mx"]}
        first = {}  # host -> behaviour of its first address
        for ip, host in self.addresses.items():
            if host in provider_hosts:
                b = "valid"
            elif host in first and r.random() >= SMTP_OWN_BEHAVIOUR_SHARE:
                b = first[host]
            else:
                b = r.choices(SMTP_BEHAVIOUR_NAMES, self.smtp_weights)[0]
            first.setdefault(host, b)
            self.behaviours[ip] = b
        for line in self.lines:
            d, tags = line[2], line[3]
            if d is None or "mta-sts:valid" not in tags:
                continue
            hosts = sorted(set((p, h) for p, h in self.dns.lookup(d, "MX")[1]
                               if h))
            if "mx:null" in tags or not (hosts or "mx:implicit" in tags):
                continue  # no MX host: a scan fetches no policy
            kind = r.choices(*self.policy_kinds)[0]
            tags.append(f"mta-sts-policy:{kind}")
            if kind == "no-host":
                continue
            host = f"mta-sts.{d}"
            if self.policy_family_rng.random() < POLICY_IPV6_ONLY_SHARE:
                # IPv4-mapped: an AAAA record that still reaches loopback.
                self.dns.add(host, "AAAA", "::ffff:" + POLICY_HOST_ADDRESS)
                tags.append("mta-sts-host:ipv6-only")
            else:
                self.dns.add(host, "A", POLICY_HOST_ADDRESS)
            if kind == "not-found":
                continue
            if kind in ("redirect", "huge", "slow"):
                self.policy_hosts[host] = kind
            elif kind == "expired-cert":
                self.policy_hosts[host] = "expired"
            names = [h for _, h in hosts] or [d]
            self.policy_bodies[d] = self.policy_body(d, names, kind)

    def policy_body(self, d, mx_hosts, kind):
        r = self.smtp_rng
        provider = self.providers.get(d)
        mode = kind if kind in ("enforce", "testing", "none") else \
            r.choice(("enforce", "enforce", "testing"))
        covering = kind != "not-covered"
        if provider:
            mx = list(PROVIDER_MTA_STS_MX[provider][0 if covering else 1])
        elif mx_hosts == [d]:  # implicit MX: the domain itself
            # "*.<domain>" misses the domain itself, a classic mistake.
            mx = [d] if covering else [f"*.{d}"]
        elif covering:
            mx = [f"*.{d}"] if r.random() < 0.4 else list(mx_hosts)
        elif len(mx_hosts) > 1:
            mx = list(mx_hosts)
            del mx[r.randrange(len(mx))]
        else:
            mx = [f"mx0.{d}"]  # a host that has gone
        if mode == "none":
            mx = []
        lines = ["version: STSv1", f"mode: {mode}"]
        lines += [f"mx: {p}" for p in mx]
        lines.append(f"max_age: {r.choice(MTA_STS_MAX_AGES)}")
        if kind == "invalid":
            i, broken = r.choice(((1, "mode: enforced"),
                                  (0, "version: STSv2"),
                                  (len(lines) - 1,
                                   f"max_age: {MTA_STS_MAX_AGE_LIMIT + 1}")))
            lines[i] = broken
        eol = "\r\n" if r.random() < 0.5 else "\n"
        return eol.join(lines) + eol

    def write(self, out):
        self.dns.write_zones(out)
        with open(os.path.join(out, "psl.dat"), "w") as f:
            f.write("// Public suffixes of the mxscan simulated sector "
                    "(tools/sim/gen_sector.py).\n"
                    "// ===BEGIN ICANN DOMAINS===\n" +
                    "".join(s + "\n" for s in ICANN_SUFFIXES) +
                    "// ===END ICANN DOMAINS===\n"
                    "// ===BEGIN PRIVATE DOMAINS===\n" +
                    "".join(s + "\n" for s in PRIVATE_SUFFIXES) +
                    "// ===END PRIVATE DOMAINS===\n")
        truth = Truth(self.dns, self)
        csv, jsonl = ["domain,sector\n"], []
        counts = {}
        for raw, sector, d, tags in self.lines:
            csv.append(f"{raw},{sector}\n")
            if d is None:
                jsonl.append(json.dumps({"domain": raw, "sector": sector,
                                         "status": "ERROR",
                                         "_posture": tags}) + "\n")
            else:
                jsonl.append(truth.line(d, sector, tags))
            for tag in tags:
                counts[tag] = counts.get(tag, 0) + 1
        with open(os.path.join(out, "domains.csv"), "w", encoding="utf-8") as f:
            f.write("".join(csv))
        with open(os.path.join(out, "truth.jsonl"), "w", encoding="utf-8") as f:
            f.write("".join(jsonl))
        entries = []
        for ip, h in self.addresses.items():
            b = self.behaviours[ip]
            e = {"host": h, "behaviour": b}
            if h in self.aliases:
                e["names"] = self.cert_names(ip)
            if b == "slow_banner":
                e["delay_ms"] = SLOW_BANNER_MS
            entries.append(f"  {json.dumps(ip)}: {json.dumps(e)}")
        for host, b in self.policy_hosts.items():
            e = {"behaviour": b}
            if b == "slow":
                e["delay_ms"] = SLOW_POLICY_MS
            entries.append(f"  {json.dumps(host)}: {json.dumps(e)}")
        with open(os.path.join(out, "addresses.json"), "w") as f:
            f.write("{\n" + ",\n".join(entries) + "\n}\n")
        if self.dns.domain_zones:
            self.write_dnssec_plan(out)
        with open(os.path.join(out, "mta-sts.json"), "w") as f:
            f.write("{\n" + ",\n".join(
                f"  {json.dumps(d)}: {json.dumps(body)}"
                for d, body in self.policy_bodies.items()) + "\n}\n")
        return counts

    def write_dnssec_plan(self, out):
        """dnssec.json, for sign_sector.py: the trust anchor's zone, and
        every zone (children before parents) with its parent, its file
        (zones.txt's), its kind and the RRsets whose signatures go."""
        strip = {}
        for owner, rtype in sorted(self.dns.bogus_rrsets):
            strip.setdefault(self.dns.zone(owner), []).append([owner, rtype])
        zones = [{"zone": d, "parent": zone_of(d), "file": f"zones/{d}.zone",
                  "kind": kind, "strip": strip.get(d, [])}
                 for d, kind in self.dns.domain_zones.items()]
        zones += [{"zone": z, "parent": None if z == "sim" else "sim",
                   "file": z + ".zone", "kind": "secure", "strip": []}
                  for z in sorted(ZONES, key=len, reverse=True)]
        with open(os.path.join(out, "dnssec.json"), "w") as f:
            json.dump({"anchor": "sim", "zones": zones}, f, indent=1)
            f.write("\n")

    def write_policy_dir(self, policies):
        """The policy bodies as the farm's --mta-sts DIR: DIR/<domain>."""
        os.makedirs(policies, exist_ok=True)
        for name in os.listdir(policies):  # a rerun into the same DIR
            if name not in self.policy_bodies:
                os.remove(os.path.join(policies, name))
        for d, body in self.policy_bodies.items():
            with open(os.path.join(policies, d), "w", newline="") as f:
                f.write(body)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--domains", type=int, required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--address-base", type=int, default=127,
                   help="first octet of every address (default 127: loopback)")
    p.add_argument("--quiet", action="store_true",
                   help="do not print the posture counts")
    p.add_argument("--mta-sts-dir", metavar="DIR",
                   help="also write the MTA-STS policy bodies as DIR/<domain>, "
                        "the directory for smtp_farm --mta-sts")
    p.add_argument("--hostile-share", type=float, metavar="S",
                   help="make the hostile SMTP behaviours (silent, "
                        "endless_line, huge_reply, garbage_tls, "
                        "reset_handshake, starttls_injection, slow_banner, "
                        "defer_421) this share (0..1) of the self-hosted MX "
                        "addresses' draws, and the hostile policy hosts "
                        "(redirect, expired-cert, huge, slow) this share of "
                        "the MTA-STS policy postures")
    p.add_argument("--dnssec-share", type=float, metavar="S",
                   help="DNSSEC: sign the sim's root, sector and provider "
                        "zones, make every registered domain a zone of its "
                        "own, signed with probability S (0..1; a few signed "
                        "zones broken: expired signatures, a DS that matches "
                        "no key, stripped RRSIGs), and publish TLSA records "
                        "that match the farm's fixed keys; writes "
                        "dnssec.json for sign_sector.py, and a truth as a "
                        "validating resolver sees the sector")
    a = p.parse_args()
    if a.dnssec_share is not None and not 0 <= a.dnssec_share <= 1:
        p.error("--dnssec-share must be in 0..1")
    if a.domains < 1:
        p.error("--domains must be at least 1")
    if a.hostile_share is not None and not 0 <= a.hostile_share <= 1:
        p.error("--hostile-share must be in 0..1")
    if not 1 <= a.address_base <= 223:
        p.error("--address-base must be in 1..223")
    gc.disable()  # millions of small acyclic objects
    os.makedirs(a.out, exist_ok=True)
    s = Sector(a.domains, a.seed, a.address_base, a.hostile_share,
               a.dnssec_share)
    s.build()
    counts = s.write(a.out)
    if a.mta_sts_dir:
        s.write_policy_dir(a.mta_sts_dir)
    if not a.quiet:
        print(f"{len(s.lines)} domains, {len(s.addresses)} MX addresses")
        for tag in sorted(counts):
            print(f"  {tag:36} {counts[tag]:7} "
                  f"({100.0 * counts[tag] / len(s.lines):.1f}%)")
        mix = {}
        for b in s.behaviours.values():
            mix[b] = mix.get(b, 0) + 1
        print("SMTP behaviours of the MX addresses:")
        for b in sorted(mix, key=lambda b: (-mix[b], b)):
            print(f"  {b:36} {mix[b]:7} "
                  f"({100.0 * mix[b] / len(s.behaviours):.1f}%)")


if __name__ == "__main__":
    main()
