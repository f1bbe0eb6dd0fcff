#!/usr/bin/env python3
"""Checks a scan of the simulated sector made through a hostile network.

    check_hostile_sector.py --sim SIM_DIR --results results.jsonl
        --proxy-stats proxy.json --proxy-log proxy.log
        [--rss-kib N --max-rss-mib M] [--seconds S]

SIM_DIR is gen_sector.py's output (truth.jsonl, addresses.json); the
results are `mxscan dump --format jsonl`; the proxy files are
tools/sim/hostile_dns_proxy.py's --stats and --log. Checks:

1. every input domain has exactly one record, and nothing else is there;
2. every record's status is OK/NXDOMAIN/SERVFAIL/TIMEOUT/ERROR, and a DNS
   status is set on the MX question and on every DNS-derived part (SPF,
   DMARC, MTA-STS, TLS-RPT, BIMI, each MX host's addresses and TLSA);
   a failed MX question gives the matching record status and a DNS error
   with a kind; a failed TXT lookup never reads as "no record";
3. every SMTP probe has a result, and one that failed has an error with a
   stage and a kind;
4. the domains whose DNS path the proxy never touched (no tampered
   question attributable to them, see touched_domains()) reproduce the
   truth exactly (tools/sim/check_sector.py's comparison), and there are
   at least --min-untouched of them (a share of all domains);
5. every difference from the truth in the other domains is explained by a
   DNS failure the record itself reports (explained()), and at least
   --min-match of all domains reproduce the truth;
6. every DNS failure a record reports is real: the proxy tampered with
   that question (or a name its CNAMEs lead to), and a SERVFAIL was one
   the proxy sent;
7. every kind of DNS hostility happened, and the peak RSS is under the
   bound.
Prints the figures; exits 1 with the reasons on any failure.
"""

import argparse
import collections
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "sim"))
import check_sector  # noqa: E402

STATUSES = {"OK", "NXDOMAIN", "SERVFAIL", "TIMEOUT", "ERROR"}
DNS_FAILED = {"SERVFAIL", "TIMEOUT", "ERROR", "REFUSED"}
DNS_STATUSES = {"NOERROR", "NXDOMAIN"} | DNS_FAILED
# A failed MX question -> the record's status.
MX_STATUS_TO_STATUS = {"SERVFAIL": "SERVFAIL", "REFUSED": "SERVFAIL",
                       "TIMEOUT": "TIMEOUT", "ERROR": "ERROR"}
SECTOR_ZONES = ("gov.sim", "council.sim", "nhs.sim", "school.sim")
PROVIDER_ZONE = "provider.sim"
HOSTILITY_KINDS = ("drop", "delay", "servfail", "tc", "truncated", "flipped",
                   "wrong_id", "bad_pointer", "garbage")
HOSTILE_SMTP = ("silent", "endless_line", "huge_reply", "garbage_tls",
                "reset_handshake", "starttls_injection", "slow_banner",
                "defer_421")
MAX_SHOWN = 15


def zone_base(name):
    """(zone, registered name under a sector zone) of a question name:
    ("gov.sim", "dept.gov.sim") for "_dmarc.it.dept.gov.sim"; the name is
    None for the zone's own names ("_dmarc.gov.sim"); (None, None) outside
    the sector zones."""
    for zone in SECTOR_ZONES:
        if name == zone:
            return zone, None
        if name.endswith("." + zone):
            label = name[:-len(zone) - 1].rsplit(".", 1)[-1]
            return zone, (None if label.startswith("_") else f"{label}.{zone}")
    return None, None


def touched_domains(truth, tampered_names):
    """The input domains whose record could depend on a tampered question:
    names under a sector zone belong to the registered domain they are
    under (and its subdomains: DMARC tree walks and inheritance), a zone's
    own names (_dmarc.gov.sim) to every domain of the zone, `sim`'s to
    every domain; names under provider.sim to every domain whose truth
    mentions that provider (MX hosts, SPF includes, rua), except
    <domain>._report._dmarc.<dest>, which belongs to <domain>."""
    by_base = collections.defaultdict(set)
    by_zone = collections.defaultdict(set)
    by_provider = collections.defaultdict(set)
    for d, t in truth.items():
        zone, base = zone_base(d)
        by_base[base].add(d)
        by_zone[zone].add(d)
        for org in set(re.findall(r"([a-z0-9-]+)\.provider\.sim",
                                  json.dumps(t))):
            by_provider[org].add(d)
    touched = set()
    for name in tampered_names:
        if "._report._dmarc." in name:
            name = name.split("._report._dmarc.")[0]
        zone, base = zone_base(name)
        if base is not None:
            touched |= by_base.get(base, set())
        elif zone is not None:
            touched |= by_zone.get(zone, set())
        elif name.endswith("." + PROVIDER_ZONE):
            org = name[:-len(PROVIDER_ZONE) - 1].rsplit(".", 1)[-1]
            touched |= by_provider.get(org, set())
            if org.startswith("_"):
                touched |= set().union(*by_provider.values())
        else:
            touched |= set(truth)  # the sim zone, or provider.sim itself
    return touched


def cname_targets(sim):
    """Owner -> target of every CNAME in the sim's zone files."""
    out = {}
    for name in os.listdir(sim):
        if name.endswith(".zone"):
            with open(os.path.join(sim, name), encoding="utf-8") as f:
                for line in f:
                    fields = line.split()
                    if len(fields) == 4 and fields[2] == "CNAME":
                        out[fields[0].rstrip(".").lower()] = \
                            fields[3].rstrip(".").lower()
    return out


def unreal_failure(message, tampered, cnames):
    """Why a DNS error message ("TXT name: TIMEOUT: ...") names no
    question the proxy tampered with; None when it does."""
    m = re.match(r"(\S+) (\S+): ([A-Z]+)", message)
    if not m:
        return "not of the form \"TYPE name: STATUS\""
    rtype, name, status = m.groups()
    kinds = set()
    for _ in range(10):
        kinds |= tampered.get((rtype, name), set())
        if name not in cnames:
            break
        name = cnames[name]
    if not kinds:
        return "the proxy never touched this question"
    if status == "SERVFAIL" and "servfail" not in kinds:
        return f"a SERVFAIL the proxy did not send (it did: {sorted(kinds)})"
    return None


def failed(status):
    return status in DNS_FAILED


def dns_errors(r):
    """The DNS-stage errors of a record: their messages."""
    return [e.get("message", "") for e in r.get("errors", [])
            if e.get("stage") == "DNS"]


def explained(path, r):
    """Is a difference at `path` (check_sector's field path) accounted
    for by a DNS failure the record reports?"""
    mx_failed = failed(r.get("mxStatus"))
    hosts = r.get("mx", [])
    address_failed = mx_failed or any(failed(h.get("addressStatus"))
                                      for h in hosts)
    head = path.split(".")[0]
    if head in ("status", "mxStatus", "nullMx", "implicitMx", "dnssec") or \
            path == "mx":
        return mx_failed
    if path.startswith("mx.tlsa") or path.startswith("mx.addresses.smtp.tlsa"):
        return mx_failed or any(failed(h.get("tlsa", {}).get("dnsStatus"))
                                for h in hosts)
    if path.startswith("mx.addresses.smtp"):
        return False  # a DNS failure does not change what a server says
    if head == "mx":
        return address_failed
    if head == "spf":
        spf = r.get("spf", {})
        return failed(spf.get("dnsStatus")) or any(
            e.startswith("temperror") or ": temperror" in e
            for e in spf.get("errors", []))
    if head == "dmarc":
        dmarc = r.get("dmarc", {})
        return failed(dmarc.get("dnsStatus")) or any(
            "_dmarc." in m for m in dns_errors(r))
    if path in ("mtaSts.txtPresent", "mtaSts.record", "mtaSts.id"):
        return failed(r.get("mtaSts", {}).get("dnsStatus"))
    if head == "mtaSts":  # the policy: needs the TXT, the MX hosts, the host
        sts = r.get("mtaSts", {})
        return failed(sts.get("dnsStatus")) or address_failed or any(
            m.split(" ", 1)[-1].startswith("mta-sts.") for m in dns_errors(r))
    if head in ("tlsRpt", "bimi"):
        return failed(r.get(head, {}).get("dnsStatus"))
    if head in ("dkim", "dkimNoKeys"):
        return any("._domainkey." in m or " _domainkey." in m
                   for m in dns_errors(r))
    return False


class Problems:
    def __init__(self):
        self.by_kind = collections.OrderedDict()

    def add(self, kind, text):
        self.by_kind.setdefault(kind, []).append(text)

    def report(self):
        for kind, items in self.by_kind.items():
            print(f"FAIL: {kind}: {len(items)}")
            for text in items[:MAX_SHOWN]:
                print(f"    {text}")
        return bool(self.by_kind)


def check_record(r, problems):
    """Checks 2 and 3 on one record."""
    d = r.get("domain", "?")
    status = r.get("status", "STATUS_UNSPECIFIED")
    if status not in STATUSES:
        problems.add("record status not classified", f"{d}: {status}")
        return
    input_error = any(e.get("stage") == "INPUT" for e in r.get("errors", []))
    if input_error:
        return
    mx_status = r.get("mxStatus")
    if mx_status not in DNS_STATUSES:
        problems.add("MX question without a DNS status", f"{d}: {mx_status}")
    elif failed(mx_status):
        if status != MX_STATUS_TO_STATUS[mx_status]:
            problems.add("record status does not follow the MX question",
                         f"{d}: mxStatus {mx_status}, status {status}")
        if not any(e.get("stage") == "DNS" and e.get("kind")
                   for e in r.get("errors", [])):
            problems.add("failed MX question without a DNS error and kind",
                         f"{d}: {r.get('errors')}")
    for part in ("spf", "dmarc", "mtaSts", "tlsRpt", "bimi"):
        s = r.get(part, {}).get("dnsStatus")
        if s not in DNS_STATUSES:
            problems.add(f"{part} without a DNS status", f"{d}: {s}")
        # (DMARC's status may be a parent level's, under records of its own.)
        elif failed(s) and part != "dmarc" and r.get(part, {}).get(
                "present" if part != "mtaSts" else "txtPresent"):
            problems.add(f"{part} present although its lookup failed", f"{d}")
    if failed(r.get("spf", {}).get("dnsStatus")) and not r["spf"].get("errors"):
        problems.add("failed SPF lookup without an error", d)
    if failed(r.get("dmarc", {}).get("dnsStatus")) and not r["dmarc"].get("errors"):
        problems.add("failed DMARC lookup without an error", d)
    for h in r.get("mx", []):
        s = h.get("addressStatus")
        if s not in DNS_STATUSES:
            problems.add("MX host without an address status",
                         f"{d}: {h.get('host')}: {s}")
        if h.get("tlsa", {}).get("dnsStatus") not in DNS_STATUSES:
            problems.add("MX host without a TLSA DNS status",
                         f"{d}: {h.get('host')}")
        for a in h.get("addresses", []):
            probe = a.get("smtp")
            if probe is None:
                problems.add("MX address without an SMTP probe",
                             f"{d}: {a.get('ip')}")
                continue
            e = probe.get("error")
            if e is not None and (e.get("stage", "STAGE_UNSPECIFIED") ==
                                  "STAGE_UNSPECIFIED" or not e.get("kind")):
                problems.add("SMTP error without a stage or kind",
                             f"{d}: {a.get('ip')}: {e}")
            if e is None and not probe.get("connected"):
                problems.add("SMTP probe neither connected nor failed",
                             f"{d}: {a.get('ip')}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sim", required=True)
    p.add_argument("--results", required=True)
    p.add_argument("--proxy-stats", required=True)
    p.add_argument("--proxy-log", required=True)
    p.add_argument("--rss-kib", type=int)
    p.add_argument("--max-rss-mib", type=int, default=400)
    p.add_argument("--seconds", type=float)
    p.add_argument("--min-untouched", type=float, default=0.05,
                   help="share of all domains the proxy must have left alone")
    p.add_argument("--min-match", type=float, default=0.8,
                   help="share of all domains that must reproduce the truth")
    a = p.parse_args()
    problems = Problems()

    truth = {}
    with open(os.path.join(a.sim, "truth.jsonl"), encoding="utf-8") as f:
        for line in f:
            t = json.loads(line)
            truth[t["domain"]] = t
    records = collections.defaultdict(list)
    unexpected = []
    with open(a.results, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            raw = r.get("domain", "")
            name = raw if raw in truth else check_sector.normalise(raw)
            if name in truth:
                records[name].append(r)
            else:
                unexpected.append(raw)
    # 1. exactly one record per input domain
    for d in truth:
        if len(records.get(d, [])) != 1:
            problems.add("domains without exactly one record",
                         f"{d}: {len(records.get(d, []))} records")
    for raw in unexpected:
        problems.add("records of domains not in the input", raw)
    # 2, 3. classification
    for rs in records.values():
        for r in rs:
            check_record(r, problems)

    # 4, 5. the truth
    tampered = collections.defaultdict(set)  # (type, name) -> kinds
    with open(a.proxy_log, encoding="utf-8") as f:
        for line in f:
            kind, rtype, name = line.rstrip("\n").split("\t")
            tampered[(rtype, name)].add(kind)
    tampered_names = {name for _, name in tampered}
    touched = touched_domains(truth, tampered_names)
    comparer = check_sector.Comparer(None, smtp=True)
    counts = collections.Counter()
    unexplained_fields = collections.Counter()
    for d, t in truth.items():
        if len(records.get(d, [])) != 1:
            continue
        r = records[d][0]
        diffs = []
        comparer.compare(t, r, "", "", diffs)
        side = "touched" if d in touched else "untouched"
        counts[side] += 1
        if not diffs:
            counts[f"{side} matching"] += 1
            continue
        if side == "untouched":
            for path, message in diffs:
                problems.add("untouched domains that differ from the truth",
                             f"{d}: {message}")
            continue
        bad = [(path, m) for path, m in diffs if not explained(path, r)]
        if bad:
            for path, message in bad:
                unexplained_fields[path] += 1
                problems.add("differences not explained by a reported DNS "
                             "failure", f"{d}: {message} (errors: "
                             f"{[e.get('message') for e in r.get('errors', [])]})")
        else:
            counts["touched explained"] += 1
    if counts["untouched"] < a.min_untouched * len(truth):
        problems.add("too few domains untouched by the proxy to compare",
                     f"{counts['untouched']} of {len(truth)}, under "
                     f"{a.min_untouched:.0%}")
    matching = counts["touched matching"] + counts["untouched matching"]
    if matching < a.min_match * len(truth):
        problems.add("too few domains reproduce the truth",
                     f"{matching} of {len(truth)}, under {a.min_match:.0%}")

    # 6. the failures reported are real
    cnames = cname_targets(a.sim)
    failures = collections.Counter()
    for rs in records.values():
        for r in rs:
            for e in r.get("errors", []):
                if e.get("stage") != "DNS":
                    continue
                why = unreal_failure(e.get("message", ""), tampered, cnames)
                if why:
                    problems.add("DNS failures reported that did not happen",
                                 f"{r['domain']}: {e.get('message')}: {why}")
            if failed(r.get("mxStatus")):
                failures["MX question"] += 1
            for part in ("spf", "dmarc", "mtaSts", "tlsRpt", "bimi"):
                if failed(r.get(part, {}).get("dnsStatus")):
                    failures[part] += 1
            if any(failed(h.get("addressStatus")) for h in r.get("mx", [])):
                failures["MX host addresses"] += 1
            if any(e.get("stage") == "DNS" for e in r.get("errors", [])):
                failures["records with DNS errors"] += 1

    # 7. hostility happened; memory
    with open(a.proxy_stats) as f:
        stats = json.load(f)
    for kind in HOSTILITY_KINDS:
        if stats.get(kind, 0) < 1:
            problems.add("DNS hostility that never happened", kind)
    if stats.get("queries_tcp", 0) < 1:
        problems.add("DNS hostility that never happened", "queries over TCP")
    with open(os.path.join(a.sim, "addresses.json")) as f:
        behaviours = collections.Counter(
            e["behaviour"] for k, e in json.load(f).items() if "host" in e)
    hostile = sum(behaviours[b] for b in HOSTILE_SMTP)
    if a.rss_kib is not None and a.rss_kib > a.max_rss_mib * 1024:
        problems.add("peak RSS over the bound",
                     f"{a.rss_kib / 1024:.0f} MiB > {a.max_rss_mib} MiB")

    queries = stats["queries_udp"] + stats["queries_tcp"]
    kinds = {k: stats.get(k, 0) for k in HOSTILITY_KINDS}
    print(f"{len(truth)} domains, {sum(len(v) for v in records.values())} "
          f"records" + (f", scan {a.seconds:.1f} s" if a.seconds else "") +
          (f", peak RSS {a.rss_kib / 1024:.0f} MiB (bound {a.max_rss_mib})"
           if a.rss_kib else ""))
    print(f"DNS proxy: {queries} queries ({stats['queries_tcp']} over TCP), "
          f"{sum(kinds.values())} tampered "
          f"({100.0 * sum(kinds.values()) / max(1, queries):.1f}%): " +
          ", ".join(f"{k} {v}" for k, v in kinds.items()) +
          f"; at most {stats.get('max_delayed_held', 0)} answers held")
    print(f"SMTP: {sum(behaviours.values())} MX addresses, {hostile} hostile "
          f"({100.0 * hostile / max(1, sum(behaviours.values())):.1f}%): " +
          ", ".join(f"{b} {behaviours[b]}" for b in HOSTILE_SMTP))
    print(f"untouched domains: {counts['untouched']}, "
          f"{counts['untouched matching']} reproduce the truth; touched: "
          f"{counts['touched']}, {counts['touched matching']} reproduce it, "
          f"{counts['touched explained']} differ as their DNS failures explain")
    print("records reporting DNS failures: " +
          ", ".join(f"{k} {v}" for k, v in sorted(failures.items())))
    if unexplained_fields:
        print("unexplained differences per field: " +
              ", ".join(f"{k} {v}" for k, v in unexplained_fields.most_common()))
    sys.exit(1 if problems.report() else 0)


if __name__ == "__main__":
    main()
