"""Sphinx extension for the course site: offline maths, static explorers, collapsed solutions.

- ``mathml``: an HTML maths renderer that turns LaTeX into MathML at build time (latex2mathml), so
  pages need no MathJax download; browsers render MathML natively.
- Static explorer: in each notebook named in the ``static_explorers`` setting, the output of the
  cell that creates the STFT explorer (a widget, which needs a kernel) is replaced by a block that
  ``_static/static-explorer.js`` drives over the pictures ``scripts/make_static_explorer.py`` made.
- Cells tagged ``solution`` are shown collapsed behind "Show solution", as a student would want.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from docutils import nodes
from front_matter import front_matter
from latex2mathml.converter import convert
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

LOGGER = logging.getLogger(__name__)
EXPLORER_DIR = "_static/explorer"
CELL_NAME = re.compile(r"stft_explorer\([^)]*\bname=[\"']([^\"']+)[\"']")


# ---- maths -------------------------------------------------------------------------------------
def _mathml(latex: str, display: str) -> str:
    try:
        return convert(latex, display=display)
    except Exception as err:  # latex2mathml raises its own types; show the source rather than fail
        LOGGER.warning(f"maths not converted ({err}): {latex}")
        return f"<code>{html.escape(latex)}</code>"


def visit_math(self, node) -> None:
    self.body.append(f'<span class="math">{_mathml(node.astext(), "inline")}</span>')
    raise nodes.SkipNode


def visit_displaymath(self, node) -> None:
    latex = node.astext() if node["nowrap"] else node.astext().strip()
    self.body.append(f'<div class="math">{_mathml(latex, "block")}</div>')
    raise nodes.SkipNode


# ---- solutions ---------------------------------------------------------------------------------
class CollapseSolutions(SphinxPostTransform):
    """Mark ``solution``-tagged code cells so MyST-NB's own hide step folds them."""

    default_priority = 150  # before MyST-NB's HideInputCells (199)
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for node in self.document.findall(nodes.container):
            tags = (node.get("cell_metadata") or {}).get("tags", [])
            if node.get("nb_element") == "cell_code" and "solution" in tags and not node.get("hide_mode"):
                node["hide_mode"] = "all"
                node["prompt_show"] = "Show solution"
                node["prompt_hide"] = "Hide solution"


# ---- front page -------------------------------------------------------------------------------
def write_front_page(app: Sphinx, docname: str, source: list[str]) -> None:
    """The ``index`` page's text, made from README.md now (source-read), whatever index.md holds."""
    if docname != app.config.root_doc:
        return
    readme = Path(app.config.course_readme)
    if not readme.is_file():
        raise FileNotFoundError(f"course_readme={str(readme)!r} is not a file; make_book.py passes README.md")
    app.env.note_dependency(str(readme))
    notebooks = sorted(p.stem for p in Path(app.srcdir).glob("[0-9][0-9]_*.ipynb"))
    c = app.config
    source[0] = front_matter(
        readme.read_text(encoding="utf-8"),
        notebooks,
        repository=c.course_repository,
        branch=c.course_branch,
        binder_url=c.course_binder_url,
        hub_url=c.course_hub_url,
    )


# ---- static explorer ---------------------------------------------------------------------------
def _manifest(app: Sphinx) -> dict:
    path = Path(app.srcdir) / EXPLORER_DIR / "manifest.json"
    if not path.is_file():
        LOGGER.warning(f"no static explorer pictures at {path}; run scripts/make_static_explorer.py")
        return {}
    return json.loads(path.read_text())


READOUTS = ("time step", "frame duration", "bin spacing", "frames", "bins", "mel bands", "overlap")
LIVE_ONLY = (
    "playing the sound and its reconstruction, other windows and FFT lengths, colour maps, the dynamic "
    "range, zooming in time or frequency, and your own recording"
)


def _ranges(clips: list[str], lengths: dict[str, list[int]], steps: list[int], scales: dict[str, str]) -> str:
    """What the precomputed grid offers, in words: clips, frame lengths (and a clip's extra ones), hops, scales."""
    common = sorted(set.intersection(*(set(lengths[c]) for c in clips)))
    extra = {c: sorted(set(lengths[c]) - set(common)) for c in clips}
    extra_text = "".join(f" ({', '.join(map(str, v))} too for {c})" for c, v in extra.items() if v)
    return (
        f"{' and '.join(clips)}; frame lengths {', '.join(map(str, common))} samples{extra_text}; "
        f"hops {', '.join(map(str, steps))}; {', '.join(scales.values())} scales"
    )


def explorer_html(manifest: dict, spec: dict, base: str, ident: str) -> str:
    """The static explorer's HTML: a caption, controls, picture, read-outs, and the page's part of the manifest."""
    clips = [c for c in spec["clips"] if c in manifest["clips"]]
    slugs = {c: manifest["clips"][c] for c in clips}
    lengths = manifest.get("clip_frame_lengths") or {c: manifest["frame_lengths"] for c in clips}
    lengths = {c: lengths[c] for c in clips}
    data = {
        "base": base,
        "clip": spec["clip"],
        "frame_length": spec["frame_length"],
        "frame_step": spec["frame_step"],
        "scale": spec["scale"],
        "slugs": slugs,
        "sample_rates": {c: manifest["sample_rates"][c] for c in clips},
        "frame_lengths": lengths,
        "frame_steps": manifest["frame_steps"],
        "scales": manifest["scales"],
        "images": {k: v for k, v in manifest["images"].items() if k.split("/")[0] in slugs.values()},
    }
    payload = json.dumps(data, sort_keys=True).replace("</", "<\\/")
    clip_options = "".join(f'<option value="{html.escape(c)}">{html.escape(c)}</option>' for c in clips)
    scale_options = "".join(f'<option value="{k}">{html.escape(v)}</option>' for k, v in data["scales"].items())
    readouts = "".join(f'<tr><th scope="row">{k}</th><td data-readout="{k}"></td></tr>' for k in READOUTS)
    offer = html.escape(_ranges(clips, lengths, data["frame_steps"], data["scales"]))
    return f"""
<div class="static-explorer" id="{ident}">
  <div class="static-explorer-note admonition note">
  <p class="admonition-title">On this site: a precomputed explorer</p>
  <p>This page runs no Python, so the explorer below swaps {len(data["images"])} pictures made in advance
  with the notebook's own explorer: {offer} (Hann window, FFT length = frame length, 80 dB range).
  The sliders, menus and read-outs here work. The live explorer the text around it describes adds
  {LIVE_ONLY}: run the notebook for those, online with the launch button at the top of the page
  (Binder, Colab) or on your computer with <code>make lab</code>. Sentences below that say the sliders do
  not render here, or that later cells move the explorer, are about the notebook.</p>
  </div>
  <div class="static-explorer-controls">
    <label>clip <select name="clip"{" disabled" if len(clips) < 2 else ""}>{clip_options}</select></label>
    <label>frame length <input type="range" name="frame_length" min="0" step="1">
      <output name="frame_length_value"></output></label>
    <label>hop <input type="range" name="frame_step" min="0" max="{len(data["frame_steps"]) - 1}" step="1">
      <output name="frame_step_value"></output></label>
    <label>scale <select name="scale">{scale_options}</select></label>
  </div>
  <p class="static-explorer-status" role="status" aria-live="polite"></p>
  <div class="static-explorer-view">
    <a class="static-explorer-full" href="" title="Open the picture full size"><img
      alt="Spectrogram for the chosen settings" width="{manifest["width"]}" height="{manifest["height"]}"></a>
    <table class="static-explorer-readouts"><caption>Read-outs</caption>{readouts}</table>
  </div>
  <script type="application/json" class="static-explorer-data">{payload}</script>
</div>"""


def _explorer_cell(doctree: nodes.document, clips: list[str]):
    """The first code cell that makes an explorer on one of ``clips``, and that clip's name."""
    for cell in doctree.findall(nodes.container):
        if cell.get("nb_element") != "cell_code" or not cell.children:
            continue
        match = CELL_NAME.search(cell.children[0].astext())
        if match and match.group(1) in clips:
            return cell, match.group(1)
    return None, None


def insert_static_explorers(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace the explorer cell's widget output by the static explorer (doctree-resolved)."""
    spec = app.config.static_explorers.get(docname)
    if app.builder.format != "html" or not spec:
        return
    manifest = _manifest(app)
    cell, clip = _explorer_cell(doctree, spec["clips"])
    if not manifest or cell is None:
        LOGGER.warning(
            f"{docname}: no cell makes an explorer on any of {spec['clips']}; "
            "the static explorer is missing (update static_explorers in docs/conf.py)",
            location=docname,
        )
        return
    base = relative_uri(app.builder.get_target_uri(docname), EXPLORER_DIR + "/")
    html_text = explorer_html(manifest, {**spec, "clip": clip}, base, f"static-explorer-{manifest['clips'][clip]}")
    raw = nodes.raw("", html_text, format="html")
    output = [c for c in cell.children if c.get("nb_element") == "cell_code_output"]
    if output:
        output[0].children = [raw]
    else:
        cell.append(nodes.container("", raw, nb_element="cell_code_output", classes=["cell_output"]))


# ---- notebook figures and page weight ---------------------------------------------------------
TITLE = re.compile(r"""\b(?:suptitle|set_title|title)\s*[(=]\s*(f|r|rf|fr)?(["'])((?:\\.|(?!\2)[^\\\n])+)\2""")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def figure_alt(source: str, section: str) -> str:
    """Alt text for a cell's figure: its section and the titles the cell's code gives its axes.

    Titles are the literal strings of ``title=``, ``set_title(``, ``suptitle(``; an f-string's fields
    become "…" (their values are only in the picture). Used in: the course site (every notebook page).
    """
    titles = []
    for match in TITLE.finditer(source):
        text = match.group(3)
        if "f" in (match.group(1) or ""):
            text = PLACEHOLDER.sub("…", text.replace("{{", "(").replace("}}", ")"))
        text = text.replace("\\n", " ").strip(" ,")
        if text and text not in titles and text != "…":
            titles.append(text)
    where = f" in the section “{section}”" if section else ""
    return f"Figure{where}" + (": " + "; ".join(titles[:4]) if titles else "")


def link_and_describe_figures(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each notebook output image gets alt text and a link to its full-size file (doctree-resolved).

    Sphinx copies the images to ``_images/`` under their own names (MyST-NB names them by hash).
    """
    if app.builder.format != "html":
        return
    images = relative_uri(app.builder.get_target_uri(docname), "_images")
    for cell in doctree.findall(nodes.container):
        if cell.get("nb_element") != "cell_code":
            continue
        section = next((a for a in _ancestors(cell) if isinstance(a, nodes.section)), None)
        title = section[0].astext() if section is not None and section.children else ""
        source = cell.children[0].astext() if cell.children else ""
        for image in list(cell.findall(nodes.image)):
            if not image.get("alt") or image["alt"] == image.get("uri"):
                image["alt"] = figure_alt(source, title)
            if isinstance(image.parent, nodes.reference) or "://" in image["uri"]:
                continue
            link = nodes.reference(
                "",
                "",
                refuri=f"{images}/{Path(image['uri']).name}",
                internal=True,
                classes=["figure-full-size"],
                reftitle="Open the figure full size",
            )
            image.replace_self(link)
            link.append(image)


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def drop_widget_state(app: Sphinx, doctree: nodes.document) -> None:
    """No saved ipywidgets state on the pages (doctree-read): no widget JavaScript runs there to use it."""
    js_files = getattr(app.env, "nb_metadata", {}).get(app.env.docname, {}).get("js_files", {})
    js_files.pop("ipywidgets_state", None)


def setup(app: Sphinx) -> dict:
    app.add_config_value("static_explorers", {}, "html", dict)
    for name in ("course_readme", "course_repository", "course_branch", "course_binder_url", "course_hub_url"):
        app.add_config_value(name, "", "env", str)
    app.connect("source-read", write_front_page)
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    app.add_post_transform(CollapseSolutions)
    app.connect("doctree-resolved", insert_static_explorers)
    app.connect("doctree-resolved", link_and_describe_figures)
    app.connect("doctree-read", drop_widget_state)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
