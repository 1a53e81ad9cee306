// Draw a `result` (docs/protocol.md, `results`) for the control and projector screens.
//
// The DOM stays put between updates: bars keep their elements and only their widths, heights
// and numbers change (CSS transitions do the rest), so the projector does not jump. Numbers are
// always written next to the bars, never colour only. Participant text goes in by textContent.

import { el, setText, show, format, clear } from "./dom.js";
import { pick, formatNumber, formatPercent } from "./text.js";

const CHOICE = new Set(["single_choice", "multi_choice"]);

// Projector views re-fit their text lists when the window size changes (one listener for all).
const fittedViews = new Set();
window.addEventListener("resize", () => {
  for (const view of fittedViews) {
    if (view.root.isConnected) view._scheduleFit();
    else fittedViews.delete(view);
  }
});

/**
 * The per-kind result and the respondent count from either shape the server may send:
 * a `results` envelope {activity, kind, rev, respondents, result} or the bare per-kind result.
 */
export function unwrapResult(value) {
  if (!value || typeof value !== "object") return { result: null, respondents: null };
  if ("result" in value && ("rev" in value || "activity" in value || "kind" in value)) {
    return { result: value.result ?? null, respondents: value.respondents ?? null };
  }
  return { result: value, respondents: respondentsOf(value) };
}

/** Number of respondents in a per-kind result (null when unknown). */
export function respondentsOf(result) {
  if (!result || typeof result !== "object") return null;
  if (Number.isFinite(result.respondents)) return result.respondents;
  if (Number.isFinite(result.n)) return result.n;
  return null;
}

export class ResultView {
  /**
   * @param {HTMLElement} root  container owned by the view
   * @param {{strings: object, lang: string, mode: "projector"|"control"}} options
   */
  constructor(root, { strings = {}, lang = "nl", mode = "control" } = {}) {
    this.root = root;
    this.s = strings;
    this.lang = lang;
    this.mode = mode;
    this.key = null;
    this.parts = null;
    this._fitFrame = 0;
    if (mode === "projector") fittedViews.add(this);
  }

  /** Forget everything (next render rebuilds). */
  reset() {
    clear(this.root);
    this.key = null;
    this.parts = null;
  }

  /**
   * Draw `result` (per-kind result object) for `activity` (activity view from the state).
   * Returns false when there is nothing to draw for this kind.
   */
  render(activity, result) {
    if (!activity || !result) {
      this.reset();
      return false;
    }
    const kind = activity.kind;
    const key = `${activity.id}:${kind}:${JSON.stringify(activity.options || activity.scale || null)}`;
    if (key !== this.key) {
      this.reset();
      this.key = key;
      if (CHOICE.has(kind)) this.parts = this._buildChoice(activity);
      else if (kind === "scale") this.parts = this._buildScale(activity, result);
      else if (kind === "open_text") this.parts = this._buildText();
      else return false;
    }
    if (CHOICE.has(kind)) this._updateChoice(activity, result);
    else if (kind === "scale") this._updateScale(activity, result);
    else if (kind === "open_text") this._updateText(result);
    return true;
  }

  // ------------------------------------------------------------------ choices

  _buildChoice(activity) {
    const count = (activity.options || []).length;
    const list = el("ol", { class: ["bars", count > 5 ? "bars-many" : "", count > 8 ? "bars-lots" : ""],
                            attrs: { role: "list" } });
    const rows = new Map();
    for (const option of activity.options || []) {
      const fill = el("span", { class: "bar-fill" });
      const pct = el("span", { class: "bar-pct" });
      const count = el("span", { class: "bar-count" });
      const label = el("span", { class: "bar-label" }, pick(option.label, this.lang));
      if (option.placeholder) {
        label.append(" ", el("span", { class: "badge badge-placeholder", text: this.s.placeholder || "voorlopig" }));
      }
      const row = el("li", { class: "bar-row", data: { id: option.id } },
        label,
        el("span", { class: "bar-line" },
          el("span", { class: "bar-track", attrs: { "aria-hidden": "true" } }, fill),
          el("span", { class: "bar-value" }, pct, " ", count)));
      rows.set(option.id, { row, fill, pct, count });
      list.append(row);
    }
    const empty = el("p", { class: "result-empty", text: this.s.res_no_answers || "" });
    const note = el("p", { class: "result-note" });
    const wrapper = el("div", { class: ["result", "result-choice", `result-${activity.kind}`] },
                       list, empty, note);
    this.root.append(wrapper);
    return { wrapper, rows, empty, note };
  }

  _updateChoice(activity, result) {
    const { rows, empty, note } = this.parts;
    const n = respondentsOf(result) || 0;
    const byId = new Map((result.options || []).map((o) => [o.id, o]));
    for (const [id, parts] of rows) {
      const option = byId.get(id) || { count: 0, percent: 0 };
      const percent = Number(option.percent) || 0;
      parts.fill.style.width = `${Math.max(0, Math.min(100, percent))}%`;
      setText(parts.pct, formatPercent(percent, this.lang));
      setText(parts.count, `(${option.count})`);
      parts.row.classList.toggle("is-zero", !option.count);
    }
    show(empty, n === 0);
    const nText = format(this.s.res_n || "n = {n}", { n });
    setText(note, activity.kind === "multi_choice"
      ? `${this.s.res_pct_of_respondents || "% of respondents"} \u00b7 ${nText}`
      : nText);
  }

  // ------------------------------------------------------------------ scale

  _steps(activity, result) {
    const scale = activity.scale || result || {};
    const min = Number(result.min ?? scale.min ?? 0);
    const max = Number(result.max ?? scale.max ?? 10);
    const step = Number(result.step ?? scale.step ?? 1) || 1;
    const values = (result.histogram || []).map((h) => Number(h.value));
    if (values.length) return { min, max, step, values };
    const out = [];
    for (let v = min; v <= max + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
    return { min, max, step, values: out };
  }

  _buildScale(activity, result) {
    const { values } = this._steps(activity, result);
    const columns = `repeat(${values.length}, minmax(0, 1fr))`;
    const plot = el("div", { class: "hist-plot" });
    const axis = el("div", { class: "hist-axis", attrs: { "aria-hidden": "true" } });
    plot.style.gridTemplateColumns = columns;
    axis.style.gridTemplateColumns = columns;
    const cols = new Map();
    for (const value of values) {
      const bar = el("span", { class: "hist-bar" });
      const count = el("span", { class: "hist-count" });
      const col = el("div", { class: "hist-col" }, count, bar);
      plot.append(col);
      axis.append(el("span", { class: "hist-x", text: formatNumber(value, this.lang, 2) }));
      cols.set(String(value), { col, bar, count });
    }
    const meanLabel = el("span", { class: "hist-marker-label" });
    const medianLabel = el("span", { class: "hist-marker-label" });
    const mean = el("div", { class: "hist-marker hist-mean", attrs: { "aria-hidden": "true" } }, meanLabel);
    const median = el("div", { class: "hist-marker hist-median", attrs: { "aria-hidden": "true" } }, medianLabel);
    plot.append(mean, median);

    const scale = activity.scale || {};
    const poles = el("div", { class: "hist-poles" },
      el("span", { class: "pole pole-left", text: pick(scale.left, this.lang) }),
      el("span", { class: "pole pole-mid", text: pick(scale.mid, this.lang) }),
      el("span", { class: "pole pole-right", text: pick(scale.right, this.lang) }));
    const stats = el("p", { class: "hist-stats" });
    const empty = el("p", { class: "result-empty", text: this.s.res_no_answers || "" });
    const chart = el("div", { class: "hist" }, plot, axis, poles, stats, empty);

    const whyList = el("ol", { class: "entries" });
    const whyMore = el("p", { class: "entries-more", hidden: true });
    const whys = el("div", { class: "result-entries result-whys", hidden: true },
      el("h3", { class: "entries-title", text: this.s.res_whys || "Why?" }), whyList, whyMore);

    const wrapper = el("div", { class: "result result-scale" }, chart, whys);
    this.root.append(wrapper);
    return { wrapper, cols, mean, meanLabel, median, medianLabel, stats, empty, whys, whyList,
             whyMore, whyItems: new Map() };
  }

  _updateScale(activity, result) {
    const p = this.parts;
    const { values } = this._steps(activity, result);
    const counts = new Map((result.histogram || []).map((h) => [String(Number(h.value)), Number(h.count) || 0]));
    const maxCount = Math.max(0, ...counts.values());
    for (const [value, parts] of p.cols) {
      const count = counts.get(value) || 0;
      parts.bar.style.height = maxCount ? `${(100 * count) / maxCount}%` : "0%";
      setText(parts.count, count ? String(count) : "");
      parts.col.classList.toggle("is-zero", !count);
    }
    const n = respondentsOf(result) || 0;
    const position = (x) => {
      // the centre of the column of value x (columns are equal width, one per step)
      const i = values.length > 1
        ? ((x - values[0]) / (values[values.length - 1] - values[0])) * (values.length - 1)
        : 0;
      return `${((i + 0.5) / values.length) * 100}%`;
    };
    const hasStats = n > 0 && result.mean !== null && result.mean !== undefined;
    show(p.mean, hasStats);
    show(p.median, hasStats && result.median !== null && result.median !== undefined);
    if (hasStats) {
      p.mean.style.left = position(Number(result.mean));
      setText(p.meanLabel, `${this.s.res_mean || "Mean"} ${formatNumber(result.mean, this.lang)}`);
      if (result.median !== null && result.median !== undefined) {
        p.median.style.left = position(Number(result.median));
        setText(p.medianLabel, `${this.s.res_median || "Median"} ${formatNumber(result.median, this.lang)}`);
      }
    }
    const parts = [];
    if (hasStats) {
      parts.push(`${this.s.res_mean || "Mean"}: ${formatNumber(result.mean, this.lang)}`);
      parts.push(`${this.s.res_median || "Median"}: ${formatNumber(result.median, this.lang)}`);
    }
    parts.push(format(this.s.res_n || "n = {n}", { n }));
    setText(p.stats, parts.join(" \u00b7 "));
    show(p.empty, n === 0);
    const whys = Array.isArray(result.whys) ? result.whys : [];
    show(p.whys, whys.length > 0);
    p.wrapper.classList.toggle("has-whys", whys.length > 0);
    this._syncEntries(p.whyList, p.whyItems, whys, p.whyMore);
  }

  // ------------------------------------------------------------------ open text

  _buildText() {
    const list = el("ol", { class: "entries" });
    const more = el("p", { class: "entries-more", hidden: true });
    const empty = el("p", { class: "result-empty", text: this.s.res_no_answers || "" });
    const note = el("p", { class: "result-note" });
    const wrapper = el("div", { class: "result result-open_text result-entries" }, list, more, empty, note);
    this.root.append(wrapper);
    return { wrapper, list, more, empty, note, items: new Map() };
  }

  _updateText(result) {
    const p = this.parts;
    const entries = Array.isArray(result.entries) ? result.entries : [];
    const n = respondentsOf(result) ?? entries.length;
    this._syncEntries(p.list, p.items, entries, p.more);
    show(p.empty, entries.length === 0);
    setText(p.note, format(this.s.res_n || "n = {n}", { n }));
  }

  /** Keep one <li> per entry id: append new ones, update changed text, drop removed ones. */
  _syncEntries(list, items, entries, more) {
    const seen = new Set();
    let previous = null;
    for (const entry of entries) {
      const id = String(entry.id);
      seen.add(id);
      let item = items.get(id);
      if (!item) {
        item = el("li", { class: "entry", data: { id } });
        items.set(id, item);
        if (previous && previous.nextSibling) list.insertBefore(item, previous.nextSibling);
        else if (previous) list.append(item);
        else list.prepend(item);
      }
      setText(item, entry.text);
      previous = item;
    }
    for (const [id, item] of items) {
      if (!seen.has(id)) {
        item.remove();
        items.delete(id);
      }
    }
    const count = entries.length;
    list.classList.toggle("entries-few", count <= 4);
    list.classList.toggle("entries-some", count > 4 && count <= 12);
    list.classList.toggle("entries-many", count > 12);
    if (this.mode === "projector") this._scheduleFit();
    else show(more, false);
  }

  _scheduleFit() {
    if (this.mode !== "projector") return;
    window.cancelAnimationFrame(this._fitFrame);
    this._fitFrame = window.requestAnimationFrame(() => this._fit());
  }

  /** Projector: when entries overflow their box, hide the oldest and say how many are hidden. */
  _fit() {
    for (const list of this.root.querySelectorAll("ol.entries")) {
      const items = Array.from(list.children);
      const more = list.parentElement && list.parentElement.querySelector(".entries-more");
      const overflows = (k) => {
        items.forEach((item, i) => { item.hidden = i < k; });
        return list.scrollHeight > list.clientHeight + 1;
      };
      // the smallest number of oldest entries to hide so the rest fits (binary search)
      let hidden = 0;
      if (items.length > 1 && overflows(0)) {
        let lo = 1;
        let hi = items.length - 1;
        while (lo < hi) {
          const mid = Math.floor((lo + hi) / 2);
          if (overflows(mid)) lo = mid + 1;
          else hi = mid;
        }
        hidden = lo;
      }
      overflows(hidden);
      if (more) {
        show(more, hidden > 0);
        setText(more, hidden ? format(this.s.res_more || "+ {n} earlier", { n: hidden }) : "");
      }
    }
  }
}
