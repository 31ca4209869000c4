#!/usr/bin/env python3
"""A minimal HTTP/1.1 server on 127.0.0.1 that answers every request after a fixed delay
with an Invenio-shaped search answer. asyncio, so a thousand waiting requests cost nothing.

    fake_slow_upstream.py PORT DELAY_SECONDS
"""
import asyncio
import sys

BODY = b'{"hits":{"hits":[],"total":42}}'


async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            if not head:
                break
            await asyncio.sleep(DELAY)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                         % (len(BODY), BODY))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionResetError):
        pass
    finally:
        writer.close()


async def main(port):
    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=4096)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    DELAY = float(sys.argv[2])
    asyncio.run(main(int(sys.argv[1])))
