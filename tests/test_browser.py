#!/usr/bin/env python3
"""test_browser: each HTML report, as a reader sees it in Chromium.

Usage: tests/test_browser.py DIR [KIND=CHARTS ...]
       tests/test_browser.py --self-test

Renders every DIR/*.html in headless Chromium (Debian's chromium; tools/
deps.sh installs it with poppler-utils for `make check`) twice, and fails
when a reader would see something broken:

- on a 420 px screen (a phone): tests/browser/check.js runs in the report
  inside a 420 px frame and lists table cells whose content is wider than
  the cell, anything past the page's right edge (a wide table may scroll
  sideways in its own box), and charts missing, empty or without size;
- printed on A4 (Chromium's print to PDF, pdftotext's word boxes): any
  word past the paper's edge, and any two words printed over each other
  (text running from one column into the next, labels on labels).

KIND=CHARTS (e.g. annual=3) says how many charts a file whose name starts
with KIND must have: a chart left out altogether is then caught too.
Each problem is printed with the file, the check and the text involved;
exit 1 when there is any, 0 when every report is sound.

--self-test renders tests/browser/broken/, a page made to fail each check
once, and fails unless every check finds its fault: a check that cannot
fail is no check.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

HERE = os.path.dirname(os.path.abspath(__file__))
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
            "--no-first-run", "--disable-extensions", "--mute-audio"]
TIMEOUT_S = 120


def chromium(args):
    """Runs Chromium; its own chatter (dbus, gpu) goes nowhere."""
    done = subprocess.run(CHROMIUM + args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          timeout=TIMEOUT_S, check=False)
    return done.stdout.decode("utf-8", "replace")


def screen_problems(report, work, width):
    """The problems check.js finds with report in a frame width px wide,
    and how many charts it saw."""
    with open(report, encoding="utf-8") as source:
        html = source.read()
    with open(os.path.join(HERE, "browser", "check.js"), encoding="utf-8") as source:
        script = source.read()
    if "</body>" not in html:
        return ["no </body>: the report is cut short"], 0
    framed = os.path.join(work, "report.html")
    with open(framed, "w", encoding="utf-8") as out:
        out.write(html.replace("</body>", "<script>\n" + script + "</script>\n</body>", 1))
    frame = os.path.join(work, "frame.html")
    with open(frame, "w", encoding="utf-8") as out:
        out.write('<!DOCTYPE html><html><body style="margin:0">'
                  '<pre id="result">no answer from the report</pre>'
                  '<iframe src="report.html" style="border:0;width:%dpx;height:900px"></iframe>'
                  '<script>addEventListener("message", function (m) {'
                  ' document.getElementById("result").textContent = m.data; });</script>'
                  '</body></html>' % width)
    dom = chromium(["--virtual-time-budget=10000", "--dump-dom", "file://" + frame])
    match = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    text = match.group(1) if match else "no page"
    text = text.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">") \
               .replace("&amp;", "&")
    try:
        result = json.loads(text)
    except ValueError:
        return ["the check did not run: " + text[:200]], 0
    return result["problems"], result["charts"]


def words_of(pdf, work):
    """Pages of the pdf as (width, height, [(xmin, ymin, xmax, ymax, word)])."""
    boxes = os.path.join(work, "boxes.html")
    subprocess.run(["pdftotext", "-bbox", pdf, boxes], check=True, timeout=TIMEOUT_S)
    with open(boxes, encoding="utf-8") as source:
        text = source.read()
    #  pdftotext writes XHTML; its namespace is dropped for simple paths
    text = re.sub(r'\sxmlns="[^"]*"', "", text, count=1)
    text = re.sub(r"<!DOCTYPE[^>]*>", "", text)
    pages = []
    for page in ElementTree.fromstring(text).iter("page"):
        words = [(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")),
                  float(w.get("yMax")), w.text or "") for w in page.iter("word")]
        pages.append((float(page.get("width")), float(page.get("height")), words))
    return pages


def print_problems(report, work):
    """Words past A4 paper's edge or printed over one another."""
    pdf = os.path.join(work, "report.pdf")
    chromium(["--no-pdf-header-footer", "--print-to-pdf=" + pdf, "file://" + report])
    if not os.path.exists(pdf):
        return ["Chromium printed no PDF"]
    problems = []
    for number, (width, height, words) in enumerate(words_of(pdf, work), 1):
        if abs(width - 595) > 2 or abs(height - 842) > 2:
            problems.append("page %d is %.0fx%.0f pt, not A4" % (number, width, height))
        for x0, y0, x1, y1, word in words:
            if x0 < -0.5 or x1 > width + 0.5 or y1 > height + 0.5:
                problems.append("page %d: %r printed past the paper's edge" % (number, word))
        #  Overprinting: two words whose boxes share more than a sliver
        words.sort(key=lambda w: w[0])
        for index, (x0, y0, x1, y1, word) in enumerate(words):
            for other in words[index + 1:]:
                if other[0] >= x1 - 0.5:
                    break
                overlap_x = min(x1, other[2]) - max(x0, other[0])
                overlap_y = min(y1, other[3]) - max(y0, other[1])
                if overlap_x > 1.0 and overlap_y > 0.4 * min(y1 - y0, other[3] - other[1]):
                    problems.append("page %d: %r and %r printed over each other"
                                    % (number, word, other[4]))
    return problems


def report_problems(report):
    """Every problem found in one report, and how many charts it drew."""
    with tempfile.TemporaryDirectory() as work:
        problems, charts = screen_problems(report, work, 420)
        problems = ["at 420 px: " + problem for problem in problems]
        problems += ["on A4: " + problem for problem in print_problems(report, work)]
    return problems, charts


def self_test():
    broken = os.path.join(HERE, "browser", "broken", "broken.html")
    problems, _ = report_problems(broken)
    expected = ["at 420 px: cell content", "at 420 px: past the page edge",
                "at 420 px: chart missing", "on A4: "]
    failed = 0
    for start in expected:
        found = [problem for problem in problems if problem.startswith(start)]
        print("%s the check finds %r%s" % ("ok  " if found else "FAIL", start,
                                           ": " + found[0] if found else ""))
        failed += 0 if found else 1
    if not any("printed over each other" in problem for problem in problems):
        print("FAIL the A4 check finds no words printed over each other")
        failed += 1
    return 1 if failed else 0


def main(argv):
    if len(argv) == 2 and argv[1] == "--self-test":
        return self_test()
    if len(argv) < 2:
        print(__doc__)
        return 2
    for tool in ("chromium", "pdftotext"):
        if not shutil.which(tool):
            print("FAIL %s is not installed (tools/deps.sh installs it for make check)" % tool)
            return 1
    folder = argv[1]
    expected = dict(arg.split("=", 1) for arg in argv[2:])
    reports = sorted(name for name in os.listdir(folder) if name.endswith(".html"))
    failed = 0
    if not reports:
        print("FAIL no HTML report in %s" % folder)
        return 1
    for kind in expected:
        if not any(name.startswith(kind) for name in reports):
            print("FAIL no %s report in %s" % (kind, folder))
            failed += 1
    for name in reports:
        problems, charts = report_problems(os.path.abspath(os.path.join(folder, name)))
        for kind, count in expected.items():
            if name.startswith(kind) and charts != int(count):
                problems.append("%d charts drawn, %s expected" % (charts, count))
        for problem in problems[:25]:
            print("FAIL %s: %s" % (name, problem))
        if len(problems) > 25:
            print("FAIL %s: and %d more" % (name, len(problems) - 25))
        if not problems:
            print("ok   %s: sound at 420 px and on A4, %d charts" % (name, charts))
        failed += 1 if problems else 0
    print("%d passed, %d failed" % (len(reports) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
