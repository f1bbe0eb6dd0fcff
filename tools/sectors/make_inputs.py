#!/usr/bin/env python3
"""Turns the bundled public-sector domain lists (source/, verbatim copies;
see source/SOURCE.txt for origin and licence) into `mxscan scan --input`
files: CSV "domain,sector,organization" with a header, one domain per line,
sorted, each domain once.

  tools/sectors/make_inputs.py [OUT_DIR]     (default: tools/sectors)

Writes:
  us-dotgov.csv              every .gov domain of the US registry (CISA);
                             sector = its "Domain type" (City, County,
                             Federal - Executive, ...), organization = its
                             "Organization name" (with its state when
                             several states' organisations share the name)
  uk-public-sector.csv       UK public-sector organisation domains
                             (GOV.UK ukps-domains); sector from
                             organisation_type_id; wildcard patterns
                             (*.gov.uk, ...) are not domains and are left out
  uk-gov-uk-2017.csv         the gov.uk register of 2017 (stale); sector
                             from the organisation's register prefix
"""
import csv
import io
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "source")

UK_TYPES = {
    "local_authority": "local government",
    "central_gov": "central government",
    "nmd": "non-ministerial department",
    "ea": "executive agency",
    "ndpb": "non-departmental public body",
    "devolved": "devolved government",
    "nhs": "health",
    "police": "police",
    "military": "defence",
    None: "public sector (unclassified)",
}

UK_2017_TYPES = {
    "government-organisation": "central government",
    "local-authority-eng": "local government",
    "local-authority-sct": "local government",
    "principal-local-authority": "local government",
    "internal-drainage-board": "internal drainage board",
    "": "gov.uk (unclassified)",
}


def us_dotgov():
    """A non-federal organisation name that several states use ("City of
    Aberdeen": four cities) gets its state, "City of Aberdeen (WA)", so
    that each organisation stays one (mxscan site's pages)."""
    with open(os.path.join(SOURCE, "us-dotgov-current-full.csv"),
              encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    states = {}
    for row in rows:
        if not row["Domain type"].startswith("Federal"):
            states.setdefault(row["Organization name"].lower(),
                              set()).add(row["State"])
    for row in rows:
        name = row["Organization name"]
        if (not row["Domain type"].startswith("Federal")
                and len(states[name.lower()]) > 1 and row["State"]):
            name = f"{name} ({row['State']})"
        yield row["Domain name"], row["Domain type"], name


def uk_public_sector():
    with open(os.path.join(SOURCE, "uk-public-sector-domains.csv"),
              encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["is_wildcard"] == "true":
                continue
            kind = row["organisation_type_id"] or None
            yield (row["domain_pattern"], UK_TYPES.get(kind, kind),
                   row["organisation_name"])


def uk_gov_uk_2017():
    with open(os.path.join(SOURCE, "uk-government-domain-register-2017.tsv"),
              encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["end-date"]:
                continue  # no longer registered in 2017
            prefix = row["organisation"].split(":", 1)[0]
            yield (row["hostname"] + ".gov.uk",
                   UK_2017_TYPES.get(prefix, prefix), row["organisation"])


def write(path, rows):
    seen = {}
    for domain, sector, organization in rows:
        domain = domain.strip().lower().rstrip(".")
        if domain and domain not in seen:
            seen[domain] = ((sector or "").strip(), (organization or "").strip())
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["domain", "sector", "organization"])
    for domain in sorted(seen):
        w.writerow([domain, *seen[domain]])
    with open(path, "w", encoding="utf-8") as f:
        f.write(out.getvalue())
    return len(seen)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    for name, rows in (("us-dotgov.csv", us_dotgov()),
                       ("uk-public-sector.csv", uk_public_sector()),
                       ("uk-gov-uk-2017.csv", uk_gov_uk_2017())):
        n = write(os.path.join(out, name), rows)
        print(f"{name}: {n} domains")


if __name__ == "__main__":
    main()
