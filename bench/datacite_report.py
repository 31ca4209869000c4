#!/usr/bin/env python3
"""End to end: `kpi collect datacite` reading a monthly report from a server on 127.0.0.1,
against `curl` fetching the same page (curl) and the index and the page, as kpi does (curl2),
runs interleaved.

Pages: the July 2018 fixture (8 KB: kpi's floor, start-up and two requests), the real June
2018 report (lib/sources/datacite/testdata/report_2018-06.html, 2.85 MB) and a 32.7 MB page made
of its rows. Prints the median wall time of each, kpi's median peak RSS, and the ratios
(kpi / curl; RSS / page; RSS above the small page's, over the page).

    bench/datacite_report.py [--runs 9] [--kpi build/kpi]
"""
import argparse
import http.server
import os
import statistics
import subprocess
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REAL = os.path.join(ROOT, "lib/sources/datacite/testdata/report_2018-06.html")


def large_page(real: bytes, size: int) -> bytes:
    """The real page's <tbody> rows repeated until the page is `size` bytes."""
    body = real.index(b"<tbody>") + 7
    end = real.index(b"</tbody>")
    rows = real[body:end]
    parts = [real[:body]]
    total = body + (len(real) - end)
    while total + len(rows) <= size:
        parts.append(rows)
        total += len(rows)
    parts.append(rows[: size - total])  # cut in a row: the page ends as a truncated one would
    parts.append(real[end:])
    return b"".join(parts)


def serve(pages: dict) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def timed(argv):
    """Wall seconds and peak RSS (bytes) of one run; its exit status must be 0. GNU time
    measures the RSS: a child of this script would start with the script's peak (Linux
    carries the high-water mark across exec)."""
    with tempfile.NamedTemporaryFile("r") as rss, open(os.devnull, "wb") as null:
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *argv], stdout=null, stderr=null)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed with {done.returncode}")
        return wall, int(rss.read().split()[-1]) * 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--kpi", default=os.path.join(ROOT, "build/kpi"))
    args = parser.parse_args()

    real = open(REAL, "rb").read()
    # "small" (the July 2018 fixture, 8 KB) is kpi's floor: start-up and two requests.
    small = open(os.path.join(ROOT, "lib/sources/datacite/testdata/report_2018-07.html"), "rb").read()
    cases = {"small": small, "real": real, "large": large_page(real, 32_700_000)}
    pages = {}
    for name, page in cases.items():
        pages[f"/{name}/index.html"] = f"<a href='report_06_2018.html'>June 2018</a>".encode()
        pages[f"/{name}/report_06_2018.html"] = page
    server = serve(pages)
    base = f"http://127.0.0.1:{server.server_address[1]}"

    print(f"{'page':>6} {'MB':>6} {'curl s':>8} {'curl2 s':>8} {'kpi s':>8} {'kpi/curl':>8} {'kpi/curl2':>9}"
          f" {'kpi RSS MB':>10} {'RSS/page':>8} {'(RSS-floor)/page':>16}")
    floor = None
    for name, page in cases.items():
        curl_times, curl2_times, kpi_times, rss = [], [], [], []
        for _ in range(args.runs):  # interleaved, so that both see the same machine
            curl_times.append(timed(["curl", "-sf", "-o", "/dev/null", f"{base}/{name}/report_06_2018.html"])[0])
            # The same two requests kpi makes: the index, then the report it links to.
            curl2_times.append(timed(["curl", "-sf", "-o", "/dev/null", "-o", "/dev/null", f"{base}/{name}/index.html",
                                      f"{base}/{name}/report_06_2018.html"])[0])
            wall, peak = timed([args.kpi, "collect", "datacite", "--url", f"{base}/{name}/index.html",
                                "--prefix", "10.5281"])
            kpi_times.append(wall)
            rss.append(peak)
        c, k, r = statistics.median(curl_times), statistics.median(kpi_times), statistics.median(rss)
        c2 = statistics.median(curl2_times)
        floor = r if floor is None else floor
        print(f"{name:>6} {len(page) / 1e6:6.2f} {c:8.3f} {c2:8.3f} {k:8.3f} {k / c:8.2f} {k / c2:9.2f}"
              f" {r / 1e6:10.1f} {r / len(page):8.2f} {(r - floor) / len(page):16.2f}")
    server.shutdown()


if __name__ == "__main__":
    main()
