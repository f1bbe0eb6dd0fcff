"""Link checker of a site written by `mxscan site` (stdlib only).

Usage: check_site_links.py SITE_DIR

Over every file of the site:
  - every reference (href, src, srcset, action, poster, data, url(...) in
    style attributes and style sheets, @import) is relative: no scheme
    (http:, https:, data:, javascript:, mailto: ...) and no //host;
  - a relative reference resolves to an existing file inside the site (not
    a folder: file:// serves no index), and its #fragment names an id (or
    an <a name>) of the target page; a bare #fragment one of the page
    itself; no page has an id twice;
  - every file is reachable from index.html by following references;
and the site is complete: the index names as many domains, organisations
and sectors as there are pages, links every sector page from its headline
table, ranks every organisation (up to 5,000); the sector pages together
list every organisation and the organisation pages every domain once.

Exits 1 listing the failures. table_rows() is shared with site_browser.py.
"""
import collections
import html.parser
import os
import re
import sys
import urllib.parse

REF_ATTRS = {"href", "src", "action", "poster", "data", "formaction",
             "xlink:href", "background", "cite", "longdesc", "manifest"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)|@import\s+(['"])([^'"]*)\3""")
INDEX_ORGANISATIONS = 5000  # kIndexOrganisations, scanner/report_card/site.cc


class Page(html.parser.HTMLParser):
    """References, ids and tables of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs = []          # (tag, attribute, value, table index or None)
        self.ids = collections.Counter()
        self.tables = []        # per <table>: {"rows": n, "class": str}
        self.table_stack = []
        self.in_tbody = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        table = self.table_stack[-1] if self.table_stack else None
        for name, value in attrs:
            if name in REF_ATTRS and value is not None:
                self.refs.append((tag, name, value, table))
            elif name == "srcset" and value:
                for part in value.split(","):
                    if part.strip():
                        self.refs.append((tag, name, part.split()[0], table))
            elif name == "style" and value:
                for m in CSS_URL.finditer(value):
                    self.refs.append((tag, "style", m.group(2) or m.group(4), table))
        if a.get("id"):
            self.ids[a["id"]] += 1
        if tag == "a" and a.get("name"):
            self.ids[a["name"]] += 0  # a target, not a duplicate id
        if tag == "table":
            self.tables.append({"rows": 0, "class": a.get("class") or "",
                                "links": []})
            self.table_stack.append(len(self.tables) - 1)
            self.in_tbody.append(False)
        elif tag == "tbody" and self.table_stack:
            self.in_tbody[-1] = True
        elif tag == "tr" and self.table_stack and self.in_tbody[-1]:
            self.tables[self.table_stack[-1]]["rows"] += 1
        if tag == "a" and self.table_stack and a.get("href"):
            self.tables[self.table_stack[-1]]["links"].append(a["href"])

    def handle_endtag(self, tag):
        if tag == "table" and self.table_stack:
            self.table_stack.pop()
            self.in_tbody.pop()
        elif tag == "tbody" and self.in_tbody:
            self.in_tbody[-1] = False

    def handle_data(self, data):
        self.text.append(data)


def parse(path):
    page = Page()
    with open(path, encoding="utf-8") as f:
        page.feed(f.read())
    page.close()
    return page


def table_rows(path):
    """The rows of each table's body, in document order."""
    return [t["rows"] for t in parse(path).tables]


def check(root):
    root = os.path.realpath(root)
    failures = collections.defaultdict(list)
    files = []
    for d, _, names in os.walk(root):
        files += [os.path.relpath(os.path.join(d, n), root) for n in names]
    files.sort()
    pages = {f: parse(os.path.join(root, f)) for f in files
             if f.endswith(".html")}
    edges = collections.defaultdict(set)
    refs = 0

    def resolve(src, ref):
        """The site file `ref` names from `src` and its fragment, or None."""
        nonlocal refs
        refs += 1
        ref = ref.strip()
        if not ref:
            failures["empty reference"].append(src)
            return None
        parts = urllib.parse.urlsplit(ref)
        if parts.scheme or parts.netloc or ref.startswith("//"):
            failures["reference leaving the site"].append(f"{src}: {ref}")
            return None
        if parts.path:
            target = os.path.normpath(os.path.join(
                os.path.dirname(src), urllib.parse.unquote(parts.path)))
            if target == ".." or target.startswith("../") or os.path.isabs(target):
                failures["reference outside the site"].append(f"{src}: {ref}")
                return None
            full = os.path.join(root, target)
            if os.path.isdir(full):
                failures["link to a folder"].append(f"{src}: {ref}")
                return None
            if not os.path.isfile(full):
                failures["link to a missing file"].append(f"{src}: {ref}")
                return None
        else:
            target = src
        edges[src].add(target)
        if parts.fragment:
            frag = urllib.parse.unquote(parts.fragment)
            if target not in pages:
                failures["fragment into a file that is not a page"].append(
                    f"{src}: {ref}")
            elif frag not in pages[target].ids:
                failures["fragment naming no id"].append(f"{src}: {ref}")
        return target

    for f in files:
        full = os.path.join(root, f)
        if f in pages:
            page = pages[f]
            for tag, attr, value, _ in page.refs:
                resolve(f, value)
            for ident, n in page.ids.items():
                if n > 1:
                    failures["id used twice in a page"].append(f"{f}: {ident}")
        elif f.endswith(".css"):
            for m in CSS_URL.finditer(open(full, encoding="utf-8").read()):
                resolve(f, m.group(2) or m.group(4))
        elif f.endswith(".js"):
            text = open(full, encoding="utf-8").read()
            for m in re.finditer(r"""['"`](?:[a-z][a-z0-9+.-]*:)?//[^'"`]*""", text):
                failures["reference leaving the site"].append(f"{f}: {m.group()}")
        else:
            failures["unexpected file"].append(f)

    # Reachability from the index.
    if "index.html" not in pages:
        failures["no index.html"].append(root)
    seen, queue = {"index.html"}, collections.deque(["index.html"])
    while queue:
        for t in edges[queue.popleft()]:
            if t not in seen:
                seen.add(t)
                queue.append(t)
    for f in files:
        if f not in seen:
            failures["file no link reaches from index.html"].append(f)

    # Completeness.
    def folder(name):
        return sorted(f for f in pages if f.startswith(name + "/"))
    sectors, orgs, domains = folder("sectors"), folder("orgs"), folder("domains")
    index = pages.get("index.html")
    if index is not None:
        text = " ".join(index.text)
        m = re.search(r"(\d+) domains, (\d+) organisations, (\d+) sectors", text)
        want = (len(domains), len(orgs), len(sectors))
        if not m or tuple(map(int, m.groups())) != want:
            failures["index figures differ from the pages"].append(
                f"{m.group() if m else 'no figures'}; pages: {want}")
        headline, ranking = index.tables[0], index.tables[-1]
        linked = {os.path.normpath(h) for h in headline["links"]}
        if headline["rows"] != len(sectors) + 1:
            failures["index headline table incomplete"].append(
                f"{headline['rows']} rows for {len(sectors)} sectors + overall")
        for s in sectors:
            if s not in linked:
                failures["sector page not linked from the headline table"].append(s)
        if ranking["rows"] != min(len(orgs), INDEX_ORGANISATIONS):
            failures["index ranking incomplete"].append(
                f"{ranking['rows']} rows for {len(orgs)} organisations")
    listed = collections.Counter()
    for s in sectors:
        for t in pages[s].tables:
            listed.update(os.path.normpath(os.path.join("sectors", h))
                          for h in t["links"])
    # An organisation is listed under each sector of its domains.
    if set(listed) != set(orgs):
        failures["sector pages do not list every organisation"].append(
            f"{len(listed)} listed, {len(orgs)} pages")
    listed = collections.Counter()
    for o in orgs:
        # Its header cells link the controls' definitions; its rows, the
        # domains.
        domain_links = [h for h in pages[o].tables[0]["links"]
                        if h.startswith("../domains/")]
        listed.update(os.path.normpath(os.path.join("orgs", h))
                      for h in domain_links)
        if pages[o].tables[0]["rows"] != len(domain_links):
            failures["organisation table row without its domain's link"].append(o)
    if set(listed) != set(domains) or any(n != 1 for n in listed.values()):
        failures["organisation pages do not list every domain once"].append(
            f"{len(listed)} listed, {len(domains)} pages")

    print(f"links: {len(files)} files ({len(pages)} pages, {len(sectors)} "
          f"sectors, {len(orgs)} organisations, {len(domains)} domains), "
          f"{refs} references")
    return failures


def main():
    failures = check(sys.argv[1])
    for kind, items in sorted(failures.items()):
        print(f"FAIL: {kind}: {len(items)}")
        for item in items[:20]:
            print(f"  {item}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
