#!/usr/bin/env python3
"""Helpers of bench/e2e/bench_latency.sh.

    latency_report.py run RUN_DIR DOMAINS CONCURRENCY SHARDS T0 T1
        the figures of one scan (RUN_DIR/: scan-<i>.log, time-<i>,
        results.jsonl, check.txt, proxy.json, sessions.txt, ticks.txt,
        counters-before.json, counters-after.json); prints them and writes
        RUN_DIR/figures.json
    latency_report.py table RUN_DIR...
        the runs side by side (a markdown table)
"""

import json
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_report  # noqa: E402  (the summary line's pattern, loss counters)

CHECK = re.compile(r"(\d+) domains, (\d+) matched, (\d+) mismatched, (\d+) "
                   r"missing, (\d+) duplicated, (\d+) unexpected"
                   r"(?:, (\d+) explained by a reported timeout, (\d+) "
                   r"unexplained)?")


def quantile(values, q):
    if not values:
        return 0
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def in_flight(results):
    """Domains in flight each second, from the records' scanStartedAt (ms
    since the epoch) and scanDurationMs; and the durations."""
    spans, durations = [], []
    with open(results, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            start = int(r.get("scanStartedAt") or 0)
            duration = int(r.get("scanDurationMs") or 0)
            if start <= 0:
                continue
            spans.append((start, start + duration))
            durations.append(duration)
    if not spans:
        return [], durations
    first = min(s for s, _ in spans)
    last = max(e for _, e in spans)
    seconds = (last - first) // 1000 + 1
    delta = [0] * (seconds + 2)
    for s, e in spans:
        # In flight at the sample instants first + k s, k in [s, e).
        a = -(-(s - first) // 1000)
        b = -(-(e - first) // 1000)
        if b > a:
            delta[a] += 1
            delta[b] -= 1
    samples, n = [], 0
    for k in range(seconds):
        n += delta[k]
        samples.append(n)
    return samples, durations


def done_times(results, t0):
    """Seconds after T0 at which 50%, 90%, 99% and all of the records were
    done (their scanStartedAt + scanDurationMs)."""
    ends = []
    with open(results, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            start = int(r.get("scanStartedAt") or 0)
            if start > 0:
                ends.append((start + int(r.get("scanDurationMs") or 0)) / 1000 - t0)
    ends.sort()
    if not ends:
        return {}
    return {q: max(0.0, ends[min(len(ends) - 1, int(p * len(ends)) - 1)])
            for q, p in (("t50", .5), ("t90", .9), ("t99", .99), ("t100", 1))}


def udp_drops(path):
    """The most UDP drops seen per process name (sessions.txt's 4th field
    on)."""
    most = {}
    with open(path) as f:
        for line in f:
            for item in line.split()[3:]:
                name, _, n = item.rpartition("=")
                if name and n.isdigit():
                    most[name] = max(most.get(name, 0), int(n))
    return most


def timeouts(results):
    """Records with status TIMEOUT, records reporting a DNS timeout (any
    question), SMTP probes that timed out, and the domains with one."""
    status = dns = probes = smtp_domains = 0
    with open(results, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            status += r.get("status") == "TIMEOUT"
            dns += any(e.get("stage") == "DNS" and e.get("kind") == "timeout"
                       for e in r.get("errors", [])) or \
                r.get("mxStatus") == "TIMEOUT"
            n = sum(1 for h in r.get("mx", []) for a in h.get("addresses", [])
                    if (a.get("smtp") or {}).get("error", {}).get("kind") ==
                    "timeout")
            probes += n
            smtp_domains += n > 0
    return status, dns, probes, smtp_domains


def run(d, domains, concurrency, shards, t0, t1):
    wall = t1 - t0
    fig = {"concurrency": concurrency, "shards": shards, "domains": domains,
           "wall_s": wall, "domains_per_s": domains / wall if wall else 0}
    totals, user, sys_, rss = e2e_report.shards_figures(d, shards)
    (done, questions, hits, coalesced, sent, probes, requests, records,
     attempts_timed_out, unmatched, late) = totals
    went_out = questions - hits - coalesced
    fig.update(records=records, questions=questions, queries_sent=sent,
               beyond_one=sent - went_out, attempts_timed_out=attempts_timed_out,
               unmatched=unmatched, late_answers=late, probes=probes,
               cpu_us_per_domain=1e6 * (user + sys_) / max(1, domains),
               user_s=user, sys_s=sys_, rss_mib=rss)
    samples, durations = in_flight(f"{d}/results.jsonl")
    done = done_times(f"{d}/results.jsonl", t0)
    fig["done_s"] = done
    # The bulk of the scan: until 90% of the records are done (the rest is
    # the tail of the slowest domains, which a bigger list hides).
    bulk = samples[:max(1, int(done.get("t90", 0)))] if samples else []
    fig["rate_to_90"] = 0.9 * domains / done["t90"] if done.get("t90") else 0
    fig["udp_drops_by_process"] = udp_drops(f"{d}/sessions.txt")
    fig.update(
        in_flight_peak=max(samples or [0]),
        in_flight_median=statistics.median(bulk) if bulk else 0,
        duration_ms={q: quantile(durations, p) for q, p in
                     (("p50", .5), ("p90", .9), ("p99", .99), ("max", 1))})
    sessions = []
    loads = []
    with open(f"{d}/sessions.txt") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3:
                sessions.append(int(parts[1]))
                loads.append(float(parts[2]))
    fig.update(sessions_peak=max(sessions or [0]),
               sessions_median=statistics.median(sessions) if sessions else 0,
               load_peak=max(loads or [0]))
    st, dn, pr, sd = timeouts(f"{d}/results.jsonl")
    fig.update(records_timeout=st, records_dns_timeout=dn,
               probes_timed_out=pr, domains_smtp_timeout=sd)
    with open(f"{d}/proxy.json") as f:
        fig["proxy"] = json.load(f)
    check = open(f"{d}/check.txt").read()
    m = CHECK.search(check)
    if m:
        g = [int(x) if x is not None else None for x in m.groups()]
        fig.update(truth_domains=g[0], matched=g[1], mismatched=g[2],
                   missing=g[3], duplicated=g[4], unexpected=g[5],
                   explained=g[6], unexplained=g[7])
    else:
        fig["check_error"] = check[-500:]
    ticks = dict(line.split() for line in open(f"{d}/ticks.txt"))
    hz = os.sysconf("SC_CLK_TCK")
    cpus = os.cpu_count()
    for k in ("farm", "proxy", "nsd"):
        fig[f"{k}_cpu_s"] = int(ticks[k]) / hz
    busy = int(ticks["busy"]) / hz
    ours = user + sys_ + sum(fig[f"{k}_cpu_s"] for k in ("farm", "proxy", "nsd"))
    fig["busy_share"] = busy / (wall * cpus) if wall else 0
    fig["others_share"] = max(0.0, busy - ours) / (wall * cpus) if wall else 0
    fig["load_start"], fig["load_end"] = ticks["load0"], ticks["load1"]
    before = json.load(open(f"{d}/counters-before.json"))
    after = json.load(open(f"{d}/counters-after.json"))
    fig["losses"] = {label: after.get(k, 0) - before.get(k, 0)
                     for k, label in e2e_report.LOSSES}
    json.dump(fig, open(f"{d}/figures.json", "w"), indent=1)
    p = fig["proxy"]
    print(f"## --concurrency {concurrency} ({shards} scanner process(es))")
    print(f"wall {wall:.1f} s, {fig['domains_per_s']:.0f} domains/s; records "
          f"{records} of {domains}; in flight: domains peak "
          f"{fig['in_flight_peak']} (median {fig['in_flight_median']:.0f}), "
          f"SMTP sessions peak {fig['sessions_peak']} (median "
          f"{fig['sessions_median']:.0f})")
    dm = fig["duration_ms"]
    print(f"per domain: {dm['p50']} ms median, p90 {dm['p90']}, p99 "
          f"{dm['p99']}, max {dm['max']} ms; records done: half after "
          f"{done.get('t50', 0):.1f} s, 90% after {done.get('t90', 0):.1f} s "
          f"({fig['rate_to_90']:.0f} domains/s until then), 99% after "
          f"{done.get('t99', 0):.1f} s, all after {done.get('t100', 0):.1f} s")
    print(f"DNS: {questions} questions, {sent} queries sent, "
          f"{fig['beyond_one']} beyond one per question that went out; "
          f"{attempts_timed_out} attempts timed out, {late} answers taken "
          f"late, {unmatched} matched no open question; "
          f"proxy: {p['queries_udp']} UDP + {p['queries_tcp']} TCP queries, "
          f"{p['lost']} lost, {p['repeats']} repeats, at most "
          f"{p['max_held']} held; answers relayed late (over the drawn delay): "
          f"{p.get('late_100ms', 0)} > 100 ms, {p.get('late_1s', 0)} > 1 s, "
          f"most {p.get('max_late_ms', 0)} ms")
    print(f"timeouts: {st} records TIMEOUT, {dn} records with a DNS timeout, "
          f"{pr} SMTP probes timed out ({sd} domains); {probes} probes")
    print(f"client CPU {fig['cpu_us_per_domain']:.0f} us/domain "
          f"({user:.1f}+{sys_:.1f} s), peak RSS "
          f"{' + '.join(f'{r:.0f}' for r in rss)} MiB; CPU of the farms "
          f"{fig['farm_cpu_s']:.1f} s, proxy {fig['proxy_cpu_s']:.1f} s, NSD "
          f"{fig['nsd_cpu_s']:.1f} s; machine busy {100 * fig['busy_share']:.0f}%,"
          f" others {100 * fig['others_share']:.0f}%, load "
          f"{fig['load_start']} -> {fig['load_end']}")
    print("truth: " + check.splitlines()[0])
    print("kernel: " + ", ".join(f"{v} {k}" for k, v in fig["losses"].items()) +
          "; UDP drops by socket owner: " + (", ".join(
              f"{k} {v}" for k, v in sorted(fig["udp_drops_by_process"].items()))
              or "none seen"))


def table(dirs):
    figs = [json.load(open(f"{d}/figures.json")) for d in dirs]

    def row(label, f):
        print(f"| {label} | " + " | ".join(f(x) for x in figs) + " |")

    print("| DOMAINS=" + str(figs[0]["domains"]) + " | " +
          " | ".join(f"--concurrency {x['concurrency']:,}" for x in figs) + " |")
    print("| --- |" + " ---: |" * len(figs))
    row("scanner processes", lambda x: str(x["shards"]))
    row("wall time", lambda x: f"{x['wall_s']:.1f} s")
    row("**domains/s**", lambda x: f"**{x['domains_per_s']:.0f}**")
    row("records done: 50% / 90% / 99% / all, after",
        lambda x: " / ".join(f"{x['done_s'].get(k, 0):.0f}"
                             for k in ("t50", "t90", "t99", "t100")) + " s")
    row("**domains/s until 90% done**", lambda x: f"**{x['rate_to_90']:.0f}**")
    row("domains in flight: peak (median until 90% done)",
        lambda x: f"{x['in_flight_peak']:,} ({x['in_flight_median']:,.0f})")
    row("time per domain: median, p90, p99, max",
        lambda x: ", ".join(f"{x['duration_ms'][k] / 1000:.1f}"
                            for k in ("p50", "p90", "p99", "max")) + " s")
    row("SMTP sessions at once: peak (median)",
        lambda x: f"{x['sessions_peak']:,} ({x['sessions_median']:,.0f})")
    row("DNS queries sent (per domain)",
        lambda x: f"{x['queries_sent']:,} ({x['queries_sent'] / x['domains']:.1f})")
    row("— beyond one per question: retries",
        lambda x: f"{x['beyond_one']:,}")
    row("attempts timed out / answers taken late / matched no open question",
        lambda x: f"{x['attempts_timed_out']:,} / {x.get('late_answers', 0):,} / "
        f"{x['unmatched']:,}")
    row("proxy: queries lost (of received)",
        lambda x: f"{x['proxy']['lost']:,} ({x['proxy']['queries_udp'] + x['proxy']['queries_tcp']:,})")
    row("timeouts: records TIMEOUT / records with a DNS timeout / SMTP probes",
        lambda x: f"{x['records_timeout']} / {x['records_dns_timeout']} / "
                  f"{x['probes_timed_out']}")
    row("**peak RSS** per process",
        lambda x: " + ".join(f"{r:.0f}" for r in x["rss_mib"]) + " MiB")
    row("client CPU per domain", lambda x: f"{x['cpu_us_per_domain']:,.0f} µs")
    row("records written / input", lambda x: f"{x['records']:,} / {x['domains']:,}")
    row("**records equal to the truth**",
        lambda x: f"**{x.get('matched', 0):,}**")
    row("the others: explained by a reported timeout / unexplained",
        lambda x: f"{x.get('explained') or 0} / {x.get('unexplained') or 0}"
                  + (f", {x['missing']} missing" if x.get("missing") else ""))
    row("CPU: farms, proxy, NSD",
        lambda x: f"{x['farm_cpu_s']:.0f}, {x['proxy_cpu_s']:.0f}, {x['nsd_cpu_s']:.0f} s")
    row("machine busy / others; load average start → end",
        lambda x: f"{100 * x['busy_share']:.0f}% / {100 * x['others_share']:.0f}%; "
                  f"{x['load_start']} → {x['load_end']}")
    row("kernel: UDP drops, SYN retransmissions, listen overflows",
        lambda x: ", ".join(str(v) for v in list(x["losses"].values())[:3]))
    row("UDP drops by socket owner",
        lambda x: ", ".join(f"{k} {v}" for k, v in
                            sorted(x["udp_drops_by_process"].items()) if v) or "0")
    row("proxy: answers > 1 s late over their delay (most)",
        lambda x: f"{x['proxy'].get('late_1s', 0)} ({x['proxy'].get('max_late_ms', 0)} ms)")


def main():
    if len(sys.argv) >= 8 and sys.argv[1] == "run":
        d, domains, c, shards = sys.argv[2], *map(int, sys.argv[3:6])
        run(d, domains, c, shards, float(sys.argv[6]), float(sys.argv[7]))
    elif len(sys.argv) >= 3 and sys.argv[1] == "table":
        table(sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
