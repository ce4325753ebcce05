// The static STFT explorer: swaps precomputed pictures and read-outs when a control moves.
// The pictures and their read-outs come from scripts/make_static_explorer.py (see its manifest).
"use strict";
function startStaticExplorer(root) {
  const data = JSON.parse(root.querySelector(".static-explorer-data").textContent);
  const form = (name) => root.querySelector(`[name="${name}"]`);
  const img = root.querySelector("img"), link = root.querySelector(".static-explorer-full");
  const status = root.querySelector(".static-explorer-status");
  const lengths = () => data.frame_lengths[form("clip").value];  // a clip may have extra frame lengths
  function setLengths(n) {  // the frame-length slider's stops for the chosen clip, at n or the nearest below
    const stops = lengths();
    form("frame_length").max = stops.length - 1;
    form("frame_length").value = Math.max(0, stops.filter((m) => m <= n).length - 1);
  }
  form("clip").value = data.clip;
  setLengths(data.frame_length);
  form("frame_step").value = data.frame_steps.indexOf(data.frame_step);
  form("scale").value = data.scale;
  function update(moved) {
    if (moved === "clip") setLengths(Number(form("frame_length").dataset.samples));
    let n = lengths()[form("frame_length").value], hop = data.frame_steps[form("frame_step").value];
    let note = "";
    if (hop > n) {  // a hop longer than the frame skips samples: adjust the control not moved, like the notebook
      if (moved === "frame_step") { n = hop; setLengths(n); }
      else { hop = n; form("frame_step").value = data.frame_steps.indexOf(hop); }
      note = `The hop may not exceed the frame length, so ${moved === "frame_step" ? "frame length" : "hop"} ` +
             `was set to ${moved === "frame_step" ? n : hop}.`;
    }
    const clip = form("clip").value, scale = form("scale").value, sr = data.sample_rates[clip];
    const key = `${data.slugs[clip]}/${n}-${hop}-${scale}`, entry = data.images[key];
    form("frame_length").dataset.samples = n;
    form("frame_length_value").textContent = `${n} (${(1000 * n / parseInt(sr, 10)).toFixed(1)} ms)`;
    form("frame_step_value").textContent = `${hop}`;
    img.src = link.href = data.base + entry.src;
    img.alt = `Spectrogram of ${clip}: frame ${n}, hop ${hop}, ${data.scales[scale]} scale`;
    for (const cell of root.querySelectorAll("[data-readout]")) {  // rows this view has no value for are hidden
      cell.textContent = entry.readouts[cell.dataset.readout] ?? "";
      cell.parentElement.hidden = cell.textContent === "";
    }
    status.textContent = note;
    root.dataset.key = key;
  }
  root.addEventListener("input", (event) => update(event.target.name));  // sliders and selects both fire it
  update("");
}
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".static-explorer").forEach(startStaticExplorer);
});
