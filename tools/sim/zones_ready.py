#!/usr/bin/env python3
"""Waits until a DNS server on 127.0.0.1 answers authoritatively for every
zone named on stdin (one per line): SOA, NOERROR, the AA bit, an answer.

    zones_ready.py PORT SECONDS <zones

nsd_server.sh asks this once NSD answers its first zone: one process
asking every zone in batches, where a `drill` per zone took ~6 ms each
(a minute and a half for the 16,000 zones of the signed US .gov list).
Exits 0 when all answered, else 1 after SECONDS, naming the first zones
that did not.
"""

import socket
import struct
import sys
import time

SOA, IN = 6, 1
BATCH = 200          # queries in flight at once
ROUND_SECONDS = 0.5  # how long a batch's answers are waited for


def wire(zone):
    labels = [l for l in zone.rstrip(".").split(".") if l]
    return b"".join(bytes([len(l)]) + l.encode("ascii") for l in labels) + b"\0"


def soa_query(qid, zone):
    return struct.pack("!HHHHHH", qid, 0, 1, 0, 0, 0) + wire(zone) + \
        struct.pack("!HH", SOA, IN)


def authoritative_answer(packet, queries):
    """The query ID of a NOERROR, AA answer with records to one of
    `queries` (its question as asked: a late answer of an earlier batch
    with the same ID does not count), else None."""
    if len(packet) < 12:
        return None
    qid, flags, _, answers = struct.unpack("!HHHH", packet[:8])
    aa, rcode = flags & 0x0400, flags & 0x000F
    if not (flags & 0x8000 and aa and rcode == 0 and answers):
        return None
    if qid >= len(queries) or not packet.startswith(queries[qid][12:], 12):
        return None
    return qid


def ask_batch(sock, zones):
    """The zones of `zones` (at most 65,536) that answered within a round."""
    queries = [soa_query(qid, zone) for qid, zone in enumerate(zones)]
    for query in queries:
        sock.send(query)
    answered = set()
    deadline = time.monotonic() + ROUND_SECONDS
    while len(answered) < len(zones):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        sock.settimeout(left)
        try:
            qid = authoritative_answer(sock.recv(4096), queries)
        except (socket.timeout, ConnectionRefusedError):
            continue
        if qid is not None:
            answered.add(zones[qid])
    return answered


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    port, seconds = int(sys.argv[1]), float(sys.argv[2])
    waiting = [l.strip() for l in sys.stdin if l.strip()]
    deadline = time.monotonic() + seconds
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.connect(("127.0.0.1", port))
        while waiting and time.monotonic() < deadline:
            still = []
            for i in range(0, len(waiting), BATCH):
                batch = waiting[i:i + BATCH]
                answered = ask_batch(sock, batch)
                still += [z for z in batch if z not in answered]
            waiting = still
    if waiting:
        print(f"zones_ready: {len(waiting)} zones without an authoritative "
              f"SOA on 127.0.0.1:{port}: {' '.join(waiting[:10])}",
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
