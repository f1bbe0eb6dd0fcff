"""Real domain names for the simulated sector (gen_sector.py --names): the
list read and checked line by line, a sample of whole organisations, and
the DNS tree and public suffixes the names need.

Part of tools/sim/gen_sector.py (see its documentation).
"""

import collections
import csv
import io
import random
import re

from sector.constants import (
    ICANN_SUFFIXES,
    PRIVATE_SUFFIXES,
    ROOT,
    ZONES,
)

# One line of the list: its number in the file, the domain as written
# (surrounding space removed), the domain as a scan normalises it, and the
# line's sector and organisation ("" when the list has none).
NameLine = collections.namedtuple(
    "NameLine", "line raw domain sector organization")

# What the generator builds the sector from: the fixed zones NSD serves
# (every name a scan asks about falls in one of them), and the public
# suffixes psl.dat lists (ICANN and private sections).
Layout = collections.namedtuple("Layout", "zones icann_suffixes private_suffixes")
GENERATED_LAYOUT = Layout(ZONES, ICANN_SUFFIXES, PRIVATE_SUFFIXES)

HEADERS = (("domain", "sector", "organization"), ("domain", "sector"))
# A label as registries allow it (RFC 1035 section 2.3.1, lowercase here):
# letters, digits, inner hyphens; A-labels (xn--...) are such labels too.
LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\Z")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A name under it would clash with the sim's own zones.
SIM_ROOT = "sim"


class NamesError(Exception):
    """A list the sim cannot build: the message names the file and line."""


def normalise_name(raw):
    """The domain as a scan normalises it (lowercase, one trailing dot
    removed); ValueError says why it is not a name the sim can serve."""
    name = raw[:-1] if raw.endswith(".") else raw
    if not name:
        raise ValueError("no domain")
    if not name.isascii():
        raise ValueError("not ASCII: write an internationalised name as its "
                         "A-label (xn--...)")
    name = name.lower()
    if len(name) > 253:
        raise ValueError("longer than 253 characters")
    labels = name.split(".")
    if len(labels) < 2:
        raise ValueError("a single label: not a name under a top-level domain")
    for label in labels:
        if not label:
            raise ValueError("an empty label")
        if len(label) > 63:
            raise ValueError(f"a label longer than 63 characters ({label[:20]}...)")
        if not LABEL.match(label):
            raise ValueError(f"label {label!r}: only letters, digits and "
                             "hyphens inside a label")
    if labels[-1].isdigit():
        raise ValueError("a numeric top-level domain")
    if labels[-1] == SIM_ROOT:
        raise ValueError(f"under {SIM_ROOT}, the simulated sector's own tree")
    return name


def read_text(path):
    """The file's text; a byte that is not UTF-8 is reported by line."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise NamesError(f"{path} line {line}: not UTF-8") from None


def check_header(path, row):
    if tuple(c.strip().lower() for c in row) not in HEADERS:
        raise NamesError(f"{path} line 1: the first line must be the header "
                         f"domain,sector,organization (it is {','.join(row)!r})")


def name_line(number, row):
    """The NameLine of CSV row `row`; ValueError says what is wrong."""
    if len(row) not in (2, 3):
        raise ValueError(f"{len(row)} columns, not 3 (domain,sector,organization)")
    if any(CONTROL.search(field) for field in row):
        # A line break inside quotes would swallow the lines after it.
        raise ValueError("a control character or line break in a field")
    raw = row[0].strip()
    sector = row[1].strip()
    organization = row[2].strip() if len(row) == 3 else ""
    domain = normalise_name(raw)
    if not sector:
        raise ValueError("no sector")
    return NameLine(number, raw, domain, sector, organization)


def read_names(path):
    """Every name of the CSV list `path` (header domain,sector[,organization]),
    in the list's order. Blank lines are skipped; any other line that is
    not a name the sim can serve stops it with NamesError naming the line,
    and so does a name that repeats an earlier line (after normalising)."""
    reader = csv.reader(io.StringIO(read_text(path), newline=""), strict=True)
    names, seen = [], {}
    # The line the row being read starts on (a quoted field may span lines).
    start = 1
    try:
        header = next(reader, None)
        if header is None:
            raise NamesError(f"{path}: empty")
        check_header(path, header)
        start = reader.line_num + 1
        for row in reader:
            number, start = start, reader.line_num + 1
            if not any(c.strip() for c in row):
                continue
            try:
                name = name_line(number, row)
            except ValueError as e:
                raise NamesError(f"{path} line {number}: {','.join(row)!r}: "
                                 f"{e}") from None
            if name.domain in seen:
                raise NamesError(f"{path} line {number}: {name.domain} "
                                 f"repeats line {seen[name.domain]}")
            seen[name.domain] = number
            names.append(name)
    except csv.Error as e:
        raise NamesError(f"{path} line {start}: not CSV ({e})") from None
    if not names:
        raise NamesError(f"{path}: no names after the header")
    return names


def sample_names(names, n, seed):
    """n of the names, chosen by the seed, in the list's order. Whole
    organisations are taken as long as one fits, so that every
    organisation page of the sample lists all its domains; only when none
    fits any more is the last one cut short."""
    groups = {}
    for name in names:
        groups.setdefault(name.organization or name.domain, []).append(name)
    keys = list(groups)
    # Its own generator: the sample does not shift the posture draws.
    random.Random(seed * 7907 + 23).shuffle(keys)
    chosen, room, cut_short = [], n, []
    for key in keys:
        group = groups[key]
        if len(group) <= room:
            chosen += group
            room -= len(group)
        elif not cut_short:
            cut_short = group
        if room == 0:
            break
    chosen += cut_short[:room]
    return sorted(chosen, key=lambda name: name.line)


def listed_ancestor(domain, listed):
    """The nearest proper ancestor of `domain` that is in `listed`, or None."""
    labels = domain.split(".")
    for i in range(1, len(labels) - 1):
        parent = ".".join(labels[i:])
        if parent in listed:
            return parent
    return None


def split_nested(names):
    """(registered, nested): the names under no other name of the list, and
    (name, nearest listed ancestor) for the others, parents first; the sim
    builds those as subdomains of their ancestor."""
    listed = {name.domain for name in names}
    registered, nested = [], []
    for name in names:
        parent = listed_ancestor(name.domain, listed)
        if parent is None:
            registered.append(name)
        else:
            nested.append((name, parent))
    nested.sort(key=lambda pair: pair[0].domain.count("."))
    return registered, nested


def public_suffix(domain):
    """The public suffix a registered name of the list sits under: its
    parent (gov for foo.gov, gov.uk for foo.gov.uk)."""
    return domain.partition(".")[2]


def names_layout(names):
    """The tree real names need: the root, delegating sim (the sim's own
    zone and provider.sim, where the mail providers live) and the names'
    top-level domains; the names' public suffixes listed as ICANN ones."""
    registered, _ = split_nested(names)
    suffixes = sorted({public_suffix(name.domain) for name in registered})
    tlds = sorted({name.domain.rpartition(".")[2] for name in names})
    return Layout(zones=(SIM_ROOT, "provider.sim", *tlds, ROOT),
                  icann_suffixes=(SIM_ROOT, *suffixes),
                  private_suffixes=PRIVATE_SUFFIXES)
