"""What ipywidgets cannot say to the browser, done by a tiny front end (anywidget).

ipywidgets gives no way to set a DOM attribute, yet three things need one:

- **keyboard safety**: JupyterLab runs notebook shortcuts (``m`` makes a cell Markdown, ``d d``
  deletes it, arrows move between cells) for keys pressed in a focused dropdown or slider. Lumino,
  JupyterLab's command system, stops looking for a shortcut at an element marked
  ``data-lm-suppress-shortcuts``: the explorer's box and every focusable element in it get that
  mark, so its keys stay its own;
- **accessible names and value text**: slider handles get ``aria-label`` from their description and
  ``aria-valuetext`` from their read-out ("256 samples (11.6 ms)", not the option index);
- the picture gets ``alt`` text describing the current settings, and the status line is an
  ``aria-live`` region.

Without anywidget (or in a front end that does not run it) the explorer works the same, without
these marks. Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
"""

from __future__ import annotations

import ipywidgets as widgets

try:
    import anywidget
    import traitlets
except ImportError:  # pragma: no cover - anywidget is a dependency; this keeps the explorer usable without it
    anywidget = None

ROOT_CLASS = "sl-explorer"
ESM = (
    """
function set(el, name, value) { if (el.getAttribute(name) !== value) el.setAttribute(name, value); }

// one width for every slider's read-out, so the tracks line up and "4096 (185.8 ms)" is never cut
// and a picture greyed out while a setting fails (it shows the last settings that worked)
const STYLE = `.sl-explorer .widget-slider .widget-readout { flex: 0 0 8.6em; width: 8.6em; max-width: 8.6em;
  overflow: visible; white-space: nowrap; }
.sl-explorer img.sl-explorer-stale { opacity: 0.35; }`;

function apply(root, model) {
  if (!document.getElementById("sl-explorer-style")) {
    const style = document.createElement("style");
    style.id = "sl-explorer-style";
    style.textContent = STYLE;
    document.head.appendChild(style);
  }
  // Lumino checks the key's target first, then its ancestors: mark every focusable element too
  for (const el of [root, ...root.querySelectorAll("select, input, button, textarea, [tabindex]")]) {
    set(el, "data-lm-suppress-shortcuts", "true");
  }
  for (const status of root.querySelectorAll(".sl-explorer-status")) {
    set(status, "role", "status"); set(status, "aria-live", "polite");
  }
  const img = root.querySelector("img.sl-explorer-view");
  if (img) set(img, "alt", model.get("alt"));
  for (const slider of root.querySelectorAll(".widget-slider")) {
    const label = slider.querySelector(".widget-label");
    const name = label ? label.textContent.trim() : "";
    const readout = slider.querySelector(".widget-readout");
    const handles = slider.querySelectorAll(".noUi-handle");
    // a range slider's read-out is "low – high": each handle says its own end, as the read-out rounds it
    const values = readout ? readout.textContent.split("–").map((v) => v.trim()) : [];
    handles.forEach((handle, i) => {
      set(handle, "aria-label", handles.length > 1 ? `${name}, ${i ? "upper" : "lower"} end` : name);
      if (values.length === handles.length) set(handle, "aria-valuetext", values[i]);
    });
  }
  const tooltips = model.get("tooltips") || {};
  for (const select of root.querySelectorAll("select")) {
    const label = select.parentElement && select.parentElement.querySelector(".widget-label");
    const name = label ? label.textContent.trim() : "";
    if (name) set(select, "aria-label", name);
    if (tooltips[name]) { set(select, "title", tooltips[name]); set(label, "title", tooltips[name]); }
  }
}

function render({ model, el }) {
  let observer = null;
  let tries = 0;
  const attach = () => {
    const root = el.closest("."""
    + ROOT_CLASS
    + """");
    if (!root) { if (tries++ < 600) requestAnimationFrame(attach); return; }
    apply(root, model);
    observer = new MutationObserver(() => apply(root, model));
    observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true,
                             attributeFilter: ["aria-valuetext", "src", "class", "title"] });
    model.on("change:alt", () => apply(root, model));
  };
  attach();
  return () => { if (observer) observer.disconnect(); };
}
export default { render };
"""
)

if anywidget is not None:

    class Marks(anywidget.AnyWidget):
        """An invisible widget inside the explorer's box that marks the box for the browser.

        ``alt`` is the picture's text description; the explorer updates it with every picture.
        ``tooltips`` maps a dropdown's label to its hover text (ipywidgets 8.1 gives dropdowns
        ``title="null"`` in JupyterLab, whatever their ``tooltip``).

        Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
        """

        _esm = ESM
        alt = traitlets.Unicode("").tag(sync=True)
        tooltips = traitlets.Dict({}).tag(sync=True)


def marks(controls: dict) -> widgets.DOMWidget | None:
    """The invisible marking widget (with the dropdowns' hover texts), or ``None`` without anywidget.

    Used in: the STFT explorer (helpers.widgets.stft_explorer), through helpers.explorer.
    """
    if anywidget is None:
        return None
    tooltips = {c.description: c.tooltip for c in controls.values() if isinstance(c, widgets.Dropdown)}
    return Marks(tooltips=tooltips, layout=widgets.Layout(display="none"))
