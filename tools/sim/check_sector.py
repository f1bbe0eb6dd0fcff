#!/usr/bin/env python3
"""Compares `mxscan dump --format jsonl` output with gen_sector.py's truth.

    check_sector.py --truth truth.jsonl --results results.jsonl
                    [--fields spf,dmarc.policy,mx.addresses]

Every truth domain must appear exactly once in the results, matched by its
normalised name (lowercase, no trailing dot, A-label); invalid names, which
the scanner reports as written, by their raw text. Every field present in
the truth must equal the result's; fields missing from a result count as
their proto3 default (false, 0, "", [], {}). Keys starting with "_" in the
truth are notes, never compared. Lists compare in order, except:
  mx[].addresses        a set, by address (IPv4/IPv6 compared parsed)
  mx[].tlsa.records     a multiset (an RRset has no order), and so
                        mx[].addresses[].smtp.tlsa.records
  dkim                  a set keyed by selector; each truth key's other
                        fields must equal the result's key of that selector
A truth value of null means "absent": the result must not have the field
(an SmtpProbe without `tls` or without `error`).
--fields restricts the comparison to some fields: top-level names or dotted
paths without indices ("spf", "dmarc.policy", "mx.addresses.ip").

The SMTP half of the truth (mx[].addresses[].smtp, matched by ip within an
MX host, mx[].tlsa.daneValid, and mtaSts.policyFetched, mode, mx, maxAge,
mxNotCovered) is
compared when the results show a scan with SMTP, i.e. a probe that
connected or failed, or a fetched policy (--smtp auto, the default: a
--no-smtp scan is checked on its DNS half), always with --smtp yes (a scan
that lost its probes fails), never with --smtp no.

Prints "N domains, N matched, N mismatched, N missing, N duplicated, N
unexpected", the first 20 differences with their field paths, and how many
domains differ per field; exits 1 on any difference.

--accept-timeouts (a scan through real-internet latency, where a lost or
late answer may legitimately end in a timeout): a difference is explained
when the record itself reports a timeout on the part that differs — a DNS
question with status TIMEOUT (the MX answer and the record's status, an MX
host's addresses or TLSA, SPF (or a temperror naming a timeout), DMARC,
MTA-STS (its TXT record; the policy also needs the MX hosts' addresses and
the policy host's name), TLS-RPT, BIMI, a DKIM selector: a DNS error of
kind "timeout" naming it), or an SMTP probe of that very address with an
error of kind "timeout" (its DANE result too). A mismatched domain whose
every difference is explained counts as "explained by a reported timeout";
the first line then ends with "N explained by a reported timeout, N
unexplained", the explained domains are listed after the unexplained ones
(every difference with its explanation, up to the same limit), the
per-field counts are split, and the exit status is 1 only for an
unexplained difference, a missing, duplicated or unexpected record.
"""

import argparse
import collections
import ipaddress
import json
import re
import sys

MAX_SHOWN = 20
# The fields a scan fills only when it probes SMTP and fetches policies.
SMTP_PATHS = ("mx.addresses.smtp", "mx.tlsa.daneValid", "mtaSts.policyFetched",
              "mtaSts.mode", "mtaSts.mx", "mtaSts.maxAge", "mtaSts.mxNotCovered")


def normalise(name):
    name = name.strip()
    if name.endswith("."):
        name = name[:-1]
    if any(ord(c) > 127 for c in name):
        try:
            name = ".".join("xn--" + l.encode("punycode").decode("ascii")
                            if any(ord(c) > 127 for c in l) else l
                            for l in name.lower().split("."))
        except UnicodeError:
            return name
    return name.lower()


def ip_key(text):
    try:
        return ipaddress.ip_address(text).packed
    except ValueError:
        return text


def default_like(value):
    """The proto3 default of a field whose truth value is `value`."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return 0
    if isinstance(value, str):
        return ""
    if isinstance(value, list):
        return []
    if isinstance(value, dict):
        return {}
    return None


def scalar_equal(want, got):
    if isinstance(want, bool) or isinstance(got, bool):
        return want is got
    if isinstance(want, int) and isinstance(got, str):
        return got == str(want)  # proto3 JSON prints 64-bit integers as text
    return want == got


def under(path, prefixes):
    return any(path == p or path.startswith(p + ".") for p in prefixes)


class Comparer:
    def __init__(self, fields, smtp=True):
        self.fields = fields  # None: everything
        self.smtp = smtp      # compare SMTP_PATHS

    def selected(self, path):
        """Compare the leaf at `path` (a dotted path without indices)?"""
        if not self.smtp and under(path, SMTP_PATHS):
            return False
        if self.fields is None:
            return True
        return under(path, self.fields)

    def relevant(self, path):
        """Does anything at or below `path` get compared?"""
        if not self.smtp and under(path, SMTP_PATHS):
            return False
        if self.fields is None or not path:
            return True
        return self.selected(path) or any(f.startswith(path + ".")
                                          for f in self.fields)

    def compare(self, want, got, path, shown, diffs):
        """Appends (field path, message) for each difference."""
        if not self.relevant(path):
            return
        if want is None:
            # Absent in the truth's sense: proto3 JSON leaves unset
            # messages out.
            if got is not None:
                diffs.append((path, f"{shown}: expected absent, got "
                                    f"{short(got)}"))
            return
        if isinstance(want, dict):
            if got is None:
                got = {}
            if not isinstance(got, dict):
                diffs.append((path, f"{shown}: expected an object, got {json.dumps(got)}"))
                return
            for k, v in want.items():
                if k.startswith("_"):
                    continue
                p = f"{path}.{k}" if path else k
                self.compare(v, got.get(k, default_like(v)), p,
                             f"{shown}.{k}" if shown else k, diffs)
            return
        if isinstance(want, list):
            if got is None:
                got = []
            if not isinstance(got, list):
                diffs.append((path, f"{shown}: expected a list, got {json.dumps(got)}"))
                return
            if path == "mx.addresses":
                self.compare_keyed(want, got, path, shown, diffs,
                                   lambda a: ip_key(a.get("ip", "")), "ip")
            elif path == "dkim":
                self.compare_keyed(want, got, path, shown, diffs,
                                   lambda k: k.get("selector", ""), "selector")
            elif path in ("mx.tlsa.records", "mx.addresses.smtp.tlsa.records"):
                self.compare_multiset(want, got, path, shown, diffs)
            else:
                if len(want) != len(got):
                    diffs.append((path, f"{shown}: {len(want)} entries expected, "
                                        f"{len(got)} found: truth {short(want)}, "
                                        f"result {short(got)}"))
                    return
                for i, (w, g) in enumerate(zip(want, got)):
                    self.compare(w, g, path, f"{shown}[{i}]", diffs)
            return
        if not self.selected(path):
            return
        if got is None:
            got = default_like(want)
        if not scalar_equal(want, got):
            diffs.append((path, f"{shown}: truth {json.dumps(want)}, "
                                f"result {json.dumps(got)}"))

    def compare_keyed(self, want, got, path, shown, diffs, key, key_name):
        """Set semantics: the same keys on both sides; then each truth
        entry's fields against the result entry of the same key."""
        got_by_key = {}
        for g in got:
            got_by_key.setdefault(key(g), []).append(g)
        want_keys = [key(w) for w in want]
        if sorted(map(repr, want_keys)) != sorted(map(repr, [key(g) for g in got])):
            diffs.append((path, f"{shown}: {key_name}s differ: truth "
                                f"{sorted(str(w.get(key_name)) for w in want)}, result "
                                f"{sorted(str(g.get(key_name)) for g in got)}"))
            return
        for w in want:
            k = key(w)
            self.compare(w, got_by_key[k][0], path,
                         f"{shown}[{key_name}={w.get(key_name)}]", diffs)

    def compare_multiset(self, want, got, path, shown, diffs):
        def canon(entries, like):
            out = collections.Counter()
            for e in entries:
                if isinstance(e, dict):
                    e = {k: e.get(k, default_like(v)) for k, v in like.items()
                         if not k.startswith("_")}
                out[json.dumps(e, sort_keys=True)] += 1
            return out
        like = want[0] if want and isinstance(want[0], dict) else {}
        if not like and got and isinstance(got[0], dict):
            like = {k: v for k, v in got[0].items()}
        w, g = canon(want, like), canon(got, like)
        if w != g:
            diffs.append((path, f"{shown}: truth {short(want)}, result {short(got)}"))


def short(value, limit=300):
    text = json.dumps(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _timed_out(status):
    return status == "TIMEOUT"


def _dns_timeouts(r):
    """The messages of the record's DNS errors of kind timeout
    ("TXT name: TIMEOUT: ...")."""
    return [e.get("message", "") for e in r.get("errors", [])
            if e.get("stage") == "DNS" and e.get("kind") == "timeout"]


def _probe_timed_out(probe):
    return (probe or {}).get("error", {}).get("kind") == "timeout"


def _probes(r, ip=None):
    for h in r.get("mx", []):
        for a in h.get("addresses", []):
            if ip is None or ip_key(a.get("ip", "")) == ip_key(ip):
                yield h, a.get("smtp")


SHOWN_IP = re.compile(r"addresses\[ip=([^\]]+)\]")


def timeout_explanation(path, shown, r):
    """Why a difference at `path` (shown as `shown`) is one the record
    explains with a timeout it reports: "DNS timeout" or "SMTP timeout",
    or None (see --accept-timeouts)."""
    dns = "DNS timeout"
    mx_to = _timed_out(r.get("mxStatus"))
    hosts = r.get("mx", [])
    addresses_to = mx_to or any(_timed_out(h.get("addressStatus"))
                                for h in hosts)
    errors = _dns_timeouts(r)
    head = path.split(".")[0]
    if head in ("status", "mxStatus", "nullMx", "implicitMx", "dnssec") or \
            path == "mx":
        return dns if mx_to else None
    if path.startswith("mx.addresses.smtp"):
        ip = SHOWN_IP.search(shown)
        probes = [p for _, p in _probes(r, ip.group(1) if ip else None)]
        if path.startswith("mx.addresses.smtp.tlsa") and (
                mx_to or any(_timed_out(h.get("tlsa", {}).get("dnsStatus"))
                             for h in hosts)):
            return dns
        return "SMTP timeout" if any(map(_probe_timed_out, probes)) else None
    if path.startswith("mx.tlsa"):
        if mx_to or any(_timed_out(h.get("tlsa", {}).get("dnsStatus"))
                        for h in hosts):
            return dns
        if path == "mx.tlsa.daneValid" and any(
                _probe_timed_out(p) for _, p in _probes(r)):
            return "SMTP timeout"
        return None
    if head == "mx":
        return dns if addresses_to else None
    if head == "spf":
        spf = r.get("spf", {})
        return dns if _timed_out(spf.get("dnsStatus")) or any(
            "temperror" in e and ("TIMEOUT" in e or "timed out" in e)
            for e in spf.get("errors", [])) else None
    if head == "dmarc":
        return dns if _timed_out(r.get("dmarc", {}).get("dnsStatus")) or \
            any("_dmarc." in m for m in errors) else None
    if path in ("mtaSts.txtPresent", "mtaSts.record", "mtaSts.id"):
        return dns if _timed_out(r.get("mtaSts", {}).get("dnsStatus")) \
            else None
    if head == "mtaSts":
        return dns if _timed_out(r.get("mtaSts", {}).get("dnsStatus")) or \
            addresses_to or any(m.split(" ", 1)[-1].startswith("mta-sts.")
                                for m in errors) else None
    if head in ("tlsRpt", "bimi"):
        return dns if _timed_out(r.get(head, {}).get("dnsStatus")) else None
    if head in ("dkim", "dkimNoKeys"):
        return dns if any("._domainkey." in m or " _domainkey." in m
                          for m in errors) else None
    return None


def load(path):
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield lineno, json.loads(line)
                except json.JSONDecodeError as e:
                    sys.exit(f"{path}:{lineno}: not JSON: {e}")


def has_smtp_probes(results_path):
    """Was the scan run with SMTP: did any probe connect or fail, or any
    policy fetch succeed? (A --no-smtp scan may still hold empty SmtpProbe
    objects, so their presence proves nothing.)"""
    with open(results_path, encoding="utf-8") as f:
        for line in f:
            if '"smtp":' not in line and '"policyFetched":' not in line:
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError:
                continue
            if r.get("mtaSts", {}).get("policyFetched") is True:
                return True
            for mx in r.get("mx", []):
                for a in mx.get("addresses", []):
                    probe = a.get("smtp") or {}
                    if probe.get("connected") is True or probe.get("error"):
                        return True
    return False


def compare(truth_path, results_path, fields=None, smtp=True,
            accept_timeouts=False):
    """Returns (counts, [difference texts], {field: domains differing});
    with accept_timeouts, counts also has "explained" and "unexplained",
    and the texts of the explained domains come after the others, each
    with its explanation."""
    truth = {}
    for lineno, t in load(truth_path):
        name = t["domain"]
        if name in truth:
            sys.exit(f"{truth_path}:{lineno}: {name} appears twice in the truth")
        truth[name] = t
    comparer = Comparer(fields, smtp)
    seen = collections.Counter()
    diffs, by_field = [], collections.Counter()
    explained_diffs, explained_fields = [], collections.Counter()
    mismatched = unexpected = explained = 0
    explained_by = collections.Counter()
    for lineno, r in load(results_path):
        raw = r.get("domain", "")
        name = raw if raw in truth else normalise(raw)
        seen[name] += 1
        if name not in truth:
            unexpected += 1
            diffs.append(f"results:{lineno}: {raw!r}: not in the truth")
            continue
        if seen[name] > 1:
            continue  # counted as a duplicate below
        found = []
        comparer.compare(truth[name], r, "", "", found)
        if found:
            mismatched += 1
            if accept_timeouts:
                why = [timeout_explanation(f, m.split(":", 1)[0], r)
                       for f, m in found]
                if all(why):
                    explained += 1
                    explained_by[" and ".join(sorted(set(why)))] += 1
                    for field in sorted(set(f for f, _ in found)):
                        explained_fields[field] += 1
                    explained_diffs += [
                        f"{name}: {message} (explained: {w} reported)"
                        for (_, message), w in zip(found, why)]
                    continue
            for field in sorted(set(f for f, _ in found)):
                by_field[field] += 1
            diffs += [f"{name}: {message}" for _, message in found]
    missing = [n for n in truth if n not in seen]
    duplicated = [n for n, c in seen.items() if c > 1 and n in truth]
    diffs += [f"{n}: missing from the results" for n in missing]
    diffs += [f"{n}: {seen[n]} result lines" for n in duplicated]
    counts = collections.OrderedDict([
        ("domains", len(truth)),
        ("matched", len(truth) - len(missing) - mismatched),
        ("mismatched", mismatched),
        ("missing", len(missing)),
        ("duplicated", len(duplicated)),
        ("unexpected", unexpected),
    ])
    if accept_timeouts:
        counts["explained by a reported timeout"] = explained
        counts["unexplained"] = mismatched - explained
        explained_fields = (explained_fields, explained_by)
        by_field = (by_field, explained_fields)
        diffs = (diffs, explained_diffs)
    return counts, diffs, by_field


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--truth", required=True)
    p.add_argument("--results", required=True)
    p.add_argument("--fields", default="",
                   help="compare only these comma-separated fields "
                        "(top-level names or dotted paths)")
    p.add_argument("--smtp", choices=("auto", "yes", "no"), default="auto",
                   help="compare the SMTP half of the truth: when the "
                        "results hold SMTP probes (auto), always, never")
    p.add_argument("--accept-timeouts", action="store_true",
                   help="a difference that the record explains with a DNS "
                        "or SMTP timeout it reports is listed apart and "
                        "does not fail the check (a scan through latency)")
    a = p.parse_args()
    fields = [f.strip() for f in a.fields.split(",") if f.strip()] or None
    smtp = (a.smtp == "yes" or
            a.smtp == "auto" and has_smtp_probes(a.results))
    counts, diffs, by_field = compare(a.truth, a.results, fields, smtp,
                                      a.accept_timeouts)
    explained_diffs, explained_fields = [], {}
    if a.accept_timeouts:
        diffs, explained_diffs = diffs
        by_field, (explained_fields, explained_by) = by_field
    print(", ".join(f"{v} {k}" for k, v in counts.items()))
    if fields:
        print("fields compared: " + ", ".join(fields))
    if not smtp:
        print("SMTP fields not compared (" +
              ("--smtp no" if a.smtp == "no" else
               "the results hold no SMTP probe: a --no-smtp scan") + ")")
    for d in diffs[:MAX_SHOWN]:
        print("  " + d)
    if len(diffs) > MAX_SHOWN:
        print(f"  ... and {len(diffs) - MAX_SHOWN} more differences")
    if by_field:
        print("domains differing" +
              (" (unexplained)" if a.accept_timeouts else "") + ", per field:")
        for field, n in sorted(by_field.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {field:32} {n}")
    if explained_diffs:
        print("domains explained by a reported timeout, by kind: " +
              ", ".join(f"{k} {v}" for k, v in sorted(explained_by.items())))
        print("differences explained by a timeout the record reports:")
        for d in explained_diffs[:MAX_SHOWN]:
            print("  " + d)
        if len(explained_diffs) > MAX_SHOWN:
            print(f"  ... and {len(explained_diffs) - MAX_SHOWN} more "
                  "explained differences")
        print("domains differing as a reported timeout explains, per field:")
        for field, n in sorted(explained_fields.items(),
                               key=lambda kv: (-kv[1], kv[0])):
            print(f"  {field:32} {n}")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
