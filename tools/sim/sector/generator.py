"""The generator: the sector's domains and records, the farm's behaviours,
the MTA-STS policies and the DNSSEC plan, from seeded random generators.

Part of tools/sim/gen_sector.py (see its documentation).
"""

import csv
import io
import json
import os
import random

from sector.constants import (
    BROKEN_DMARC,
    BROKEN_SPF_TERMS,
    CNAME_MX_SHARE,
    DANE_KINDS,
    DEAD_MX_SHARE,
    DMARC_KINDS,
    DNSSEC_BOGUS_KINDS,
    ED25519_KEY,
    HOSTILE_POLICIES,
    HOSTILE_SMTP_BEHAVIOURS,
    IDN_SHARE,
    IDN_STEMS,
    IMPLICIT_MX_SHARE,
    INVALID_NAMES,
    IPV6_ONLY_MX_SHARE,
    MAILHOST,
    MIXED_CASE_SHARE,
    MTA_STS_MAX_AGES,
    MTA_STS_MAX_AGE_LIMIT,
    MTA_STS_POLICIES,
    NEWSLETTERS_SPF,
    NO_SPF_INCLUDE,
    NULL_MX_SHARE,
    NX_SHARE,
    POLICY_HOST_ADDRESS,
    POLICY_IPV6_ONLY_SHARE,
    PRIVATE_DKIM_SELECTOR,
    PROVIDERS,
    PROVIDER_MTA_STS_MX,
    REPORTS_DEST,
    RSA1024_KEY,
    RSA2048_KEY,
    SECTORS,
    SELF_DKIM_SELECTORS,
    SLOW_BANNER_MS,
    SLOW_POLICY_MS,
    SMTP_BEHAVIOURS,
    SMTP_BEHAVIOUR_NAMES,
    SMTP_BEHAVIOUR_WEIGHTS,
    SMTP_OWN_BEHAVIOUR_SHARE,
    SPF_PROVIDER,
    SPF_SELF,
    SUBDOMAIN_SHARE,
    SUB_LABELS,
    TLSA_BOGUS_SHARE,
    TLSA_SHARE,
    TRAILING_DOT_SHARE,
    hostile_weights,
)
from sector.dns import Dns, farm_spki_sha256, zone_file_name
from sector.names import GENERATED_LAYOUT, names_layout, split_nested
from sector.truth import Truth


def a_label(unicode_name):
    return ".".join("xn--" + l.encode("punycode").decode("ascii")
                    if any(ord(c) > 127 for c in l) else l
                    for l in unicode_name.split("."))


class Sector:
    def __init__(self, n, seed, base, hostile_share=None, dnssec_share=None,
                 names=None):
        """`names`: the NameLines of a --names list (then `n` is their
        number), or None for invented names."""
        self.n = n
        self.names = names
        self.layout = names_layout(names) if names else GENERATED_LAYOUT
        self.organizations = {}  # domain -> organisation, from --names
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
        self.dns = Dns(self.layout.zones)
        self.next_address = 0
        self.next_tenant = 0
        self.addresses = {}  # MX address -> the host name it belongs to
        # The SMTP half draws from its own generator, so that the DNS half
        # of a seed stays what it was without it.
        self.smtp_rng = random.Random(seed * 7919 + 104729)
        # Which MX hosts and policy hosts are IPv6-only: a generator of its
        # own, so that the other draws stay what they were.
        self.family_rng = random.Random(seed * 6007 + 17)
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
        for z in self.dns.zones:
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
        if self.names:
            self.build_named_lines()
        else:
            self.build_generated_lines()
        keys = [r.getrandbits(48) for _ in self.lines]
        self.lines = [self.lines[i] for i in
                      sorted(range(len(keys)), key=keys.__getitem__)]
        self.make_ipv6_only_hosts()
        self.build_smtp()
        if self.dnssec_share is not None:
            self.build_dnssec()
        self.dns.finish()

    def build_named_lines(self):
        """The lines of a --names list: each name's posture is drawn as for
        an invented one; the same share as of invented names is left out
        of DNS (NXDOMAIN), and a name under another name of the list is
        built as its subdomain (NXDOMAIN too when that one is)."""
        r = self.rng
        registered, nested = split_nested(self.names)
        missing = set(r.sample(range(len(registered)),
                               round(len(registered) * NX_SHARE)))
        built = set()
        for i, name in enumerate(registered):
            if i in missing:
                tags = ["nxdomain"]
            else:
                tags = self.build_domain(name.domain)
                built.add(name.domain)
            self.add_named_line(name, tags)
        for name, parent in nested:
            if parent in built:
                tags = self.build_domain(name.domain, subdomain=True)
                built.add(name.domain)
            else:
                tags = ["nxdomain"]
            self.add_named_line(name, tags)

    def add_named_line(self, name, tags):
        self.lines.append([name.raw, name.sector, name.domain, tags])
        if name.organization:
            self.organizations[name.domain] = name.organization

    def build_generated_lines(self):
        """The lines of invented names: registered domains, subdomains of
        those with a DMARC record, NXDOMAIN names, spelling edge cases and
        a few invalid names."""
        r = self.rng
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

    def make_ipv6_only_hosts(self):
        """Some self-hosted MX hosts with IPv4 and IPv6 addresses lose
        their A records: mail reaches them over IPv6 only."""
        r, db = self.family_rng, self.dns.db
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
            if self.family_rng.random() < POLICY_IPV6_ONLY_SHARE:
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
                    "".join(s + "\n" for s in self.layout.icann_suffixes) +
                    "// ===END ICANN DOMAINS===\n"
                    "// ===BEGIN PRIVATE DOMAINS===\n" +
                    "".join(s + "\n" for s in self.layout.private_suffixes) +
                    "// ===END PRIVATE DOMAINS===\n")
        truth = Truth(self.dns, self, self.layout.icann_suffixes +
                      self.layout.private_suffixes)
        jsonl = []
        counts = {}
        for raw, sector, d, tags in self.lines:
            if d is None:
                jsonl.append(json.dumps({"domain": raw, "sector": sector,
                                         "status": "ERROR",
                                         "_posture": tags}) + "\n")
            else:
                jsonl.append(truth.line(d, sector, tags,
                                        self.organizations.get(d)))
            for tag in tags:
                counts[tag] = counts.get(tag, 0) + 1
        with open(os.path.join(out, "domains.csv"), "w", encoding="utf-8") as f:
            f.write(self.input_csv())
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

    def input_csv(self):
        """domains.csv: "domain,sector", or with --names the list's three
        columns (an organisation may hold commas: CSV quoting)."""
        if not self.names:
            return "domain,sector\n" + "".join(
                f"{raw},{sector}\n" for raw, sector, _, _ in self.lines)
        text = io.StringIO()
        rows = csv.writer(text, lineterminator="\n")
        rows.writerow(("domain", "sector", "organization"))
        rows.writerows((raw, sector, self.organizations.get(d, ""))
                       for raw, sector, d, _ in self.lines)
        return text.getvalue()

    def write_dnssec_plan(self, out):
        """dnssec.json, for sign_sector.py: the trust anchor's zone, and
        every zone (children before parents) with its parent, its file
        (zones.txt's), its kind and the RRsets whose signatures go."""
        dns = self.dns
        strip = {}
        for owner, rtype in sorted(dns.bogus_rrsets):
            strip.setdefault(dns.zone(owner), []).append([owner, rtype])
        zones = [{"zone": d, "parent": dns.fixed_zone(d),
                  "file": f"zones/{d}.zone", "kind": kind,
                  "strip": strip.get(d, [])}
                 for d, kind in dns.domain_zones.items()]
        zones += [{"zone": z, "parent": dns.parent_zone(z),
                   "file": zone_file_name(z), "kind": "secure", "strip": []}
                  for z in sorted(dns.zones, key=len, reverse=True)]
        with open(os.path.join(out, "dnssec.json"), "w") as f:
            json.dump({"anchor": dns.top_zone(), "zones": zones}, f, indent=1)
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
