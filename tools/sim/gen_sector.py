#!/usr/bin/env python3
"""Writes a simulated public sector (DNS and SMTP halves) and its ground truth.

    gen_sector.py --domains N --seed S --out DIR [--address-base 127]
                  [--mta-sts-dir POLICY_DIR] [--hostile-share S]
                  [--dnssec-share S]
    gen_sector.py --names FILE [--names-sample N] --seed S --out DIR [...]

--names FILE builds the sector on real names instead of invented ones: FILE
is a CSV list "domain,sector,organization" with a header (such as
tools/sectors/us-dotgov.csv); the postures are drawn as for invented names.
The tree then has a root of its own (root.zone, the trust anchor) delegating
sim (the mail providers) and the names' top-level domains (gov.zone), and
psl.dat lists the names' public suffixes; see tools/sim/README.md.

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
import gc
import os

from sector.generator import Sector
from sector.names import NamesError, read_names, sample_names


def named_lines(p, a):
    """The NameLines of --names (a sample with --names-sample); a bad list
    ends the run with the error that names the line."""
    try:
        names = read_names(a.names)
    except OSError as e:
        p.error(f"--names: {e}")
    except NamesError as e:
        p.exit(2, f"gen_sector: {e}\n")
    if a.names_sample is None:
        return names
    if a.names_sample > len(names):
        p.error(f"--names-sample {a.names_sample}: {a.names} has "
                f"{len(names)} names")
    return sample_names(names, a.names_sample, a.seed)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--domains", type=int,
                   help="invented names: this many input lines")
    p.add_argument("--names", metavar="FILE",
                   help="real names instead: a CSV list with the header "
                        "domain,sector,organization (each line's sector and "
                        "organisation go to domains.csv and the truth)")
    p.add_argument("--names-sample", type=int, metavar="N",
                   help="with --names: N names of the list chosen by the "
                        "seed, by whole organisations where they fit")
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
    if (a.domains is None) == (a.names is None):
        p.error("give either --domains or --names")
    if a.domains is not None and a.domains < 1:
        p.error("--domains must be at least 1")
    if a.names_sample is not None and (a.names is None or a.names_sample < 1):
        p.error("--names-sample takes a number of at least 1, with --names")
    if a.hostile_share is not None and not 0 <= a.hostile_share <= 1:
        p.error("--hostile-share must be in 0..1")
    if not 1 <= a.address_base <= 223:
        p.error("--address-base must be in 1..223")
    names = named_lines(p, a) if a.names else None
    gc.disable()  # millions of small acyclic objects
    os.makedirs(a.out, exist_ok=True)
    s = Sector(len(names) if names else a.domains, a.seed, a.address_base,
               a.hostile_share, a.dnssec_share, names)
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
