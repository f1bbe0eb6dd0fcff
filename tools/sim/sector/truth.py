"""The truth line of each domain, computed by the evaluators from the
records the zone files are written from.

Part of tools/sim/gen_sector.py (see its documentation).
"""

import json

from sector.constants import (
    DEFAULT_DKIM_SELECTORS,
    ED25519_KEY,
    POLICY_HOST_ADDRESS,
    PSL_SUFFIXES,
    RSA1024_KEY,
    RSA2048_KEY,
)
from sector.records import (
    ALNUM_1_32,
    Spf,
    URI,
    ancestors,
    has_version,
    parse_dmarc,
    psl_org_domain,
)
from sector.smtp import mx_pattern_matches, parse_mta_sts_policy, smtp_truth

class Truth:
    def __init__(self, dns, farm=None, suffixes=PSL_SUFFIXES):
        self.dns = dns
        self.farm = farm  # the SMTP half (a Sector), or None
        self.suffixes = frozenset(suffixes)  # those psl.dat lists
        self.dmarc_cache = {}
        self.host_cache = {}

    def psl_org_domain(self, name):
        return psl_org_domain(name, self.suffixes)

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
        return walk if walk == self.psl_org_domain(name) else None

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
        if tags is None and self.psl_org_domain(name) != name:
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
        if self.psl_org_domain(host) == self.psl_org_domain(record_domain):
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
            owner = f"{sel}._domainkey.{name}"
            _, texts, links = self.dns.lookup(owner, "TXT")
            for t in texts:
                tags = dict(p.strip(" \t").split("=", 1)
                            for p in t.split(";") if "=" in p)
                tags = {k.strip(): v.strip() for k, v in tags.items()}
                if "p" not in tags and not t.lower().startswith("v=dkim1"):
                    continue
                key = {"selector": sel, "revoked": tags.get("p", "") == ""}
                # A provider's key behind a CNAME: where it was found.
                key["cnameTarget"] = self.dns.canonical(owner) if links else ""
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

    def line(self, name, sector, tags, organization=None):
        """The truth line of a domain (JSON text); `organization` as the
        input's third column gives it, if any."""
        m, mx, hosts = self.mx(name)
        keys, no_keys = self.dkim(name)
        head = {"domain": name, "sector": sector}
        if organization:
            head["organization"] = organization
        head["status"] = m.pop("status")
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
