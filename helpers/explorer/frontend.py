"""What ipywidgets cannot say to the browser, done by a tiny front end (anywidget).

ipywidgets gives no way to set a DOM attribute, yet three things need one:

- **keyboard safety**: JupyterLab runs notebook shortcuts (``m`` makes a cell Markdown, ``d d``
  deletes it, arrows move between cells) for keys pressed in a focused dropdown or slider. It
  looks for shortcuts once a key has bubbled up to the document, so the explorer's box stops every
  key without Ctrl or Cmd there, after its own control has had it: its keys stay its own, and
  Ctrl+S (save) and the other Ctrl/Cmd shortcuts still work;
- **accessible names and value text**: slider handles get ``aria-label`` from their description and
  ``aria-valuetext`` from their read-out ("256 samples (11.6 ms)", not the option index);
- the picture gets ``alt`` text describing the current settings; a disabled slider's handles
  leave the tab order; the upload button says what it does;
- **focus after a click**: a click on a slider's track focuses the handle it moved, on a label its
  control, anywhere else in the explorer the explorer's box (``tabindex=-1``), so the next key
  stays in the explorer too; and a selection slider's read-out (which ipywidgets makes editable but
  ignores) is made read-only;
- **typed values**: ipywidgets puts back a typed value it cannot read ("800 to 1250", "1250-800"),
  and cuts one outside the slider to its range ("900" ms in the seconds box), without a word; the
  status line then says why and what to type, or what was used.

The status lines are ``aria-live`` regions of their own (see ``settings.status_html``).

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
.sl-explorer img.sl-explorer-stale { opacity: 0.35; }
.sl-explorer .widget-box:has(> img.sl-explorer-view) { overflow: visible; }
.sl-explorer .widget-slider:not(.sl-choice) .widget-readout { border-bottom: 1px dashed #888; cursor: text; }
.sl-explorer:focus { outline: none; }`;
const CONTROLS = "select, input, button, textarea, audio, .noUi-handle, [contenteditable=true]";

function apply(root, model) {
  if (!document.getElementById("sl-explorer-style")) {
    const style = document.createElement("style");
    style.id = "sl-explorer-style";
    style.textContent = STYLE;
    document.head.appendChild(style);
  }
  set(root, "tabindex", "-1");  // a click on a label or the picture focuses the box: keys stay here
  // ipywidgets makes a selection slider's read-out editable but ignores what is typed there
  for (const readout of root.querySelectorAll(".sl-choice .widget-readout")) {
    set(readout, "contenteditable", "false");
    set(readout, "title", "This box shows the value: move the slider (or press the arrow keys) to change it");
  }
  const img = root.querySelector("img.sl-explorer-view");
  const status = root.querySelector(".sl-explorer-status [role=status]");
  const stale = img && img.classList.contains("sl-explorer-stale") && status && status.textContent.trim();
  const said_why = stale ? stale.replace(/^⚠\\s*/, "").replace(/[^.]$/, "$&.") : "";
  const problem = stale ? `Not updated: ${said_why} The picture still shows: ` : "";
  if (img) set(img, "alt", problem + model.get("alt"));  // a screen reader never hears the old clip as the new
  for (const audio of root.querySelectorAll("audio")) set(audio, "aria-label", "Reconstruction of the time shown");
  const said = root.querySelector(".sl-explorer-status [data-sl-picture]");  // a note on what was typed
  const mark = said ? said.dataset.slPicture : "";  // "next <src>": said of the picture after <src>
  if (img && mark.startsWith("next ")) { if (mark.slice(5) !== img.src) said.dataset.slPicture = img.src; }
  else if (img && mark && mark !== img.src) { said.textContent = ""; delete said.dataset.slPicture; }
  for (const slider of root.querySelectorAll(".widget-slider")) label_slider(slider);
  const tooltips = model.get("tooltips") || {};
  for (const select of root.querySelectorAll("select")) {
    const label = select.parentElement && select.parentElement.querySelector(".widget-label");
    const name = label ? label.textContent.trim() : "";
    if (name) set(select, "aria-label", name);
    if (tooltips[name]) { set(select, "title", tooltips[name]); set(label, "title", tooltips[name]); }
  }
  for (const upload of root.querySelectorAll(".widget-upload")) {  // not "Your file (0)": what it does
    const text = upload.textContent.trim().replace(/\\s*\\(\\d+\\)$/, "");
    set(upload, "aria-label", `${text}: ${upload.getAttribute("title") || "upload an audio file"}`);
  }
}

function unit_of(name) { return ((name.match(/\\(([^)]*)\\)\\s*$/) || [])[1] || "").split(" ").pop(); }

// handles named by the slider's label, value text as the read-out shows it with the label's unit,
// and a disabled slider's handles out of the tab order and said to be disabled
function label_slider(slider) {
  const label = slider.querySelector(".widget-label");
  const name = label ? label.textContent.trim() : "";
  const unit = unit_of(name);
  const readout = slider.querySelector(".widget-readout");
  const handles = slider.querySelectorAll(".noUi-handle");
  const off = !!slider.querySelector(".slider[disabled]");
  const choice = slider.classList.contains("sl-choice");  // "1024 (46.4 ms)": a number of samples
  if (readout && !choice) {
    set(readout, "aria-label", `${name}: type a value${handles.length > 1 ? " range" : ""}`);
    set(readout, "role", "textbox");
  }
  // a range slider's read-out is "low – high": each handle says its own end, as the read-out rounds it
  const values = readout ? readout.textContent.split("–").map((v) => v.trim()) : [];
  handles.forEach((handle, i) => {
    set(handle, "aria-label", handles.length > 1 ? `${name}, ${i ? "upper" : "lower"} end` : name);
    set(handle, "aria-disabled", off ? "true" : "false");
    set(handle, "tabindex", off ? "-1" : "0");
    if (values.length !== handles.length || readout === document.activeElement) return;  // not while typing
    const text = choice ? values[i].replace(/^(\\d+)/, "$1 samples") : unit ? `${values[i]} ${unit}` : values[i];
    set(handle, "aria-valuetext", text);  // a choice's aria-valuenow stays its index, as aria-valuemin/max are
  });
}

// a typed value: ipywidgets reads it on Enter only, not when the box is left (ipywidgets#2535), and puts
// back what it cannot read without a word. So leaving a changed box presses Enter for the student, and
// the status line says why a value was put back (checked as Enter goes down, by ipywidgets' own rules,
// with the value shown before typing as the example)
const NUMBER = "[+-]?(?:\\\\d*\\\\.?\\\\d+|\\\\d+\\\\.)(?:[eE][-+]?\\\\d+)?";
const RANGE = new RegExp(`^\\\\s*(${NUMBER})\\\\s*[-:–]\\\\s*(${NUMBER})`);
function typed_problem(text, before, two) {
  const example = before.replace(/\\s*–\\s*/, "-"), range = RANGE.exec(text);
  if (text.includes(",")) return `“${text}”: use a point for decimals and no commas, e.g. ${example}`;
  if (two && !range) return `“${text}” is not a range; type its two ends with a dash, e.g. ${example}`;
  if (two && parseFloat(range[1]) > parseFloat(range[2])) {
    return `${range[1]} is above ${range[2]}; type the lower end first, e.g. ${range[2]}-${range[1]}`;
  }
  if (!two && isNaN(parseFloat(text))) return `“${text}” is not a number; type one, e.g. ${example}`;
  return "";
}
function editable(target) {
  return target instanceof Element && target.matches(".widget-readout[contenteditable=true]") ? target : null;
}
function check_typed(root, readout) {
  const slider = readout.closest(".widget-slider");
  const line = root.querySelector(".sl-explorer-status [role=status]");
  const img = root.querySelector("img.sl-explorer-view");
  if (!slider || !line || !img) return;
  const label = slider.querySelector(".widget-label");
  const name = label ? label.textContent.trim() : "this slider";
  const handles = slider.querySelectorAll(".noUi-handle");
  const typed = readout.textContent.trim(), before = readout.dataset.slBefore || "";
  const two = handles.length === 2, problem = typed_problem(typed, before, two);
  if (problem) return say(line, `⚠ ${name}: ${problem}.`, img.src);  // said of this picture (see apply)
  if (line.dataset.slPicture) { line.textContent = ""; delete line.dataset.slPicture; }  // read: a note is over
  // read, and cut to the slider's range without a word: say so once ipywidgets has shown what it used
  const low = parseFloat(handles[0].getAttribute("aria-valuemin"));
  const high = parseFloat(handles[handles.length - 1].getAttribute("aria-valuemax"));
  const outside = (two ? RANGE.exec(typed).slice(1, 3) : [typed]).some((v) => {
    const x = parseFloat(v);  // noUiSlider gives the ends to 0.1: leave what that rounding may hide
    return x < low - 0.051 || x > high + 0.051;
  });
  if (!outside) return;
  setTimeout(() => {
    const used = readout.textContent.trim(), unit = unit_of(name);
    const note = `⚠ ${name}: ${typed} is outside the slider's range, so it was cut to ${used}`;
    say(line, `${note}${unit ? ` (its values are in ${unit})` : ""}.`, used === before ? img.src : `next ${img.src}`);
  });
}
function say(line, text, picture) {  // a note on what was typed, until the picture after "picture"
  line.textContent = text;
  line.style.color = "#b00020";
  line.dataset.slPicture = picture;
}
function press_enter(readout) {  // ipywidgets looks at keyCode, which a KeyboardEvent cannot be given
  const enter = new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true });
  Object.defineProperty(enter, "keyCode", { get: () => 13 });
  readout.dispatchEvent(enter);
}
function listen_for_typing(root) {
  root.addEventListener("focusin", (e) => {
    const readout = editable(e.target);
    if (readout) readout.dataset.slBefore = readout.textContent.trim();
  });
  root.addEventListener("keydown", (e) => {  // capturing: before ipywidgets reads (or puts back) the value
    const readout = editable(e.target);
    if (!readout || e.key !== "Enter") return;
    check_typed(root, readout);
    setTimeout(() => { readout.dataset.slBefore = readout.textContent.trim(); });
  }, true);
  root.addEventListener("focusout", (e) => {
    const readout = editable(e.target);
    if (readout && readout.textContent.trim() !== readout.dataset.slBefore) press_enter(readout);
  });
}

// where a click leaves the focus: on the slider handle it moved (the nearest), on a label's control,
// else on the explorer's box, so the next key never reaches the notebook's shortcuts
function keep_focus(root, event) {
  const target = event.target;
  if (!(target instanceof Element) || target.closest(CONTROLS)) return;
  const box = target.closest(".widget-slider, .widget-dropdown");
  const handles = box ? [...box.querySelectorAll(".noUi-handle[tabindex='0'], select")] : [];
  const distance = (el) => Math.abs(el.getBoundingClientRect().left + el.offsetWidth / 2 - event.clientX);
  const nearest = handles.sort((a, b) => distance(a) - distance(b))[0];
  (nearest || root).focus({ preventScroll: true });
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
    if (!root.dataset.slFocus) {  // one set of listeners per explorer, however many times it is displayed
      root.dataset.slFocus = "1";
      root.addEventListener("click", (e) => keep_focus(root, e));
      // JupyterLab handles shortcuts as the key bubbles up to the document (bubblingKeydown)
      root.addEventListener("keydown", (e) => { if (!e.ctrlKey && !e.metaKey) e.stopPropagation(); });
      listen_for_typing(root);
    }
    observer = new MutationObserver(() => apply(root, model));
    const watched = ["aria-valuetext", "src", "class", "title", "contenteditable", "disabled"];
    observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true,
                             attributeFilter: watched });
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
