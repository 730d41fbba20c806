#!/usr/bin/env python3
"""Save-to-reload latency of `fanzine serve`: the time from a post's file being written and closed to the reload
event arriving on the live-reload stream, as a browser would receive it.

Usage: serve-latency.py HOST:PORT POST_FILE [EDITS]
Prints one line per edit and the median. Each wait is bounded (120 s); the edits alternate the post's last line so
every save really changes the page."""
import json
import socket
import statistics
import sys
import time

addr, post, edits = sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 15
host, port = addr.rsplit(":", 1)


class Events:
    def __init__(self):
        self.sock = socket.create_connection((host, int(port)), timeout=120)
        # The preview answers only loopback Host names (a guard against DNS rebinding).
        request = f"GET /__fanzine/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        self.sock.sendall(request.encode())
        self.buf = b""

    def next_state(self, deadline):
        while True:
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                if line.startswith(b"data: "):
                    return json.loads(line[6:])
            if time.monotonic() > deadline:
                raise SystemExit("no event within 120 s")
            chunk = self.sock.recv(65536)
            if not chunk:
                raise SystemExit("event stream closed")
            self.buf += chunk


events = Events()
state = events.next_state(time.monotonic() + 120)
with open(post, encoding="utf-8") as f:
    original = f.read()
samples = []
try:
    for i in range(edits):
        with open(post, "w", encoding="utf-8") as f:
            f.write(original + f"\nEdited for the benchmark, round {i}.\n")
        saved = time.monotonic()
        version = state["version"]
        while state["version"] <= version:
            state = events.next_state(saved + 120)
            if state["errors"]:
                raise SystemExit(f"build failed: {state['errors'][0]}")
        took = (time.monotonic() - saved) * 1000
        samples.append(took)
        print(f"edit {i + 1}: reload event after {took:.1f} ms", flush=True)
        time.sleep(0.3)
finally:
    with open(post, "w", encoding="utf-8") as f:
        f.write(original)
print(f"median save-to-reload: {statistics.median(samples):.1f} ms over {len(samples)} edits "
      f"(min {min(samples):.1f}, max {max(samples):.1f})")
