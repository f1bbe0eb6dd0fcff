#!/usr/bin/env python3
"""Helpers of bench/e2e/bench_e2e.sh.

    e2e_report.py count-addresses BEHAVIOURS.json
        the number of SMTP addresses (entries with a "host")
    e2e_report.py split BEHAVIOURS.json DIR FARMS SLOW_SHARE SLOW_MS SEED
        DIR/behaviours-<f>.json for farm f: every FARMS-th SMTP address;
        farm 0 also gets the MTA-STS policy hosts. SLOW_SHARE of the
        self-hosted addresses that behave "valid" greet after SLOW_MS
        ("slow_banner": the truth of a valid server, tools/sim/README.md)
    e2e_report.py providers GEN_OUTPUT
        the share of the domains on the shared providers' MX hosts
    e2e_report.py counters FILE
        writes the kernel's loss counters (UDP receive-buffer drops, SYN
        retransmissions, listen-queue overflows, backlog drops) to FILE
    e2e_report.py report WORK SHARDS DOMAINS T0 T1 FARM_TICKS NSD_TICKS BUSY_TICKS
        (and WORK/counters-before.json, counters-after.json)
        the figures of a run (reads WORK's logs, results and samples)
    e2e_report.py peer WORK
        the run against its DNS half alone (WORK/scan-dns.log, time-dns)
"""

import json
import os
import random
import re
import statistics
import sys

PROVIDER_SUFFIX = ".provider.sim"
SUMMARY = re.compile(
    r"mxscan scan: (\d+) domains in ([\d.]+) s .*?; (\d+) DNS questions "
    r".*?, (\d+) answered from the cache, (\d+) coalesced, (\d+) queries sent"
    r"(?: \((\d+) timed out, (?:(\d+) answered late, )?(\d+) answers matched "
    r"none\))?; "
    r"(\d+) SMTP probes(?: \([^)]*\))? for (\d+) MX addresses(?: \([^)]*\))?; "
    r"(\d+) records in")
LOSSES = (("Udp.RcvbufErrors", "UDP datagrams dropped (receive buffer full)"),
          ("TcpExt.TCPSynRetrans", "SYN retransmissions"),
          ("TcpExt.ListenOverflows", "listen-queue overflows"),
          ("softnet.dropped", "loopback backlog drops"))
FARM_TOTALS = re.compile(r"smtp_farm: (\d+) connections, (\d+) refused")


def smtp_entries(behaviours):
    return [k for k, v in behaviours.items() if "host" in v]


def split(path, out, farms, slow_share, slow_ms, seed):
    behaviours = json.load(open(path))
    rng = random.Random(seed)
    parts = [{} for _ in range(farms)]
    slow = 0
    for i, address in enumerate(smtp_entries(behaviours)):
        entry = behaviours[address]
        if (slow_share > 0 and entry["behaviour"] == "valid" and
                not entry["host"].endswith(PROVIDER_SUFFIX) and
                rng.random() < slow_share):
            entry = dict(entry, behaviour="slow_banner", delay_ms=slow_ms)
            slow += 1
        parts[i % farms][address] = entry
    for name, entry in behaviours.items():
        if "host" not in entry:
            parts[0][name] = entry
    os.makedirs(out, exist_ok=True)
    for f, part in enumerate(parts):
        json.dump(part, open(os.path.join(out, f"behaviours-{f}.json"), "w"))
    if slow:
        print(f"# {slow} self-hosted valid addresses greet after {slow_ms} ms")


def providers(gen_output):
    lines = open(gen_output).read().splitlines()
    total = int(lines[0].split()[0])
    counts = {}
    for line in lines:
        m = re.match(r"\s+(\S+)\s+(\d+) ", line)
        if m:
            counts[m.group(1)] = int(m.group(2))
    on = {k.split("-", 1)[1]: v for k, v in counts.items()
          if k.startswith("mx:provider-")}
    existing = total - counts.get("nxdomain", 0) - counts.get("input:invalid", 0)
    shares = ", ".join(f"{k} {100 * v / total:.1f}%"
                       for k, v in sorted(on.items(), key=lambda kv: -kv[1]))
    print(f"# shared providers: {sum(on.values())} of {total} input domains "
          f"({100 * sum(on.values()) / total:.1f}%; {100 * sum(on.values()) / existing:.1f}% "
          f"of the {existing} that exist) on {len(on)} providers: {shares}")


def counters(path):
    """The kernel's loss counters of this network namespace, as JSON."""
    out = {}
    for name in ("/proc/net/snmp", "/proc/net/netstat"):
        lines = open(name).read().splitlines()
        for keys, values in zip(lines[::2], lines[1::2]):
            prefix = keys.split(":")[0]
            for k, v in zip(keys.split()[1:], values.split()[1:]):
                out[f"{prefix}.{k}"] = int(v)
    out["softnet.dropped"] = sum(int(line.split()[1], 16)
                                 for line in open("/proc/net/softnet_stat"))
    json.dump(out, open(path, "w"))


def scan_figures(work, name):
    """The counts of a scan's summary line (domains, questions, cache hits,
    coalesced, queries sent, probes, probe requests, records, attempts timed
    out, answers that matched no query, answers taken late; the last three
    are 0 from binaries older than 2026-11-29 that did not print them, the
    last from those older than 2026-12-06), and its user and sys
    CPU seconds and peak RSS (MiB) from /usr/bin/time."""
    log = open(f"{work}/scan-{name}.log").read()
    m = SUMMARY.search(log)
    if not m:
        sys.exit(f"no summary line in scan-{name}.log:\n{log[-2000:]}")
    counts = [int(m.group(g) or 0)
              for g in (1, 3, 4, 5, 6, 10, 11, 12, 7, 9, 8)]
    _, user, sys_, rss = open(f"{work}/time-{name}").read().split()[-4:]
    return counts, float(user), float(sys_), int(rss) / 1024


def shards_figures(work, shards):
    """scan_figures of scan logs 0 .. shards-1: the counts summed, user and
    sys CPU seconds summed, and each scan's peak RSS (MiB)."""
    totals = None
    user = sys_ = 0.0
    rss = []
    for i in range(shards):
        counts, u, s, r = scan_figures(work, i)
        totals = counts if totals is None else [
            t + c for t, c in zip(totals, counts)]
        user += u
        sys_ += s
        rss.append(r)
    return totals, user, sys_, rss


def report(work, shards, domains, t0, t1, farm_ticks, nsd_ticks, busy_ticks):
    hz = os.sysconf("SC_CLK_TCK")
    cpus = os.cpu_count()
    wall = float(t1) - float(t0)
    totals, user, sys_, rss = shards_figures(work, shards)
    (scanned, questions, hits, coalesced, queries, probes, probe_requests, records,
     query_timeouts, unmatched, late) = totals

    # TLS handshakes: distinct (address, MX name) pairs with a TLS session
    # (the probe cache runs each once per worker loop, so the thousands of
    # domains of a provider share a handful).
    lines = handshakes = fetched = duplicated = 0
    names, distinct = set(), set()
    with open(f"{work}/results.jsonl") as f:
        for line in f:
            d = json.loads(line)
            lines += 1
            duplicated += d["domain"] in names
            names.add(d["domain"])
            fetched += bool(d.get("mtaSts", {}).get("policyFetched"))
            for mx in d.get("mx", []):
                for a in mx.get("addresses", []):
                    if "tls" in a.get("smtp", {}):
                        handshakes += 1
                        distinct.add((a["ip"], mx["host"]))
    check = open(f"{work}/check.txt").read().splitlines()

    samples = []
    for line in open(f"{work}/sessions.txt"):
        parts = line.split()
        if len(parts) == 3:
            samples.append((float(parts[0]), int(parts[1]), int(parts[2])))
    counts = [c for _, c, _ in samples]
    peak = max(counts, default=0)
    at_peak = next((t for t, c, _ in samples if c == peak), float(t0)) - float(t0)
    over = sum(1 for c in counts if c >= 20000)
    tcp_kib = max((p for _, _, p in samples), default=0) * os.sysconf("SC_PAGE_SIZE") // 1024

    accepted = refused = 0
    for name in sorted(os.listdir(f"{work}/farm")):
        log = f"{work}/farm/{name}/farm.log"
        if os.path.isfile(log):
            for a, r in FARM_TOTALS.findall(open(log).read()):
                accepted += int(a)
                refused += int(r)

    before = json.load(open(f"{work}/counters-before.json"))
    after = json.load(open(f"{work}/counters-after.json"))
    lost = {k: after.get(k, 0) - before.get(k, 0) for k, _ in LOSSES}
    client = user + sys_
    farm = int(farm_ticks) / hz
    nsd = int(nsd_ticks) / hz
    busy = int(busy_ticks) / hz
    others = max(0.0, busy - client - farm - nsd)
    rows = [
        ("input domains", f"{domains:,}"),
        ("scanner processes", f"{shards}" + (" (shards, --workers 1 each)" if shards > 1 else
                                             " (one worker loop per core)")),
        ("wall time (all scanner processes)", f"{wall:.1f} s"),
        ("domains/s", f"{scanned / wall:,.0f}"),
        ("DNS questions (per domain)", f"{questions:,} ({questions / max(scanned, 1):.1f})"),
        ("DNS queries sent (per domain), /s",
         f"{queries:,} ({queries / max(scanned, 1):.1f}), {queries / wall:,.0f}/s"),
        ("DNS queries sent beyond one per question that reached the network (retries, follow-ups)",
         f"{queries - (questions - hits - coalesced):,}"),
        ("DNS attempts timed out / answers taken late (the question still open) / answers that matched no query in flight",
         f"{query_timeouts:,} / {late:,} / {unmatched:,}"),
        ("SMTP probes (sessions, retries included), /s",
         f"{probes:,} for {probe_requests:,} address requests, {probes / wall:,.0f}/s"),
        ("TLS handshakes (distinct address+name with TLS), /s",
         f"{len(distinct):,}, {len(distinct) / wall:,.0f}/s ({handshakes:,} address records with TLS)"),
        ("MTA-STS policies fetched", f"{fetched:,}"),
        ("farm connections accepted (SMTP+HTTPS) / refused", f"{accepted:,} / {refused:,}"),
        ("client CPU (user+sys), per domain",
         f"{client:.1f} s ({user:.1f}+{sys_:.1f}), {client / max(scanned, 1) * 1e6:,.0f} us/domain"),
        ("client CPU per probe", f"{client / max(probes, 1) * 1e6:,.0f} us"),
        ("peak RSS (per scanner process)", " + ".join(f"{r:.0f}" for r in rss) + " MiB"),
        ("records written / dumped / input", f"{records:,} / {lines:,} / {domains:,}"
         + (" OK" if records == lines == domains and not duplicated else
            f" MISMATCH ({duplicated} duplicated)")),
        ("against the truth (check_sector.py --smtp yes)", check[0] if check else "?"),
        ("farm CPU (all farm processes), per probe",
         f"{farm:.1f} s, {farm / max(probes, 1) * 1e6:,.0f} us/probe"),
        ("NSD CPU, per query sent", f"{nsd:.1f} s, {nsd / max(queries, 1) * 1e6:.1f} us/query"),
        ("machine busy (both cores) / other processes",
         f"{100 * busy / (wall * cpus):.0f}% / {others:.1f} s ({100 * others / (wall * cpus):.0f}%)"),
        ("SMTP sessions established at once (farm side, 1 s samples)",
         f"peak {peak:,} at {at_peak:.0f} s; median {statistics.median(counts) if counts else 0:,.0f}; "
         f"{over} samples >= 20,000"),
        ("kernel TCP memory, peak", f"{tcp_kib / 1024:.0f} MiB"),
        ("kernel losses during the scan (this network namespace: other work counts too)",
         ", ".join(f"{label} {lost[key]:,}" for key, label in LOSSES)),
    ]
    json.dump({"wall": wall, "domains": scanned, "cpu": client, "queries": queries,
               "handshakes": len(distinct), "rss": sum(rss)},
              open(f"{work}/figures.json", "w"))
    print("| figure | value |")
    print("| --- | --- |")
    for k, v in rows:
        print(f"| {k} | {v} |")
    if len(check) > 1:
        print("\n".join(check[1:30]))


def peer(work):
    """The full scan against its DNS half alone (--no-smtp), same run."""
    full = json.load(open(f"{work}/figures.json"))
    counts, user, sys_, rss = scan_figures(work, "dns")
    wall = float(open(f"{work}/time-dns").read().split()[-4])
    domains, queries, cpu = counts[0], counts[4], user + sys_
    check = open(f"{work}/check-dns.txt").read().splitlines()
    rows = [
        ("domains/s", full["domains"] / full["wall"], domains / wall, "{:,.0f}"),
        ("wall time (s)", full["wall"], wall, "{:,.1f}"),
        ("client CPU per domain (us)", full["cpu"] / full["domains"] * 1e6,
         cpu / domains * 1e6, "{:,.0f}"),
        ("DNS queries sent per domain", full["queries"] / full["domains"],
         queries / domains, "{:.1f}"),
        ("peak RSS (MiB)", full["rss"], rss, "{:,.0f}"),
    ]
    print("| | full scan (DNS + SMTP + MTA-STS) | DNS half alone (--no-smtp) | ratio |")
    print("| --- | --- | --- | --- |")
    for label, a, b, fmt in rows:
        print(f"| {label} | {fmt.format(a)} | {fmt.format(b)} | {a / b:.2f}x |")
    print(f"| records against the truth | (above) | {check[0] if check else '?'} (DNS half) | |")
    extra = full["cpu"] - cpu
    print(f"\nThe SMTP half's client CPU: {extra:.1f} s, {extra / full['handshakes'] * 1e6:,.0f} us per "
          f"TLS handshake ({full['handshakes']:,}), probes, judging, MTA-STS fetches and DNS "
          f"retries included; {user:.1f}+{sys_:.1f} s user+sys for the DNS half.")


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "count-addresses":
        print(len(smtp_entries(json.load(open(args[0])))))
    elif cmd == "split":
        split(args[0], args[1], int(args[2]), float(args[3]), int(args[4]), int(args[5]))
    elif cmd == "providers":
        providers(args[0])
    elif cmd == "counters":
        counters(args[0])
    elif cmd == "peer":
        peer(args[0])
    elif cmd == "report":
        report(args[0], int(args[1]), int(args[2]), *args[3:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
