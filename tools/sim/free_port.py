#!/usr/bin/env python3
"""Prints a port on 127.0.0.1 that is free for both TCP and UDP right now.

A DNS server needs both, and the kernel's port 0 trick only answers for one
protocol, so ask TCP for a port and keep it only if UDP can bind it too.
"""

import socket
import sys


def free_port():
    for _ in range(100):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = tcp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    sys.exit("free_port.py: no port free for both TCP and UDP")


if __name__ == "__main__":
    print(free_port())
