#!/usr/bin/env python3
"""Checks a site built by `mxscan site` against the scan's input list:
every organisation a person can open and act on.

    check_site_orgs.py SITE DOMAINS_CSV

DOMAINS_CSV is the scan's input (domain,sector,organization, as
gen_sector.py --names writes it). Requires:
  - one page under SITE/orgs/ per organisation of the list (its <h1> the
    organisation's name), listing exactly the organisation's domains;
  - on each organisation page, every FAIL cell of a domain's row has its
    fix under "What to fix" (the control's title, then a fix text), and no
    domain has fixes without a failure;
  - on each domain page, every failing control has a fix text, and the
    page links to the page of its own organisation.
Links and resources are tests/report_card/check_site_links.py's to check.
Prints what it checked; exits 1 with the first problems otherwise.
"""

import csv
import html.parser
import os
import sys

# Text of these elements is collected (nested ones each get it).
CAPTURED = ("h1", "h2", "h3", "th", "td", "li", "a")


class Page(html.parser.HTMLParser):
    """What the checks read from one page: headings, links, table rows,
    and the fixes listed per domain under "What to fix"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.h1 = None
        self.links = []     # (href, text) of every <a>
        self.rows = []      # [(tag, class, text)] per <tr>
        self.fixes = {}     # domain (its <h3>) -> [<li> text]
        self.section = None  # the current <h2>'s text
        self.subsection = None
        self.open = []      # [tag, attributes, text parts] of open elements
        self.row = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            self.row = []
        if tag in CAPTURED:
            self.open.append([tag, attrs, []])

    def handle_data(self, data):
        for element in self.open:
            element[2].append(data)

    def handle_endtag(self, tag):
        if tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None
        if not self.open or self.open[-1][0] != tag:
            return
        _, attrs, parts = self.open.pop()
        self.element_done(tag, attrs, "".join(parts).strip())

    def element_done(self, tag, attrs, text):
        if tag == "h1" and self.h1 is None:
            self.h1 = text
        elif tag == "h2":
            self.section, self.subsection = text, None
        elif tag == "h3" and self.section == "What to fix":
            self.subsection = text
            self.fixes[text] = []
        elif tag == "li" and self.subsection is not None:
            self.fixes[self.subsection].append(text)
        elif tag == "a":
            self.links.append((attrs.get("href", ""), text))
        if tag in ("th", "td") and self.row is not None:
            self.row.append((tag, attrs.get("class", ""), text))


def read_page(root, page):
    parsed = Page()
    with open(os.path.join(root, page), encoding="utf-8") as f:
        parsed.feed(f.read())
    parsed.close()
    return parsed


def organisations_of(domains_csv):
    """organisation (case folded, as the site groups them) -> set of its
    domains (normalised as a scan does)."""
    orgs = {}
    with open(domains_csv, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            domain = row["domain"].strip().rstrip(".").lower()
            orgs.setdefault((row["organization"] or domain).lower(),
                            set()).add(domain)
    return orgs


def control_titles(page):
    """The control columns of an organisation page's table (after the
    domain and its share)."""
    head = page.rows[0] if page.rows else []
    return [text for _, _, text in head[2:]]


def check_org_page(name, page_name, page, domains, problems):
    """The page lists exactly `domains`, and a fix for every FAIL."""
    titles = control_titles(page)
    listed = {}
    for row in page.rows[1:]:
        if not row or row[0][0] != "th":
            continue
        listed[row[0][2]] = [titles[i] for i, (_, cls, _) in enumerate(row[2:])
                             if cls == "fail"]
    if set(listed) != domains:
        problems.append(f"{page_name} ({name}): lists {sorted(listed)}, "
                        f"the list has {sorted(domains)}")
    for domain, failing in listed.items():
        fixes = page.fixes.get(domain, [])
        if len(fixes) != len(failing):
            problems.append(f"{page_name}: {domain} fails {failing} but has "
                            f"{len(fixes)} fixes")
            continue
        for title, fix in zip(failing, fixes):
            if not fix.startswith(title + ": ") or not fix[len(title) + 2:].strip():
                problems.append(f"{page_name}: {domain}: no fix text for "
                                f"{title!r} ({fix!r})")
    return sum(len(f) for f in listed.values())


def check_domain_page(page_name, page, org_page, problems):
    """A fix for every FAIL, and a link to its organisation's page."""
    failures = 0
    for row in page.rows[1:]:
        if len(row) >= 4 and row[1][1] == "fail":
            failures += 1
            if not row[3][2]:
                problems.append(f"{page_name}: {row[0][2]!r} fails without a fix")
    back = [href for href, _ in page.links
            if os.path.normpath(os.path.join("domains", href)) == org_page]
    if not back:
        problems.append(f"{page_name}: no link to its organisation {org_page}")
    return failures


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    root, domains_csv = sys.argv[1], sys.argv[2]
    orgs = organisations_of(domains_csv)
    pages = {os.path.relpath(os.path.join(d, f), root)
             for d, _, files in os.walk(root) for f in files}
    parsed = {p: read_page(root, p) for p in pages if p.endswith(".html")}
    problems = []
    org_pages = {}  # organisation name -> page
    for page in sorted(p for p in parsed if p.startswith("orgs/")):
        name = parsed[page].h1.lower()
        if name in org_pages:
            problems.append(f"{page} and {org_pages[name]}: both {name!r}")
        org_pages[name] = page
    for name in sorted(set(orgs) - set(org_pages)):
        problems.append(f"no page under orgs/ for {name!r}")
    for name in sorted(set(org_pages) - set(orgs)):
        problems.append(f"{org_pages[name]}: {name!r} is not in the list")
    org_failures = 0
    for name in sorted(set(orgs) & set(org_pages)):
        page = org_pages[name]
        org_failures += check_org_page(name, page, parsed[page], orgs[name],
                                       problems)
    domain_pages = 0
    domain_failures = 0
    org_of = {d: name for name, ds in orgs.items() for d in ds}
    for page in sorted(p for p in parsed if p.startswith("domains/")):
        domain = parsed[page].h1
        if domain not in org_of:
            problems.append(f"{page}: {domain!r} is not in the list")
            continue
        domain_pages += 1
        domain_failures += check_domain_page(
            page, parsed[page], org_pages.get(org_of[domain]), problems)
    if domain_pages != len(org_of):
        problems.append(f"{domain_pages} domain pages for {len(org_of)} domains")
    if problems:
        print(f"{len(problems)} problems; the first 20:")
        for p in problems[:20]:
            print("  " + p)
        sys.exit(1)
    print(f"{len(org_pages)} organisation pages list their {len(org_of)} "
          f"domains, {org_failures} failures each with its fix; "
          f"{domain_pages} domain pages link to their organisation, "
          f"{domain_failures} failures each with its fix")


if __name__ == "__main__":
    main()
