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
    source[0] = front_matter(readme.read_text(encoding="utf-8"), notebooks, repository=c.course_repository,
                             branch=c.course_branch, binder_url=c.course_binder_url, hub_url=c.course_hub_url)


# ---- static explorer ---------------------------------------------------------------------------
def _manifest(app: Sphinx) -> dict:
    path = Path(app.srcdir) / EXPLORER_DIR / "manifest.json"
    if not path.is_file():
        LOGGER.warning(f"no static explorer pictures at {path}; run scripts/make_static_explorer.py")
        return {}
    return json.loads(path.read_text())


def explorer_html(manifest: dict, spec: dict, base: str, ident: str) -> str:
    """The static explorer's HTML: controls, picture, read-outs, and the page's part of the manifest."""
    clips = [c for c in spec["clips"] if c in manifest["clips"]]
    slugs = {c: manifest["clips"][c] for c in clips}
    data = {"base": base, "clip": spec["clip"], "frame_length": spec["frame_length"],
            "frame_step": spec["frame_step"], "scale": spec["scale"], "slugs": slugs,
            "sample_rates": {c: manifest["sample_rates"][c] for c in clips},
            "frame_lengths": manifest["frame_lengths"], "frame_steps": manifest["frame_steps"],
            "scales": manifest["scales"],
            "images": {k: v for k, v in manifest["images"].items() if k.split("/")[0] in slugs.values()}}
    payload = json.dumps(data, sort_keys=True).replace("</", "<\\/")
    clip_options = "".join(f'<option value="{html.escape(c)}">{html.escape(c)}</option>' for c in clips)
    scale_options = "".join(f'<option value="{k}">{html.escape(v)}</option>' for k, v in data["scales"].items())
    readouts = "".join(f'<tr><th scope="row">{k}</th><td data-readout="{k}"></td></tr>'
                       for k in ("time step", "frame duration", "bin spacing", "frames", "bins", "overlap"))
    n = len(data["frame_lengths"]) - 1
    m = len(data["frame_steps"]) - 1
    return f"""
<div class="static-explorer" id="{ident}">
  <p class="static-explorer-note">This page has no Python kernel, so the explorer shows precomputed
  pictures: {len(data["images"])} settings of {", ".join(clips)} (Hann window, FFT length = frame length,
  80 dB range). Run the notebook for every control.</p>
  <div class="static-explorer-controls">
    <label>clip <select name="clip"{' disabled' if len(clips) < 2 else ''}>{clip_options}</select></label>
    <label>frame length <input type="range" name="frame_length" min="0" max="{n}" step="1">
      <output name="frame_length_value"></output></label>
    <label>hop <input type="range" name="frame_step" min="0" max="{m}" step="1">
      <output name="frame_step_value"></output></label>
    <label>scale <select name="scale">{scale_options}</select></label>
  </div>
  <p class="static-explorer-status" role="status" aria-live="polite"></p>
  <div class="static-explorer-view">
    <img alt="Spectrogram for the chosen settings" width="{manifest["width"]}" height="{manifest["height"]}">
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
        LOGGER.warning(f"{docname}: no cell makes an explorer on any of {spec['clips']}; "
                       "the static explorer is missing (update static_explorers in docs/conf.py)", location=docname)
        return
    base = relative_uri(app.builder.get_target_uri(docname), EXPLORER_DIR + "/")
    html_text = explorer_html(manifest, {**spec, "clip": clip}, base, f"static-explorer-{manifest['clips'][clip]}")
    raw = nodes.raw("", html_text, format="html")
    output = [c for c in cell.children if c.get("nb_element") == "cell_code_output"]
    if output:
        output[0].children = [raw]
    else:
        cell.append(nodes.container("", raw, nb_element="cell_code_output", classes=["cell_output"]))


def setup(app: Sphinx) -> dict:
    app.add_config_value("static_explorers", {}, "html", dict)
    for name in ("course_readme", "course_repository", "course_branch", "course_binder_url", "course_hub_url"):
        app.add_config_value(name, "", "env", str)
    app.connect("source-read", write_front_page)
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    app.add_post_transform(CollapseSolutions)
    app.connect("doctree-resolved", insert_static_explorers)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
