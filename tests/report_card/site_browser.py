"""Drives Debian's headless Chromium over a site written by `mxscan site`,
through the DevTools protocol on --remote-debugging-pipe (fd 3: commands
to Chromium, fd 4: its answers and events, JSON messages ended by NUL).
Stdlib only.

Usage: site_browser.py --chromium BIN --site DIR --shots DIR --work DIR
                       --check-screenshot PATH [--step-timeout S] [--title T]

From index.html it clicks (real mouse events) to a sector page, to an
organisation of that sector and to a domain of that organisation, and
from the domain back to its organisation and to the overview, and from
there to the trend report of the earlier scans (trend.html: its charts in
the DOM and on a screenshot, trend.png, by check_screenshot.py); each page
must load from file:// with its style sheet and script. On each page type:
  - a screenshot (index.png, sector.png, organisation.png, domain.png in
    --shots), decoded with tests/stats/check_screenshot.py's decoder and
    checked for the tables (header shading, cell borders, the pass and
    fail shading on the organisation and domain pages), not blank;
  - every sortable table: a click on each column header sorts the rows
    ascending then descending (numbers as numbers), its aria-sort says
    so, no row is lost; the header can also be sorted from the keyboard;
    no cell of the table's body becomes a sort control; the filter box
    the script adds (with an accessible name) hides exactly the rows
    without the typed text, case-insensitively, and shows all again when
    emptied;
  - a control's state is in words in its cell (colour only helps), the
    page has a language, a title, one h1, column headers with a scope;
  - with script execution disabled, every table holds every row the HTML
    file has (counted by check_site_links.table_rows), all displayed.
Throughout: any console message, uncaught exception, Log entry, failed
load or JavaScript dialog fails; every request Chromium makes for the
pages must be file:// (the rest are failed by Fetch interception, and
--host-resolver-rules resolves no host name).

Every wait is bounded (--step-timeout per step); at the end Chromium is
closed and its process group killed, and no process of its profile may
remain. Exits 1 listing every failure.
"""
import argparse
import base64
import fcntl
import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_site_links  # noqa: E402

STATE_WORDS = {"pass": "pass", "fail": "FAIL", "na": "not applicable",
               "nm": "not measured"}
# Colours of scanner/report_card/site.cc's style sheet.
TH_BACKGROUND = (0xEE, 0xEE, 0xEE)
BORDER = (0xBB, 0xBB, 0xBB)
PASS_BACKGROUND = (0xDF, 0xF0, 0xD8)
FAIL_BACKGROUND = (0xF8, 0xD7, 0xDA)


class StepTimeout(Exception):
    pass


class CdpError(Exception):
    pass


class Chromium:
    """One Chromium process and its DevTools pipe."""

    def __init__(self, binary, profile, log_path, size):
        self.profile = profile
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()
        # Chromium wants its ends at fds 3 and 4: move them above 9 (so that
        # the shell's renumbering cannot clobber one with the other), pass
        # them, and let bash put them in place before exec'ing Chromium.
        child_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
        child_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        args = [
            binary, "--headless", "--no-sandbox", "--disable-gpu",
            "--remote-debugging-pipe", f"--user-data-dir={profile}",
            "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-default-apps", "--disable-extensions",
            "--disable-quic", "--disable-breakpad", "--disable-dev-shm-usage",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--force-color-profile=srgb", "--hide-scrollbars", "--mute-audio",
            f"--window-size={size[0]},{size[1]}",
            "--enable-logging=stderr", "--v=0", "about:blank",
        ]
        script = (f'exec "$@" 3<&{child_r} 4>&{child_w} '
                  f'{child_r}<&- {child_w}>&-')
        self.log = open(log_path, "wb")
        # A home of its own: Chromium's crash handlers (processes of their
        # own session, outside the process group) keep their database
        # there, which names them as ours (leftovers()); nothing is
        # written to the real home.
        self.home = os.path.join(os.path.dirname(profile), "home")
        os.makedirs(self.home, exist_ok=True)
        env = dict(os.environ, HOME=self.home,
                   XDG_CONFIG_HOME=os.path.join(self.home, ".config"),
                   XDG_CACHE_HOME=os.path.join(self.home, ".cache"))
        self.proc = subprocess.Popen(
            ["/bin/bash", "-c", script, "chromium"] + args,
            pass_fds=(child_r, child_w), stdin=subprocess.DEVNULL,
            stdout=self.log, stderr=self.log, start_new_session=True, env=env)
        os.close(child_r)
        os.close(child_w)
        self.out = to_chrome_w
        self.inp = from_chrome_r
        self.lock = threading.Lock()      # writes to the pipe
        self.cond = threading.Condition()  # responses, events, closed
        self.responses = {}
        self.events = []  # (method, params, sessionId, step)
        self.next_id = 0
        self.closed = False
        self.step = "start"
        self.deadline = time.monotonic() + 120
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    # -- the pipe ------------------------------------------------------

    def _write(self, message):
        data = json.dumps(message).encode() + b"\0"
        with self.lock:
            while data:
                n = os.write(self.out, data)
                data = data[n:]

    def _read(self):
        buf = bytearray()
        try:
            while True:
                chunk = os.read(self.inp, 1 << 20)
                if not chunk:
                    break
                start = len(buf)
                buf += chunk
                while True:
                    end = buf.find(b"\0", start)
                    if end < 0:
                        break
                    self._dispatch(json.loads(buf[:end]))
                    del buf[:end + 1]
                    start = 0
        except (OSError, ValueError) as e:
            print(f"devtools pipe: {e}", file=sys.stderr)
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def _dispatch(self, msg):
        if "id" in msg:
            with self.cond:
                self.responses[msg["id"]] = msg
                self.cond.notify_all()
            return
        method, params = msg.get("method"), msg.get("params", {})
        session = msg.get("sessionId")
        # Answered here, at once: a paused request or an open dialog
        # would otherwise stall the page until the main thread looks.
        if method == "Fetch.requestPaused":
            url = params["request"]["url"]
            if url.startswith("file://"):
                self._send_async("Fetch.continueRequest",
                                 {"requestId": params["requestId"]}, session)
            else:
                self._send_async("Fetch.failRequest",
                                 {"requestId": params["requestId"],
                                  "errorReason": "BlockedByClient"}, session)
        elif method == "Page.javascriptDialogOpening":
            self._send_async("Page.handleJavaScriptDialog", {"accept": False},
                             session)
        with self.cond:
            self.events.append((method, params, session, self.step))
            self.cond.notify_all()

    def _send_async(self, method, params, session):
        with self.cond:
            self.next_id += 1
            ident = self.next_id
        message = {"id": ident, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self._write(message)
        return ident

    def _wait(self, ready, timeout, what):
        start = time.monotonic()
        end = min(start + timeout, self.deadline)
        with self.cond:
            while True:
                value = ready()
                if value is not None:
                    return value
                if self.closed:
                    raise CdpError(f"Chromium closed its pipe waiting for {what}")
                left = end - time.monotonic()
                if left <= 0:
                    raise StepTimeout(f"no {what} in {end - start:.0f} s "
                                      f"(step {self.step})")
                self.cond.wait(left)

    def send(self, method, params=None, session=None, timeout=30):
        ident = self._send_async(method, params or {}, session)
        msg = self._wait(lambda: self.responses.pop(ident, None), timeout,
                         f"answer to {method}")
        if "error" in msg:
            raise CdpError(f"{method}: {msg['error']}")
        return msg.get("result", {})

    def mark(self):
        with self.cond:
            return len(self.events)

    def wait_event(self, method, since, session=None, timeout=30):
        def ready():
            for m, p, s, _ in self.events[since:]:
                if m == method and (session is None or s == session):
                    return p
            return None
        return self._wait(ready, timeout, f"event {method}")

    # -- the end -------------------------------------------------------

    def close(self):
        """Browser.close, then the process group: nothing may remain."""
        try:
            if not self.closed and self.proc.poll() is None:
                self._send_async("Browser.close", {}, None)
                self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            pass
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)  # our own session's group
            except ProcessLookupError:
                break
            time.sleep(0.5 if sig == signal.SIGTERM else 0)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for fd in (self.out, self.inp):
            try:
                os.close(fd)
            except OSError:
                pass
        self.log.close()
        # The crash handlers leave by themselves when the browser is gone.
        end = time.monotonic() + 5
        while self.leftovers() and time.monotonic() < end:
            time.sleep(0.2)
        return self.leftovers(kill=True)

    def leftovers(self, kill=False):
        """Processes still running with our profile or home (a child that
        left the process group, as the crash handlers do); killed by pid
        when `kill`."""
        found = []
        marks = (f"--user-data-dir={self.profile}".encode(),
                 self.home.encode())
        for pid in os.listdir("/proc"):
            if not pid.isdigit() or int(pid) in (os.getpid(), os.getppid()):
                continue
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmd = f.read()
            except OSError:
                continue
            if any(m in cmd for m in marks):
                found.append(int(pid))
                if kill:
                    try:
                        os.kill(int(pid), signal.SIGKILL)
                    except OSError:
                        pass
        return found


class Tab:
    """A page target of the browser, attached with a flat session."""

    def __init__(self, chrome, size):
        self.c = chrome
        target = chrome.send("Target.createTarget", {"url": "about:blank"})
        self.session = chrome.send(
            "Target.attachToTarget",
            {"targetId": target["targetId"], "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        # Every request is paused and judged by Chromium._dispatch:
        # file:// goes on, anything else fails.
        self.send("Fetch.enable", {"patterns": [{"urlPattern": "*"}]})
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": size[0], "height": size[1],
                   "deviceScaleFactor": 1, "mobile": False})

    def send(self, method, params=None, timeout=30):
        return self.c.send(method, params, self.session, timeout)

    def js(self, expression):
        r = self.send("Runtime.evaluate",
                      {"expression": expression, "returnByValue": True,
                       "awaitPromise": True, "userGesture": True})
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise CdpError("evaluation failed: " + str(
                d.get("exception", {}).get("description") or d.get("text")))
        return r["result"].get("value")

    def navigate(self, url):
        mark = self.c.mark()
        r = self.send("Page.navigate", {"url": url})
        if r.get("errorText"):
            raise CdpError(f"navigation to {url}: {r['errorText']}")
        self.c.wait_event("Page.loadEventFired", mark, self.session)

    def click(self, element_js):
        """A real mouse click on the element `element_js` evaluates to
        (scrolled into view first); returns its href, if any."""
        box = self.js(f"""(function(){{var e={element_js};
          if(!e) return null; e.scrollIntoView({{block:'center'}});
          var r=e.getClientRects()[0];  // a link over two lines: the first
          return {{x:r.left+Math.min(r.width/2,8), y:r.top+r.height/2,
                   href:e.href||null}};}})()""")
        if box is None:
            raise CdpError(f"nothing to click: {element_js}")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent",
                      {"type": kind, "x": box["x"], "y": box["y"],
                       "button": "left" if kind != "mouseMoved" else "none",
                       "clickCount": 1 if kind != "mouseMoved" else 0})
        return box["href"]

    def click_link(self, element_js):
        """Clicks a link, waits for the page it names to load; returns the
        URL now shown."""
        mark = self.c.mark()
        href = self.click(element_js)
        self.c.wait_event("Page.loadEventFired", mark, self.session)
        url = self.js("document.readyState==='complete'&&location.href")
        return href, url

    def key(self, key, code, vk, text=None):
        # As Puppeteer: a key that types nothing goes down "raw".
        down = {"type": "keyDown" if text else "rawKeyDown", "key": key,
                "code": code, "windowsVirtualKeyCode": vk}
        if text:
            down["text"] = text
        self.send("Input.dispatchKeyEvent", down)
        self.send("Input.dispatchKeyEvent",
                  {"type": "keyUp", "key": key, "code": code,
                   "windowsVirtualKeyCode": vk})

    def screenshot(self):
        return base64.b64decode(self.send(
            "Page.captureScreenshot", {"format": "png"}, timeout=60)["data"])


# -- checks ---------------------------------------------------------------

TABLE_STATE = """(function(t){
  var heads=[].map.call(t.tHead.rows[0].cells,function(h){return {
    text:h.textContent, sort:h.getAttribute('aria-sort')};});
  var rows=[].map.call(t.tBodies[0].rows,function(r){return {
    key:r.textContent,
    shown:!r.hidden&&r.getClientRects().length>0,
    cells:[].map.call(r.cells,function(c){return {
      v:c.dataset.v===undefined?null:c.dataset.v, t:c.textContent};})};});
  return {heads:heads, rows:rows,
          bodySortAttrs:t.tBodies[0].querySelectorAll('[aria-sort]').length};
})(document.querySelectorAll('table')[%d])"""


def sort_key(cells):
    """The order a column should sort in: data-v numbers, else numbers when
    every cell is one, else text (UTF-16 code units, as JavaScript)."""
    if all(c["v"] is not None for c in cells):
        return [float(c["v"]) for c in cells]
    try:
        return [float(c["t"].strip()) for c in cells]
    except ValueError:
        return [c["t"].encode("utf-16-be") for c in cells]


class Run:
    def __init__(self, args):
        self.args = args
        self.failures = []
        self.site = os.path.realpath(args.site)

    def fail(self, where, what):
        self.failures.append(f"{where}: {what}")
        print(f"FAIL: {where}: {what}", flush=True)

    def url(self, path):
        return "file://" + urllib.parse.quote(os.path.join(self.site, path))

    def rel(self, url):
        path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
        return os.path.relpath(path, self.site)

    # The page as loaded: style, script, structure, words.
    def check_page(self, tab, kind, scripted=True):
        info = tab.js("""(function(){
          var th=document.querySelector('th');
          return {protocol:location.protocol, ready:document.readyState,
            lang:document.documentElement.lang, title:document.title,
            h1:document.querySelectorAll('h1').length,
            thBackground:th?getComputedStyle(th).backgroundColor:null,
            sortable:document.querySelectorAll('table.sortable').length,
            filters:[].map.call(document.querySelectorAll('table.sortable'),
              function(t){var f=t.previousElementSibling;
                return !!f&&f.matches('input.filter')&&
                  !!(f.getAttribute('aria-label')||f.labels.length);}),
            anyFilter:document.querySelectorAll('input.filter').length,
            colHeads:[].filter.call(document.querySelectorAll('thead th'),
              function(h){return h.getAttribute('scope')!=='col';}).length,
            emptyLinks:[].filter.call(document.querySelectorAll('a'),
              function(a){return !a.textContent.trim();}).length,
            states:[].map.call(document.querySelectorAll(
              'td.pass,td.fail,td.na,td.nm'),function(c){
              return [c.className,c.textContent];})};})()""")
        if info["protocol"] != "file:" or info["ready"] != "complete":
            self.fail(kind, f"not a loaded file:// page: {info}")
        if info["thBackground"] != "rgb(238, 238, 238)":
            self.fail(kind, "the style sheet is not applied (a header's "
                      f"background is {info['thBackground']})")
        if not info["lang"]:
            self.fail(kind, "<html> has no lang")
        if not info["title"].strip():
            self.fail(kind, "the page has no title")
        if info["h1"] != 1:
            self.fail(kind, f"{info['h1']} h1 headings")
        if info["colHeads"]:
            self.fail(kind, f"{info['colHeads']} column headers without "
                      "scope=col")
        if info["emptyLinks"]:
            self.fail(kind, f"{info['emptyLinks']} links without text")
        if scripted:
            if not all(info["filters"]):
                self.fail(kind, "the script did not put a labelled filter box "
                          f"before every sortable table: {info['filters']}")
        elif info["anyFilter"]:
            self.fail(kind, "scripts are disabled but a filter box is there")
        wrong = [s for s in info["states"] if STATE_WORDS[s[0]] != s[1]]
        if wrong:
            self.fail(kind, f"{len(wrong)} control states not in words "
                      f"(colour alone), e.g. {wrong[:3]}")
        return info

    def check_rows(self, tab, kind, path, scripted):
        """The tables hold every row of the HTML file, all displayed."""
        want = check_site_links.table_rows(os.path.join(self.site, path))
        got = tab.js("""[].map.call(document.querySelectorAll('table'),
          function(t){var rs=t.tBodies.length?[].slice.call(t.tBodies[0].rows):[];
            return [rs.length, rs.filter(function(r){
              return !r.hidden&&r.getClientRects().length>0;}).length];})""")
        mode = "with script" if scripted else "without script"
        if [g[0] for g in got] != want:
            self.fail(kind, f"{mode}: table rows {[g[0] for g in got]}, the "
                      f"HTML file has {want}")
        if [g[1] for g in got] != [g[0] for g in got]:
            self.fail(kind, f"{mode}: rows not displayed: {got}")
        return want

    def check_screenshot(self, tab, kind, states):
        png = tab.screenshot()
        path = os.path.join(self.args.shots, f"{kind}.png")
        with open(path, "wb") as f:
            f.write(png)
        spec = importlib.util.spec_from_file_location(
            "check_screenshot", self.args.check_screenshot)
        checker = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(checker)
        width, height, bpp, rows = checker.pixels(path)
        count = {TH_BACKGROUND: 0, BORDER: 0, PASS_BACKGROUND: 0,
                 FAIL_BACKGROUND: 0}
        colours = set()
        for row in rows:
            for x in range(0, width * bpp, bpp):
                px = tuple(row[x:x + 3])
                colours.add(px)
                if px in count:
                    count[px] += 1
        summary = (f"{width}x{height}, {len(colours)} colours, header "
                   f"{count[TH_BACKGROUND]}, border {count[BORDER]}, pass "
                   f"{count[PASS_BACKGROUND]}, fail {count[FAIL_BACKGROUND]} "
                   "pixels")
        print(f"  screenshot {kind}.png: {summary}", flush=True)
        if len(colours) <= 20:
            self.fail(kind, f"the screenshot is (nearly) blank: {summary}")
        if count[TH_BACKGROUND] < 1000 or count[BORDER] < 500:
            self.fail(kind, f"no table in the screenshot: {summary}")
        if states and (count[PASS_BACKGROUND] < 300 or
                       count[FAIL_BACKGROUND] < 300):
            self.fail(kind, f"pass and fail cells not shaded: {summary}")

    def check_sorting(self, tab, kind, index):
        """Every column of the sortable table `index` sorts both ways, by
        mouse; the first also by keyboard; the body has no sort controls."""
        state = tab.js(TABLE_STATE % index)
        rows = sorted(r["key"] for r in state["rows"])
        if len(rows) < 2:
            self.fail(kind, f"table {index} has {len(rows)} rows: nothing to "
                      "sort (the test needs a larger site)")
            return
        if state["bodySortAttrs"]:
            self.fail(kind, f"{state['bodySortAttrs']} cells of the table's "
                      "body got aria-sort (the script makes the row headers "
                      "sort controls)")
        heads = [h["text"] for h in state["heads"]]
        for i, head in enumerate(heads):
            for want in ("ascending", "descending"):
                tab.click(f"document.querySelectorAll('table')[{index}]"
                          f".tHead.rows[0].cells[{i}]")
                s = tab.js(TABLE_STATE % index)
                sorts = [h["sort"] for h in s["heads"]]
                if sorts[i] != want or any(
                        x not in (None, "none") for j, x in enumerate(sorts)
                        if j != i):
                    self.fail(kind, f"after a click on '{head}', aria-sort "
                              f"is {sorts}")
                if sorted(r["key"] for r in s["rows"]) != rows:
                    self.fail(kind, f"sorting by '{head}' lost or changed rows")
                    continue
                keys = sort_key([r["cells"][i] for r in s["rows"]])
                sign = 1 if want == "ascending" else -1
                bad = next((j for j in range(len(keys) - 1)
                            if (keys[j] > keys[j + 1]) - (keys[j] < keys[j + 1])
                            == sign), None)
                if bad is not None:
                    cells = [r["cells"][i]["t"] for r in s["rows"]]
                    self.fail(kind, f"'{head}' {want}: row {bad + 1} "
                              f"'{cells[bad]}' then '{cells[bad + 1]}' "
                              f"(column {cells[:8]}...)")
        # The keyboard: a header must be focusable and sort on Enter.
        focusable = tab.js(f"""(function(){{
          var h=document.querySelectorAll('table')[{index}].tHead.rows[0].cells[0];
          var e=h.tabIndex>=0?h:h.querySelector('button,[tabindex],a[href]');
          if(!e) return false; e.focus(); return document.activeElement===e;}})()""")
        if not focusable:
            self.fail(kind, "the sortable column headers cannot be reached "
                      "from the keyboard (no button, no tabindex): sorting "
                      "is mouse-only (WCAG 2.1.1)")
        else:
            before = tab.js(TABLE_STATE % index)["heads"][0]["sort"]
            tab.key("Enter", "Enter", 13, "\r")
            after = tab.js(TABLE_STATE % index)["heads"][0]["sort"]
            if after == before:
                self.fail(kind, "Enter on a focused column header does not "
                          f"sort (aria-sort stays {after})")

    def check_filter(self, tab, kind, index):
        state = tab.js(TABLE_STATE % index)
        keys = [r["key"] for r in state["rows"]]
        # The start of a row's first cell that matches about a
        # third of the rows (at least one, not all).
        lowered = [k.lower() for k in keys]
        query, best = None, None
        for r in state["rows"][:50]:
            text = r["cells"][0]["t"].strip()
            for end in range(3, len(text) + 1):
                q = text[:end]
                if not q.isascii():
                    continue
                n = sum(q.lower() in k for k in lowered)
                if 0 < n < len(keys) and (
                        best is None or abs(n - len(keys) / 3) < best):
                    query, best = q, abs(n - len(keys) / 3)
        if query is None:
            self.fail(kind, f"no row text to filter table {index} by")
            return
        typed = query.upper()  # the filter ignores case
        tab.click(f"document.querySelectorAll('table')[{index}]"
                  ".previousElementSibling")
        tab.send("Input.insertText", {"text": typed})
        s = tab.js(TABLE_STATE % index)
        shown = [r["shown"] for r in s["rows"]]
        want = [query.lower() in r["key"].lower() for r in s["rows"]]
        if shown != want:
            self.fail(kind, f"filter '{typed}': {sum(shown)} rows shown, "
                      f"{sum(want)} contain it ({len(shown)} rows)")
        else:
            print(f"  filter '{typed}': {sum(shown)} of {len(shown)} rows",
                  flush=True)
        tab.js(f"document.querySelectorAll('table')[{index}]"
               ".previousElementSibling.select()")
        tab.key("Backspace", "Backspace", 8)
        s = tab.js(TABLE_STATE % index)
        if not all(r["shown"] for r in s["rows"]):
            self.fail(kind, "emptying the filter does not show every row again")

    def check_tables(self, tab, kind):
        sortable = tab.js("""[].map.call(document.querySelectorAll('table'),
          function(t){return t.classList.contains('sortable');})""")
        for index, yes in enumerate(sortable):
            if yes:
                self.check_sorting(tab, kind, index)
                self.check_filter(tab, kind, index)

    def visit(self, tab, kind, path, states=False):
        print(f"{kind}: {path}", flush=True)
        self.check_page(tab, kind)
        self.check_rows(tab, kind, path, scripted=True)
        self.check_screenshot(tab, kind, states)
        self.check_tables(tab, kind)

    def follow(self, tab, kind, element_js, want_path=None):
        """Clicks the link, checks the page it leads to is the file it
        names; returns the site-relative path."""
        step = self.chrome.step
        self.chrome.step = f"{step}, click {kind}"  # names what it causes
        try:
            href, url = tab.click_link(element_js)
        finally:
            self.chrome.step = step
        if not url or not url.startswith("file://"):
            self.fail(kind, f"the link {href} led to {url!r}")
            return None
        if url != href:
            self.fail(kind, f"the link {href} led to {url}")
        path = self.rel(url)
        if want_path and path != want_path:
            self.fail(kind, f"the link led to {path}, not {want_path}")
        if not os.path.isfile(os.path.join(self.site, path)):
            self.fail(kind, f"the link led to {path}, which is no file")
        return path

    # -- the walk ---------------------------------------------------------

    def steps(self, chrome, tab):
        pages = {}

        def index():
            tab.navigate(self.url("index.html"))
            pages["index"] = "index.html"
            self.visit(tab, "index", "index.html")
            if self.args.title is not None:
                shown = tab.js("[document.title,"
                               "document.querySelector('h1').textContent]")
                if shown != [self.args.title] * 2:
                    self.fail("index", f"title and h1 read {shown}, not "
                              f"{self.args.title!r}")

        def sector():
            # The sector with the most organisations.
            best = max(
                sorted(os.listdir(os.path.join(self.site, "sectors"))),
                key=lambda f: sum(check_site_links.table_rows(
                    os.path.join(self.site, "sectors", f))))
            pages["sector"] = self.follow(
                tab, "index -> sector",
                "document.querySelector('table tbody a[href=\"sectors/'"
                f"+CSS.escape({json.dumps(best)})+'\"]')",
                f"sectors/{best}")
            self.visit(tab, "sector", pages["sector"])

        def organisation():
            # The organisation of the sector with the most domains.
            link = """(function(){var best=null,n=-1;
              document.querySelectorAll('table.sortable tbody tr').forEach(
                function(r){var d=+r.cells[2].textContent;
                  if(d>n){n=d;best=r.querySelector('a');}});return best;})()"""
            pages["organisation"] = self.follow(tab, "sector -> organisation",
                                                link)
            self.visit(tab, "organisation", pages["organisation"], states=True)

        def domain():
            # A domain of the organisation that passes some controls and
            # fails others; its link is in the row's header cell.
            link = """(function(){var rs=document.querySelectorAll(
                'table.sortable tbody tr');
              for(var i=0;i<rs.length;i++){var r=rs[i];
                if(r.querySelector('td.pass')&&r.querySelector('td.fail'))
                  return r.querySelector('th a');}return null;})()"""
            pages["domain"] = self.follow(tab, "organisation -> domain", link)
            self.visit(tab, "domain", pages["domain"], states=True)

        def back():
            self.follow(tab, "domain -> organisation",
                        "document.querySelector('main p a')",
                        pages.get("organisation"))
            self.follow(tab, "organisation -> overview",
                        "document.querySelector('nav a')", "index.html")

        def trend():
            # With earlier scans the index links the trend report (charts
            # of every sector over the scans).
            self.follow(tab, "overview -> trend",
                        "document.querySelector('a[href=\"trend.html\"]')",
                        "trend.html")
            pages["trend"] = "trend.html"
            charts = tab.js("document.querySelectorAll('svg').length")
            print(f"trend: trend.html, {charts} charts", flush=True)
            if not charts:
                self.fail("trend", "no chart in the DOM")
            png = tab.screenshot()
            path = os.path.join(self.args.shots, "trend.png")
            with open(path, "wb") as f:
                f.write(png)
            # The first series' colour drawn (check_screenshot.py's own check).
            r = subprocess.run(
                [sys.executable, self.args.check_screenshot, path, "50"],
                capture_output=True, text=True, timeout=120)
            print(f"  screenshot trend.png: {r.stdout.strip()}", flush=True)
            if r.returncode:
                self.fail("trend", "the screenshot shows no chart: "
                          f"{(r.stdout + r.stderr).strip().splitlines()[-1]}")

        def without_script():
            tab.send("Emulation.setScriptExecutionDisabled", {"value": True})
            for kind, path in pages.items():
                if path is None:
                    continue
                tab.navigate(self.url(path))
                print(f"without script: {kind}: {path}", flush=True)
                if kind != "trend":  # a report of its own, not a site page
                    self.check_page(tab, f"{kind} without script",
                                    scripted=False)
                self.check_rows(tab, f"{kind} without script", path,
                                scripted=False)
            tab.send("Emulation.setScriptExecutionDisabled", {"value": False})

        return [("index", index), ("sector", sector),
                ("organisation", organisation), ("domain", domain),
                ("links back", back), ("trend", trend),
                ("without script", without_script)]

    def events(self, chrome):
        """Console, exceptions, log entries, failed loads, requests."""
        requests = outside = 0
        for method, p, _, step in chrome.events:
            if method == "Runtime.consoleAPICalled":
                text = " ".join(str(a.get("value", a.get("description", "")))
                                for a in p.get("args", []))
                self.fail(step, f"console.{p.get('type')}: {text}")
            elif method == "Runtime.exceptionThrown":
                d = p["exceptionDetails"]
                self.fail(step, "uncaught exception: " + str(
                    d.get("exception", {}).get("description") or d.get("text"))
                    .splitlines()[0] + f" ({d.get('url', '')}:"
                    f"{d.get('lineNumber', 0) + 1})")
            elif method == "Log.entryAdded":
                e = p["entry"]
                self.fail(step, f"log {e.get('level')} ({e.get('source')}): "
                          f"{e.get('text')} {e.get('url', '')}")
            elif method == "Network.loadingFailed":
                self.fail(step, f"load failed: {p.get('errorText')} "
                          f"({p.get('type')})")
            elif method == "Network.requestWillBeSent":
                requests += 1
                url = p["request"]["url"]
                if not url.startswith("file://"):
                    outside += 1
                    self.fail(step, f"a request left file://: {url}")
            elif method == "Fetch.requestPaused":
                url = p["request"]["url"]
                if not url.startswith("file://"):
                    self.fail(step, f"a request left file:// (failed): {url}")
            elif method == "Page.javascriptDialogOpening":
                self.fail(step, f"a dialog opened: {p.get('message')}")
        print(f"{requests} requests, {outside} not to file://", flush=True)
        if requests == 0:
            self.fail("requests", "Network reported no request at all")

    def main(self):
        size = (1280, 1000)
        os.makedirs(self.args.shots, exist_ok=True)
        chrome = Chromium(self.args.chromium,
                          os.path.join(self.args.work, "profile"),
                          os.path.join(self.args.work, "chromium.log"), size)
        with open(os.path.join(self.args.work, "chromium.pid"), "w") as f:
            f.write(str(chrome.proc.pid))
        self.chrome = chrome
        started = time.monotonic()
        try:
            chrome.step = "start"
            chrome.deadline = time.monotonic() + self.args.step_timeout
            version = chrome.send("Browser.getVersion")
            print(f"{version['product']}, pid {chrome.proc.pid}", flush=True)
            tab = Tab(chrome, size)
            for name, step in self.steps(chrome, tab):
                chrome.step = name
                chrome.deadline = time.monotonic() + self.args.step_timeout
                t = time.monotonic()
                try:
                    step()
                except StepTimeout:
                    raise  # Chromium hangs: the walk ends here
                except Exception as e:  # a failed check of the step
                    self.fail(name, f"{type(e).__name__}: {e}")
                print(f"  ({name}: {time.monotonic() - t:.1f} s)", flush=True)
        except StepTimeout as e:
            self.fail(chrome.step, f"timed out: {e}")
        except CdpError as e:
            self.fail(chrome.step, str(e))
        finally:
            chrome.step = "end"
            self.events(chrome)
            left = chrome.close()
            if left:
                self.fail("end", f"Chromium processes outlived the close: {left}")
            if chrome.leftovers():
                self.fail("end", "Chromium processes survived SIGKILL")
        print(f"browser: {time.monotonic() - started:.1f} s", flush=True)
        if self.failures:
            print(f"{len(self.failures)} failures:")
            for failure in self.failures:
                print(f"  {failure}")
            print(f"Chromium's log: {os.path.join(self.args.work, 'chromium.log')}")
            return 1
        return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--chromium", required=True)
    p.add_argument("--site", required=True)
    p.add_argument("--shots", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--check-screenshot", required=True)
    p.add_argument("--step-timeout", type=float, default=120)
    p.add_argument("--title", help="the site's title (mxscan site --title)")
    args = p.parse_args()

    def terminate(signum, _):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # let the close finish
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise SystemExit(f"signal {signum}")  # runs the finally: closes Chromium
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)
    sys.exit(Run(args).main())


if __name__ == "__main__":
    main()
