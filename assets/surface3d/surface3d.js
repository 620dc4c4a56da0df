// The 3-D view, painted in the browser on a 2-D canvas from the data viz/browser3d.py sends
// (the surface's grid of heights, the relief colours, each run's path with its heights,
// the minima, the axes' names and ticks, the words). The surface is drawn as shaded quads
// from back to front; the paths go on top, drawn faint where a hill hides them. A drag
// (mouse or finger) or the arrow keys turn it; the camera is kept per surface across reruns
// and view switches. It computes nothing of the optimizers: every path comes from the core.

const cameras = new Map(); // camera_key -> {azimuth, elevation}: kept across reruns and remounts
const views = new Map(); // one controller per mounted element
const PAD = { left: 64, right: 64, top: 26, bottom: 44 }; // room for the ticks and the axes' names
const MIN_HEIGHT = 240;
const PHONE_WIDTH = 640;
const KEY_DEGREES = 5; // per arrow key (three times that with shift)
const DRAG_DEGREES = 0.5; // per pixel dragged
const LIGHT = normalize([-0.45, -0.55, 1]); // fixed to the surface: turning it shows the relief
const MESH_EVERY = 6; // a faint mesh line every this many cells
const SETTLE_MS = 150; // after the last turn, the surface is drawn again in full

function normalize(v) {
  const n = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
}

function el(tag, attrs = {}, parent = null) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function hexRgb(hex) {
  const h = hex.replace("#", "");
  return [0, 2, 4].map((k) => parseInt(h.slice(k, k + 2), 16));
}

// A colour of the scale [[stop, "#rrggbb"], ...] at u in [0, 1], as [r, g, b].
function scaleColor(scale, u) {
  u = Math.min(1, Math.max(0, u));
  for (let k = 1; k < scale.length; k++) {
    if (u <= scale[k][0] || k === scale.length - 1) {
      const [s0, c0] = scale[k - 1], [s1, c1] = scale[k];
      const f = s1 > s0 ? (u - s0) / (s1 - s0) : 0;
      return c0.map((c, i) => c + f * (c1[i] - c));
    }
  }
  return scale[0][1];
}

// An element's top in the page, whichever ancestor scrolls (Streamlit scrolls its main block).
function pageTop(node) {
  let top = node.getBoundingClientRect().top;
  for (let n = node.parentNode || node.host; n; n = n.parentNode || n.host) {
    if (n.scrollTop) top += n.scrollTop;
  }
  return top;
}

function starPath(ctx, cx, cy, r) {
  ctx.beginPath();
  for (let k = 0; k < 10; k++) {
    const radius = k % 2 ? r * 0.45 : r;
    const angle = -Math.PI / 2 + (k * Math.PI) / 5;
    ctx.lineTo(cx + radius * Math.cos(angle), cy + radius * Math.sin(angle));
  }
  ctx.closePath();
}

class Surface3D {
  constructor(parent) {
    this.root = el("div", { class: "otv3d" }, parent);
    this.legend = el("div", { class: "otv3d-legend" }, this.root);
    this.canvas = el("canvas", { class: "otv3d-canvas", tabindex: "0", role: "img" }, this.root);
    this.ctx = this.canvas.getContext("2d");
    this.controls = el("div", { class: "otv3d-controls" }, this.root);
    this.resetButton = el("button", { type: "button", class: "otv3d-button otv3d-reset" }, this.controls);
    this.resetButton.addEventListener("click", () => this.reset());
    this.hint = el("span", { class: "otv3d-hint" }, this.controls);
    this.bindPointer();
    this.canvas.addEventListener("keydown", (event) => this.key(event));
    this.onResize = () => this.layout();
    window.addEventListener("resize", this.onResize);
    // A face the canvas asked for (the axes' italic) arrives after the first frame: draw again.
    this.onFonts = () => this.requestDraw();
    if (document.fonts) document.fonts.addEventListener("loadingdone", this.onFonts);
    this.observer = new ResizeObserver(() => this.layout());
    this.observer.observe(this.root);
    // The page fills in above the view after it: follow its top.
    this.topWatch = setInterval(() => {
      const top = Math.round(pageTop(this.canvas));
      if (top !== this.lastTop) { this.lastTop = top; this.layout(); }
    }, 250);
  }

  destroy() {
    window.removeEventListener("resize", this.onResize);
    if (document.fonts) document.fonts.removeEventListener("loadingdone", this.onFonts);
    this.observer.disconnect();
    clearInterval(this.topWatch);
    clearTimeout(this.settle);
    if (this.frameRequest) cancelAnimationFrame(this.frameRequest);
    this.root.remove();
  }

  // ``text``: the view's data as JSON text (encoded once on the server for every session).
  update(text, host) {
    this.host = host;
    if (text === this.text) return;
    this.text = text;
    const data = JSON.parse(text);
    this.data = data;
    this.camera = { ...(cameras.get(data.camera_key) || data.camera) };
    const w = data.words;
    this.canvas.setAttribute("aria-label", w.label);
    this.resetButton.textContent = w.reset;
    this.resetButton.title = w.reset_help;
    this.hint.textContent = w.hint;
    this.showCamera();
    this.drawLegend();
    this.prepare();
    this.lastSize = null;
    this.layout();
  }

  // ---------------------------------------------------------------- the scene in world units

  // World units: the floor is [-1, 1] x [-1, 1] whatever the view's sides (as Plotly's
  // aspect ratio 1 : 1), the heights span [-za, za] with za = z_aspect.
  prepare() {
    const d = this.data;
    const [[x0, x1], [y0, y1]] = d.bounds;
    const [zlo, zhi] = d.z_range;
    const za = d.z_aspect;
    this.za = za;
    this.wx = (x) => -1 + (2 * (x - x0)) / (x1 - x0);
    this.wy = (y) => -1 + (2 * (y - y0)) / (y1 - y0);
    this.wz = (z) => -za + (2 * za * (z - zlo)) / (zhi - zlo || 1);
    const nx = d.xs.length, ny = d.ys.length;
    this.nx = nx; this.ny = ny;
    const X = new Float64Array(nx * ny), Y = new Float64Array(nx * ny), Z = new Float64Array(nx * ny);
    for (let i = 0; i < ny; i++) {
      for (let j = 0; j < nx; j++) {
        const k = i * nx + j;
        X[k] = this.wx(d.xs[j]); Y[k] = this.wy(d.ys[i]); Z[k] = this.wz(d.z[k]);
      }
    }
    this.X = X; this.Y = Y; this.Z = Z;
    this.fine = this.mesh(1);
    this.coarse = this.mesh(2); // drawn while the surface turns, a quarter of the quads
    // Paths in world units, cut into pieces no longer than a cell so they follow the surface.
    const cell = 2 / Math.max(1, Math.min(nx, ny) - 1);
    const lift = 0.02 * 2 * za;
    this.paths = d.runs.map((run) => {
      const points = [];
      for (let k = 0; k < run.x.length; k++) {
        const p = [this.wx(run.x[k]), this.wy(run.y[k]), this.wz(run.z[k])];
        if (k > 0) {
          const q = points[points.length - 1];
          const pieces = Math.min(64, Math.ceil(Math.hypot(p[0] - q[0], p[1] - q[1]) / cell));
          for (let s = 1; s < pieces; s++) {
            const f = s / pieces;
            const x = q[0] + f * (p[0] - q[0]), y = q[1] + f * (p[1] - q[1]);
            // A chord between two recorded points stays on the surface, not inside a hill.
            points.push([x, y, Math.max(q[2] + f * (p[2] - q[2]), this.surfaceZ(x, y) + lift / 2)]);
          }
        }
        points.push(p);
      }
      return points;
    });
    this.minima = d.minima.map((m) => [this.wx(m.x), this.wy(m.y), this.wz(m.z)]);
  }

  // The quads of the grid taken every ``step`` points (and its last): their corners, and each
  // quad's colour (the relief colour of its mean height, shaded by a light fixed to the
  // surface) and centre, which orders them back to front.
  mesh(step) {
    const d = this.data;
    const pick = (n) => { const kept = []; for (let k = 0; k < n - 1; k += step) kept.push(k); kept.push(n - 1); return kept; };
    const cols = pick(this.nx), rows = pick(this.ny);
    const nx = cols.length, ny = rows.length;
    const index = new Uint32Array(nx * ny); // each corner's place in the full grid
    for (let i = 0; i < ny; i++) for (let j = 0; j < nx; j++) index[i * nx + j] = rows[i] * this.nx + cols[j];
    const X = this.X, Y = this.Y, Z = this.Z;
    const scale = d.colorscale.map(([stop, c]) => [stop, hexRgb(c)]);
    const [c0, c1] = d.color_range;
    const quads = (nx - 1) * (ny - 1);
    const color = new Array(quads), centre = new Float64Array(3 * quads);
    for (let i = 0; i < ny - 1; i++) {
      for (let j = 0; j < nx - 1; j++) {
        const q = i * (nx - 1) + j;
        const a = index[i * nx + j], b = index[i * nx + j + 1], c = index[(i + 1) * nx + j + 1], e = index[(i + 1) * nx + j];
        const mean = (d.z[a] + d.z[b] + d.z[c] + d.z[e]) / 4;
        const rgb = scaleColor(scale, (mean - c0) / (c1 - c0 || 1));
        const d1 = [X[c] - X[a], Y[c] - Y[a], Z[c] - Z[a]], d2 = [X[e] - X[b], Y[e] - Y[b], Z[e] - Z[b]];
        const n = normalize([d1[1] * d2[2] - d1[2] * d2[1], d1[2] * d2[0] - d1[0] * d2[2], d1[0] * d2[1] - d1[1] * d2[0]]);
        const shade = 0.62 + 0.42 * Math.abs(n[0] * LIGHT[0] + n[1] * LIGHT[1] + n[2] * LIGHT[2]);
        color[q] = `rgb(${rgb.map((v) => Math.round(Math.min(255, v * shade))).join(",")})`;
        centre[3 * q] = (X[a] + X[b] + X[c] + X[e]) / 4;
        centre[3 * q + 1] = (Y[a] + Y[b] + Y[c] + Y[e]) / 4;
        centre[3 * q + 2] = (Z[a] + Z[b] + Z[c] + Z[e]) / 4;
      }
    }
    return {
      nx, ny, index, color, centre, every: Math.max(1, Math.round(MESH_EVERY / step)),
      order: new Uint32Array(quads), depth: new Float64Array(quads),
      px: new Float64Array(nx * ny), py: new Float64Array(nx * ny),
    };
  }

  // The surface's height (world units) over (x, y), bilinear between the grid's points.
  surfaceZ(x, y) {
    const fx = Math.min(this.nx - 1.000001, Math.max(0, ((x + 1) / 2) * (this.nx - 1)));
    const fy = Math.min(this.ny - 1.000001, Math.max(0, ((y + 1) / 2) * (this.ny - 1)));
    const j = Math.floor(fx), i = Math.floor(fy), u = fx - j, v = fy - i;
    const Z = this.Z, n = this.nx, a = i * n + j;
    return (1 - v) * ((1 - u) * Z[a] + u * Z[a + 1]) + v * ((1 - u) * Z[a + n] + u * Z[a + n + 1]);
  }

  // Whether the point p (world units) is seen: a ray from it toward the camera leaves the box
  // without passing under the surface.
  visible(p) {
    const e = this.view.e;
    const cell = 2 / (Math.min(this.nx, this.ny) - 1);
    const horizontal = Math.hypot(e[0], e[1]);
    const dt = horizontal > 1e-6 ? (0.5 * cell) / horizontal : 1;
    const tolerance = 0.004 * this.za;
    for (let t = dt; t < 8; t += dt) {
      const x = p[0] + t * e[0], y = p[1] + t * e[1], z = p[2] + t * e[2];
      if (x < -1 || x > 1 || y < -1 || y > 1 || z > this.za) return true;
      if (this.surfaceZ(x, y) > z + tolerance) return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- the camera

  setView() {
    const a = (this.camera.azimuth * Math.PI) / 180, b = (this.camera.elevation * Math.PI) / 180;
    const e = [Math.cos(b) * Math.cos(a), Math.cos(b) * Math.sin(a), Math.sin(b)]; // toward the viewer
    const r = [-Math.sin(a), Math.cos(a), 0]; // screen right
    const u = [-Math.sin(b) * Math.cos(a), -Math.sin(b) * Math.sin(a), Math.cos(b)]; // screen up
    const { w, h } = this.size;
    const phone = w < PHONE_WIDTH;
    const grow = this.rem / 16; // presenter mode's larger text needs more room
    const base = phone ? { left: 40, right: 40, top: 22, bottom: 40 } : PAD;
    const pad = Object.fromEntries(Object.entries(base).map(([k, v]) => [k, v * grow]));
    // Fit the box as it turns: its widest (the floor's diagonal) across, its height at this elevation up.
    const across = 2 * Math.SQRT2;
    const up = 2 * Math.SQRT2 * Math.sin(b) + 2 * this.za * Math.cos(b);
    const s = Math.max(10, Math.min((w - pad.left - pad.right) / across, (h - pad.top - pad.bottom) / up));
    const cx = pad.left + (w - pad.left - pad.right) / 2, cy = pad.top + (h - pad.top - pad.bottom) / 2;
    this.view = { e, r, u, s, cx, cy };
  }

  project(p) {
    const { e, r, u, s, cx, cy } = this.view;
    return [
      cx + s * (p[0] * r[0] + p[1] * r[1] + p[2] * r[2]),
      cy - s * (p[0] * u[0] + p[1] * u[1] + p[2] * u[2]),
      p[0] * e[0] + p[1] * e[1] + p[2] * e[2],
    ];
  }

  turn(dAzimuth, dElevation) {
    const c = this.camera;
    c.azimuth = ((((c.azimuth + dAzimuth + 180) % 360) + 360) % 360) - 180;
    c.elevation = Math.min(90, Math.max(0, c.elevation + dElevation));
    cameras.set(this.data.camera_key, { ...c });
    // While it turns, the coarser mesh; the full one once it has held still a moment.
    this.turning = true;
    clearTimeout(this.settle);
    this.settle = setTimeout(() => this.still(), SETTLE_MS);
    this.requestDraw();
    this.showCamera();
  }

  still() {
    if (this.pointerDown) return; // a finger or a button still holds it: drawn in full on release
    clearTimeout(this.settle);
    if (!this.turning) return;
    this.turning = false;
    this.requestDraw();
  }

  reset() {
    clearTimeout(this.settle);
    this.turning = false;
    this.camera = { ...this.data.camera };
    cameras.delete(this.data.camera_key);
    this.requestDraw();
    this.showCamera();
  }

  // The camera's angles on the canvas (degrees, "azimuth elevation"): what a test reads.
  showCamera() {
    this.canvas.dataset.camera = `${this.camera.azimuth.toFixed(1)} ${this.camera.elevation.toFixed(1)}`;
  }

  requestDraw() {
    if (this.frameRequest) return;
    this.frameRequest = requestAnimationFrame(() => { this.frameRequest = null; this.draw(); });
  }

  bindPointer() {
    let drag = null;
    this.canvas.addEventListener("pointerdown", (event) => {
      if (!this.data) return;
      event.preventDefault();
      this.canvas.setPointerCapture(event.pointerId);
      this.canvas.focus({ preventScroll: true });
      drag = { id: event.pointerId, x: event.clientX, y: event.clientY };
      this.pointerDown = true;
    });
    this.canvas.addEventListener("pointermove", (event) => {
      if (!drag || event.pointerId !== drag.id) return;
      const dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      drag.x = event.clientX; drag.y = event.clientY;
      this.turn(-dx * DRAG_DEGREES, dy * DRAG_DEGREES);
    });
    const release = (event) => {
      if (!drag || event.pointerId !== drag.id) return;
      drag = null;
      this.pointerDown = false;
      this.still();
    };
    this.canvas.addEventListener("pointerup", release);
    this.canvas.addEventListener("pointercancel", release);
  }

  key(event) {
    if (!this.data || event.ctrlKey || event.metaKey || event.altKey) return;
    const step = KEY_DEGREES * (event.shiftKey ? 3 : 1);
    const turns = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (event.key === "Home") { event.preventDefault(); this.reset(); return; }
    const turn = turns[event.key];
    if (!turn) return;
    event.preventDefault();
    this.turn(turn[0], turn[1]);
  }

  // ---------------------------------------------------------------- sizes

  layout() {
    if (!this.data) return;
    const width = Math.floor(this.root.clientWidth);
    if (!width) return;
    const phone = width < PHONE_WIDTH;
    const below = this.controls.offsetHeight + 16;
    const available = window.innerHeight - pageTop(this.canvas) - below;
    // Fills the screen below its top, no taller than it is wide; on a phone at most two
    // thirds of the screen, so a finger can still scroll the page past it.
    let height = Math.min(available, width * (phone ? 0.85 : 0.8), phone ? window.innerHeight * 0.66 : Infinity);
    height = Math.floor(Math.max(MIN_HEIGHT, height));
    const size = [width, height, window.devicePixelRatio].join();
    if (size === this.lastSize) return;
    this.lastSize = size;
    const ratio = window.devicePixelRatio || 1;
    this.size = { w: width, h: height };
    this.canvas.style.width = width + "px";
    this.canvas.style.height = height + "px";
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    this.ratio = ratio;
    this.draw();
  }

  // ---------------------------------------------------------------- painting

  drawLegend() {
    const d = this.data;
    this.legend.replaceChildren();
    for (const run of d.runs) {
      const item = el("span", { class: "otv3d-item" }, this.legend);
      el("span", { class: "otv3d-swatch" }, item).style.background = run.color;
      el("span", {}, item).textContent = run.label;
    }
    if (d.minima.length) {
      const item = el("span", { class: "otv3d-item" }, this.legend);
      el("span", { class: "otv3d-star", "aria-hidden": "true" }, item).textContent = "★";
      el("span", {}, item).textContent = d.words.minimum;
    }
  }

  draw() {
    if (!this.data || !this.size) return;
    const ctx = this.ctx;
    const { w, h } = this.size;
    ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    this.font = getComputedStyle(this.root).fontFamily || "sans-serif";
    this.rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    this.setView();
    ctx.save(); // every frame starts from the same drawing state
    this.drawBox();
    this.drawSurface(this.turning ? this.coarse : this.fine);
    this.drawPaths();
    this.drawAxes();
    ctx.restore();
    if (this.host && !this.host.hasAttribute("data-otv3d-drawn")) this.host.setAttribute("data-otv3d-drawn", "");
  }

  // The back walls and the floor, with grid lines at the ticks: behind everything else.
  drawBox() {
    const ctx = this.ctx, d = this.data, za = this.za, e = this.view.e;
    const sx = e[0] > 0 ? -1 : 1, sy = e[1] > 0 ? -1 : 1; // the walls away from the viewer
    const faces = [
      [[-1, -1, -za], [1, -1, -za], [1, 1, -za], [-1, 1, -za]],
      [[sx, -1, -za], [sx, 1, -za], [sx, 1, za], [sx, -1, za]],
      [[-1, sy, -za], [1, sy, -za], [1, sy, za], [-1, sy, za]],
    ];
    ctx.lineWidth = 1;
    for (const face of faces) {
      ctx.beginPath();
      for (const p of face) { const [px, py] = this.project(p); ctx.lineTo(px, py); }
      ctx.closePath();
      ctx.fillStyle = "#f5f6f8";
      ctx.fill();
      ctx.strokeStyle = "#c9cdd4";
      ctx.stroke();
    }
    const line = (p, q) => {
      const [ax, ay] = this.project(p), [bx, by] = this.project(q);
      ctx.moveTo(ax, ay); ctx.lineTo(bx, by);
    };
    ctx.beginPath();
    for (const x of d.x_ticks) { const X = this.wx(x); line([X, -1, -za], [X, 1, -za]); line([X, sy, -za], [X, sy, za]); }
    for (const y of d.y_ticks) { const Y = this.wy(y); line([-1, Y, -za], [1, Y, -za]); line([sx, Y, -za], [sx, Y, za]); }
    for (const z of d.z_ticks) { const Z = this.wz(z); line([sx, -1, Z], [sx, 1, Z]); line([-1, sy, Z], [1, sy, Z]); }
    ctx.strokeStyle = "#e1e4e8";
    ctx.stroke();
  }

  drawSurface(mesh) {
    const ctx = this.ctx, X = this.X, Y = this.Y, Z = this.Z;
    const { nx, ny, index, color, centre, order, depth, px, py, every } = mesh;
    const { e } = this.view;
    for (let k = 0; k < index.length; k++) {
      const p = this.project([X[index[k]], Y[index[k]], Z[index[k]]]);
      px[k] = p[0]; py[k] = p[1];
    }
    for (let q = 0; q < depth.length; q++) depth[q] = centre[3 * q] * e[0] + centre[3 * q + 1] * e[1] + centre[3 * q + 2] * e[2];
    for (let q = 0; q < order.length; q++) order[q] = q; // from the grid's order: equal depths always paint alike
    order.sort((a, b) => depth[a] - depth[b]); // far first
    ctx.lineWidth = 0.8;
    const meshColor = "rgba(70, 84, 104, 0.28)";
    const corner = [0, 0, 0, 0], qx = [0, 0, 0, 0], qy = [0, 0, 0, 0];
    for (const q of order) {
      const i = Math.floor(q / (nx - 1)), j = q - i * (nx - 1);
      const a = i * nx + j, b = a + 1, c = a + nx + 1, d = a + nx;
      corner[0] = a; corner[1] = b; corner[2] = c; corner[3] = d;
      // Each quad a little larger than it is (half a pixel out from its centre): no hairline
      // seams between neighbours, at half the cost of stroking every quad's outline.
      const mx = (px[a] + px[b] + px[c] + px[d]) / 4, my = (py[a] + py[b] + py[c] + py[d]) / 4;
      ctx.beginPath();
      for (let k = 0; k < 4; k++) {
        const dx = px[corner[k]] - mx, dy = py[corner[k]] - my;
        const grow = 0.6 / (Math.hypot(dx, dy) || 1);
        qx[k] = px[corner[k]] + dx * grow; qy[k] = py[corner[k]] + dy * grow;
        ctx.lineTo(qx[k], qy[k]);
      }
      ctx.closePath();
      ctx.fillStyle = color[q];
      ctx.fill();
      // A faint mesh every few cells, on the quads' own edges, so hills hide it too.
      const first = i % every === 0, last = i === ny - 2, left = j % every === 0, right = j === nx - 2;
      if (first || last || left || right) {
        ctx.beginPath();
        if (first) { ctx.moveTo(px[a], py[a]); ctx.lineTo(px[b], py[b]); }
        if (last) { ctx.moveTo(px[d], py[d]); ctx.lineTo(px[c], py[c]); }
        if (left) { ctx.moveTo(px[a], py[a]); ctx.lineTo(px[d], py[d]); }
        if (right) { ctx.moveTo(px[b], py[b]); ctx.lineTo(px[c], py[c]); }
        ctx.strokeStyle = meshColor;
        ctx.stroke();
      }
    }
  }

  // Each path on the surface: solid where seen, faint and dashed where a hill hides it;
  // its end (a cross if it diverged) and the minima's stars the same way.
  drawPaths() {
    const ctx = this.ctx, d = this.data;
    // Lines grow with the picture (and presenter mode's text), as bold as the map's on a phone.
    const width = Math.max(3, Math.min(this.size.w, this.size.h) / 160) * Math.max(1, this.rem / 16);
    const radius = 1.8 * width;
    ctx.lineJoin = "round";
    ctx.lineCap = "round";
    d.runs.forEach((run, r) => {
      const points = this.paths[r];
      const screen = points.map((p) => this.project(p));
      const seen = points.map((p) => this.visible(p));
      for (const pass of [false, true]) {
        ctx.beginPath();
        for (let k = 1; k < points.length; k++) {
          if ((seen[k - 1] && seen[k]) !== pass) continue;
          ctx.moveTo(screen[k - 1][0], screen[k - 1][1]);
          ctx.lineTo(screen[k][0], screen[k][1]);
        }
        if (pass) {
          ctx.setLineDash([]);
          ctx.globalAlpha = 1;
          ctx.strokeStyle = "rgba(255, 255, 255, 0.85)";
          ctx.lineWidth = width + 2.5;
          ctx.stroke();
          ctx.strokeStyle = run.color;
          ctx.lineWidth = width;
          ctx.stroke();
        } else {
          ctx.setLineDash([1.3 * width, 1.3 * width]);
          ctx.globalAlpha = 0.6;
          ctx.strokeStyle = run.color;
          ctx.lineWidth = 0.6 * width;
          ctx.stroke();
        }
      }
      ctx.setLineDash([]);
      const last = screen[screen.length - 1];
      ctx.globalAlpha = seen[seen.length - 1] ? 1 : 0.6;
      if (run.diverged) {
        ctx.beginPath();
        ctx.moveTo(last[0] - radius, last[1] - radius); ctx.lineTo(last[0] + radius, last[1] + radius);
        ctx.moveTo(last[0] - radius, last[1] + radius); ctx.lineTo(last[0] + radius, last[1] - radius);
        ctx.strokeStyle = "#ffffff"; ctx.lineWidth = width + 2.5; ctx.stroke();
        ctx.strokeStyle = run.color; ctx.lineWidth = width; ctx.stroke();
      } else {
        ctx.beginPath();
        ctx.arc(last[0], last[1], radius, 0, 2 * Math.PI);
        ctx.fillStyle = run.color; ctx.fill();
        ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 1.5; ctx.stroke();
      }
      ctx.globalAlpha = 1;
    });
    for (const m of this.minima) {
      const [mx, my] = this.project(m);
      ctx.globalAlpha = this.visible(m) ? 1 : 0.6;
      starPath(ctx, mx, my, 1.4 * radius);
      ctx.fillStyle = d.colors.minimum; ctx.fill();
      ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 1.2; ctx.stroke();
    }
    ctx.globalAlpha = 1;
  }

  // Ticks and names: x and y along the floor's two front edges, the height on the vertical
  // edge at the left of the picture.
  drawAxes() {
    const ctx = this.ctx, d = this.data, za = this.za, e = this.view.e;
    const fx = e[0] > 0 ? 1 : -1, fy = e[1] > 0 ? 1 : -1; // the floor's edges toward the viewer
    const [[x0, x1], [y0, y1]] = d.bounds;
    const phone = this.size.w < PHONE_WIDTH;
    const small = `${Math.round(this.rem * (phone ? 0.7 : 0.75))}px ${this.font}`;
    const big = `italic ${Math.round(this.rem * (phone ? 0.78 : 0.875))}px ${this.font}`;
    const text = (value, p, font, color) => {
      const [px, py] = this.project(p);
      ctx.font = font;
      ctx.fillStyle = color;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(value, px, py);
    };
    const fmt = (v, extent) => String(Number(v.toFixed(Math.max(0, Math.min(6, 3 - Math.floor(Math.log10(extent || 1)))))));
    const out = 1.14, name = 1.34;
    for (const x of d.x_ticks) text(fmt(x, x1 - x0), [this.wx(x), fy * out, -za], small, "#555");
    for (const y of d.y_ticks) text(fmt(y, y1 - y0), [fx * out, this.wy(y), -za], small, "#555");
    text(d.axes[0], [0, fy * name, -za], big, "#262730");
    text(d.axes[1], [fx * name, 0, -za], big, "#262730");
    // The vertical edge furthest left on the screen (not the one in front, which the surface covers).
    let corner = null;
    for (const cx of [-1, 1]) {
      for (const cy of [-1, 1]) {
        if (cx === fx && cy === fy) continue;
        const [px] = this.project([cx, cy, 0]);
        if (!corner || px < corner.px) corner = { cx, cy, px };
      }
    }
    ctx.beginPath();
    const [bx, by] = this.project([corner.cx, corner.cy, -za]), [tx, ty] = this.project([corner.cx, corner.cy, za]);
    ctx.moveTo(bx, by); ctx.lineTo(tx, ty);
    ctx.strokeStyle = "#8c8c8c"; ctx.lineWidth = 1; ctx.stroke();
    ctx.font = small;
    ctx.fillStyle = "#555";
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    d.z_ticks.forEach((z, k) => {
      const [px, py] = this.project([corner.cx, corner.cy, this.wz(z)]);
      ctx.beginPath(); ctx.moveTo(px - 4, py); ctx.lineTo(px, py); ctx.stroke();
      ctx.fillText(d.z_tick_labels[k], px - 6, py);
    });
    ctx.font = big;
    ctx.fillStyle = "#262730";
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    ctx.fillText(d.axes[2], tx, ty - 6);
  }
}

export default function (component) {
  const { data, parentElement } = component;
  let view = views.get(parentElement);
  if (!view) {
    view = new Surface3D(parentElement);
    views.set(parentElement, view);
  }
  // The element in the page that holds this one: marked once the surface is drawn (the view
  // benchmark waits for it; the canvas itself is inside a shadow root).
  const root = parentElement.getRootNode ? parentElement.getRootNode() : null;
  view.update(data.surface, root && root.host ? root.host : null);
  return () => {
    view.destroy();
    views.delete(parentElement);
  };
}
