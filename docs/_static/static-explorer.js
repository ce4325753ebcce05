// The static STFT explorer: swaps precomputed pictures and read-outs when a control moves.
// The pictures and their read-outs come from scripts/make_static_explorer.py (see its manifest).
"use strict";
function startStaticExplorer(root) {
  const data = JSON.parse(root.querySelector(".static-explorer-data").textContent);
  const form = (name) => root.querySelector(`[name="${name}"]`);
  const img = root.querySelector("img"), status = root.querySelector(".static-explorer-status");
  form("clip").value = data.clip;
  form("frame_length").value = data.frame_lengths.indexOf(data.frame_length);
  form("frame_step").value = data.frame_steps.indexOf(data.frame_step);
  form("scale").value = data.scale;
  function update(moved) {
    let n = data.frame_lengths[form("frame_length").value], hop = data.frame_steps[form("frame_step").value];
    let note = "";
    if (hop > n) {  // a hop longer than the frame skips samples: adjust the control not moved, like the notebook
      if (moved === "frame_length") { hop = n; form("frame_step").value = data.frame_steps.indexOf(hop); }
      else { n = hop; form("frame_length").value = data.frame_lengths.indexOf(n); }
      note = `The hop may not exceed the frame length, so ${moved === "frame_length" ? "hop" : "frame length"} ` +
             `was set to ${moved === "frame_length" ? hop : n}.`;
    }
    const clip = form("clip").value, scale = form("scale").value, sr = data.sample_rates[clip];
    const key = `${data.slugs[clip]}/${n}-${hop}-${scale}`, entry = data.images[key];
    form("frame_length_value").textContent = `${n} (${(1000 * n / parseInt(sr, 10)).toFixed(0)} ms)`;
    form("frame_step_value").textContent = `${hop}`;
    img.src = data.base + entry.src;
    img.alt = `Spectrogram of ${clip}: frame ${n}, hop ${hop}, ${data.scales[scale]} scale`;
    for (const cell of root.querySelectorAll("[data-readout]")) {
      cell.textContent = entry.readouts[cell.dataset.readout] ?? "";
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
