"""Gives the records of tools/sim/gen_results organisations, so that a site
built from them has organisations of many domains (gen_results sets none:
each domain would be an organisation of one, and an organisation's table
a single row, which neither sorts nor filters).

Usage: organise_results.py IN_DIR OUT_DIR

Each record (a length-delimited mxscan.DomainResult) gets `organization`
(field 20) and `sector` (field 2) appended: in protobuf a singular field
read twice takes the last value, so no other byte of the record changes.
Domains are dealt out in runs of 1 to 23 to organisations that keep the
sector of their first domain; every tenth domain keeps no organisation
(its registrable domain stands in); the names exercise escaping, non-ASCII
and slug collisions ("Health & Care <North>" and "health / care (north)"
both slug to "health---care--north-"), and one organisation has no sector.
Stdlib only.
"""
import os
import re
import sys

ORGANIZATION = 20
SECTOR = 2
DOMAIN = 1

RUNS = [1, 2, 3, 5, 8, 13, 21, 12, 9, 4, 23, 11, 6, 17, 10, 7]
SPECIAL = [
    ("Health & Care <North>", None),
    ("health / care (north)", None),
    ("Ærø Kommune \u2014 “Økonomi”", "Santé & services sociaux <régional>"),
    ("Unsectored Agency", ""),
]


def varint(data, pos):
    shift = value = 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7


def put_varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def string_field(number, text):
    raw = text.encode()
    return put_varint(number << 3 | 2) + put_varint(len(raw)) + raw


def top_level_strings(msg):
    """The length-delimited top-level fields of a message: {number: bytes}
    (the last of each)."""
    fields, pos = {}, 0
    while pos < len(msg):
        key, pos = varint(msg, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            _, pos = varint(msg, pos)
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        elif wire == 2:
            n, pos = varint(msg, pos)
            fields[number] = msg[pos:pos + n]
            pos += n
        else:
            raise ValueError(f"wire type {wire}")
    return fields


def main():
    src, dst = sys.argv[1], sys.argv[2]
    os.makedirs(dst, exist_ok=True)
    records = []  # (file, domain number, message)
    for name in sorted(os.listdir(src)):
        if not name.endswith(".pb"):
            continue
        data = open(os.path.join(src, name), "rb").read()
        pos = 0
        while pos < len(data):
            n, pos = varint(data, pos)
            msg = data[pos:pos + n]
            pos += n
            fields = top_level_strings(msg)
            domain = fields[DOMAIN].decode()
            number = int(re.search(r"\d+", domain).group())
            records.append((name, number, msg, fields.get(SECTOR, b"").decode()))
    # Deal the domains out in order of their number.
    assign = {}
    order = sorted(records, key=lambda r: r[1])
    i = run = org = 0
    while i < len(order):
        size = RUNS[run % len(RUNS)]
        run += 1
        members = [r for r in order[i:i + size] if r[1] % 10 != 0]
        i += size
        if not members:
            continue
        if org < len(SPECIAL):
            name, sector = SPECIAL[org]
        else:
            name, sector = f"Organisation {org:03d}", None
        org += 1
        if sector is None:
            sector = members[0][3]
        for r in members:
            assign[r[1]] = (name, sector)
    out = {}
    for name, number, msg, _ in records:
        if number in assign:
            org_name, sector = assign[number]
            msg = msg + string_field(ORGANIZATION, org_name) + string_field(
                SECTOR, sector)
        out.setdefault(name, bytearray()).extend(put_varint(len(msg)) + msg)
    for name, data in out.items():
        with open(os.path.join(dst, name), "wb") as f:
            f.write(data)
    print(f"{len(records)} records, {org} organisations, "
          f"{len(records) - len(assign)} domains without one")


if __name__ == "__main__":
    main()
