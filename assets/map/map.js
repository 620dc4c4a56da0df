// The Trajectories map, painted in the browser from the picture description that
// viz/browser.py sends (landscape image, paths, minima, counter words, curves). It sizes
// itself from the viewport, plays the animation here (no server round trip per frame), and
// sends back one thing: a new start point, dragged, tapped or moved with the keyboard.
// It computes nothing of the optimizers: every path comes from the NumPy core.

const SVG = "http://www.w3.org/2000/svg";
const MARGIN = { left: 60, right: 8, top: 8, bottom: 40 }; // room for the tick labels and the axes' names
const CURVES_MIN_WIDTH = 260; // narrower than this beside the map: the curves go below it
const PHONE_WIDTH = 640;
const MIN_MAP_HEIGHT = 220;
const KEY_STEP = 0.02; // of the view's extent, per arrow key on the start handle
const controllers = new Map(); // one per mounted map, kept across reruns
const images = new Map(); // landscape pictures by key: sent once per session, kept across remounts
// Live updates, for the benchmark: when each request's first pointer move happened and how
// long until its paths were drawn.
const liveLog = (window.__otvLive = window.__otvLive || { sent: {}, drawn: [] });

function el(tag, attrs = {}, parent = null, ns = SVG) {
  const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function starPath(cx, cy, r) {
  let d = "";
  for (let k = 0; k < 10; k++) {
    const radius = k % 2 ? r * 0.45 : r;
    const angle = -Math.PI / 2 + (k * Math.PI) / 5;
    d += (k ? "L" : "M") + (cx + radius * Math.cos(angle)).toFixed(1) + "," + (cy + radius * Math.sin(angle)).toFixed(1);
  }
  return d + "Z";
}

// Button icons as SVG paths (a font may lack the media-control characters).
const ICONS = {
  play: "M4 2 L14 8 L4 14 Z",
  pause: "M3 2 H7 V14 H3 Z M9 2 H13 V14 H9 Z",
  step_back: "M3 2 H5 V14 H3 Z M14 2 L6 8 L14 14 Z",
  step_forward: "M11 2 H13 V14 H11 Z M2 2 L10 8 L2 14 Z",
  reset: "M2 2 H4 V14 H2 Z M14 2 L8 8 L14 14 Z M9 2 L3 8 L9 14 Z",
};

function icon(name) {
  const svg = el("svg", { viewBox: "0 0 16 16", width: "14", height: "14", "aria-hidden": "true", class: "otv-icon" });
  el("path", { d: ICONS[name] }, svg);
  return svg;
}

function fmt(v, extent) {
  const digits = Math.max(0, Math.min(6, 3 - Math.floor(Math.log10(extent || 1))));
  return Number(v.toFixed(digits));
}

// An element's top in the page, whichever ancestor scrolls (Streamlit scrolls its main
// block, not the window): scrolling down to the results must not resize the map.
function pageTop(node) {
  let top = node.getBoundingClientRect().top;
  for (let n = node.parentNode || node.host; n; n = n.parentNode || n.host) {
    if (n.scrollTop) top += n.scrollTop;
  }
  return top;
}

function isTyping(target) {
  if (!target || !target.closest) return false;
  return !!target.closest("input, textarea, select, [contenteditable=true], [role=slider], [role=combobox], [role=textbox]");
}

// The other views' code, fetched and evaluated while the page is idle after the map is drawn
// (once per page): "Inside the optimizer" and "Analysis" draw Plotly charts, and evaluating
// plotly.js (4.7 MB) took 1-2 s of the switch to the first of them. Streamlit imports the
// same module URL when it draws its first chart, and a module is evaluated once per page.
// The evaluation holds the page for that long (1.4-2.5 s on a busy 2-core machine), so it
// waits while the map plays or is dragged and until the pointer and keys have rested for a
// second: a press in the middle of it would answer late.
// Only the Plotly chunk: with the slider, radio, multiselect and progress chunks as well, a
// start-handle drag right after the page loaded drew nothing in 2 of 3 tries (cause not found).
const INPUT_EVENTS = ["pointerdown", "pointermove", "keydown", "wheel"];
function warmUp(paths, busy) {
  if (!paths || !paths.length || window.__otvWarmedUp) return;
  window.__otvWarmedUp = true;
  let lastInput = 0;
  const noteInput = () => { lastInput = performance.now(); };
  INPUT_EVENTS.forEach((type) => document.addEventListener(type, noteInput, { capture: true, passive: true }));
  const idle = window.requestIdleCallback || ((f) => setTimeout(f, 0));
  const load = () => {
    if (busy() || performance.now() - lastInput < 1000) { setTimeout(load, 500); return; }
    INPUT_EVENTS.forEach((type) => document.removeEventListener(type, noteInput, { capture: true }));
    Promise.allSettled(paths.map((path) => import(new URL(path, document.baseURI).href)))
      .then(() => { window.__otvWarmedUp = "done"; }); // benchmarks wait for this before timing a switch
  };
  setTimeout(() => idle(load, { timeout: 3000 }), 1500);
}

class TrajectoryMap {
  constructor(parent) {
    this.frame = 0;
    this.playing = false;
    this.timer = null;
    this.pendingStart = null;
    this.root = el("div", { class: "otv" }, null, null);
    parent.appendChild(this.root);
    this.legend = el("div", { class: "otv-legend" }, this.root, null);
    this.body = el("div", { class: "otv-body" }, this.root, null);
    this.maps = el("div", { class: "otv-maps" }, this.body, null);
    this.curves = el("div", { class: "otv-curves" }, this.body, null);
    this.controls = el("div", { class: "otv-controls", role: "group" }, this.root, null);
    this.buttons = {};
    for (const name of ["play", "step_back", "step_forward", "reset"]) {
      const b = el("button", { type: "button", class: "otv-button otv-" + name }, this.controls, null);
      b.addEventListener("click", () => this.command(name));
      this.buttons[name] = b;
    }
    this.slider = el("input", { type: "range", min: "0", max: "0", step: "1", class: "otv-slider" }, this.controls, null);
    this.slider.addEventListener("input", () => { this.pause(); this.show(Number(this.slider.value)); });
    this.counter = el("span", { class: "otv-counter", "aria-live": "off" }, this.controls, null);
    this.hint = el("div", { class: "otv-hint" }, this.root, null);
    this.live = el("div", { class: "otv-live" }, this.root, null);
    this.liveValues = {};
    this.dragging = false;
    this.knobFans = {}; // a slider's paths over the values it snaps to, by the slider's key
    this.onKey = (event) => this.key(event);
    this.onResize = () => this.layout();
    document.addEventListener("keydown", this.onKey);
    window.addEventListener("resize", this.onResize);
    this.observer = new ResizeObserver(() => this.layout());
    this.observer.observe(this.root);
    // The page fills in above the map after it (the header is drawn last): follow its top.
    this.topWatch = setInterval(() => {
      const top = Math.round(pageTop(this.maps));
      if (top !== this.lastTop) { this.lastTop = top; this.layout(); }
    }, 250);
  }

  destroy() {
    this.pause();
    document.removeEventListener("keydown", this.onKey);
    window.removeEventListener("resize", this.onResize);
    this.observer.disconnect();
    clearInterval(this.topWatch);
    clearTimeout(this.keyTimer);
    this.root.remove();
  }

  update(data, api) {
    this.api = api;
    // The landscape picture comes once per session and view; later runs send its key only.
    if (data.image) images.set(data.image_key, data.image);
    const image = images.get(data.image_key);
    if (!image) { api.setTriggerValue("image_needed", data.image_key); return; }
    // The picture and the fans come as JSON text (encoded once on the server for every session).
    const picture = JSON.parse(data.picture);
    data = { ...picture, ...data, picture: null, image, curves: picture.curves ?? (this.data ? this.data.curves : []) };
    if (data.fan) this.fan = { ...JSON.parse(data.fan), scene_id: data.scene_id };
    if (data.knob_fan) this.knobFans[data.knob_fan_key] = { ...JSON.parse(data.knob_fan), scene_id: data.scene_id };
    if (data.live_seq != null && data.live_seq === this.liveSeq && this.arrivedSeq !== data.live_seq) {
      this.arrivedSeq = data.live_seq;
      this.liveArrived();
    }
    const structure = JSON.stringify([data.bounds, data.panels, data.image_key, data.lang, data.minima, data.words,
      data.runs.map((r) => [r.label, r.color]), data.frames.length]);
    const paths = JSON.stringify([data.runs, data.start, data.frames]);
    const curves = JSON.stringify(data.curves);
    const knobs = JSON.stringify(data.live_knobs);
    const first = !this.data;
    this.data = data;
    if (first) warmUp(data.warm_up, () => this.playing || this.dragging);
    this.frameMs = data.frame_ms;
    if (structure === this.structure && paths === this.paths && curves === this.curvesSignature && knobs === this.knobsSignature) return;
    const dragging = this.dragging;
    if (!dragging) this.pause();
    this.frame = data.frames.length - 1; // open on the whole result; Play animates from the start
    if (!dragging) {
      this.start = data.start.slice();
      this.pendingStart = null;
      this.liveValues = {};
    }
    if (knobs !== this.knobsSignature && !dragging) { this.knobsSignature = knobs; this.drawKnobs(); }
    if (structure !== this.structure || first) {
      this.structure = structure;
      this.paths = paths;
      this.curvesSignature = curves;
      const w = data.words;
      for (const name of ["step_back", "step_forward", "reset"]) {
        this.buttons[name].setAttribute("aria-label", w[name]);
        this.buttons[name].title = w[name];
      }
      this.slider.max = String(data.frames.length - 1);
      this.slider.setAttribute("aria-label", w.frame);
      this.hint.textContent = w.shortcuts;
      this.drawLegend();
      this.lastSize = null;
      this.layout(true);
      return;
    }
    // Same map, new paths (a live update, or a run setting): redraw the moving parts only,
    // so a handle being dragged keeps its pointer.
    this.paths = paths;
    if (curves !== this.curvesSignature) { this.curvesSignature = curves; this.drawCurves(); }
    this.drawLegend();
    this.show(this.frame);
    this.placeStart(this.pendingStart || this.start);
  }

  // ---------------------------------------------------------------- live values

  // Sends the values being dragged (one request in flight; the newest values go when the
  // answer comes, or after a second without one).
  sendLive() {
    const now = performance.now();
    if (this.pointerAt == null) this.pointerAt = now;
    if (this.liveInFlight && now - this.liveSentAt < 1000) { this.liveDirty = true; return; }
    this.liveSeq = (this.liveSeq || 0) + 1;
    this.liveInFlight = true;
    this.liveDirty = false;
    this.liveSentAt = now;
    liveLog.sent[this.liveSeq] = this.pointerAt;
    this.pointerAt = null;
    this.api.setStateValue("live", {
      seq: this.liveSeq, base: this.data.scene_id,
      start: this.pendingStart ? this.rounded(this.pendingStart) : null, knobs: { ...this.liveValues },
      fan: this.wantFan && !this.fanReady(),
      knob_fan: this.wantKnobFan && !this.knobFanReady(this.wantKnobFan) ? this.wantKnobFan : null,
    });
  }

  liveArrived() {
    this.liveInFlight = false;
    const pointerAt = liveLog.sent[this.liveSeq];
    if (pointerAt != null) {
      // Measured once the new paths are on screen (after this update draws them).
      requestAnimationFrame(() => liveLog.drawn.push({ seq: this.liveSeq, ms: performance.now() - pointerAt, at: performance.now() }));
    }
    if (this.liveDirty) setTimeout(() => this.sendLive(), 0);
  }

  fanReady() {
    return !!(this.fan && this.data && this.fan.scene_id === this.data.scene_id);
  }

  knobFanReady(key) {
    const fan = this.knobFans[key];
    return !!(fan && this.data && fan.scene_id === this.data.scene_id);
  }

  // Run ``r``'s whole path from flat [x0, y0, x1, y1, ...], in every panel that shows it.
  drawRunPath(r, flat) {
    for (const { panel, lines, ends, marks } of this.panels) {
      const k = panel.runs.indexOf(r);
      if (k < 0) continue;
      let points = "";
      for (let q = 0; q < flat.length; q += 2) {
        const [px, py] = this.toPixel(flat[q], flat[q + 1]);
        points += px.toFixed(1) + "," + py.toFixed(1) + " ";
      }
      lines[k].setAttribute("points", points.trim());
      const [ex, ey] = this.toPixel(flat[flat.length - 2], flat[flat.length - 1]);
      ends[k].setAttribute("cx", ex);
      ends[k].setAttribute("cy", ey);
      ends[k].style.display = "";
      marks[k].replaceChildren();
    }
  }

  // The start snapped to the fan's grid, and every path from there drawn at once.
  showFan(point, pointerTime) {
    const fan = this.fan;
    const n = fan.xs.length;
    const cell = (values, v) => Math.min(n - 1, Math.max(0, Math.round(((v - values[0]) / (values[n - 1] - values[0])) * (n - 1))));
    const i = cell(fan.xs, point[0]), j = cell(fan.ys, point[1]);
    const row = j * n + i;
    this.pendingStart = [fan.xs[i], fan.ys[j]];
    this.placeStart(this.pendingStart);
    if (this.fanRow === row) return;
    this.fanRow = row;
    this.pause();
    this.show(this.data.frames.length - 1);
    fan.runs.forEach((paths, r) => this.drawRunPath(r, paths[row]));
    requestAnimationFrame(() => liveLog.drawn.push({ seq: -1, ms: performance.now() - pointerTime, at: performance.now() }));
  }

  commitLive(start, knobs) {
    this.fanRow = null;
    this.wantFan = false;
    this.dragging = false;
    this.liveDirty = false;
    this.api.setTriggerValue("commit", { start: start ? this.rounded(start) : null, knobs: knobs || {} });
  }

  rounded(point) {
    const [[x0, x1], [y0, y1]] = this.data.bounds;
    const extent = Math.max(x1 - x0, y1 - y0);
    return [fmt(point[0], extent), fmt(point[1], extent)];
  }

  drawKnobs() {
    const d = this.data;
    this.knobRow = {};
    this.live.replaceChildren();
    if (!d.live_knobs || !d.live_knobs.length) return;
    const groups = new Map();
    for (const knob of d.live_knobs) {
      if (!groups.has(knob.run)) groups.set(knob.run, []);
      groups.get(knob.run).push(knob);
    }
    for (const [run, knobs] of groups) {
      const row = el("div", { class: "otv-live-row" }, this.live, null);
      const name = el("span", { class: "otv-item otv-live-name" }, row, null);
      el("span", { class: "otv-swatch" }, name, null).style.background = d.runs[run].color;
      el("span", {}, name, null).textContent = d.runs[run].title;
      for (const knob of knobs) {
        const box = el("label", { class: "otv-knob" }, row, null);
        el("span", { class: "otv-knob-name" }, box, null).textContent = knob.label;
        const input = el("input", { type: "range", min: "0", max: "1000", step: "1", class: "otv-knob-slider" }, box, null);
        input.setAttribute("aria-label", `${d.runs[run].title}: ${knob.label}`);
        input.dataset.key = knob.key;
        const shown = el("output", { class: "otv-knob-value" }, box, null);
        const toValue = (p) => knob.log ? knob.low * Math.pow(knob.high / knob.low, p / 1000) : knob.low + (p / 1000) * (knob.high - knob.low);
        const toPosition = (v) => Math.round(1000 * (knob.log ? Math.log(v / knob.low) / Math.log(knob.high / knob.low) : (v - knob.low) / (knob.high - knob.low)));
        const read = () => Number(toValue(Number(input.value)).toPrecision(3));
        input.value = String(Math.min(1000, Math.max(0, toPosition(knob.value))));
        shown.textContent = String(knob.value);
        const prefetch = () => {
          if (!this.knobFanReady(knob.key) && this.wantKnobFan !== knob.key) { this.wantKnobFan = knob.key; this.sendLive(); }
        };
        input.addEventListener("pointerenter", prefetch);
        input.addEventListener("focus", prefetch);
        input.addEventListener("input", (event) => {
          this.dragging = true;
          let value = read();
          if (this.knobFanReady(knob.key)) { // snap to a value whose path is here, and draw it at once
            const fan = this.knobFans[knob.key];
            const distance = (v) => knob.log ? Math.abs(Math.log(v / value)) : Math.abs(v - value);
            let best = 0;
            fan.values.forEach((v, k) => { if (distance(v) < distance(fan.values[best])) best = k; });
            value = fan.values[best];
            shown.textContent = String(value);
            this.liveValues[knob.key] = value;
            if (this.knobRow[knob.key] !== best) {
              this.knobRow[knob.key] = best;
              this.pause();
              this.show(this.data.frames.length - 1);
              this.drawRunPath(knob.run, fan.paths[best]);
              const pointerTime = event.timeStamp;
              requestAnimationFrame(() => liveLog.drawn.push({ seq: -2, ms: performance.now() - pointerTime, at: performance.now() }));
            }
            return;
          }
          shown.textContent = String(value);
          this.liveValues[knob.key] = value;
          this.sendLive();
        });
        input.addEventListener("change", () => {
          this.knobRow[knob.key] = null;
          this.commitLive(null, { [knob.key]: this.liveValues[knob.key] ?? read() });
        });
      }
    }
  }

  // ---------------------------------------------------------------- sizes

  layout(force = false) {
    const d = this.data;
    if (!d) return;
    const width = Math.floor(this.root.clientWidth);
    if (!width) return;
    const [[x0, x1], [y0, y1]] = d.bounds;
    const aspect = (y1 - y0) / (x1 - x0);
    const phone = width < PHONE_WIDTH;
    // The height the viewport leaves below the map's top once the controls have their row.
    const top = pageTop(this.maps);
    const below = this.controls.offsetHeight + this.hint.offsetHeight + 16;
    const available = Math.max(MIN_MAP_HEIGHT, window.innerHeight - top - below);
    const n = d.panels.length;
    const cols = n === 1 ? 1 : n <= 4 ? 2 : 3;
    const rows = Math.ceil(n / cols);
    const titleHeight = n > 1 ? 22 : 0;
    const mapsWidth = phone ? width : width - (d.curves.length ? CURVES_MIN_WIDTH + 16 : 0);
    // The plot area keeps the view's aspect (one unit is as long in x as in y).
    let plotH = (available - rows * (MARGIN.top + MARGIN.bottom + titleHeight)) / rows;
    let plotW = plotH / aspect;
    const maxPlotW = (mapsWidth - cols * (MARGIN.left + MARGIN.right) - (cols - 1) * 8) / cols;
    if (plotW > maxPlotW) { plotW = maxPlotW; plotH = plotW * aspect; }
    if (phone) { plotW = maxPlotW; plotH = plotW * aspect; }
    plotW = Math.max(60, Math.floor(plotW));
    plotH = Math.max(60, Math.floor(plotH));
    const size = [width, plotW, plotH, cols, window.innerHeight, phone].join();
    if (!force && size === this.lastSize) return;
    this.lastSize = size;
    this.plot = { w: plotW, h: plotH };
    this.maps.style.gridTemplateColumns = `repeat(${cols}, auto)`;
    const mapsHeight = rows * (plotH + MARGIN.top + MARGIN.bottom + titleHeight);
    this.body.classList.toggle("otv-stacked", phone);
    // On a phone the playback controls sit right under the map, the curves below them.
    if (phone && this.curves.parentNode !== this.root) this.root.appendChild(this.curves);
    if (!phone && this.curves.parentNode !== this.body) this.body.appendChild(this.curves);
    this.curvesSize = phone
      ? { w: width, h: Math.max(120, Math.min(180, plotH * 0.5)) }
      : { w: Math.max(CURVES_MIN_WIDTH, width - cols * (plotW + MARGIN.left + MARGIN.right) - 24), h: mapsHeight / Math.max(1, d.curves.length) };
    this.drawMaps();
    this.drawCurves();
    this.show(this.frame);
  }

  // ---------------------------------------------------------------- painting

  drawLegend() {
    const d = this.data;
    this.legend.replaceChildren();
    d.runs.forEach((run) => {
      const item = el("span", { class: "otv-item" }, this.legend, null);
      const swatch = el("span", { class: "otv-swatch" }, item, null);
      swatch.style.background = run.color;
      el("span", {}, item, null).textContent = run.label;
    });
    if (d.minima.length) {
      const item = el("span", { class: "otv-item" }, this.legend, null);
      el("span", { class: "otv-star", "aria-hidden": "true" }, item, null).textContent = "★";
      el("span", {}, item, null).textContent = d.words.minimum;
    }
    const item = el("span", { class: "otv-item" }, this.legend, null);
    el("span", { class: "otv-ring", "aria-hidden": "true" }, item, null);
    el("span", {}, item, null).textContent = d.words.start;
  }

  toPixel(x, y) {
    const [[x0, x1], [y0, y1]] = this.data.bounds;
    return [MARGIN.left + ((x - x0) / (x1 - x0)) * this.plot.w, MARGIN.top + ((y1 - y) / (y1 - y0)) * this.plot.h];
  }

  toPoint(px, py) {
    const [[x0, x1], [y0, y1]] = this.data.bounds;
    const fx = Math.min(1, Math.max(0, (px - MARGIN.left) / this.plot.w));
    const fy = Math.min(1, Math.max(0, (py - MARGIN.top) / this.plot.h));
    return [x0 + fx * (x1 - x0), y1 - fy * (y1 - y0)];
  }

  drawMaps() {
    const d = this.data;
    const { w, h } = this.plot;
    this.maps.replaceChildren();
    this.panels = d.panels.map((panel) => {
      const box = el("div", { class: "otv-panel" }, this.maps, null);
      if (panel.title) el("div", { class: "otv-title" }, box, null).textContent = panel.title;
      const svg = el("svg", {
        width: w + MARGIN.left + MARGIN.right, height: h + MARGIN.top + MARGIN.bottom,
        class: "otv-map", role: "img", "aria-label": d.words.map_label,
      }, box);
      el("image", { href: d.image, x: MARGIN.left, y: MARGIN.top, width: w, height: h, preserveAspectRatio: "none" }, svg);
      el("rect", { x: MARGIN.left, y: MARGIN.top, width: w, height: h, class: "otv-frame" }, svg);
      this.drawTicks(svg);
      const paths = el("g", { "clip-path": "none" }, svg);
      const lines = panel.runs.map((i) => el("polyline", { class: "otv-path", stroke: d.runs[i].color }, paths));
      const ends = panel.runs.map((i) => el("circle", { r: 5.5, class: "otv-end", fill: d.runs[i].color }, svg));
      const marks = panel.runs.map(() => el("g", { class: "otv-diverged" }, svg));
      for (const m of d.minima) {
        const [px, py] = this.toPixel(m.x, m.y);
        el("path", { d: starPath(px, py, 8), class: "otv-min", fill: d.colors.minimum }, svg);
        el("title", {}, svg.lastChild, null).textContent = m.name;
      }
      const handle = el("circle", {
        r: 8, class: "otv-start", fill: d.colors.start, tabindex: "0", role: "button",
      }, svg);
      this.bindStart(svg, handle);
      return { panel, svg, lines, ends, marks, handle };
    });
    this.placeStart(this.pendingStart || this.start);
  }

  drawTicks(svg) {
    const d = this.data;
    const { w, h } = this.plot;
    const [[x0, x1], [y0, y1]] = d.bounds;
    for (const x of d.x_ticks) {
      const [px] = this.toPixel(x, y0);
      el("line", { x1: px, x2: px, y1: MARGIN.top + h, y2: MARGIN.top + h + 4, class: "otv-tick" }, svg);
      el("text", { x: px, y: MARGIN.top + h + 17, "text-anchor": "middle", class: "otv-label" }, svg).textContent = fmt(x, x1 - x0);
    }
    // The coordinates' names (x, y; a data surface's parameters w, b) under and beside the map.
    el("text", { x: MARGIN.left + w / 2, y: MARGIN.top + h + 34, "text-anchor": "middle", class: "otv-axis" }, svg).textContent = d.axes[0];
    el("text", { x: 12, y: MARGIN.top + h / 2 + 4, "text-anchor": "middle", class: "otv-axis" }, svg).textContent = d.axes[1];
    for (const y of d.y_ticks) {
      const [, py] = this.toPixel(x0, y);
      el("line", { x1: MARGIN.left - 4, x2: MARGIN.left, y1: py, y2: py, class: "otv-tick" }, svg);
      el("text", { x: MARGIN.left - 6, y: py + 4, "text-anchor": "end", class: "otv-label" }, svg).textContent = fmt(y, y1 - y0);
    }
  }

  drawCurves() {
    const d = this.data;
    this.curves.replaceChildren();
    const { w, h } = this.curvesSize;
    const m = { left: 52, right: 10, top: 20, bottom: 24 };
    this.curvePanels = d.curves.map((series) => {
      const svg = el("svg", { width: w, height: h, class: "otv-curve", role: "img", "aria-label": series.title }, this.curves);
      const pw = w - m.left - m.right, ph = h - m.top - m.bottom;
      const [low, high] = series.range;
      const sx = (s) => m.left + (s / Math.max(1, d.total_steps)) * pw;
      const sy = (v) => m.top + ((high - v) / (high - low || 1)) * ph;
      el("rect", { x: m.left, y: m.top, width: pw, height: ph, class: "otv-curve-frame" }, svg);
      el("text", { x: m.left, y: 14, class: "otv-axis" }, svg).textContent = series.title;
      series.ticks.forEach((v, k) => {
        el("line", { x1: m.left, x2: m.left + pw, y1: sy(v), y2: sy(v), class: "otv-grid" }, svg);
        el("text", { x: m.left - 5, y: sy(v) + 4, "text-anchor": "end", class: "otv-label" }, svg).textContent = series.tick_labels[k];
      });
      el("text", { x: m.left + pw, y: h - 6, "text-anchor": "end", class: "otv-label" }, svg).textContent = d.total_steps;
      el("text", { x: m.left, y: h - 6, "text-anchor": "start", class: "otv-label" }, svg).textContent = "0";
      el("text", { x: m.left + pw / 2, y: h - 6, "text-anchor": "middle", class: "otv-axis" }, svg).textContent = d.words.step;
      series.curves.forEach((curve, i) => {  // epoch boundaries: faint lines in the run's colour, under every curve
        for (const s of curve.epochs || []) el("line", { x1: sx(s), x2: sx(s), y1: m.top, y2: m.top + ph, class: "otv-epoch", stroke: d.runs[i].color, "stroke-opacity": 0.35, "stroke-width": 1 }, svg);
      });
      series.curves.forEach((curve, i) => {
        // steps null: one value per step from 0 (the usual case, sent without its steps)
        const points = curve.values.map((v, k) => sx(curve.steps ? curve.steps[k] : k).toFixed(1) + "," + sy(v).toFixed(1)).join(" ");
        el("polyline", { points, class: "otv-series", stroke: d.runs[i].color }, svg);
      });
      const cursor = el("line", { y1: m.top, y2: m.top + ph, class: "otv-cursor" }, svg);
      return { cursor, sx };
    });
  }

  show(frame) {
    const d = this.data;
    if (!d || !this.panels) return;
    this.frame = Math.max(0, Math.min(d.frames.length - 1, frame));
    const step = d.frames[this.frame];
    for (const { panel, lines, ends, marks } of this.panels) {
      panel.runs.forEach((i, k) => {
        const run = d.runs[i];
        const at = run.frame_at[this.frame];
        let points = "";
        for (let j = 0; j < at; j++) {
          if (run.kept[j]) { const [px, py] = this.toPixel(run.x[j], run.y[j]); points += px.toFixed(1) + "," + py.toFixed(1) + " "; }
        }
        const [ex, ey] = this.toPixel(run.x[at], run.y[at]);
        lines[k].setAttribute("points", points + ex.toFixed(1) + "," + ey.toFixed(1));
        const diverged = run.diverged_at >= 0 && step >= run.diverged_at;
        ends[k].setAttribute("cx", ex);
        ends[k].setAttribute("cy", ey);
        ends[k].style.display = diverged ? "none" : "";
        marks[k].replaceChildren();
        if (diverged) {
          const [mx, my] = this.toPixel(run.mark[0], run.mark[1]);
          el("path", { d: `M${mx - 6},${my - 6}L${mx + 6},${my + 6}M${mx - 6},${my + 6}L${mx + 6},${my - 6}`, stroke: run.color, class: "otv-x" }, marks[k]);
          const anchor = mx < MARGIN.left + this.plot.w / 3 ? "start" : mx > MARGIN.left + (2 * this.plot.w) / 3 ? "end" : "middle";
          const dy = my < MARGIN.top + 24 ? 20 : -10;
          el("text", { x: mx, y: my + dy, "text-anchor": anchor, class: "otv-note", fill: run.color }, marks[k]).textContent = run.diverged_text;
        }
      });
    }
    for (const c of this.curvePanels || []) {
      const x = c.sx(step);
      c.cursor.setAttribute("x1", x);
      c.cursor.setAttribute("x2", x);
    }
    this.slider.value = String(this.frame);
    this.counter.textContent = d.words.counter.replace("{step}", step);
    this.slider.setAttribute("aria-valuetext", this.counter.textContent);
    this.refreshPlay();
  }

  // ---------------------------------------------------------------- playback

  refreshPlay() {
    const w = this.data.words;
    const b = this.buttons.play;
    const name = this.playing ? "pause" : "play";
    if (b.dataset.shows === name + w.play) return;
    b.dataset.shows = name + w.play;
    b.replaceChildren(icon(name), document.createTextNode(" " + w[name]));
    b.setAttribute("aria-label", w[name]);
    for (const other of ["step_back", "step_forward", "reset"]) {
      if (!this.buttons[other].firstChild) this.buttons[other].appendChild(icon(other));
    }
  }

  command(name) {
    const last = this.data.frames.length - 1;
    if (name === "play") return this.playing ? this.pause() : this.play();
    this.pause();
    if (name === "step_back") this.show(this.frame - 1);
    if (name === "step_forward") this.show(this.frame + 1);
    if (name === "reset") this.show(0);
    if (name === "end") this.show(last);
  }

  play() {
    const last = this.data.frames.length - 1;
    if (this.frame >= last) this.show(0);
    this.playing = true;
    let previous = performance.now();
    const tick = (now) => {
      if (!this.playing) return;
      if (now - previous >= this.frameMs) {
        previous = now;
        this.show(this.frame + 1);
        if (this.frame >= last) { this.pause(); return; } // stops on the whole result
      }
      this.timer = requestAnimationFrame(tick);
    };
    this.timer = requestAnimationFrame(tick);
    this.refreshPlay();
  }

  pause() {
    this.playing = false;
    if (this.timer) cancelAnimationFrame(this.timer);
    this.timer = null;
    if (this.data) this.refreshPlay();
  }

  key(event) {
    if (!this.data || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const actions = { " ": "play", ArrowLeft: "step_back", ArrowRight: "step_forward", Home: "reset", End: "end" };
    const action = actions[event.key];
    if (!action) return;
    const target = event.composedPath ? event.composedPath()[0] : event.target;
    if (this.panels && this.panels.some((p) => p.handle === target)) return; // the handle moves the start
    if (target === this.slider && event.key !== " ") return; // the frame slider steps by itself
    // Keys that belong to another control: typing, a slider, tabs, menus; space on a button.
    if (target !== this.slider && isTyping(target)) return;
    if (target && target.closest && target.closest("[role=tab], [role=radio], [role=option], [role=menuitem], [role=listbox], [role=tablist]")) return;
    const pressable = target && target.closest && target.closest("button, a, summary, label, [role=button]");
    if (event.key === " " && pressable && !this.root.contains(pressable)) return;
    event.preventDefault();
    this.command(action);
  }

  // ---------------------------------------------------------------- the start point

  placeStart(point) {
    if (!this.panels) return;
    const d = this.data;
    const [[x0, x1], [y0, y1]] = d.bounds;
    const extent = Math.max(x1 - x0, y1 - y0);
    const [px, py] = this.toPixel(point[0], point[1]);
    for (const { handle } of this.panels) {
      handle.setAttribute("cx", px);
      handle.setAttribute("cy", py);
      handle.setAttribute("aria-label", `${d.words.start_handle} (${fmt(point[0], extent)}, ${fmt(point[1], extent)})`);
    }
  }

  commitStart(point) {
    const value = this.rounded(point);
    this.pendingStart = value;
    this.placeStart(value);
    this.commitLive(value, null);
  }

  bindStart(svg, handle) {
    let dragging = null; // {id, moved}
    const local = (event) => {
      const box = svg.getBoundingClientRect();
      return this.toPoint(event.clientX - box.left, event.clientY - box.top);
    };
    handle.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      event.stopPropagation();
      handle.setPointerCapture(event.pointerId);
      dragging = { id: event.pointerId, moved: false };
      this.dragging = true;
      this.fanRow = null;
      handle.focus({ preventScroll: true });
      if (!this.fanReady()) { this.wantFan = true; this.sendLive(); } // the paths from a grid of starts, once
    });
    // A pointer over the handle is about to drag it: ask for the grid's paths now.
    handle.addEventListener("pointerenter", () => {
      if (!this.fanReady() && !this.wantFan) { this.wantFan = true; this.sendLive(); }
    });
    handle.addEventListener("pointermove", (event) => {
      if (!dragging || event.pointerId !== dragging.id) return;
      dragging.moved = true;
      const point = local(event);
      if (this.fanReady()) { this.showFan(point, event.timeStamp); return; } // at once, in the browser
      this.pendingStart = point;
      this.placeStart(point);
      this.sendLive(); // until the grid's paths are here: the core's paths for this point
    });
    const release = (event) => {
      if (!dragging || event.pointerId !== dragging.id) return;
      const moved = dragging.moved;
      dragging = null;
      if (event.type === "pointerup" && moved) this.commitStart(this.fanReady() && this.pendingStart ? this.pendingStart : local(event));
      else this.dragging = false;
    };
    handle.addEventListener("pointerup", release);
    handle.addEventListener("pointercancel", release);
    // A tap or click elsewhere on the map moves the start there (a drag there pans the page).
    let tap = null;
    svg.addEventListener("pointerdown", (event) => { tap = { x: event.clientX, y: event.clientY, id: event.pointerId }; });
    svg.addEventListener("pointercancel", () => { tap = null; });
    svg.addEventListener("pointerup", (event) => {
      if (!tap || tap.id !== event.pointerId) return;
      const near = Math.hypot(event.clientX - tap.x, event.clientY - tap.y) < 6;
      tap = null;
      if (near) this.commitStart(local(event));
    });
    handle.addEventListener("keydown", (event) => {
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
      const move = moves[event.key];
      if (event.key === "Enter" && this.pendingStart) { event.preventDefault(); this.commitStart(this.pendingStart); return; }
      if (!move) return;
      event.preventDefault();
      const [[x0, x1], [y0, y1]] = this.data.bounds;
      const factor = KEY_STEP * (event.shiftKey ? 5 : 1);
      const from = this.pendingStart || this.start;
      const point = [
        Math.min(x1, Math.max(x0, from[0] + move[0] * factor * (x1 - x0))),
        Math.min(y1, Math.max(y0, from[1] + move[1] * factor * (y1 - y0))),
      ];
      this.pendingStart = point;
      this.placeStart(point);
      clearTimeout(this.keyTimer);
      this.keyTimer = setTimeout(() => this.commitStart(point), 500); // one run per pause, not per key
    });
  }
}

export default function (component) {
  const { data, parentElement, setStateValue, setTriggerValue } = component;
  let map = controllers.get(parentElement);
  if (!map) {
    map = new TrajectoryMap(parentElement);
    controllers.set(parentElement, map);
  }
  map.update(data, { setStateValue, setTriggerValue });
  return () => {
    map.destroy();
    controllers.delete(parentElement);
  };
}
