"""The course site (``make book``): front page from README, static explorer, and every page in a real browser.

The site is built once per run into a temporary folder from the committed notebooks (nothing is
executed); the static explorer's pictures come from the cache in ``build/static-explorer`` that
``make book`` uses too (made on first use, kept until the helpers the explorer imports change).
"""

from __future__ import annotations

import functools
import html
import html.parser
import http.server
import json
import os
import re
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

import course_site  # noqa: E402
import front_matter  # noqa: E402
import make_book  # noqa: E402
import make_static_explorer  # noqa: E402
from explorer_lab import BROWSER_ARGS  # noqa: E402  (the same headless Chromium as the explorer's tests)

# Sphinx warns about its own future API changes inside the theme and MyST; they are not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
CHROMIUM = Path("/usr/bin/chromium")
HUB = "https://hub.example.org"
REPO = "https://github.com/spectrogram-lab/spectrogram-lab"
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
README = """# Course

What it is. Who it is for.

## Two commands

```bash
make lab
```

## Notebooks

| notebook | what |
|---|---|
| [00_setup](notebooks/00_setup.ipynb) | set-up, [teaching notes](TEACHING.md), [web](https://example.org/x) |

## Licences

MIT.
"""


# ---- the front page, from README ----------------------------------------------------------------
def test_front_matter_keeps_the_readers_sections_and_rewrites_links():
    text = front_matter.front_matter(
        README, ["00_setup"], repository=REPO, branch="main", binder_url="https://mybinder.org", hub_url=""
    )
    assert text.startswith("# Course\n\nWhat it is. Who it is for.")
    assert "## Two commands" in text and "## Notebooks" in text and "Licences" not in text
    assert "[00_setup](00_setup.ipynb)" in text  # the notebook's page
    assert f"[teaching notes]({REPO}/blob/main/TEACHING.md)" in text  # a file: the repository's view
    assert "[web](https://example.org/x)" in text
    assert ":hidden:" in text and "\n00_setup\n" in text  # the table of contents
    assert "JupyterHub" not in text  # no hub configured, no hub link
    clone = text.index(f"git clone {REPO}\ncd spectrogram-lab\nmake lab")  # how to get the code, then run it
    assert clone < text.index("## Two commands")
    assert "[05](05_stft_explorer.ipynb) work right here" in text  # the explorers work on the site


@pytest.mark.parametrize(
    "source, section, expect",
    [
        (
            'ax.set(xlabel="t", title="Windowing fades the edges")',
            "Step 2",
            "Figure in the section “Step 2”: Windowing fades the edges",
        ),
        ('fig.suptitle("A")\nax.set_title(\'B\')\nplot(title="A")', "", "Figure: A; B"),  # each title once
        (
            'plot(x, title=f"speech, frame_length {n} ({n / sr * 1000:.0f} ms)")',
            "S",
            "Figure in the section “S”: speech, frame_length … (… ms)",
        ),  # f-string fields: only in the picture
        ('plot(title=f"{path.name}\\nsaid {label}")', "S", "Figure in the section “S”: … said …"),
        ("plt.plot(y)\nplt.show()", "3. Mono", "Figure in the section “3. Mono”"),  # no title: the section
        ('plot(title=f"{name}")', "", "Figure"),  # nothing but a field: no title
    ],
)
def test_figure_alt_text_from_the_cells_titles_or_its_section(source, section, expect):
    assert course_site.figure_alt(source, section) == expect


@pytest.mark.parametrize(
    "readme, missing",
    [
        ("no title\n\n## Two commands\n\nx\n\n## Notebooks\n\ny\n", "# title"),
        ("# T\n\n## Notebooks\n\ny\n", "Two commands"),
        ("# T\n\n## Two commands\n\nx\n", "Notebooks"),
    ],
)
def test_front_matter_names_what_readme_lacks(readme, missing):
    with pytest.raises(ValueError, match=f"missing: .*{missing}"):
        front_matter.front_matter(readme, [], repository=REPO, branch="main")


@pytest.mark.parametrize(
    "repository, binder, hub, expect",
    [
        (
            REPO,
            "https://mybinder.org",
            "",
            [
                (
                    "Binder",
                    "https://mybinder.org/v2/gh/spectrogram-lab/spectrogram-lab/main"
                    "?urlpath=lab/tree/notebooks/00_setup.ipynb",
                )
            ],
        ),
        (
            REPO + ".git",
            "",
            HUB + "/",
            [
                (
                    "JupyterHub",
                    f"{HUB}/hub/user-redirect/git-pull?repo=https%3A//github.com/spectrogram-lab/"
                    "spectrogram-lab.git&urlpath=lab/tree/spectrogram-lab/notebooks/00_setup.ipynb&branch=main",
                )
            ],
        ),
        (
            "https://git.example.org/course/lab",
            "https://binder.example.org/",
            "",
            [
                (
                    "Binder",
                    "https://binder.example.org/v2/git/https%3A%2F%2Fgit.example.org%2Fcourse%2Flab/main"
                    "?urlpath=lab/tree/notebooks/00_setup.ipynb",
                )
            ],
        ),
    ],
)
def test_launch_links(repository, binder, hub, expect):
    assert front_matter.launch_links(repository, "main", binder, hub) == expect


# ---- the static explorer's grid -------------------------------------------------------------------
def test_grid_has_no_hop_longer_than_its_frame_and_covers_every_clip_and_scale():
    grid = make_static_explorer.grid()
    assert all(hop <= n for _, n, hop, _ in grid)
    assert {c for c, *_ in grid} == set(make_static_explorer.CLIPS)
    assert len({make_static_explorer.slug(c) for c in make_static_explorer.CLIPS}) == len(make_static_explorer.CLIPS)
    assert {s for *_, s in grid} == {"linear", "db", "mel"}
    assert len(grid) == len(set(grid))
    # 05's lesson (two tones 40 Hz apart part into two lines) needs 4096-sample frames; the others stop at 2048
    assert {c for c, n, *_ in grid if n == 4096} == {"tones + clicks"}
    assert make_static_explorer.clip_frame_lengths("tones + clicks") == [256, 512, 1024, 2048, 4096]


def test_explorer_digest_follows_the_helpers_it_imports():
    names = {p.name for p in make_static_explorer.helper_sources()}
    assert {"spectral.py", "audio.py", "__init__.py"} <= names
    assert "train.py" not in names  # a change there does not remake the pictures


@pytest.mark.slow
def test_static_explorer_is_deterministic_and_cached(tmp_path, monkeypatch):
    monkeypatch.setattr(make_static_explorer, "CLIPS", {"chirp": {"sample": "chirp"}})
    monkeypatch.setattr(make_static_explorer, "FRAME_LENGTHS", (256, 512))
    monkeypatch.setattr(make_static_explorer, "FRAME_STEPS", (128,))
    first = make_static_explorer.build(tmp_path / "a")
    make_static_explorer.build(tmp_path / "b")
    assert not first["cached"] and first["images"] == 6
    for path in sorted((tmp_path / "a").rglob("*")):
        if path.is_file():
            assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes(), path
    assert make_static_explorer.build(tmp_path / "a")["cached"]
    assert not list(tmp_path.glob(".*")), "a temporary folder was left behind"


# ---- the built site -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site, built with a JupyterHub configured (the one setting a teacher changes).

    ``SPECTROGRAM_LAB_SITE=build/html`` checks a site built already (with that hub setting) instead.
    """
    if os.environ.get("SPECTROGRAM_LAB_SITE"):
        return Path(os.environ["SPECTROGRAM_LAB_SITE"]).resolve()
    out = tmp_path_factory.mktemp("book")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPECTROGRAM_LAB_HUB_URL", HUB)
        patch.setenv("SPECTROGRAM_LAB_REPOSITORY", REPO)
        status = make_book.main(["--out", str(out / "html"), "--work", str(out / "src")])
    assert status == 0, "make_book.py failed; see its messages above"
    return out / "html"


class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(v for k, v in attrs if k in ("id", "name") and v)


@functools.cache
def _ids(path: Path) -> frozenset:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


@pytest.mark.slow
def test_site_has_every_notebook_with_its_download_and_launch_links(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", index)
    assert "make lab" in text and "make test" in text and "self-learners" in text  # from README
    assert "/v2/gh/spectrogram-lab/spectrogram-lab/main?urlpath=lab/tree/notebooks/00_setup.ipynb" in index
    assert f"{HUB}/hub/user-redirect/git-pull?" in index  # the front page's own launch links
    for name in NOTEBOOKS:
        page = html.unescape((site / f"{name}.html").read_text(encoding="utf-8"))
        assert f'href="{name}.html"' in index, f"the front page does not link {name}"
        assert (site / "_sources" / f"{name}.ipynb").read_bytes() == (ROOT / "notebooks" / f"{name}.ipynb").read_bytes()
        assert f'href="_sources/{name}.ipynb"' in page, f"{name}: no download link for the notebook"
        assert f"/v2/gh/spectrogram-lab/spectrogram-lab/main?urlpath=lab/tree/notebooks/{name}.ipynb" in page
        hub = (
            f"{HUB}/hub/user-redirect/git-pull?repo={REPO.replace(':', '%3A')}"
            f"&urlpath=lab/tree/spectrogram-lab/notebooks/{name}.ipynb&branch=main"
        )
        assert hub in page, f"{name}: no JupyterHub (nbgitpuller) link"
        if name in ("02_stft", "04_visualization", "05_stft_explorer"):
            assert page.count('<div class="static-explorer"') == 1, f"{name}: no static explorer"
            assert "On this site: a precomputed explorer" in page and "frame lengths 256, 512, 1024, 2048" in page
            assert "make lab" in page and "Binder, Colab" in page, f"{name}: the caption does not say where to run it"
        assert "widget-state+json" not in page, f"{name}: unused ipywidgets state on the page"
        assert not re.search(r'alt="[^"]*_images/', page), f"{name}: a file name as alt text"
        for link, src in re.findall(
            r'<a class="figure-full-size[^"]*" href="([^"]+)"[^>]*>\s*<img [^>]*src="([^"]+)"', page
        ):
            assert link == src, f"{name}: a figure links {link}, not its own file {src}"
        figures = page.count('src="_images/')  # only notebook output images live there
        assert page.count('class="figure-full-size') == figures, f"{name}: a figure is not a link to its full size"
    assert "git clone " in text and "work right here" in text


@pytest.mark.slow
def test_site_loads_nothing_from_elsewhere(site):
    bad = []
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for attr in ("src", "href"):
            for tag in ("script", "link", "img", "source", "iframe"):
                bad += [f"{path.name}: {tag} {m}" for m in _attrs(text, tag, attr) if urlsplit(m).netloc]
    for path in site.rglob("*.css"):
        bad += [f"{path.name}: url({m})" for m in _css_urls(path.read_text(encoding="utf-8")) if urlsplit(m).netloc]
    assert not bad, "remote assets:\n" + "\n".join(bad[:20])


def _attrs(text: str, tag: str, attr: str) -> list[str]:
    return re.findall(rf"<{tag}\b[^>]*\b{attr}=\"([^\"]+)\"", text)


def _css_urls(text: str) -> list[str]:
    return [u.strip("'\"") for u in re.findall(r"url\(([^)]+)\)", text)]


@pytest.mark.slow
def test_static_explorer_readouts_match_the_live_explorer(site):
    import helpers.widgets

    manifest = json.loads((site / "_static" / "explorer" / "manifest.json").read_text())
    live = helpers.widgets.stft_explorer(frame_length=1024, frame_step=256)
    for clip, n, hop, scale in [("speech", 512, 128, "db"), ("drums", 2048, 512, "mel"), ("birds", 256, 64, "linear")]:
        key = make_static_explorer.image_key(clip, n, hop, scale)
        live.set(clip=clip, frame_length=n, frame_step=hop, fft_length=n, scale=scale)
        shown = manifest["images"][key]["readouts"]
        assert shown == {k: v for k, v in live.readouts.items() if k in shown}, key
        assert (site / "_static" / "explorer" / manifest["images"][key]["src"]).stat().st_size > 5000


# ---- in a real browser ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server(site):
    """build/html served on a free loopback port; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found (Debian: apt-get install chromium)")
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright missing (make test installs it)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class _Watch:
    """Console errors, page errors and requests to anywhere but the local server, for one page."""

    def __init__(self, page, base: str):
        self.errors, self.remote = [], []
        host = urlsplit(base).netloc
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on(
            "requestfailed",
            lambda r: (
                None
                if "ERR_ABORTED" in (r.failure or "")  # left by a navigation
                else self.errors.append(f"failed: {r.url[:100]} ({r.failure})")
            ),
        )
        page.on(
            "request",
            lambda r: (
                self.remote.append(r.url)
                if urlsplit(r.url).scheme in ("http", "https") and urlsplit(r.url).netloc != host
                else None
            ),
        )
        page.route(
            lambda url: urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != host,
            lambda route: route.abort(),
        )


CHECK_MEDIA = """async () => {
  const images = await Promise.all(Array.from(document.images, async (img) => {
    img.loading = "eager";
    try { await img.decode(); } catch (e) {}
    return [img.currentSrc.slice(0, 120), img.naturalWidth];
  }));
  const audios = await Promise.all(Array.from(document.querySelectorAll("audio"), (a) => new Promise((ok) => {
    const done = () => ok([a.currentSrc.slice(0, 40), a.duration, a.error && a.error.message]);
    if (a.readyState >= 1) return done();
    a.addEventListener("loadedmetadata", done, {once: true});
    a.addEventListener("error", done, {once: true});
    a.preload = "metadata"; a.load();
    setTimeout(done, 10000);
  })));
  const links = Array.from(document.querySelectorAll("a[href]"), (a) => a.href);
  return {images, audios, links};
}"""


def _resolve(url: str, base: str, site: Path) -> str | None:
    """None when an internal link's file and anchor exist, else what is wrong."""
    parts = urlsplit(url)
    path = site / unquote(parts.path.removeprefix(urlsplit(base).path))
    if path.is_dir():
        path = path / "index.html"
    if not path.is_file():
        return f"{url}: no such file"
    if parts.fragment and path.suffix == ".html" and unquote(parts.fragment) not in _ids(path):
        return f"{url}: no anchor #{parts.fragment}"
    return None


@pytest.mark.slow
@pytest.mark.browser
def test_every_page_works_offline_in_a_browser(site, server, chromium):
    report = {}
    for name in ["index", *NOTEBOOKS, "search"]:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        watch = _Watch(page, server)
        page.goto(f"{server}{name}.html", wait_until="load")
        found = page.evaluate(CHECK_MEDIA)
        page.close()
        broken = [_resolve(u, server, site) for u in found["links"] if u.startswith(server)]
        problems = (
            [f"console: {e}" for e in watch.errors]
            + [f"remote request: {u}" for u in watch.remote]
            + [f"image not decoded: {src}" for src, width in found["images"] if not width > 0]
            + [
                f"audio without a duration: {a}"
                for a in found["audios"]
                if not (isinstance(a[1], (int, float)) and 0 < a[1] < float("inf"))
            ]
            + [b for b in broken if b]
        )
        report[name] = (len(found["images"]), len(found["audios"]), problems)
    failures = {name: problems for name, (_, _, problems) in report.items() if problems}
    assert not failures, json.dumps(failures, indent=1)[:4000]
    assert sum(audios for _, audios, _ in report.values()) >= 10  # the notebooks' players were found
    assert report["05_stft_explorer"][0] >= 3


@pytest.mark.slow
@pytest.mark.browser
def test_navigation_search_and_maths(server, chromium):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    watch = _Watch(page, server)
    for i, name in enumerate(NOTEBOOKS):  # previous / next in course order
        page.goto(f"{server}{name}.html")
        prev_next = page.locator(".prev-next-area a")
        targets = [prev_next.nth(k).get_attribute("href") for k in range(prev_next.count())]
        expected = ["index.html" if i == 0 else f"{NOTEBOOKS[i - 1]}.html"]
        expected += [f"{NOTEBOOKS[i + 1]}.html"] if i + 1 < len(NOTEBOOKS) else []
        assert targets == expected, name
        sidebar = page.locator(".bd-sidebar-primary a.reference.internal")
        assert sidebar.count() >= len(NOTEBOOKS), f"{name}: the table of contents is missing"
    page.goto(f"{server}search.html?q=spectrogram")
    # Sphinx adds the results one by one: wait for five, not for the first (under load the count lags)
    page.wait_for_function("document.querySelectorAll('#search-results ul.search li a').length >= 5", timeout=20_000)
    page.goto(f"{server}03_normalization.html")
    maths = page.locator("math")
    assert maths.count() >= 3 and maths.first.bounding_box()["height"] > 5  # MathML, laid out by the browser
    assert not watch.errors and not watch.remote, (watch.errors, watch.remote)
    page.close()


@pytest.mark.slow
@pytest.mark.browser
def test_static_explorer_follows_its_controls(server, chromium):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    watch = _Watch(page, server)
    page.goto(f"{server}05_stft_explorer.html")
    explorer = page.locator(".static-explorer")
    image = explorer.locator("img")

    def state():
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        cells = explorer.locator("[data-readout]")
        return image.get_attribute("src"), {
            cells.nth(i).get_attribute("data-readout"): cells.nth(i).inner_text() for i in range(cells.count())
        }

    src, readouts = state()
    clip = explorer.get_attribute("data-key").split("/")[0]  # the clip the notebook's explorer opens on
    assert src.endswith(f"{clip}/1024-256-db.jpg") and clip != "drums"
    assert readouts["time step"] == "11.6 ms" and readouts["bin spacing"] == "21.5 Hz"  # 22050 Hz clips
    assert readouts["overlap"] == "75.0 %" and readouts["bins"] == "513"
    explorer.locator("[name=frame_length]").press("ArrowRight")  # 1024 -> 2048 samples
    src2, readouts2 = state()
    assert src2.endswith(f"{clip}/2048-256-db.jpg") and src2 != src
    assert readouts2["bin spacing"] == "10.8 Hz" and readouts2["bins"] == "1025" and readouts2["overlap"] == "87.5 %"
    explorer.locator("[name=scale]").select_option("mel")
    assert state()[0].endswith(f"{clip}/2048-256-mel.jpg")
    explorer.locator("[name=clip]").select_option("drums")
    src4, readouts4 = state()
    assert src4.endswith("drums/2048-256-mel.jpg") and readouts4["frames"] != readouts2["frames"]
    for _ in range(3):
        explorer.locator("[name=frame_length]").press("ArrowLeft")  # 2048 -> 256 samples
    src5, readouts5 = state()
    assert src5.endswith("drums/256-256-mel.jpg") and readouts5["overlap"] == "0.0 %"
    assert explorer.locator(".static-explorer-status").inner_text() == ""
    explorer.locator("[name=frame_step]").press("ArrowRight")  # hop 512 > frame 256: the frame follows up
    assert state()[0].endswith("drums/512-512-mel.jpg")
    assert "frame length was set to 512" in explorer.locator(".static-explorer-status").inner_text()
    assert not watch.errors and not watch.remote
    page.close()


@pytest.mark.slow
@pytest.mark.browser
def test_phone_width_and_dark_theme(server, chromium):
    page = chromium.new_page(viewport={"width": 390, "height": 844}, color_scheme="dark", device_scale_factor=1)
    watch = _Watch(page, server)
    for name in ("index", *NOTEBOOKS):
        page.goto(f"{server}{name}.html")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} is {overflow} px wider than a 390 px phone screen"
        if name == "index":  # every column of the notebook table is on screen, not only the file names
            right = page.evaluate(
                "Math.max(...Array.from(document.querySelectorAll('#notebooks td'),"
                " (td) => td.getBoundingClientRect().right))"
            )
            assert right <= 390, f"the notebook table reaches {right} px on a 390 px screen"
        looks = page.evaluate(
            "Array.from(document.querySelectorAll('.cell_output img, .static-explorer img'),"
            " (i) => [getComputedStyle(i).backgroundColor, getComputedStyle(i).filter])"
        )
        assert {tuple(look) for look in looks} <= {("rgb(255, 255, 255)", "none")}, f"{name}: figures are dimmed"
        shots = os.environ.get("SPECTROGRAM_LAB_SCREENSHOTS")
        if shots:
            page.screenshot(path=str(Path(shots) / f"phone-dark-{name}.png"))
    assert not watch.errors and not watch.remote
    page.close()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize(
    "toggle, dialog, expect",
    [
        (".primary-toggle", "#pst-primary-sidebar-modal", "a.reference.internal[href='05_stft_explorer.html']"),
        (".secondary-toggle", "#pst-secondary-sidebar-modal", "a.reference.internal[href^='#']"),
    ],
)
def test_phone_sidebar_buttons_open_the_navigation(server, chromium, toggle, dialog, expect):
    """At 390 px a tap on ☰ opens the site navigation (and the right one "On this page"), on every theme copy."""
    page = chromium.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
    watch = _Watch(page, server)
    page.goto(f"{server}02_stft.html")
    visible = page.locator(f"{toggle}:visible")
    assert visible.count() == 1, f"{toggle}: {visible.count()} visible buttons"
    visible.tap()
    page.wait_for_function(f"document.querySelector('{dialog}').open", timeout=5000)
    link = page.locator(f"{dialog} {expect}").first
    box = link.bounding_box()
    assert box and 0 <= box["x"] < 390 and box["width"] > 0, f"{dialog}: its links are off-screen ({box})"
    page.keyboard.press("Escape")
    page.wait_for_function(f"!document.querySelector('{dialog}').open", timeout=5000)
    visible.tap()  # opens again after closing
    page.wait_for_function(f"document.querySelector('{dialog}').open", timeout=5000)
    if toggle == ".primary-toggle":
        shots = os.environ.get("SPECTROGRAM_LAB_SCREENSHOTS")
        if shots:
            page.screenshot(path=str(Path(shots) / "phone-navigation-open.png"))
        page.locator(f"{dialog} {expect}").first.click()
        page.wait_for_url("**/05_stft_explorer.html")
    assert not watch.errors and not watch.remote, (watch.errors, watch.remote)
    page.close()


@pytest.mark.slow
@pytest.mark.browser
def test_wide_screen_sidebar_button_hides_the_sidebar(server, chromium):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}02_stft.html")
    sidebar = page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    page.locator(".primary-toggle:visible").click()
    page.wait_for_function("document.querySelector('#pst-primary-sidebar').classList.contains('pst-sidebar-hidden')")
    page.close()


@pytest.mark.slow
@pytest.mark.browser
def test_static_explorer_parts_the_tones_at_4096_and_shows_mel_bands(server, chromium):
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    watch = _Watch(page, server)
    page.goto(f"{server}05_stft_explorer.html")
    explorer = page.locator(".static-explorer")
    slider = explorer.locator("[name=frame_length]")
    assert slider.get_attribute("max") == "4"  # 256 ... 4096 for the tones
    slider.press("End")
    page.wait_for_function("e => e.dataset.key === 'tones-clicks/4096-256-db'", arg=explorer.element_handle())
    assert explorer.locator("[name=frame_length_value]").inner_text() == "4096 (185.8 ms)"
    assert explorer.locator("[data-readout='frame duration']").inner_text() == "185.8 ms"  # label and read-out agree
    assert explorer.locator("a.static-explorer-full").get_attribute("href").endswith("tones-clicks/4096-256-db.jpg")
    mel_row = explorer.locator("tr", has=page.locator("[data-readout='mel bands']"))
    assert not mel_row.is_visible()  # a dB view has no mel bands
    explorer.locator("[name=scale]").select_option("mel")
    assert mel_row.is_visible() and mel_row.locator("td").inner_text() == "128"
    explorer.locator("[name=scale]").select_option("db")
    shots = os.environ.get("SPECTROGRAM_LAB_SCREENSHOTS")
    if shots:
        explorer.screenshot(path=str(Path(shots) / "phone-05-explorer-4096.png"))
    explorer.locator("[name=clip]").select_option("drums")  # drums stop at 2048: the slider follows
    page.wait_for_function("e => e.dataset.key === 'drums/2048-256-db'", arg=explorer.element_handle())
    assert slider.get_attribute("max") == "3"
    wrap = page.evaluate(
        "Array.from(document.querySelectorAll('.cell_output .output.stream pre'),"
        " (p) => getComputedStyle(p).whiteSpace)"
    )
    assert wrap and set(wrap) == {"pre-wrap"}, "printed lines do not wrap on a phone"
    assert not watch.errors and not watch.remote
    page.close()
