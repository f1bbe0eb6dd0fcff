#!/usr/bin/env python3
"""Signs a simulated sector generated with `gen_sector.py --dnssec-share`.

    sign_sector.py --sim SIM_DIR --out OUT_DIR [--jobs N]

Reads SIM_DIR/dnssec.json (every zone, its parent and its kind) and the
zone files it names; writes to OUT_DIR:
  keys/          the signing key (ldns-keygen, ECDSA P-256, a fresh one per
                 run), used as the single key (KSK bit set) of every zone
  <zone files>   the zones as NSD serves them: signed ones through
                 ldns-signzone, with their DNSKEY and their children's DS
  zones.txt      "zone zonefile" per line, for nsd_server.sh --zones
  trust-anchor   the DS of the plan's "anchor" zone (the sim's root: sim,
                 or "." for a sector of real names), for a validating
                 resolver (tools/resolver/resolver.sh TRUST_ANCHOR=)

Kinds: "secure" (signed, DS in the parent), "insecure" (unsigned, no DS),
"bogus-expired" (signatures that expired in 2020), "bogus-ds" (the parent's
DS matches no key), "bogus-no-rrsig" (every RRSIG but the DNSKEY's
stripped), "bogus-tlsa" (signed; the RRSIGs of the RRsets listed in
"strip" removed). A validating resolver answers SERVFAIL (DNSSEC bogus) for
every name of the bogus-* zones but bogus-tlsa, whose only bogus answers
are those RRsets.

Prints one line: zones signed, seconds taken.
"""

import argparse
import base64
import concurrent.futures
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time

ALGORITHM = 13  # ECDSAP256SHA256 (RFC 6605)
# Signatures valid only in the past, for bogus-expired.
EXPIRED = ("-i", "20200101000000", "-e", "20200201000000")


def fqdn(zone):
    """The zone's name with its trailing dot ("." is the root: a sector of
    real names has one)."""
    return zone if zone.endswith(".") else zone + "."


def name_wire(name):
    """The canonical wire form of a domain name (RFC 4034 section 6.2)."""
    labels = [l for l in name.lower().rstrip(".").split(".") if l]
    return b"".join(bytes([len(l)]) + l.encode("ascii") for l in labels) + b"\0"


def key_tag(rdata):
    """RFC 4034 appendix B."""
    total = sum(b if i & 1 else b << 8 for i, b in enumerate(rdata))
    total += (total >> 16) & 0xFFFF
    return total & 0xFFFF


def read_key(keys_dir):
    """(base path, DNSKEY RDATA bytes, public key base64) of the key
    ldns-keygen made in keys_dir."""
    os.makedirs(keys_dir, exist_ok=True)
    for f in os.listdir(keys_dir):
        os.remove(os.path.join(keys_dir, f))
    base = subprocess.run(
        ["ldns-keygen", "-a", "ECDSAP256SHA256", "-k", "sim."], cwd=keys_dir,
        check=True, capture_output=True, text=True).stdout.strip()
    with open(os.path.join(keys_dir, base + ".key")) as f:
        fields = f.read().split(";")[0].split()
    # owner IN DNSKEY flags protocol algorithm key...
    flags, protocol, algorithm = int(fields[3]), int(fields[4]), int(fields[5])
    public = "".join(fields[6:])
    if (flags, protocol, algorithm) != (257, 3, ALGORITHM):
        raise SystemExit(f"sign_sector: unexpected key {' '.join(fields[:6])}")
    rdata = (flags.to_bytes(2, "big") + bytes([protocol, algorithm]) +
             base64.b64decode(public))
    return os.path.join(keys_dir, base), rdata, public


def ds_line(zone, rdata, wrong=False):
    """The DS RR (SHA-256, RFC 4509) of the key `rdata` at `zone`; `wrong`:
    a digest that matches no key."""
    digest = hashlib.sha256(name_wire(zone) + rdata).hexdigest()
    if wrong:
        digest = hashlib.sha256(digest.encode("ascii")).hexdigest()
    return f"{fqdn(zone)} IN DS {key_tag(rdata)} {ALGORITHM} 2 {digest}"


def drop_signatures(path, keep):
    """Removes the RRSIG lines of the signed zone file at `path` for which
    keep(owner, covered type) is false."""
    with open(path) as f:
        lines = f.readlines()
    out = []
    for line in lines:
        fields = line.split()
        if (len(fields) > 4 and fields[3] == "RRSIG" and
                not keep(fields[0].rstrip(".").lower(), fields[4])):
            continue
        out.append(line)
    with open(path, "w") as f:
        f.writelines(out)


def sign(zone, sim, out, key_base, dnskey, extra):
    """Writes the served file of `zone` (a dnssec.json entry)."""
    source = os.path.join(sim, zone["file"])
    unsigned = os.path.join(out, zone["file"] + ".unsigned")
    served = os.path.join(out, zone["file"])
    os.makedirs(os.path.dirname(served), exist_ok=True)
    with open(source) as f:
        text = f.read()
    if zone["kind"] == "insecure":
        with open(served, "w") as f:
            f.write(text + "".join(l + "\n" for l in extra))
        return
    with open(unsigned, "w") as f:
        f.write(text + f"{fqdn(zone['zone'])} IN DNSKEY {dnskey}\n" +
                "".join(l + "\n" for l in extra))
    args = ["ldns-signzone", "-f", served, "-o", fqdn(zone["zone"])]
    if zone["kind"] == "bogus-expired":
        args += EXPIRED
    done = subprocess.run(args + [unsigned, key_base], capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise SystemExit(f"sign_sector: ldns-signzone failed on {zone['zone']} "
                         f"({zone['file']}): {done.stderr.strip()}")
    os.remove(unsigned)
    if zone["kind"] == "bogus-no-rrsig":
        drop_signatures(served, lambda owner, covered: covered == "DNSKEY")
    elif zone["strip"]:
        gone = {(o.lower(), t) for o, t in zone["strip"]}
        drop_signatures(served, lambda owner, covered: (owner, covered) not in gone)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sim", required=True, help="gen_sector.py's --out")
    p.add_argument("--out", required=True, help="where the served zones go")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="ldns-signzone processes at once (default: cores)")
    a = p.parse_args()
    for tool in ("ldns-keygen", "ldns-signzone"):
        if shutil.which(tool) is None:
            raise SystemExit(f"sign_sector: {tool} not found (Debian: ldnsutils)")
    try:
        with open(os.path.join(a.sim, "dnssec.json")) as f:
            plan = json.load(f)
    except (OSError, ValueError) as e:
        raise SystemExit(f"sign_sector: {a.sim}/dnssec.json: {e} "
                         "(run gen_sector.py with --dnssec-share)")
    started = time.monotonic()
    os.makedirs(a.out, exist_ok=True)
    key_base, rdata, public = read_key(os.path.join(a.out, "keys"))
    dnskey = f"257 3 {ALGORITHM} {public}"
    children = {}
    for z in plan["zones"]:
        if z["parent"] is not None and z["kind"] != "insecure":
            children.setdefault(z["parent"], []).append(
                ds_line(z["zone"], rdata, wrong=z["kind"] == "bogus-ds"))
    with concurrent.futures.ThreadPoolExecutor(max(1, a.jobs)) as pool:
        list(pool.map(
            lambda z: sign(z, a.sim, a.out, key_base, dnskey,
                           children.get(z["zone"], [])), plan["zones"]))
    with open(os.path.join(a.out, "zones.txt"), "w") as f:
        f.write("".join(f"{z['zone']} {z['file']}\n" for z in plan["zones"]))
    with open(os.path.join(a.out, "trust-anchor"), "w") as f:
        f.write(ds_line(plan["anchor"], rdata) + "\n")
    signed = sum(z["kind"] != "insecure" for z in plan["zones"])
    print(f"{signed} of {len(plan['zones'])} zones signed in "
          f"{time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
