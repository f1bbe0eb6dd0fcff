#!/usr/bin/env python3
"""A hostile DNS path: a proxy in front of the simulated sector's NSD.

    hostile_dns_proxy.py --upstream 127.0.0.1:PORT [--port 0] [--port-file F]
                         [--seed S] [--drop P] [--delay P] [--malformed P]
                         [--servfail P] [--tc P] [--delay-ms MIN:MAX]
                         [--max-delayed N] [--spare SUFFIX]...
                         [--spare-share F [--spare-labels N]]
                         [--stats FILE] [--log FILE]

Listens on 127.0.0.1 (UDP and TCP, one port number; 0 picks a free one,
written to --port-file once both are bound) and forwards every query to
the upstream server (NSD), but for each query draws, from a generator
seeded with --seed, what happens to it:

  drop        no answer at all (over TCP: the connection is closed)
  delay       the true answer, DELAY-MS later (uniform in --delay-ms); at
              most --max-delayed answers are held at once, beyond that a
              query is forwarded intact (counted as delay_full)
  malformed   the true answer, broken one of five ways (drawn evenly):
                truncated    cut short (no TC bit)
                flipped      one bit flipped in the question or in the
                             header's QR/opcode bits
                wrong_id     another message ID
                bad_pointer  the first record's owner name a compression
                             pointer to itself (a loop) or past the end
                garbage      random bytes after the query's ID, or after
                             the true header and question
  servfail    a SERVFAIL answer made by the proxy
  tc          (UDP only) an empty answer with the TC bit: the client must
              ask again over TCP, where the draw is made again
  intact      the true answer, at once

Every kind is one a client can detect (a mismatch, a parse error, a lost
or late answer; a flipped case bit in the question leaves a true answer
that still matches): the proxy never changes an answer's records or rcode
into a well-formed lie. Names at or under a --spare suffix are always forwarded
intact, and so are the names whose last --spare-labels labels (3 by
default: a registered domain under a two-label suffix such as gov.sim)
fall, by a stable hash, in the --spare-share F of all: whole domains whose
DNS path stays clean while the rest of the traffic is hostile.

--log FILE gets one line per query that was not forwarded intact:
"KIND<TAB>TYPE<TAB>NAME" (NAME lowercase, without the trailing dot).
--stats FILE gets the counters as JSON when the proxy stops (SIGTERM,
SIGINT) and every few seconds meanwhile. Loopback only; stdlib only.
"""

import argparse
import asyncio
import json
import os
import random
import signal
import struct
import sys
import time
import zlib

HEADER = 12
MALFORMED_KINDS = ("truncated", "flipped", "wrong_id", "bad_pointer", "garbage")
COUNTERS = ("queries_udp", "queries_tcp", "unparsable_queries", "intact",
            "drop", "delay", "delay_full", "servfail", "tc") + \
    MALFORMED_KINDS + ("upstream_lost",)
UPSTREAM_TIMEOUT_S = 5.0
TYPE_NAMES = {1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX",
              16: "TXT", 28: "AAAA", 33: "SRV", 43: "DS", 48: "DNSKEY",
              52: "TLSA", 65: "HTTPS"}


def parse_question(msg):
    """(name, qtype, offset after the question) of a message's first
    question, or None. Names in queries are never compressed."""
    if len(msg) < HEADER or struct.unpack_from("!H", msg, 4)[0] < 1:
        return None
    labels, i = [], HEADER
    while True:
        if i >= len(msg):
            return None
        n = msg[i]
        if n == 0:
            i += 1
            break
        if n & 0xC0 or i + 1 + n > len(msg):
            return None
        labels.append(msg[i + 1:i + 1 + n].decode("ascii", "replace").lower())
        i += 1 + n
    if i + 4 > len(msg):
        return None
    return ".".join(labels), struct.unpack_from("!H", msg, i)[0], i + 4


def servfail_for(query, qend):
    """A SERVFAIL answer to `query`: its ID, QR set, RD copied, RA, the
    question, nothing else."""
    flags = 0x8000 | (query[2] & 0x01) << 8 | 0x0080 | 2
    return query[:2] + struct.pack("!HHHHH", flags, 1, 0, 0, 0) + \
        query[HEADER:qend]


def tc_for(query, qend):
    """An empty truncated answer: the client must retry over TCP."""
    flags = 0x8000 | 0x0200 | (query[2] & 0x01) << 8 | 0x0080
    return query[:2] + struct.pack("!HHHHH", flags, 1, 0, 0, 0) + \
        query[HEADER:qend]


def mangle(kind, answer, rng):
    """Returns (bytes, kind actually applied) for a true answer."""
    q = parse_question(answer)
    qend = q[2] if q else HEADER
    b = bytearray(answer)
    if kind == "bad_pointer":
        counts = struct.unpack_from("!HHH", b, 6) if len(b) >= HEADER else (0, 0, 0)
        if sum(counts) and qend + 2 <= len(b) and b[qend] & 0xC0 == 0xC0:
            target = qend if rng.random() < 0.5 else \
                min(0x3FFF, len(b) + rng.randrange(1, 64))
            struct.pack_into("!H", b, qend, 0xC000 | target)
            return bytes(b), kind
        kind = "truncated"  # no record with a compressed owner: cut instead
    if kind == "truncated":
        if len(b) <= HEADER + 1:
            return bytes(b[:HEADER]), kind
        return bytes(b[:rng.randrange(HEADER, len(b))]), kind
    if kind == "flipped":
        if qend > HEADER and rng.random() < 0.8:
            i = rng.randrange(HEADER, qend)
            b[i] ^= 1 << rng.randrange(8)
        else:
            b[2] ^= 1 << rng.randrange(3, 8)  # QR or an opcode bit
        return bytes(b), kind
    if kind == "wrong_id":
        struct.pack_into("!H", b, 0,
                         struct.unpack_from("!H", b, 0)[0] ^ rng.randrange(1, 65536))
        return bytes(b), kind
    # garbage
    junk = bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 400)))
    if rng.random() < 0.5 or not q:
        return bytes(b[:2]) + bytes([0x80 | rng.getrandbits(7)]) + junk, kind
    head = bytearray(b[:qend])
    struct.pack_into("!HHH", head, 6, rng.randrange(1, 6), rng.randrange(3),
                     rng.randrange(3))
    return bytes(head) + junk, kind


class Proxy:
    def __init__(self, a):
        self.a = a
        self.rng = random.Random(a.seed)
        self.counts = dict.fromkeys(COUNTERS, 0)
        self.delayed = 0
        self.max_delayed_seen = 0
        self.log = open(a.log, "w", buffering=1 << 16) if a.log else None
        self.pending = {}  # upstream ID -> (client, original ID, kind, q, time)
        self.next_id = 0
        self.front = self.upstream = None
        self.loop = None
        lo, _, hi = a.delay_ms.partition(":")
        self.delay_range = (int(lo), int(hi or lo))

    # --- what happens to a query ---
    def decide(self, name, tcp):
        r = self.rng.random()
        a = self.a
        if any(name == s or name.endswith("." + s) for s in a.spare) or \
                self.spared_share(name):
            return "intact"
        for kind, p in (("drop", a.drop), ("delay", a.delay),
                        ("malformed", a.malformed), ("servfail", a.servfail),
                        ("tc", 0 if tcp else a.tc)):
            if r < p:
                if kind == "malformed":
                    return self.rng.choice(MALFORMED_KINDS)
                if kind == "delay" and self.delayed >= a.max_delayed:
                    return "delay_full"
                return kind
            r -= p
        return "intact"

    def spared_share(self, name):
        if not self.a.spare_share:
            return False
        key = ".".join(name.split(".")[-self.a.spare_labels:])
        return zlib.crc32(key.encode()) % 10000 < self.a.spare_share * 10000

    def draw(self, data, tcp):
        """Counts a query and draws its fate: (question, kind), or None
        when it gets no answer at all (unparsable, or dropped)."""
        self.counts["queries_tcp" if tcp else "queries_udp"] += 1
        q = parse_question(data)
        if q is None:
            self.counts["unparsable_queries"] += 1
            return None
        kind = self.decide(q[0], tcp)
        self.note(kind, q)
        return None if kind == "drop" else (q, kind)

    def note(self, kind, q):
        self.counts[kind] += 1
        if self.log is not None and kind not in ("intact", "delay_full"):
            self.log.write(f"{kind}\t{TYPE_NAMES.get(q[1], q[1])}\t{q[0]}\n")

    def mangle(self, kind, answer):
        """mangle(), counting the kind actually applied."""
        mangled, applied = mangle(kind, answer, self.rng)
        if applied != kind:
            self.counts[kind] -= 1
            self.counts[applied] += 1
        return mangled, applied

    def delay_s(self):
        lo, hi = self.delay_range
        return self.rng.uniform(lo, hi) / 1000.0

    def hold(self):
        self.delayed += 1
        self.max_delayed_seen = max(self.max_delayed_seen, self.delayed)

    def release(self):
        self.delayed -= 1

    # --- UDP ---
    def on_query(self, data, client):
        fate = self.draw(data, tcp=False)
        if fate is None:
            return
        q, kind = fate
        if kind == "servfail":
            self.front.sendto(servfail_for(data, q[2]), client)
            return
        if kind == "tc":
            self.front.sendto(tc_for(data, q[2]), client)
            return
        for _ in range(65536):
            self.next_id = (self.next_id + 1) & 0xFFFF
            if self.next_id not in self.pending:
                break
        else:
            self.counts["upstream_lost"] += 1
            return
        if kind == "delay":
            self.hold()  # from now: the slot counts until the answer leaves
        self.pending[self.next_id] = (client, data[:2], kind, q, time.monotonic())
        self.upstream.sendto(struct.pack("!H", self.next_id) + data[2:])

    def on_answer(self, data):
        if len(data) < 2:
            return
        entry = self.pending.pop(struct.unpack_from("!H", data, 0)[0], None)
        if entry is None:
            return
        client, orig_id, kind, _, _ = entry
        answer = orig_id + data[2:]
        if kind == "delay":
            self.loop.call_later(self.delay_s(), self.send_delayed, answer, client)
            return
        if kind in MALFORMED_KINDS:
            answer, _ = self.mangle(kind, answer)
        self.front.sendto(answer, client)

    def send_delayed(self, answer, client):
        self.release()
        self.front.sendto(answer, client)

    async def expire(self):
        while True:
            await asyncio.sleep(1)
            now = time.monotonic()
            old = [k for k, v in self.pending.items()
                   if now - v[4] > UPSTREAM_TIMEOUT_S]
            for k in old:
                if self.pending.pop(k)[2] == "delay":
                    self.release()
                self.counts["upstream_lost"] += 1

    async def write_stats_often(self):
        while True:
            await asyncio.sleep(5)
            self.write_stats()

    # --- TCP ---
    async def on_tcp(self, reader, writer):
        try:
            while True:
                try:
                    head = await reader.readexactly(2)
                    data = await reader.readexactly(struct.unpack("!H", head)[0])
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                fate = self.draw(data, tcp=True)
                if fate is None:
                    return
                q, kind = fate
                if kind == "servfail":
                    answer = servfail_for(data, q[2])
                else:
                    if kind == "delay":
                        self.hold()
                        try:
                            await asyncio.sleep(self.delay_s())
                        finally:
                            self.release()
                    answer = await self.ask_upstream_tcp(data)
                    if answer is None:
                        self.counts["upstream_lost"] += 1
                        return
                    if kind in MALFORMED_KINDS:
                        mangled, applied = self.mangle(kind, answer)
                        if applied == "truncated":
                            # The length of the whole answer, then less.
                            writer.write(struct.pack("!H", len(answer)) + mangled)
                            await writer.drain()
                            return
                        answer = mangled
                writer.write(struct.pack("!H", len(answer)) + answer)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def ask_upstream_tcp(self, data):
        host, port = self.a.upstream_address
        try:
            r, w = await asyncio.wait_for(asyncio.open_connection(host, port),
                                          UPSTREAM_TIMEOUT_S)
        except (OSError, asyncio.TimeoutError):
            return None
        try:
            w.write(struct.pack("!H", len(data)) + data)
            await w.drain()
            head = await asyncio.wait_for(r.readexactly(2), UPSTREAM_TIMEOUT_S)
            return await asyncio.wait_for(
                r.readexactly(struct.unpack("!H", head)[0]), UPSTREAM_TIMEOUT_S)
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError):
            return None
        finally:
            w.close()

    def write_stats(self):
        if not self.a.stats:
            return
        out = dict(self.counts)
        out["max_delayed_held"] = self.max_delayed_seen
        out["delayed_held_now"] = self.delayed
        out["pending_upstream"] = len(self.pending)
        tmp = self.a.stats + ".tmp"
        with open(tmp, "w") as f:
            json.dump(out, f, indent=1, sort_keys=True)
            f.write("\n")
        os.replace(tmp, self.a.stats)


class Front(asyncio.DatagramProtocol):
    def __init__(self, proxy):
        self.proxy = proxy

    def datagram_received(self, data, addr):
        self.proxy.on_query(data, addr)

    def error_received(self, exc):
        pass


class Upstream(asyncio.DatagramProtocol):
    def __init__(self, proxy):
        self.proxy = proxy

    def datagram_received(self, data, addr):
        self.proxy.on_answer(data)

    def error_received(self, exc):
        pass


async def serve(a):
    proxy = Proxy(a)
    loop = proxy.loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    host, port = a.upstream_address
    proxy.upstream, _ = await loop.create_datagram_endpoint(
        lambda: Upstream(proxy), remote_addr=(host, port))
    # One port number for UDP and TCP: bind UDP, then TCP on its port.
    for _ in range(50):
        front, _ = await loop.create_datagram_endpoint(
            lambda: Front(proxy), local_addr=("127.0.0.1", a.port))
        port = front.get_extra_info("sockname")[1]
        try:
            server = await asyncio.start_server(proxy.on_tcp, "127.0.0.1", port,
                                                backlog=1024)
            break
        except OSError:
            front.close()
            if a.port:
                raise
    else:
        sys.exit("hostile_dns_proxy: no port free for both UDP and TCP")
    proxy.front = front
    for sock in (front.get_extra_info("socket"),
                 proxy.upstream.get_extra_info("socket")):
        for opt in (0x8, 0x7):  # SO_RCVBUF, SO_SNDBUF: bursts of queries
            try:
                sock.setsockopt(1, opt, 4 << 20)
            except OSError:
                pass
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write(f"{port}\n")
        os.replace(a.port_file + ".tmp", a.port_file)
    tasks = [loop.create_task(proxy.expire()),
             loop.create_task(proxy.write_stats_often())]
    await stop.wait()
    for t in tasks:
        t.cancel()
    server.close()
    front.close()
    proxy.write_stats()
    if proxy.log is not None:
        proxy.log.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--upstream", required=True, help="HOST:PORT of the real server")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--drop", type=float, default=0.05)
    p.add_argument("--delay", type=float, default=0.05)
    p.add_argument("--malformed", type=float, default=0.05)
    p.add_argument("--servfail", type=float, default=0.01)
    p.add_argument("--tc", type=float, default=0.01)
    p.add_argument("--delay-ms", default="200:3000", metavar="MIN:MAX")
    p.add_argument("--max-delayed", type=int, default=1000)
    p.add_argument("--spare", action="append", default=[], metavar="SUFFIX",
                   help="names at or under SUFFIX are forwarded intact")
    p.add_argument("--spare-share", type=float, default=0, metavar="F",
                   help="this share of the names' last --spare-labels labels "
                        "(by hash) is forwarded intact")
    p.add_argument("--spare-labels", type=int, default=3, metavar="N")
    p.add_argument("--stats")
    p.add_argument("--log")
    a = p.parse_args()
    host, _, port = a.upstream.rpartition(":")
    a.upstream_address = (host, int(port))
    if host not in ("127.0.0.1", "localhost") and not host.startswith("127."):
        p.error("--upstream must be on loopback")
    if sum((a.drop, a.delay, a.malformed, a.servfail, a.tc)) > 1:
        p.error("the probabilities add up to more than 1")
    a.spare = [s.lower().rstrip(".") for s in a.spare]
    asyncio.run(serve(a))


if __name__ == "__main__":
    main()
