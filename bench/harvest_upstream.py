#!/usr/bin/env python3
"""An HTTP/1.1 upstream on 127.0.0.1 that answers every request after DELAY_MS with an
Invenio-shaped search answer, for bench/harvest. asyncio protocols (no streams), so ten
thousand waiting connections cost little; it raises its own open-file limit to hold them.
On SIGTERM it writes the most connections it saw open at once to STATS_FILE, if given.

    harvest_upstream.py PORT DELAY_MS [STATS_FILE]
"""
import asyncio
import resource
import signal
import sys

BODY = b'{"hits":{"hits":[],"total":42}}'
ANSWER = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(BODY)) + BODY

open_now = 0
open_max = 0


class Upstream(asyncio.Protocol):
    def connection_made(self, transport):
        global open_now, open_max
        self.transport = transport
        self.buffer = b""
        open_now += 1
        open_max = max(open_max, open_now)

    def connection_lost(self, exc):
        global open_now
        open_now -= 1

    def data_received(self, data):
        self.buffer += data
        loop = asyncio.get_running_loop()
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            self.buffer = self.buffer[end + 4:]  # GET requests only: no body to skip
            loop.call_later(DELAY, self.answer)

    def answer(self):
        if not self.transport.is_closing():
            self.transport.write(ANSWER)


async def main(port, stats_file):
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stop.set_result, None)
    server = await loop.create_server(Upstream, "127.0.0.1", port, backlog=16384, reuse_address=True)
    async with server:
        await stop
    if stats_file:
        with open(stats_file, "w") as f:
            f.write("%d\n" % open_max)


if __name__ == "__main__":
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    DELAY = int(sys.argv[2]) / 1000.0
    asyncio.run(main(int(sys.argv[1]), sys.argv[3] if len(sys.argv) > 3 else None))
