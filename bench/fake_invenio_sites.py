#!/usr/bin/env python3
"""N fake Invenio sites on 127.0.0.1, one port (one host) each, answering after DELAY seconds
with the invenio source's fixtures: InvenioRDM, Invenio v3 and legacy sites in turn; the
first site never answers (a hung site). Writes the instance list (CSV) once every port
listens. asyncio, so waiting sites cost nothing.

    fake_invenio_sites.py N DELAY_SECONDS INSTANCES_CSV
"""
import asyncio
import os
import sys

TESTDATA = os.path.join(os.path.dirname(__file__), "..", "lib", "sources", "invenio", "testdata")


def fixture(name):
    with open(os.path.join(TESTDATA, name), "rb") as f:
        return f.read()


FLAVOURS = [
    {"/": (fixture("rdm_v13_front.html"), b"text/html"), "/api/records": (fixture("rdm_records.json"), b"application/json")},
    {"/": (fixture("v3_front.html"), b"text/html"), "/api/records/": (fixture("v3_records.json"), b"application/json")},
    {"/": (fixture("legacy_v1_front_es.html"), b"text/html"), "/search": (fixture("legacy_search_xm.xml"), b"text/xml")},
]


def handler(site, delay):
    async def handle(reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                if site is None:
                    await asyncio.sleep(3600)
                path = head.split(b" ", 2)[1].decode().split("?", 1)[0]
                await asyncio.sleep(delay)
                body, kind = site.get(path, (b"not found", b"text/plain"))
                status = b"200 OK" if path in site else b"404 Not Found"
                writer.write(b"HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s"
                             % (status, kind, len(body), body))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionResetError):
            pass
        finally:
            writer.close()
    return handle


async def main(n, delay, csv_path):
    servers, rows = [], ["name,url,country"]
    for i in range(n):
        site = None if i == 0 else FLAVOURS[i % len(FLAVOURS)]
        server = await asyncio.start_server(handler(site, delay), "127.0.0.1", 0, backlog=64)
        port = server.sockets[0].getsockname()[1]
        servers.append(server)
        rows.append(f"site {i},http://127.0.0.1:{port}/,XX")
    with open(csv_path + ".tmp", "w") as f:
        f.write("\r\n".join(rows) + "\r\n")
    os.rename(csv_path + ".tmp", csv_path)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]))
