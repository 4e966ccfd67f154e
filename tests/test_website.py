"""Build the website with -W, then open every page in headless Chromium.

Chromium is Debian's `chromium` package (.ci/run installs it). Where it is missing, the
browser checks are skipped with the reason, unless REQUIRE_BROWSER=1 (CI sets it).
"""

import http.server
import os
import pathlib
import shutil
import subprocess
import sys
import threading
import urllib.parse

import keras
import pytest

pytestmark = pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="the book runs on TensorFlow; checked once, in the TensorFlow run")

ROOT = pathlib.Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def toc_pages():
    """The book's pages, in reading order, as paths relative to the site root."""
    pages = []
    for line in (ROOT / "_toc.yml").read_text().splitlines():
        line = line.strip()
        for key in ("root:", "- file:"):
            if line.startswith(key):
                pages.append(line[len(key):].strip() + ".html")
    return pages


@pytest.fixture(scope="module")
def site():
    jupyter_book = pathlib.Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "-W", "-n", "--keep-going"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"jupyter-book build failed:\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}"
    return SITE


def test_every_page_in_the_toc_was_built(site):
    pages = toc_pages()
    assert len(pages) >= 2
    for page in pages:
        assert (site / page).is_file(), page


def test_no_page_references_a_third_party_script_or_style(site):
    for page in toc_pages():
        html = (site / page).read_text()
        for attribute in ('src="http', "src='http", 'rel="stylesheet" href="http'):
            assert attribute not in html, f"{page} loads a remote resource ({attribute}...)"


def test_no_log_noise_in_the_rendered_pages(site):
    noise = ("absl::InitializeLog", "oneDNN custom operations", "cuda_", "Unable to register", "WARNING:tensorflow")
    for page in toc_pages():
        html = (site / page).read_text()
        for line in noise:
            assert line not in html, f"{page} shows log noise: {line}"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def server(site):
    handler = lambda *args, **kwargs: QuietHandler(*args, directory=str(site), **kwargs)  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but no chromium executable is on PATH")
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium); the browser checks need it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.mark.parametrize("page", toc_pages())
def test_page_in_a_real_browser(server, browser, page):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    foreign = []

    def keep_local(route):
        host = urllib.parse.urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    tab.route("**/*", keep_local)
    tab.goto(server + page, wait_until="networkidle")

    has_math = tab.evaluate("document.querySelectorAll('.math, span.math, div.math').length") > 0
    if has_math:
        typeset = tab.evaluate(
            "() => window.MathJax.startup.promise.then(() => document.querySelectorAll('mjx-container').length)"
        )
        assert typeset > 0, f"{page}: MathJax typeset nothing"
        assert tab.evaluate("document.querySelectorAll('mjx-merror').length") == 0, f"{page}: MathJax reported a TeX error"
    broken = tab.evaluate(
        "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
    )
    assert broken == [], f"{page}: images that did not load: {broken}"
    assert foreign == [], f"{page}: requests left 127.0.0.1: {foreign}"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / (page.replace("/", "_").removesuffix(".html") + ".png")), full_page=False)
    context.close()


def test_the_chapters_contain_math_and_figures(server, browser):
    # Guards the test above against passing vacuously on pages with nothing to check.
    tab = browser.new_page()
    tab.goto(server + "book/confusion_matrix.html", wait_until="networkidle")
    assert tab.evaluate("() => window.MathJax.startup.promise.then(() => document.querySelectorAll('mjx-container').length)") > 0
    assert tab.evaluate("document.images.length") >= 2
    tab.close()
