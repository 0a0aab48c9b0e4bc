/* nnbench report: tables and charts drawn from the JSON in #nnbench-data.
 * Text is always set with textContent (never HTML built from data); charts are the Vega-Lite
 * specs in DATA.specs with their named data sources filled here. */
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("nnbench-data").textContent);
  const PAGE = 100, MEMBER_PAGE = 50, TIMING_PAGE = 25, HISTORY_PAGE = 12, LARGE = 300;
  const report = (window.nnbenchReport = { charts: 0, chartErrors: [], ready: false });

  // ---- small helpers ---------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  const isNum = (v) => typeof v === "number" && isFinite(v);
  function fmtNum(v) {
    if (!isNum(v)) return "";
    if (Number.isInteger(v)) return Math.abs(v) >= 1e15 ? v.toExponential(3) : v.toLocaleString("en-US");
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-4 || a >= 1e12)) return v.toExponential(4);
    return String(Number(v.toPrecision(6)));
  }
  function fmtNs(ns) {
    if (!isNum(ns)) return "";
    if (ns < 0) return "-" + fmtNs(-ns);
    ns = Number(ns.toPrecision(3));
    if (ns >= 1e12) return (ns / 1e9).toFixed(0) + " s";
    for (const [u, s] of [["s", 1e9], ["ms", 1e6], ["µs", 1e3]]) {
      if (ns >= s) return Number((ns / s).toPrecision(3)) + " " + u;
    }
    return Number(ns.toPrecision(3)) + " ns";
  }
  function fmtBytes(b) {
    if (!isNum(b)) return "";
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    while (Math.abs(b) >= 1024 && i < units.length - 1) { b /= 1024; i++; }
    return (i ? b.toFixed(1) : String(b)) + " " + units[i];
  }
  function fmtAny(v) {
    if (v === null || v === undefined) return "";
    if (isNum(v)) return fmtNum(v);
    if (typeof v === "string") return v;
    const s = JSON.stringify(v);
    return s.length > 90 ? s.slice(0, 87) + "..." : s;
  }
  function fmtTime(ts) {
    if (!ts) return "";
    const d = new Date(ts * 1000), p = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }
  function debounce(fn, ms) {
    let t = 0;
    return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
  }
  function pager(id, page, pages, go) {
    if (pages <= 1) return el("div", { class: "pager", id });
    return el("div", { class: "pager", id },
      el("button", { class: "prev", disabled: page <= 0, onclick: () => go(page - 1) }, "‹ prev"),
      el("span", { class: "page" }, `page ${page + 1} of ${pages}`),
      el("button", { class: "next", disabled: page >= pages - 1, onclick: () => go(page + 1) }, "next ›"));
  }
  function timeUnit(maxNs) {
    for (const [u, s] of [["s", 1e9], ["ms", 1e6], ["µs", 1e3]]) if (maxNs >= s) return [u, s];
    return ["ns", 1];
  }

  // ---- charts ------------------------------------------------------------------------------
  const compiled = new Map();
  function chart(container, name, datasets, size) {
    const key = name + "|" + JSON.stringify(size || {});
    let spec = compiled.get(key);
    try {
      if (!spec) {
        const vl = JSON.parse(JSON.stringify(DATA.specs[name]));
        const { xTitle, yTitle, ...top } = size || {};
        Object.assign(vl, top);
        if (typeof top.width === "number") vl.autosize = { type: "fit-x", contains: "padding" };
        if (xTitle !== undefined && vl.encoding && vl.encoding.x) vl.encoding.x.title = xTitle;
        if (yTitle !== undefined && vl.encoding && vl.encoding.y) vl.encoding.y.title = yTitle;
        spec = vegaLite.compile(vl).spec;
        compiled.set(key, spec);
      }
      const rows = Object.values(datasets).reduce((n, d) => n + d.length, 0);
      const view = new vega.View(vega.parse(spec), {
        renderer: rows > 2000 ? "canvas" : "svg", container, hover: rows <= 2000,
        logLevel: vega.Error,
      });
      for (const [k, v] of Object.entries(datasets)) view.data(k, v);
      return view.runAsync().then(() => {
        container.dataset.rendered = "1";
        report.charts++;
        return view;
      }).catch(fail);
    } catch (err) { fail(err); return Promise.resolve(null); }
    function fail(err) {
      report.chartErrors.push(String(err));
      container.replaceChildren(el("div", { class: "chart-error", text: "chart failed: " + err }));
      return null;
    }
  }
  function chartBox(cls) { return el("div", { class: "chart " + (cls || "") }); }

  // ---- state --------------------------------------------------------------------------------
  const runs = DATA.runs || [];
  const state = {
    run: 0, tab: "results",
    results: { q: "", tag: "", status: "all", sort: "status", dir: 1, page: 0, open: new Set(), mpage: {} },
    timings: { q: "", page: 0 },
    history: { q: "", changed: false, page: 0 },
    compare: { q: "", show: "all", page: 0 },
  };
  const run = () => runs[state.run];
  const failed = (r) => !!r.error;

  // Families and their members' labels (the parameters that differ between members), per run.
  function prepare(r) {
    if (r._items) return r._items;
    r._items = r.groups.map((idx) => {
      const members = idx.map((i) => r.results[i]);
      if (members.length === 1) return { kind: "result", r: members[0], pos: idx[0] };
      const keys = new Set(members.flatMap((m) => Object.keys(m.parameters || {})));
      const differ = [...keys].filter((k) => {
        const first = JSON.stringify((members[0].parameters || {})[k]);
        return members.some((m) => JSON.stringify((m.parameters || {})[k]) !== first);
      });
      members.forEach((m, i) => {
        const p = m.parameters || {};
        m._label = differ.length === 1 ? fmtAny(p[differ[0]])
          : differ.length ? differ.map((k) => `${k}=${fmtAny(p[k])}`).join(", ") : m.name;
        m._pos = idx[i];
      });
      const fn = members[0].function;
      const nums = members.filter((m) => isNum(m.value)).map((m) => m.value);
      return {
        kind: "family", name: fn, members, pos: idx[0], key: fn,
        axis: differ.length === 1 ? differ[0] : differ.join(", "),
        failed: members.filter(failed).length,
        mean: nums.length ? nums.reduce((a, b) => a + b, 0) / nums.length : null,
        min: nums.length ? Math.min(...nums) : null, max: nums.length ? Math.max(...nums) : null,
        time: members.reduce((a, m) => a + (m.time_ns || 0), 0),
        tags: [...new Set(members.flatMap((m) => m.tags || []))],
      };
    });
    return r._items;
  }

  // ---- header, tabs -------------------------------------------------------------------------
  function header() {
    const line = document.getElementById("run-line");
    const r = run();
    const parts = [];
    if (runs.length > 1) {
      const sel = el("select", { id: "run-select", "aria-label": "run",
        onchange: (e) => { state.run = Number(e.target.value); state.results.page = 0; state.results.open.clear(); render(); } },
        runs.map((x, i) => el("option", { value: i, selected: i === state.run }, `${x.label} (${x.results.length} results)`)));
      parts.push(el("label", {}, "run ", sel));
    } else if (r) {
      parts.push(el("span", { id: "run-name" }, el("strong", { text: r.label })));
    }
    if (r) {
      parts.push(el("span", { text: fmtTime(r.timestamp) }));
      parts.push(el("span", {}, `${r.results.length} results`,
        r.failed ? el("span", { class: "badge bad", id: "failed-count" }, `${r.failed} failed`) : el("span", { class: "badge good" }, "all passed")));
      if (r.context && r.context.interrupted) parts.push(el("span", { class: "badge warn" }, "interrupted"));
    }
    line.replaceChildren(...parts);
  }
  const TABS = [
    ["results", "Results", () => !!run()],
    ["timings", "Timings", () => run() && run().results.some((x) => x.timing && isNum(x.timing.median))],
    ["history", "History", () => !!run()],
    ["compare", "Compare", () => !!DATA.compare],
    ["run", "Run info", () => !!run()],
  ];
  function tabs() {
    const nav = document.getElementById("tabs");
    const shown = TABS.filter(([, , ok]) => ok());
    if (!shown.some(([id]) => id === state.tab)) state.tab = shown.length ? shown[0][0] : "results";
    nav.replaceChildren(...shown.map(([id, label]) => el("button", {
      role: "tab", id: "tab-" + id, "aria-selected": String(id === state.tab),
      onclick: () => { state.tab = id; render(); },
    }, label)));
  }

  // ---- results ------------------------------------------------------------------------------
  function matches(m, q, tag, status) {
    if (q && !m.name.toLowerCase().includes(q) && !(m.function || "").toLowerCase().includes(q)) return false;
    if (tag && !(m.tags || []).includes(tag)) return false;
    if (status === "failed" && !failed(m)) return false;
    if (status === "passed" && failed(m)) return false;
    return true;
  }
  function visibleMembers(item, s) {
    const q = s.q.toLowerCase();
    const fnMatch = q && item.name.toLowerCase().includes(q);
    return item.members.filter((m) => matches(m, fnMatch ? "" : q, s.tag, s.status));
  }
  function sortKey(x, key) {
    if (key === "name") return x.kind === "family" ? x.name : x.name;
    if (key === "value") return x.kind === "family" ? x.mean : (isNum(x.value) ? x.value : null);
    if (key === "time") return x.kind === "family" ? x.time : (isNum(x.time_ns) ? x.time_ns : null);
    if (key === "status") return x.kind === "family" ? (x.failed ? 0 : 1) : (failed(x) ? 0 : 1);
    return null;
  }
  function sorted(list, s, wrap) {
    const key = s.sort, dir = s.dir;
    return list.map((x, i) => [x, i]).sort((a, b) => {
      const ka = sortKey(wrap(a[0]), key), kb = sortKey(wrap(b[0]), key);
      if (ka === kb) return a[1] - b[1];
      if (ka === null) return 1;
      if (kb === null) return -1;
      return (typeof ka === "string" ? ka.localeCompare(kb) : ka - kb) * dir;
    }).map((p) => p[0]);
  }
  function resultsTab(root) {
    const r = run(), s = state.results;
    const items = prepare(r);
    const tags = [...new Set(r.results.flatMap((x) => x.tags || []))].sort();
    const q = s.q.toLowerCase();
    const visible = items.filter((it) => it.kind === "result"
      ? matches(it.r, q, s.tag, s.status)
      : visibleMembers(it, s).length > 0);
    const ordered = sorted(visible, s, (it) => (it.kind === "family" ? it : it.r));
    const pages = Math.max(1, Math.ceil(ordered.length / PAGE));
    s.page = Math.min(s.page, pages - 1);
    const search = el("input", { type: "search", id: "search", placeholder: "search benchmarks", value: s.q,
      "aria-label": "search benchmarks",
      oninput: debounce((e) => { s.q = e.target.value; s.page = 0; rerender("#search"); }, 120) });
    const tagSel = el("select", { id: "tag-filter", "aria-label": "tag",
      onchange: (e) => { s.tag = e.target.value; s.page = 0; render(); } },
      el("option", { value: "" }, "all tags"), tags.map((t) => el("option", { value: t, selected: t === s.tag }, t)));
    const statusSel = el("select", { id: "status-filter", "aria-label": "status",
      onchange: (e) => { s.status = e.target.value; s.page = 0; render(); } },
      ["all", "failed", "passed"].map((v) => el("option", { value: v, selected: v === s.status }, v)));
    const shownCount = visible.reduce((n, it) => n + (it.kind === "family" ? visibleMembers(it, s).length : 1), 0);
    root.append(el("div", { class: "toolbar" }, search, tagSel, statusSel,
      el("span", { class: "count", id: "results-count" }, `${shownCount} of ${r.results.length} results`)));
    const cols = [["", null], ["benchmark", "name"], ["value", "value", "num"], ["unit", null],
                  ["time", "time", "num"], ["tags", null], ["status", "status"]];
    const head = el("tr", {}, cols.map(([label, key, cls]) => el("th", {
      class: cls, "data-sort": key, "aria-sort": key && s.sort === key ? (s.dir > 0 ? "ascending" : "descending") : null,
      onclick: key ? () => { s.dir = s.sort === key ? -s.dir : 1; s.sort = key; render(); } : null,
    }, label, key && s.sort === key ? (s.dir > 0 ? " ▲" : " ▼") : "")));
    const body = el("tbody");
    for (const it of ordered.slice(s.page * PAGE, (s.page + 1) * PAGE)) {
      if (it.kind === "result") body.append(...resultRows(it.r, "result"));
      else body.append(...familyRows(it, s));
    }
    root.append(el("table", { id: "results" }, el("thead", {}, head), body));
    if (!ordered.length) root.append(el("p", { class: "muted", id: "no-results" }, "No result matches."));
    root.append(pager("results-pager", s.page, pages, (p) => { s.page = p; render(); }));
  }
  function valueCell(m) {
    const td = el("td", { class: isNum(m.value) ? "num" : "" }, fmtAny(m.value));
    if (!isNum(m.value) && m.value !== undefined && typeof m.value !== "string") td.title = JSON.stringify(m.value);
    return td;
  }
  function timeCell(m) {
    const t = m.timing;
    const td = el("td", { class: "num" }, fmtNs(t && isNum(t.median) ? t.median : m.time_ns));
    if (t && isNum(t.iqr)) td.title = `median ${fmtNs(t.median)}, IQR ${fmtNs(t.iqr)}, ${t.rounds} rounds`;
    return td;
  }
  function resultRows(m, cls) {
    const name = el("td", { class: "name" }, m.name);
    if (m.description) name.title = m.description;
    if (m.error) {
      name.append(el("div", { class: "err" }, `${m.error.type || "Error"}: ${m.error.message}`));
      if (m.error.traceback) name.append(el("details", {}, el("summary", {}, "traceback"), el("pre", { text: m.error.traceback })));
    }
    return [el("tr", { class: `${cls}${m.error ? " failed" : ""}`, "data-name": m.name },
      el("td"), name, valueCell(m), el("td", { text: m.unit || "" }), timeCell(m),
      el("td", {}, (m.tags || []).map((t) => el("span", { class: "tag", text: t }))),
      el("td", {}, m.error ? el("span", { class: "badge bad" }, "failed") : "ok"))];
  }
  function familyRows(it, s) {
    const open = s.open.has(it.key);
    const members = visibleMembers(it, s);
    const toggle = el("button", { class: "toggle", "aria-expanded": String(open), title: open ? "collapse" : "expand",
      onclick: () => { if (open) s.open.delete(it.key); else s.open.add(it.key); render(); } }, open ? "▾" : "▸");
    const name = el("td", { class: "name" }, it.name,
      el("span", { class: "badge" }, `${it.members.length} members`),
      members.length !== it.members.length ? el("span", { class: "badge warn" }, `${members.length} shown`) : null);
    const value = it.min === null ? "" : (it.min === it.max ? fmtNum(it.min) : `${fmtNum(it.min)} … ${fmtNum(it.max)}`);
    const rows = [el("tr", { class: `family${it.failed ? " failed" : ""}`, "data-family": it.key },
      el("td", {}, toggle), name, el("td", { class: "num", title: it.mean === null ? null : `mean ${fmtNum(it.mean)}` }, value),
      el("td", { text: it.members[0].unit || "" }), el("td", { class: "num" }, fmtNs(it.time)),
      el("td", {}, it.tags.map((t) => el("span", { class: "tag", text: t }))),
      el("td", {}, it.failed ? el("span", { class: "badge bad" }, `${it.failed} failed`) : "ok"))];
    if (!open) return rows;
    const ordered = sorted(members, s, (m) => m);
    const pages = Math.max(1, Math.ceil(ordered.length / MEMBER_PAGE));
    const mp = Math.min(s.mpage[it.key] || 0, pages - 1);
    const box = chartBox("family-chart");
    const cell = el("td", { colspan: 7 }, box);
    rows.push(el("tr", { class: "detail", "data-detail": it.key }, cell));
    for (const m of ordered.slice(mp * MEMBER_PAGE, (mp + 1) * MEMBER_PAGE)) rows.push(...resultRows(m, "member"));
    if (pages > 1) {
      rows.push(el("tr", { class: "detail" }, el("td", { colspan: 7 },
        pager("member-pager", mp, pages, (p) => { s.mpage[it.key] = p; render(); }))));
    }
    afterRender.push(() => familyChart(box, it));
    return rows;
  }
  function familyChart(box, it) {
    const useValue = it.members.some((m) => isNum(m.value));
    const pts = [];
    it.members.forEach((m, i) => {
      const v = useValue ? m.value : m.time_ns;
      if (isNum(v)) pts.push({ member: m._label, name: m.name, value: useValue ? v : v / 1e6, i, i1: i + 1 });
    });
    if (!pts.length) { box.append(el("p", { class: "muted", text: "No member has a number to plot." })); return null; }
    const large = pts.length > LARGE;
    const width = Math.max(320, Math.min(box.clientWidth - 20, large ? 100000 : 90 + pts.length * 22));
    const title = useValue ? (it.members[0].unit || "value") : "time (ms)";
    const axis = large ? `member (collection order) — ${pts.length}` : it.axis || null;
    return chart(box, large ? "family_large" : "family", { rows: pts },
      { width, height: 180, xTitle: axis, yTitle: title,
        title: { text: `${it.name}: ${title}`, anchor: "start", fontSize: 12 } });
  }

  // ---- timings ------------------------------------------------------------------------------
  function timingsTab(root) {
    const s = state.timings, r = run();
    const timed = r.results.filter((x) => x.timing && isNum(x.timing.median));
    const q = s.q.toLowerCase();
    const shown = timed.filter((x) => !q || x.name.toLowerCase().includes(q));
    const pages = Math.max(1, Math.ceil(shown.length / TIMING_PAGE));
    s.page = Math.min(s.page, pages - 1);
    const page = shown.slice(s.page * TIMING_PAGE, (s.page + 1) * TIMING_PAGE);
    root.append(el("div", { class: "toolbar" },
      el("input", { type: "search", id: "timing-search", placeholder: "search timed benchmarks", value: s.q,
        oninput: debounce((e) => { s.q = e.target.value; s.page = 0; rerender("#timing-search"); }, 120) }),
      el("span", { class: "count" }, `${shown.length} of ${timed.length} timed benchmarks; box = Q1–Q3, red tick = median, whiskers = min–max, dots = samples`)));
    const box = chartBox("timing-chart");
    root.append(box);
    const table = el("table", { id: "timings" }, el("thead", {}, el("tr", {},
      ["benchmark", "median", "IQR", "IQR/median", "min", "max", "rounds", "samples shown", "warnings"].map((h, i) =>
        el("th", { class: i && i < 8 ? "num" : "" }, h)))));
    const body = el("tbody");
    for (const x of page) {
      const t = x.timing;
      body.append(el("tr", {}, el("td", { class: "name", text: x.name }),
        el("td", { class: "num", text: fmtNs(t.median) }), el("td", { class: "num", text: fmtNs(t.iqr) }),
        el("td", { class: "num", text: isNum(t.iqr_median) ? t.iqr_median.toFixed(3) : "" }),
        el("td", { class: "num", text: fmtNs(t.min) }), el("td", { class: "num", text: fmtNs(t.max) }),
        el("td", { class: "num", text: t.rounds || "" }), el("td", { class: "num", text: (t.samples || []).length }),
        el("td", { class: "err", text: (t.warnings || []).join("; ") })));
    }
    table.append(body);
    root.append(table, pager("timing-pager", s.page, pages, (p) => { s.page = p; render(); }));
    if (!page.length) return;
    const [unit, scale] = timeUnit(Math.max(...page.map((x) => x.timing.max || x.timing.median)));
    const stats = page.map((x) => {
      const t = x.timing, o = { name: x.name };
      for (const k of ["min", "q1", "median", "q3", "max", "iqr"]) o[k] = isNum(t[k]) ? t[k] / scale : t.median / scale;
      return o;
    });
    const samples = page.flatMap((x) => (x.timing.samples || []).map((v) => ({ name: x.name, t: v / scale })));
    afterRender.push(() => chart(box, "timing", { stats, samples }, {
      width: Math.max(320, box.clientWidth - 20), height: { step: 26 },
      title: { text: `time per call (${unit})`, anchor: "start", fontSize: 12 } }));
  }

  // ---- history ------------------------------------------------------------------------------
  function historyTab(root) {
    const h = run().history, s = state.history;
    if (!h) {
      root.append(el("p", { class: "muted", id: "no-history" },
        "No earlier runs of this suite (same artifacts) in the results store, so there is no history to draw. " +
        "Run the suite again (nnbench run) and make the report from the store."));
      return;
    }
    const suite = Object.entries(h.suite || {}).map(([k, v]) => `${k}=${v}`).join(", ") || "no artifacts";
    const marked = (x) => x.marks.length > 0;
    const q = s.q.toLowerCase();
    const list = h.series.filter((x) => (!q || x.name.toLowerCase().includes(q)) && (!s.changed || marked(x)));
    list.sort((a, b) => (marked(b) - marked(a)) ||
      ((b.marks.length ? b.marks[b.marks.length - 1].i : -1) - (a.marks.length ? a.marks[a.marks.length - 1].i : -1)));
    const pages = Math.max(1, Math.ceil(list.length / HISTORY_PAGE));
    s.page = Math.min(s.page, pages - 1);
    const nChanged = h.series.filter(marked).length;
    root.append(el("p", { class: "muted" },
      `${h.runs.length} runs of this suite (${suite}), oldest ${fmtTime(h.runs[0].t / 1000)}; ` +
      `${nChanged} of ${h.series.length} benchmarks changed significantly (large dots: green better, red worse, ` +
      `amber direction unknown); the diamond is this run.`));
    root.append(el("div", { class: "toolbar" },
      el("input", { type: "search", id: "history-search", placeholder: "search benchmarks", value: s.q,
        oninput: debounce((e) => { s.q = e.target.value; s.page = 0; rerender("#history-search"); }, 120) }),
      el("label", {}, el("input", { type: "checkbox", id: "history-changed", checked: s.changed,
        onchange: (e) => { s.changed = e.target.checked; s.page = 0; render(); } }), " only significant changes"),
      el("span", { class: "count" }, `${list.length} benchmarks`)));
    const grid = el("div", { class: "grid", id: "history-grid" });
    root.append(grid, pager("history-pager", s.page, pages, (p) => { s.page = p; render(); }));
    for (const x of list.slice(s.page * HISTORY_PAGE, (s.page + 1) * HISTORY_PAGE)) {
      const scale = x.kind === "time" ? timeUnit(Math.max(...x.values.filter(isNum)))[1] : 1;
      const unit = x.kind === "time" ? timeUnit(Math.max(...x.values.filter(isNum)))[0] : x.unit;
      const byRun = new Map(x.marks.map((m) => [m.i, m]));
      const pts = [];
      x.values.forEach((v, i) => {
        if (!isNum(v)) return;
        const m = byRun.get(i);
        pts.push({ t: h.runs[i].t, run: h.runs[i].label, value: v / scale, current: i === h.current,
                   mark: m ? m.mark : "", p: m ? m.p : null });
      });
      const last = x.marks[x.marks.length - 1];
      const box = chartBox("history-chart");
      grid.append(el("div", { class: "card", "data-name": x.name },
        el("h3", { text: x.name }),
        el("div", { class: "muted" }, `${x.kind === "time" ? "time" : "value"}${unit ? " (" + unit + ")" : ""}`,
          last ? el("span", { class: `badge ${last.mark === "worse" ? "bad" : last.mark === "better" ? "good" : "warn"}` },
            `${last.mark}${isNum(last.rel) ? " " + (last.rel * 100).toFixed(2) + "%" : ""} p=${isNum(last.p) ? last.p.toPrecision(2) : "?"}`) : null),
        box));
      afterRender.push(() => chart(box, "history", { points: pts }, { width: Math.max(300, box.clientWidth - 10), height: 120 }));
    }
  }

  // ---- compare ------------------------------------------------------------------------------
  function cmpValue(row, v, state) {
    if (v === null || v === undefined) return state || "";
    if (row.metric === "time") return fmtNs(v);
    if (row.metric === "memory") return fmtBytes(v);
    return fmtNum(v);
  }
  // Failed gates, then significant regressions, then untested ones, then other significant changes.
  function regressionRank(row, cands) {
    const ch = cands.map((c) => row.changes[c]).filter(Boolean);
    if (row.gate === "FAIL") return 0;
    if (ch.some((c) => c.verdict === "worse" && c.significant === true)) return 1;
    if (ch.some((c) => c.verdict === "worse")) return 2;
    if (ch.some((c) => c.significant)) return 3;
    return 4;
  }
  function compareTab(root) {
    const c = DATA.compare, s = state.compare, cands = c.candidates;
    const summary = c.gates.length
      ? (c.passed ? `All ${c.gates.length} gate(s) passed.` : `${c.failures.length} gate failure(s).`)
      : "No gates.";
    root.append(el("div", { class: `summary ${c.gates.length ? (c.passed ? "good" : "bad") : ""}`, id: "compare-summary" },
      el("strong", {}, `${c.base} → ${cands.join(", ")}`), " — ", summary));
    if (c.failures.length) {
      root.append(el("ul", { id: "gate-failures" }, c.failures.map((f) =>
        el("li", { class: "worse" }, `${f.gate}: ${f.benchmark} (${f.run}): ${f.reason}`))));
    }
    const q = s.q.toLowerCase();
    const keep = (row) => {
      if (q && !row.name.toLowerCase().includes(q)) return false;
      if (s.show === "regressions") return regressionRank(row, cands) <= 2;
      if (s.show === "significant") return cands.some((k) => row.changes[k] && row.changes[k].significant);
      if (s.show === "gated") return row.gate !== null && row.gate !== undefined;
      return true;
    };
    const rows = c.rows.map((row, i) => [row, i]).filter(([row]) => keep(row))
      .sort((a, b) => regressionRank(a[0], cands) - regressionRank(b[0], cands) || a[1] - b[1]).map((p) => p[0]);
    const pages = Math.max(1, Math.ceil(rows.length / PAGE));
    s.page = Math.min(s.page, pages - 1);
    root.append(el("div", { class: "toolbar" },
      el("input", { type: "search", id: "compare-search", placeholder: "search benchmarks", value: s.q,
        oninput: debounce((e) => { s.q = e.target.value; s.page = 0; rerender("#compare-search"); }, 120) }),
      el("select", { id: "compare-show", onchange: (e) => { s.show = e.target.value; s.page = 0; render(); } },
        [["all", "all rows"], ["regressions", "regressions"], ["significant", "significant changes"], ["gated", "gated rows"]]
          .map(([v, t]) => el("option", { value: v, selected: v === s.show }, t))),
      el("span", { class: "count" }, `${rows.length} of ${c.rows.length} benchmarks; regressions first`)));
    const page = rows.slice(s.page * PAGE, (s.page + 1) * PAGE);
    const box = chartBox("compare-chart");
    const hasCi = c.rows.some((row) => cands.some((k) => row.changes[k] && row.changes[k].ci));
    const head = ["benchmark", c.base];
    for (const k of cands) head.push(k, "Δ", "Δ%", "p", ...(hasCi ? ["95% CI"] : []), "verdict");
    if (c.gates.length) head.push("gate");
    const body = el("tbody");
    for (const row of page) {
      const cells = [el("td", { class: "name", text: row.name }), el("td", { class: "num", text: cmpValue(row, row.values[c.base], row.states[c.base]) })];
      for (const k of cands) {
        const ch = row.changes[k];
        const cls = ch ? ch.verdict : "";
        cells.push(el("td", { class: "num", text: cmpValue(row, row.values[k], row.states[k]) }));
        cells.push(el("td", { class: `num ${cls}`, text: ch ? (row.metric === "time" ? (ch.absolute >= 0 ? "+" : "") + fmtNs(ch.absolute) : (ch.absolute >= 0 ? "+" : "") + fmtNum(ch.absolute)) : "" }));
        cells.push(el("td", { class: `num ${cls}`, text: ch && isNum(ch.relative) ? (ch.relative >= 0 ? "+" : "") + (ch.relative * 100).toFixed(2) + "%" : "" }));
        cells.push(el("td", { class: "num", title: ch && ch.test ? ch.test : null,
          text: ch && isNum(ch.pvalue) ? ch.pvalue.toPrecision(3) : "" }));
        if (hasCi) cells.push(el("td", { class: "num", text: ch && ch.ci ? `[${fmtNum(ch.ci[0])}, ${fmtNum(ch.ci[1])}]` : "" }));
        cells.push(el("td", { class: cls, text: ch ? (ch.verdict || (ch.significant ? "changed" : "")) : "" }));
      }
      if (c.gates.length) cells.push(el("td", { class: row.gate === "FAIL" ? "worse" : "", text: row.gate || "" }));
      body.append(el("tr", { class: row.gate === "FAIL" ? "failed" : "", "data-name": row.name }, cells));
    }
    root.append(el("table", { id: "compare" }, el("thead", {}, el("tr", {}, head.map((h, i) => el("th", { class: i ? "num" : "", text: h })))), body));
    root.append(pager("compare-pager", s.page, pages, (p) => { s.page = p; render(); }));
    root.append(el("h3", { text: "Relative change, this page's first 40 rows" }), box);
    const pts = [];
    for (const row of page.slice(0, 40)) for (const k of cands) {
      const ch = row.changes[k];
      if (ch && isNum(ch.relative)) pts.push({ name: row.name, run: k, rel: ch.relative * 100, verdict: ch.verdict || "" });
    }
    if (pts.length) afterRender.push(() => chart(box, "compare", { rows: pts }, { width: Math.max(320, Math.min(1100, box.clientWidth - 20)), height: { step: 12 } }));
  }

  // ---- run info -----------------------------------------------------------------------------
  function facts(obj, fmt) {
    const dl = el("dl", { class: "facts" });
    for (const [k, v] of Object.entries(obj || {})) {
      if (v === null || v === undefined || v === "" || (typeof v === "object" && !Object.keys(v).length)) continue;
      dl.append(el("dt", { text: k }), el("dd", { text: fmt && fmt[k] ? fmt[k](v) : (typeof v === "object" ? JSON.stringify(v) : String(v)) }));
    }
    return dl;
  }
  function runTab(root) {
    const r = run(), ctx = r.context || {};
    root.append(el("h2", { text: "Run" }), facts({
      name: r.run, "run id": r.run_id, time: fmtTime(r.timestamp), results: r.results.length,
      failed: r.failed, interrupted: ctx.interrupted ? "yes" : "no",
    }));
    const arts = ctx.artifacts || {};
    root.append(el("h2", { text: "Artifacts" }));
    if (!Object.keys(arts).length) root.append(el("p", { class: "muted", text: "No artifacts." }));
    for (const [param, a] of Object.entries(arts)) {
      if (!a || typeof a !== "object") { root.append(facts({ [param]: a })); continue; }
      const { files, ...rest } = a;
      root.append(el("h3", { text: param }), facts(rest, { total_size: fmtBytes }));
      if (Array.isArray(files) && files.length) {
        root.append(el("table", { class: "files" }, el("thead", {}, el("tr", {}, el("th", { text: "file" }), el("th", { class: "num", text: "size" }), el("th", { text: "etag" }))),
          el("tbody", {}, files.map((f) => el("tr", {}, el("td", { text: f.path }), el("td", { class: "num", text: fmtBytes(f.size) }), el("td", { text: f.etag || "" }))))));
        if (a.files_total) root.append(el("p", { class: "muted", text: `${files.length} of ${a.files_total} files shown` }));
      }
    }
    root.append(el("h2", { text: "Machine and software" }));
    for (const key of ["cpu", "python", "torch", "git", "nnbench", "execution"]) {
      if (ctx[key] && typeof ctx[key] === "object" && Object.keys(ctx[key]).length) root.append(el("h3", { text: key }), facts(ctx[key]));
    }
    const rest = Object.fromEntries(Object.entries(ctx).filter(([k]) => !["cpu", "python", "torch", "git", "nnbench", "execution", "artifacts", "interrupted"].includes(k)));
    root.append(el("details", {}, el("summary", {}, "whole context (JSON)"), el("pre", { text: JSON.stringify(rest, null, 2) })));
  }

  // ---- render -------------------------------------------------------------------------------
  let afterRender = [];
  function rerender(focusSel) {
    const focus = document.activeElement && document.activeElement.matches(focusSel);
    const pos = focus ? document.activeElement.selectionStart : null;
    render();
    if (focus) {
      const input = document.querySelector(focusSel);
      input.focus();
      if (pos !== null) input.setSelectionRange(pos, pos);
    }
  }
  function render() {
    header();
    tabs();
    const app = document.getElementById("app");
    const root = el("section", { id: "view-" + state.tab, role: "tabpanel" });
    afterRender = [];
    if (!runs.length) root.append(el("p", { class: "muted", text: "This report holds no run." }));
    else if (state.tab === "results") resultsTab(root);
    else if (state.tab === "timings") timingsTab(root);
    else if (state.tab === "history") historyTab(root);
    else if (state.tab === "compare") compareTab(root);
    else runTab(root);
    app.replaceChildren(root);
    const jobs = afterRender.map((f) => f());
    report.ready = false;
    return Promise.all(jobs).then(() => { report.ready = true; document.body.dataset.ready = "1"; });
  }
  const foot = document.getElementById("foot");
  foot.textContent = `Made by nnbench ${DATA.nnbench || ""} on ${fmtTime(DATA.generated)}; ` +
    "one self-contained file: data, styles and charts (Vega/Vega-Lite, BSD-3-Clause) are inline, nothing is fetched.";
  render();
})();
