#!/usr/bin/env python3
"""Open a backupsim report.html in headless Chromium and check what was rendered.

Talks to Chromium over the DevTools protocol (websocket-client) and fails when:
  - the page logs a console error, throws, or Chromium logs an error (Log domain);
  - the page requests anything but the report itself (it must be self-contained);
  - a chart in the charts folder is missing from the DOM, or its <svg> has no <path d="...">;
  - the summary box is missing.
Saves a full-page PNG screenshot when --screenshot is given.

--inject-console-error checks the checker: it loads a copy of the page with one console.error
added, and must then fail.

Exit status: 0 ok, 1 a check failed, 2 Chromium could not be driven.
"""

import argparse
import base64
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

try:
    import websocket  # websocket-client
except ImportError:  # pragma: no cover - the CI script installs it
    print("browser-check: python module websocket-client is missing (pip install websocket-client)", file=sys.stderr)
    sys.exit(2)


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class CDP:
    """A minimal DevTools protocol client: commands with ids, events collected as they come."""

    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, timeout=30):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params or {}}))
        deadline = time.time() + timeout
        while time.time() < deadline:
            self.ws.settimeout(max(0.1, deadline - time.time()))
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)
        raise TimeoutError(method)

    def wait_for(self, method, timeout=30):
        for e in self.events:
            if e["method"] == method:
                return e
        deadline = time.time() + timeout
        while time.time() < deadline:
            self.ws.settimeout(max(0.1, deadline - time.time()))
            msg = json.loads(self.ws.recv())
            if "method" in msg:
                self.events.append(msg)
                if msg["method"] == method:
                    return msg
        raise TimeoutError(method)

    def drain(self, seconds):
        """Collects events for a while (late console messages)."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            self.ws.settimeout(max(0.05, deadline - time.time()))
            try:
                msg = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                break
            if "method" in msg:
                self.events.append(msg)


DOM_PROBE = r"""
(() => {
  const figures = [...document.querySelectorAll('figure.chart')].map(f => {
    const svg = f.querySelector('svg');
    const drawn = (el, attr) => /[0-9]/.test(el.getAttribute(attr) || '');
    // Every <path d=...> (axes, grid, lines); gnuplot puts each plotted series in <g id="gnuplot_plot_N">,
    // lines as <path d>, bars and areas as <polygon points>.
    const paths = svg ? [...svg.querySelectorAll('path')].filter(p => drawn(p, 'd')).length : 0;
    const marks = svg ? [...svg.querySelectorAll('g[id*="gnuplot_plot_"] path')].filter(p => drawn(p, 'd')).length
      + [...svg.querySelectorAll('g[id*="gnuplot_plot_"] polygon')].filter(p => drawn(p, 'points')).length : 0;
    const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    return {id: f.id, hasSvg: !!svg, paths, marks, width: box.width, height: box.height};
  });
  return JSON.stringify({
    title: document.title,
    summary: !!document.querySelector('section.summary'),
    scripts: document.querySelectorAll('script').length,
    figures,
    height: document.documentElement.scrollHeight,
  });
})()
"""


def console_problems(events, page_url):
    problems = []
    for e in events:
        m, p = e["method"], e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
            problems.append(f"console.{p.get('type')}: {text}")
        elif m == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            problems.append(f"uncaught exception: {d.get('text', '')} {d.get('exception', {}).get('description', '')}".strip())
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            entry = p["entry"]
            problems.append(f"browser log error ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}".strip())
        elif m == "Network.requestWillBeSent":
            url = p.get("request", {}).get("url", "")
            if url != page_url and not url.startswith("data:"):
                problems.append(f"the page requested {url}: a report must be self-contained")
        elif m == "Network.loadingFailed":
            problems.append(f"a request failed: {p.get('errorText')}")
    return problems


def check(html, charts_dir, screenshot, width, inject, media="screen"):
    chromium = find_chromium()
    if not chromium:
        print("browser-check: chromium not found (apt-get install chromium)", file=sys.stderr)
        return 2
    work = tempfile.mkdtemp(prefix="browser-check-")
    page = os.path.abspath(html)
    if inject:
        with open(html, encoding="utf-8") as f:
            text = f.read()
        page = os.path.join(work, "injected.html")
        with open(page, "w", encoding="utf-8") as f:
            f.write(text.replace("</body>", '<script>console.error("injected by browser-check")</script>\n</body>', 1))
    page_url = "file://" + page
    profile = os.path.join(work, "profile")
    proc = subprocess.Popen(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", "--mute-audio", f"--user-data-dir={profile}", "--remote-debugging-port=0",
            "--remote-allow-origins=*", f"--window-size={width},900", "about:blank",
        ],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        deadline = time.time() + 30
        while not os.path.exists(port_file) or os.path.getsize(port_file) == 0:
            if proc.poll() is not None or time.time() > deadline:
                print("browser-check: chromium did not start its DevTools endpoint", file=sys.stderr)
                return 2
            time.sleep(0.1)
        with open(port_file) as f:
            port = int(f.readline().strip())
        targets = []
        while time.time() < deadline and not targets:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
                targets = [t for t in json.load(r) if t.get("type") == "page"]
            if not targets:
                time.sleep(0.1)
        if not targets:
            print("browser-check: no page target in chromium", file=sys.stderr)
            return 2
        cdp = CDP(targets[0]["webSocketDebuggerUrl"])
        for domain in ("Runtime", "Log", "Page", "Network"):
            cdp.send(f"{domain}.enable")
        cdp.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        cdp.send("Emulation.setEmulatedMedia", {"media": media})
        cdp.events.clear()
        cdp.send("Page.navigate", {"url": page_url})
        cdp.wait_for("Page.loadEventFired")
        cdp.drain(0.5)
        probe = json.loads(cdp.send("Runtime.evaluate", {"expression": DOM_PROBE, "returnByValue": True})["result"]["value"])

        failures = console_problems(cdp.events, page_url)
        if not probe["summary"]:
            failures.append("no summary box (section.summary) on the page")
        expected = sorted(os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(charts_dir, "*.svg"))) if charts_dir else []
        if charts_dir and not expected:
            failures.append(f"no charts in {charts_dir}: was gnuplot installed?")
        rendered = {f["id"]: f for f in probe["figures"]}
        for stem in expected:
            f = rendered.get(f"chart-{stem}")
            if f is None:
                failures.append(f"chart {stem}.svg is not in the page")
            elif not f["hasSvg"]:
                failures.append(f"chart {stem} has no <svg> element")
            elif f["paths"] == 0:
                failures.append(f"chart {stem} has no <path d=...> at all")
            elif f["marks"] == 0:
                failures.append(f"chart {stem} plots nothing (no path or polygon in its gnuplot_plot groups)")
            elif f["width"] < 200 or f["height"] < 100:
                failures.append(f"chart {stem} is drawn too small ({f['width']:.0f}x{f['height']:.0f})")
        if not inject and probe["scripts"]:
            failures.append(f"the page contains {probe['scripts']} <script> element(s)")

        if screenshot:
            height = min(max(900, int(probe["height"])), 16000)
            cdp.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
            shot = cdp.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, timeout=60)
            os.makedirs(os.path.dirname(os.path.abspath(screenshot)), exist_ok=True)
            with open(screenshot, "wb") as f:
                f.write(base64.b64decode(shot["data"]))

        charts = ", ".join(f"{f['id'][len('chart-'):]} ({f['paths']} paths, {f['marks']} plot marks)" for f in probe["figures"]) or "none"
        print(f"browser-check: {probe['title']!r}: charts rendered: {charts}")
        if failures:
            for line in failures:
                print(f"browser-check: FAIL: {line}")
            return 1
        print("browser-check: ok, no console errors" + (f"; screenshot {screenshot}" if screenshot else ""))
        return 0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("html", help="the report.html to check")
    ap.add_argument("--charts-dir", help="folder of the chart SVGs that must all appear in the page")
    ap.add_argument("--screenshot", help="write a full-page PNG here")
    ap.add_argument("--width", type=int, default=1280, help="viewport width in CSS pixels (a laptop: 1280)")
    ap.add_argument("--media", choices=["screen", "print"], default="screen", help="CSS media to render (print: the print stylesheet)")
    ap.add_argument("--inject-console-error", action="store_true", help="self-test: must fail on an injected console.error")
    a = ap.parse_args()
    try:
        return check(a.html, a.charts_dir, a.screenshot, a.width, a.inject_console_error, a.media)
    except (OSError, RuntimeError, TimeoutError, websocket.WebSocketException) as e:
        print(f"browser-check: cannot drive chromium: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
