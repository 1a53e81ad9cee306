// Draw a `result` (docs/protocol.md, `results`) for the control and projector screens.
//
// The DOM stays put between updates: bars keep their elements and only their widths, heights
// and numbers change (CSS transitions do the rest), so the projector does not jump. Numbers are
// always written next to the bars, never colour only. Participant text goes in by textContent.

import { el, setText, show, format, clear } from "./dom.js";
import { pick, formatNumber, formatPercent } from "./text.js";

const CHOICE = new Set(["single_choice", "multi_choice"]);
// A scale with more positions than this (a slider 0..100) is drawn in bins of NICE_WIDTHS positions.
const MAX_BINS = 21;
const NICE_WIDTHS = [2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000];
// With more columns than this, the axis labels only the ends and the quarter points.
const MAX_LABELS = 11;
export const RESULT_KINDS = new Set(["single_choice", "multi_choice", "scale", "open_text", "word_cloud",
                                     "ranking", "matrix", "qna"]);

/** Entries the room may see: the server sends only approved ones to the projector; be defensive. */
function approved(entries) {
  return (Array.isArray(entries) ? entries : []).filter((e) => e && (e.status === undefined || e.status === "approved"));
}

// Projector views re-fit their text lists when the window size changes (one listener for all).
const fittedViews = new Set();
window.addEventListener("resize", () => {
  for (const view of fittedViews) {
    if (view.root.isConnected) {
      view._scheduleFit();
      if (view.parts && view.parts.cloud) view._scheduleCloudFit();
    } else fittedViews.delete(view);
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

/** The activity's reference (control and projector only), or null. */
export function referenceOf(activity) {
  const reference = activity && activity.reference;
  if (!reference || typeof reference !== "object" || !CHOICE.has(activity.kind)) return null;
  return reference;
}

/** The reference source's name: a text object, or a plain string (the source's id as a fallback). */
export function referenceName(reference, lang) {
  if (!reference) return "";
  return pick(reference.source_name, lang) || pick(reference.source, lang) || "";
}

export class ResultView {
  /**
   * @param {HTMLElement} root  container owned by the view
   * @param {{strings: object, lang: string, mode: "projector"|"control"}} options
   */
  constructor(root, { strings = {}, lang = "nl", mode = "control" } = {}) {
    this.root = root;
    this.cloudFrame = 0;
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
    const shape = {
      options: activity.options || null, scale: activity.scale || null, items: activity.items || null,
      ratings: activity.ratings || null, reference: activity.reference || null,
      before: kind === "scale" && !!(result.before || activity.compare_with),
    };
    const key = `${activity.id}:${kind}:${JSON.stringify(shape)}`;
    if (key !== this.key) {
      this.reset();
      this.key = key;
      if (CHOICE.has(kind)) this.parts = this._buildChoice(activity);
      else if (kind === "scale") this.parts = this._buildScale(activity, result);
      else if (kind === "open_text") this.parts = this._buildText();
      else if (kind === "word_cloud") this.parts = this._buildCloud();
      else if (kind === "ranking") this.parts = this._buildRanking(activity);
      else if (kind === "matrix") this.parts = this._buildMatrix(activity);
      else if (kind === "qna") this.parts = this._buildQna();
      else return false;
    }
    if (CHOICE.has(kind)) this._updateChoice(activity, result);
    else if (kind === "scale") this._updateScale(activity, result);
    else if (kind === "open_text") this._updateText(result);
    else if (kind === "word_cloud") this._updateCloud(result);
    else if (kind === "ranking") this._updateRanking(activity, result);
    else if (kind === "matrix") this._updateMatrix(activity, result);
    else if (kind === "qna") this._updateQna(result);
    return true;
  }

  // ------------------------------------------------------------------ choices

  _buildChoice(activity) {
    const count = (activity.options || []).length;
    const reference = referenceOf(activity);
    const list = el("ol", { class: ["bars", count > 5 ? "bars-many" : "", count > 8 ? "bars-lots" : "",
                                    reference ? "bars-paired" : ""],
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
      const roomLine = el("span", { class: "bar-line" },
        el("span", { class: "bar-track", attrs: { "aria-hidden": "true" } }, fill),
        el("span", { class: "bar-value" }, pct, " ", count));
      let refParts = null;
      if (reference) {
        // the reference's own number, as published: never rescaled, "—" when it was not reported
        const refFill = el("span", { class: "bar-fill ref-fill" });
        const refValue = el("span", { class: "ref-value" });
        const refTrack = el("span", { class: "bar-track ref-track", attrs: { "aria-hidden": "true" } }, refFill);
        refParts = { refFill, refValue, refTrack };
        roomLine.prepend(el("span", { class: "series-tag series-room", text: this.s.ref_room || "Deze zaal" }));
      }
      const row = el("li", { class: ["bar-row", reference ? "bar-row-paired" : ""], data: { id: option.id } },
        label, roomLine,
        refParts ? el("span", { class: "bar-line ref-line" },
          el("span", { class: "series-tag series-ref", text: this.s.ref_short || "Referentie" }),
          refParts.refTrack, refParts.refValue) : null);
      rows.set(option.id, { row, fill, pct, count, ...(refParts || {}) });
      list.append(row);
    }
    const empty = el("p", { class: "result-empty", text: this.s.res_no_answers || "" });
    const note = el("p", { class: "result-note" });
    let legend = null;
    let caption = null;
    if (reference) {
      legend = el("ul", { class: "ref-legend" },
        el("li", { class: "legend-room" }, el("span", { class: "swatch swatch-room", attrs: { "aria-hidden": "true" } }),
           el("span", { class: "legend-room-text" })),
        el("li", { class: "legend-ref" }, el("span", { class: "swatch swatch-ref", attrs: { "aria-hidden": "true" } }),
           el("span", { text: referenceName(reference, this.lang) || this.s.ref_short || "" })));
      caption = this._referenceCaption(activity, reference);
    }
    const wrapper = el("div", { class: ["result", "result-choice", `result-${activity.kind}`, reference ? "has-reference" : ""] },
                       legend, list, empty, note, caption);
    this.root.append(wrapper);
    return { wrapper, rows, empty, note, legend, reference };
  }

  /** "Source: <title>. <source>, n = 51, 2024." and the notes, under a chart with a reference. */
  _referenceCaption(activity, reference) {
    const parts = [];
    const name = referenceName(reference, this.lang);
    const title = pick(reference.title, this.lang);
    let source = name;
    const n = Number(reference.n);
    if (Number.isFinite(n) && n > 0 && !new RegExp(`n\\s*=\\s*${n}\\b`).test(source)) {
      source = source ? `${source}, ${format(this.s.res_n || "n = {n}", { n })}` : format(this.s.res_n || "n = {n}", { n });
    }
    if (reference.year !== null && reference.year !== undefined && reference.year !== "") source += `, ${reference.year}`;
    if (title) parts.push(el("span", { class: "ref-title", text: title }));
    if (source) parts.push(el("span", { class: "ref-source", text: source }));
    const caption = el("div", { class: "ref-caption" },
      el("p", { class: "ref-line-source" }, el("strong", { text: `${this.s.ref_label || "Reference"}: ` }),
        parts.map((p, i) => (i ? [" \u00b7 ", p] : p))));
    if (reference.unit === "percent_of_respondents" || activity.kind === "multi_choice") {
      caption.append(el("p", { class: "ref-unit", text: this.s.ref_unit_respondents || "" }));
    }
    // a note the room needs: a single-choice reference that does not add up to 100 %
    const notes = pick(reference.notes, this.lang);
    if (activity.kind === "single_choice" && reference.sums_to_100 === false) {
      caption.append(el("p", { class: "ref-note", text: notes || this.s.ref_not_100 || "" }));
    } else if (notes && this.mode === "control") {
      caption.append(el("p", { class: "ref-note", text: notes }));
    }
    return caption;
  }

  _updateChoice(activity, result) {
    const { rows, empty, note, legend, reference } = this.parts;
    const n = respondentsOf(result) || 0;
    const byId = new Map((result.options || []).map((o) => [o.id, o]));
    const values = reference && reference.values && typeof reference.values === "object" ? reference.values : {};
    const isCount = reference && reference.unit === "count";
    for (const [id, parts] of rows) {
      const option = byId.get(id) || { count: 0, percent: 0 };
      const percent = Number(option.percent) || 0;
      parts.fill.style.width = `${Math.max(0, Math.min(100, percent))}%`;
      setText(parts.pct, formatPercent(percent, this.lang));
      setText(parts.count, `(${option.count})`);
      parts.row.classList.toggle("is-zero", !option.count);
      if (parts.refValue) {
        const raw = values[id];
        const missing = raw === null || raw === undefined || raw === "" || !Number.isFinite(Number(raw));
        parts.refTrack.classList.toggle("is-missing", missing);
        if (missing) {
          parts.refFill.style.width = "0";
          setText(parts.refValue, "\u2014");
          parts.refValue.setAttribute("title", this.s.ref_missing || "");
        } else if (isCount) {
          parts.refFill.style.width = "0";
          setText(parts.refValue, formatNumber(Number(raw), this.lang));
        } else {
          parts.refFill.style.width = `${Math.max(0, Math.min(100, Number(raw)))}%`;
          setText(parts.refValue, formatPercent(Number(raw), this.lang));
        }
      }
    }
    show(empty, n === 0);
    const nText = format(this.s.res_n || "n = {n}", { n });
    setText(note, activity.kind === "multi_choice"
      ? `${this.s.res_pct_of_respondents || "% of respondents"} \u00b7 ${nText}`
      : nText);
    if (legend) {
      setText(legend.querySelector(".legend-room-text"), `${this.s.ref_room || "Deze zaal"} (${nText})`);
    }
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

  /**
   * How the positions are drawn: one column per position, or, for many positions (a slider
   * 0..100), at most MAX_BINS columns of `width` neighbouring positions each. Display only: the
   * server's histogram stays per position.
   */
  _layout(values, step) {
    let width = 1;
    if (values.length > MAX_BINS) {
      width = NICE_WIDTHS.find((w) => Math.ceil(values.length / w) <= MAX_BINS) || Math.ceil(values.length / MAX_BINS);
    }
    const bins = [];
    for (let i = 0; i < values.length; i += width) bins.push(values.slice(i, i + width));
    // only a few axis labels when there are many columns: the ends and the quarter points
    const ticks = new Set();
    if (bins.length > MAX_LABELS) {
      const first = values[0];
      const last = values[values.length - 1];
      ticks.add(0).add(bins.length - 1);
      for (const q of [0.25, 0.5, 0.75]) ticks.add(this._binOf({ width, bins, first, step }, first + q * (last - first)));
    }
    return { width, bins, first: values[0], step, ticks };
  }

  /** The column (bin index) of a value. */
  _binOf(layout, value) {
    const index = Math.round((Number(value) - layout.first) / layout.step);
    return Math.max(0, Math.min(layout.bins.length - 1, Math.floor(index / layout.width)));
  }

  /** One histogram: a column per position (or per bin) with counts, and mean and median markers. */
  _buildHistPlot(layout, prefix = "hist") {
    const plot = el("div", { class: [`${prefix}-plot`, layout.width > 1 ? "is-binned" : ""] });
    plot.style.gridTemplateColumns = `repeat(${layout.bins.length}, minmax(0, 1fr))`;
    const cols = [];
    for (let i = 0; i < layout.bins.length; i++) {
      const bar = el("span", { class: `${prefix}-bar` });
      const count = el("span", { class: `${prefix}-count` });
      const col = el("div", { class: `${prefix}-col` }, count, bar);
      plot.append(col);
      cols.push({ col, bar, count });
    }
    const meanLabel = el("span", { class: "hist-marker-label" });
    const medianLabel = el("span", { class: "hist-marker-label" });
    const mean = el("div", { class: "hist-marker hist-mean", attrs: { "aria-hidden": "true" } }, meanLabel);
    const median = el("div", { class: "hist-marker hist-median", attrs: { "aria-hidden": "true" } }, medianLabel);
    plot.append(mean, median);
    return { plot, cols, mean, meanLabel, median, medianLabel };
  }

  _updateHistPlot(p, layout, data) {
    const counts = new Array(layout.bins.length).fill(0);
    for (const h of data.histogram || []) {
      const value = Number(h.value);
      if (Number.isFinite(value)) counts[this._binOf(layout, value)] += Number(h.count) || 0;
    }
    const maxCount = Math.max(0, ...counts);
    p.cols.forEach((parts, i) => {
      const count = counts[i];
      // the tallest bar leaves room for its count above it, inside the plot
      parts.bar.style.height = maxCount
        ? `calc((100% - var(--hist-count-room, 1.4em)) * ${Math.round((10000 * count) / maxCount) / 10000})` : "0%";
      setText(parts.count, count ? String(count) : "");
      parts.col.classList.toggle("is-zero", !count);
    });
    const n = respondentsOf(data) || 0;
    const position = (x) => {
      // where value x lies in its column: columns are equal width, one per position or bin
      const index = (x - layout.first) / layout.step;
      const bin = Math.max(0, Math.min(layout.bins.length - 1, Math.floor((index + 0.5) / layout.width)));
      const within = (index - bin * layout.width + 0.5) / layout.bins[bin].length;
      return Math.max(0, Math.min(1, (bin + within) / layout.bins.length));
    };
    const hasStats = n > 0 && data.mean !== null && data.mean !== undefined;
    const hasMedian = hasStats && data.median !== null && data.median !== undefined;
    show(p.mean, hasStats);
    show(p.median, hasMedian);
    // the labels point away from each other, so neither crosses the other line, and never out
    // of the chart: the lower marker's label to the left of its line, the higher one's to the right
    const atMean = hasStats ? position(Number(data.mean)) : null;
    const atMedian = hasMedian ? position(Number(data.median)) : null;
    const place = (marker, at, left) => {
      marker.style.left = `${at * 100}%`;
      marker.classList.toggle("is-flipped", at > 0.8 || (left && at >= 0.2));
    };
    if (hasStats) {
      place(p.mean, atMean, hasMedian ? atMean <= atMedian : atMean > 0.6);
      setText(p.meanLabel, `${this.s.res_mean || "Mean"} ${formatNumber(data.mean, this.lang)}`);
    }
    if (hasMedian) {
      place(p.median, atMedian, atMedian < atMean);
      setText(p.medianLabel, `${this.s.res_median || "Median"} ${formatNumber(data.median, this.lang)}`);
    }
    const parts = [];
    if (hasStats) {
      parts.push(`${this.s.res_mean || "Mean"}: ${formatNumber(data.mean, this.lang)}`);
      parts.push(`${this.s.res_median || "Median"}: ${formatNumber(data.median, this.lang)}`);
    }
    parts.push(format(this.s.res_n || "n = {n}", { n }));
    return { n, hasStats, text: parts.join(" \u00b7 ") };
  }

  _buildScale(activity, result) {
    const { values, step } = this._steps(activity, result);
    const layout = this._layout(values, step);
    const now = this._buildHistPlot(layout, "hist");
    const axis = el("div", { class: "hist-axis", attrs: { "aria-hidden": "true" } });
    axis.style.gridTemplateColumns = `repeat(${layout.bins.length}, minmax(0, 1fr))`;
    // one label per column (its first position); with many columns only a few are shown
    layout.bins.forEach((bin, i) => axis.append(el("span", {
      class: ["hist-x", layout.ticks.size && !layout.ticks.has(i) ? "is-minor" : ""],
      text: formatNumber(bin[0], this.lang, 2) })));
    // binned: say how many positions one column counts
    const range = (bin) => (bin.length > 1
      ? `${formatNumber(bin[0], this.lang, 2)}\u2013${formatNumber(bin[bin.length - 1], this.lang, 2)}`
      : formatNumber(bin[0], this.lang, 2));
    const binsNote = layout.width > 1 && layout.bins.length > 1
      ? el("p", { class: "hist-bins", text: format(this.s.res_bins || "Each bar counts {width} values: {first}, {second}, \u2026",
        { width: layout.width, first: range(layout.bins[0]), second: range(layout.bins[1]) }) })
      : null;

    const scale = activity.scale || {};
    const poles = el("div", { class: "hist-poles" },
      el("span", { class: "pole pole-left", text: pick(scale.left, this.lang) }),
      el("span", { class: "pole pole-mid", text: pick(scale.mid, this.lang) }),
      el("span", { class: "pole pole-right", text: pick(scale.right, this.lang) }));
    const stats = el("p", { class: "hist-stats" });
    const empty = el("p", { class: "result-empty", text: this.s.res_no_answers || "" });

    // before/after: the earlier scale's histogram above this one, on the same axis
    let before = null;
    let chart;
    if (result.before || activity.compare_with) {
      const beforePlot = this._buildHistPlot(layout, "hist-before");
      const beforeStats = el("p", { class: "hist-stats-before" });
      const shift = el("p", { class: "hist-shift" });
      before = { ...beforePlot, stats: beforeStats, shift };
      chart = el("div", { class: "hist hist-compare" },
        el("div", { class: "hist-row hist-row-before" },
          el("p", { class: "hist-row-label", text: this.s.res_before || "Before" }), beforePlot.plot, beforeStats),
        el("div", { class: "hist-row hist-row-after" },
          el("p", { class: "hist-row-label", text: this.s.res_after || "After" }), now.plot),
        axis, poles, binsNote, stats, shift, empty);
    } else {
      chart = el("div", { class: "hist" }, now.plot, axis, poles, binsNote, stats, empty);
    }

    const whyList = el("ol", { class: "entries" });
    const whyMore = el("p", { class: "entries-more", hidden: true });
    const whys = el("div", { class: "result-entries result-whys", hidden: true },
      // the projector has no h2 between its h1 and this list; the control screen has "Result"
      el(this.mode === "projector" ? "h2" : "h3", { class: "entries-title", text: this.s.res_whys || "Why?" }),
      whyList, whyMore);

    const wrapper = el("div", { class: ["result", "result-scale", before ? "result-compare" : ""] }, chart, whys);
    this.root.append(wrapper);
    return { wrapper, layout, now, before, stats, empty, whys, whyList, whyMore, whyItems: new Map() };
  }

  _updateScale(activity, result) {
    const p = this.parts;
    const now = this._updateHistPlot(p.now, p.layout, result);
    setText(p.stats, now.text);
    show(p.empty, now.n === 0);
    if (p.before) {
      const data = result.before && typeof result.before === "object" ? result.before : { histogram: [], n: 0 };
      const before = this._updateHistPlot(p.before, p.layout, data);
      setText(p.before.stats, before.text);
      const meanBefore = data.mean;
      const meanAfter = result.mean;
      const known = (v) => v !== null && v !== undefined && Number.isFinite(Number(v));
      if (known(meanBefore) && known(meanAfter) && before.n > 0 && now.n > 0) {
        // from the means as written, so the shift adds up on screen
        const r1 = (v) => Math.round(Number(v) * 10) / 10;
        const rounded = Math.round((r1(meanAfter) - r1(meanBefore)) * 10) / 10;
        const signed = `${rounded > 0 ? "+" : rounded < 0 ? "\u2212" : "\u00b1"}${formatNumber(Math.abs(rounded), this.lang)}`;
        setText(p.before.shift, format(this.s.res_shift || "Mean {before} \u2192 {after} ({delta})", {
          before: formatNumber(meanBefore, this.lang), after: formatNumber(meanAfter, this.lang), delta: signed }));
        show(p.before.shift, true);
      } else {
        show(p.before.shift, false);
      }
    }
    const whys = approved(result.whys);
    const showWhys = whys.length > 0;
    show(p.whys, showWhys);
    p.wrapper.classList.toggle("has-whys", showWhys);
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
    const entries = approved(result.entries);
    const n = respondentsOf(result) ?? entries.length;
    this._syncEntries(p.list, p.items, entries, p.more);
    show(p.empty, entries.length === 0);
    setText(p.note, format(this.s.res_n || "n = {n}", { n }));
  }

  // ------------------------------------------------------------------ word cloud

  _buildCloud() {
    const cloud = el("div", { class: "cloud", attrs: { role: "list" } });
    const empty = el("p", { class: "result-empty", text: this.s.res_no_answers || "" });
    const note = el("p", { class: "result-note" });
    const wrapper = el("div", { class: "result result-word_cloud" }, cloud, empty, note);
    this.root.append(wrapper);
    return { wrapper, cloud, empty, note, words: new Map() };
  }

  _updateCloud(result) {
    const p = this.parts;
    // hidden words: the projector's result has none, the control's lists them apart (as words or
    // {word, count}); pending words of a moderated cloud wait in the control's moderation panel
    const hidden = new Set((Array.isArray(result.hidden) ? result.hidden : [])
      .map((h) => String(h && typeof h === "object" ? h.word : h)));
    const words = approved(result.words)
      .filter((w) => w && w.word !== undefined && !hidden.has(String(w.word)) && Number(w.count) > 0);
    const counts = words.map((w) => Number(w.count));
    const most = Math.max(1, ...counts);
    const least = Math.min(most, ...counts);
    // most frequent in the middle, the others alternately after and before it
    const sorted = [...words].sort((a, b) => Number(b.count) - Number(a.count)
      || String(a.word).localeCompare(String(b.word), this.lang));
    const arranged = [];
    sorted.forEach((w, i) => { if (i % 2) arranged.unshift(w); else arranged.push(w); });
    const [small, large] = this.mode === "projector" ? [1.2, 4.2] : [0.95, 2.6];
    const seen = new Set();
    arranged.forEach((w, i) => {
      const word = String(w.word);
      seen.add(word);
      let item = p.words.get(word);
      if (!item) {
        const text = el("span", { class: "cloud-text" });
        const count = el("span", { class: "cloud-count" });
        item = { node: el("span", { class: "cloud-word", attrs: { role: "listitem" } }, text, " ", count), text, count };
        p.words.set(word, item);
      }
      const share = most === least ? 0.6 : Math.sqrt((Number(w.count) - least) / (most - least));
      item.node.style.setProperty("--wc-size", `${(small + (large - small) * share).toFixed(2)}em`);
      const rank = sorted.indexOf(w);
      item.node.className = `cloud-word cloud-c${rank % 5}${rank === 0 ? " cloud-top" : ""}`;
      setText(item.text, word);
      setText(item.count, this.mode === "projector" ? "" : String(w.count));
      item.count.hidden = this.mode === "projector";
      if (p.cloud.children[i] !== item.node) p.cloud.insertBefore(item.node, p.cloud.children[i] || null);
    });
    for (const [word, item] of p.words) {
      if (!seen.has(word)) {
        item.node.remove();
        p.words.delete(word);
      }
    }
    const n = respondentsOf(result) || 0;
    show(p.empty, words.length === 0);
    setText(p.note, `${format(this.s.res_n || "n = {n}", { n })} \u00b7 ${format((words.length === 1 && this.s.res_words_one) || this.s.res_words || "{n} words", { n: words.length })}`);
    if (this.mode === "projector") this._scheduleCloudFit();
  }

  _scheduleCloudFit() {
    window.cancelAnimationFrame(this.cloudFrame);
    this.cloudFrame = window.requestAnimationFrame(() => this._fitCloud());
  }

  /** Projector: shrink the whole cloud until it fits its box (largest words stay largest). */
  _fitCloud() {
    const p = this.parts;
    if (!p || !p.cloud || !p.cloud.isConnected) return;
    // measure the final sizes, not the ones in the middle of a transition
    p.cloud.classList.add("is-fitting");
    let scale = 1;
    p.cloud.style.setProperty("--wc-scale", "1");
    while (scale > 0.3 && (p.cloud.scrollHeight > p.cloud.clientHeight + 1
                           || p.cloud.scrollWidth > p.cloud.clientWidth + 1)) {
      scale = Math.round((scale - 0.05) * 100) / 100;
      p.cloud.style.setProperty("--wc-scale", String(scale));
    }
    void p.cloud.offsetHeight; // apply without a transition before it is switched on again
    p.cloud.classList.remove("is-fitting");
  }

  // ------------------------------------------------------------------ ranking

  _buildRanking(activity) {
    const list = el("ol", { class: "bars rank-bars", attrs: { role: "list" } });
    const rows = new Map();
    for (const option of activity.options || []) {
      const fill = el("span", { class: "bar-fill" });
      const place = el("span", { class: "rank-place", attrs: { "aria-hidden": "true" } });
      const mean = el("span", { class: "rank-mean" });
      const first = el("span", { class: "rank-first" });
      const label = el("span", { class: "bar-label" }, place, pick(option.label, this.lang));
      if (option.placeholder) {
        label.append(" ", el("span", { class: "badge badge-placeholder", text: this.s.placeholder || "voorlopig" }));
      }
      const row = el("li", { class: "bar-row rank-row", data: { id: option.id } },
        label,
        el("span", { class: "bar-line" },
          el("span", { class: "bar-track", attrs: { "aria-hidden": "true" } }, fill),
          el("span", { class: "bar-value rank-value" }, mean, first)));
      rows.set(option.id, { row, fill, place, mean, first });
      list.append(row);
    }
    const empty = el("p", { class: "result-empty", text: this.s.res_no_answers || "" });
    const note = el("p", { class: "result-note" });
    const wrapper = el("div", { class: "result result-ranking" }, list, empty, note);
    this.root.append(wrapper);
    return { wrapper, list, rows, empty, note };
  }

  _updateRanking(activity, result) {
    const p = this.parts;
    const total = (activity.options || []).length || 1;
    const byId = new Map((Array.isArray(result.options) ? result.options : []).map((o) => [o.id, o]));
    const order = (activity.options || []).map((o, i) => ({ id: o.id, i, r: byId.get(o.id) || {} }));
    const known = (v) => v !== null && v !== undefined && Number.isFinite(Number(v));
    // best (lowest mean rank) first; unranked ones last in programme order
    order.sort((a, b) => {
      const ka = known(a.r.mean_rank);
      const kb = known(b.r.mean_rank);
      if (ka && kb && Number(a.r.mean_rank) !== Number(b.r.mean_rank)) return Number(a.r.mean_rank) - Number(b.r.mean_rank);
      if (ka !== kb) return ka ? -1 : 1;
      return a.i - b.i;
    });
    order.forEach(({ id, r }, index) => {
      const parts = p.rows.get(id);
      if (!parts) return;
      const has = known(r.mean_rank);
      // the bar grows with the standing: rank 1 fills it, the last rank fills 1/total of it
      const width = has ? ((total + 1 - Number(r.mean_rank)) / total) * 100 : 0;
      parts.fill.style.width = `${Math.max(0, Math.min(100, width))}%`;
      setText(parts.place, has ? `${index + 1}. ` : "");
      setText(parts.mean, has ? format(this.s.res_mean_rank || "mean rank {v}", { v: formatNumber(Number(r.mean_rank), this.lang) })
        : (this.s.res_mean_rank_none || "\u2014"));
      const firstPct = known(r.first_percent) ? formatPercent(Number(r.first_percent), this.lang) : "\u2014";
      setText(parts.first, format(this.s.res_first_places || "first place: {pct} ({n})", { pct: firstPct, n: Number(r.first) || 0 }));
      parts.row.classList.toggle("is-zero", !has);
      if (p.list.children[index] !== parts.row) p.list.insertBefore(parts.row, p.list.children[index] || null);
    });
    const n = respondentsOf(result) || 0;
    show(p.empty, n === 0);
    setText(p.note, `${this.s.res_rank_note || "Lower mean rank = ranked higher (1 = first place)."} \u00b7 ${format(this.s.res_n || "n = {n}", { n })}`);
  }

  // ------------------------------------------------------------------ matrix (diverging bars)

  _buildMatrix(activity) {
    const ratings = activity.ratings || [];
    const negatives = ratings.filter((r) => r.polarity === "negative");
    const positives = ratings.filter((r) => r.polarity === "positive");
    const neutrals = ratings.filter((r) => r.polarity !== "negative" && r.polarity !== "positive");
    // most extreme negative at the far left, most extreme positive at the far right, whatever the
    // order in the programme ("strongly agree" first or last)
    const firstNeg = ratings.findIndex((r) => r.polarity === "negative");
    const firstPos = ratings.findIndex((r) => r.polarity === "positive");
    const reversed = firstNeg >= 0 && firstPos >= 0 && firstNeg > firstPos;
    const left = reversed ? [...negatives].reverse() : negatives;
    const right = reversed ? [...positives].reverse() : positives;
    const shades = (list, side) => {
      // distance from the centre: 1 = mild; the mildest gets the lightest shade
      const k = list.length;
      return list.map((r, i) => {
        const distance = side === "left" ? k - i : i + 1;
        const level = k === 1 ? 2 : Math.round(1 + ((distance - 1) * 2) / (k - 1));
        return { rating: r, cls: `seg-${side === "left" ? "neg" : "pos"}-${level}` };
      });
    };
    const leftShades = shades(left, "left");
    const rightShades = shades(right, "right");
    const neutralShades = neutrals.map((r) => ({ rating: r, cls: "seg-neutral" }));

    const legend = el("ul", { class: "matrix-legend" },
      [...leftShades, ...rightShades, ...neutralShades].map(({ rating, cls }) =>
        el("li", {}, el("span", { class: ["swatch", cls], attrs: { "aria-hidden": "true" } }),
          el("span", { text: pick(rating.label, this.lang) }))));
    const list = el("ol", { class: ["matrix-bars", neutrals.length ? "has-neutral" : ""], attrs: { role: "list" } });
    const rows = new Map();
    for (const item of activity.items || []) {
      const segs = new Map();
      const mk = ({ rating, cls }) => {
        const label = el("span", { class: "seg-label" });
        const seg = el("span", { class: ["seg", cls], data: { rating: rating.id } }, label);
        segs.set(rating.id, { seg, label });
        return seg;
      };
      const negSide = el("span", { class: "div-side div-neg" }, leftShades.map(mk));
      const posSide = el("span", { class: "div-side div-pos" }, rightShades.map(mk));
      const neutralSide = neutrals.length ? el("span", { class: "div-side div-neutral" }, neutralShades.map(mk)) : null;
      const n = el("span", { class: "matrix-n" });
      const label = el("span", { class: "matrix-label" }, pick(item.label, this.lang));
      if (item.placeholder) label.append(" ", el("span", { class: "badge badge-placeholder", text: this.s.placeholder || "voorlopig" }));
      const row = el("li", { class: "matrix-row", data: { id: item.id } },
        label,
        el("span", { class: "div-bar" }, negSide, el("span", { class: "div-centre", attrs: { "aria-hidden": "true" } }), posSide),
        neutralSide, n);
      rows.set(item.id, { row, segs, n });
      list.append(row);
    }
    const axisLeft = el("span", { class: "axis-left" });
    const axisRight = el("span", { class: "axis-right" });
    const axis = el("div", { class: ["matrix-axis", neutrals.length ? "has-neutral" : ""], attrs: { "aria-hidden": "true" } },
      el("span", { class: "axis-pad" }),
      el("span", { class: "axis-scale" }, axisLeft, el("span", { class: "axis-zero", text: "0" }), axisRight),
      neutrals.length ? el("span", { class: "axis-neutral", text: neutrals.map((r) => pick(r.label, this.lang)).join(", ") }) : null,
      el("span", { class: "axis-pad-n" }));
    const empty = el("p", { class: "result-empty", text: this.s.res_no_answers || "" });
    const note = el("p", { class: "result-note" });
    const wrapper = el("div", { class: "result result-matrix" }, legend, list, axis, empty, note);
    this.root.append(wrapper);
    return { wrapper, rows, axisLeft, axisRight, empty, note, left, right, neutrals };
  }

  _updateMatrix(activity, result) {
    const p = this.parts;
    const byId = new Map((Array.isArray(result.items) ? result.items : []).map((i) => [i.id, i]));
    const sum = (item, list) => list.reduce((t, r) => t + (Number((item.percents || {})[r.id]) || 0), 0);
    // one scale for every row and both sides, so the bars compare; at least 50 %
    // (results per group share one scale: the breakdown sets minExtent to the largest of them)
    let extent = Math.max(50, Number(this.minExtent) || 0);
    for (const item of byId.values()) extent = Math.max(extent, sum(item, p.left), sum(item, p.right), sum(item, p.neutrals));
    extent = Math.min(100, Math.ceil(extent / 25) * 25);
    setText(p.axisLeft, formatPercent(extent, this.lang));
    setText(p.axisRight, formatPercent(extent, this.lang));
    for (const [id, parts] of p.rows) {
      const item = byId.get(id) || { n: 0, counts: {}, percents: {} };
      for (const [ratingId, seg] of parts.segs) {
        const pct = Number((item.percents || {})[ratingId]) || 0;
        const count = Number((item.counts || {})[ratingId]) || 0;
        seg.seg.style.width = `${(100 * pct) / extent}%`;
        setText(seg.label, pct ? formatPercent(Math.round(pct), this.lang) : "");
        seg.seg.classList.toggle("is-narrow", pct / extent < 0.09);
        seg.seg.classList.toggle("is-empty", !count);
      }
      setText(parts.n, format(this.s.res_n || "n = {n}", { n: Number(item.n) || 0 }));
    }
    const n = respondentsOf(result) || 0;
    show(p.empty, n === 0);
    setText(p.note, `${this.s.res_matrix_note || "% of the answers per row"} \u00b7 ${format(this.s.res_n || "n = {n}", { n })}`);
  }

  // ------------------------------------------------------------------ questions (Q&A)

  _buildQna() {
    const list = el("ol", { class: "qna-board" });
    const more = el("p", { class: "entries-more", hidden: true });
    const empty = el("p", { class: "result-empty", text: this.s.res_no_questions || "" });
    const note = el("p", { class: "result-note" });
    const wrapper = el("div", { class: "result result-qna" }, list, more, empty, note);
    this.root.append(wrapper);
    return { wrapper, list, more, empty, note, items: new Map() };
  }

  _updateQna(result) {
    const p = this.parts;
    // approved only (the server already filters), pinned first, then most votes (stable: the
    // server's order, oldest first, among equals)
    const questions = approved(result.questions)
      .map((q, i) => ({ q, i }))
      .sort((a, b) => (Number(!!b.q.pinned) - Number(!!a.q.pinned))
        || ((Number(b.q.votes) || 0) - (Number(a.q.votes) || 0)) || (a.i - b.i))
      .map(({ q }) => q);
    const seen = new Set();
    questions.forEach((q, i) => {
      const id = String(q.id);
      seen.add(id);
      let item = p.items.get(id);
      if (!item) {
        const votes = el("span", { class: "qna-votes-n" });
        const votesLabel = el("span", { class: "qna-votes-label" });
        const text = el("p", { class: "qna-board-text" });
        const badges = el("span", { class: "qna-board-badges" });
        item = { node: el("li", { class: "qna-board-item", data: { id } },
          el("span", { class: "qna-votes" }, votes, votesLabel), el("div", { class: "qna-board-body" }, text, badges)),
        votes, votesLabel, text, badges };
        p.items.set(id, item);
      }
      const n = Number(q.votes) || 0;
      setText(item.votes, String(n));
      setText(item.votesLabel, n === 1 ? (this.s.res_vote_one || "vote") : (this.s.res_vote_other || "votes"));
      setText(item.text, q.text);
      clear(item.badges);
      if (q.pinned) item.badges.append(el("span", { class: "badge badge-pinned", text: this.s.res_pinned || "pinned" }));
      if (q.answered) item.badges.append(el("span", { class: "badge badge-answered", text: this.s.res_answered || "answered" }));
      item.node.classList.toggle("is-pinned", !!q.pinned);
      item.node.classList.toggle("is-answered", !!q.answered);
      if (p.list.children[i] !== item.node) p.list.insertBefore(item.node, p.list.children[i] || null);
    });
    for (const [id, item] of p.items) {
      if (!seen.has(id)) {
        item.node.remove();
        p.items.delete(id);
      }
    }
    show(p.empty, questions.length === 0);
    // the control screen lists (and moderates) the questions in its own panel
    show(p.list, this.mode !== "control");
    setText(p.note, format((questions.length === 1 && this.s.res_questions_one) || this.s.res_questions || "{n} questions",
                          { n: questions.length }));
    if (this.mode === "projector") this._scheduleFit();
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

  /** Projector, Q&A: the questions that do not fit are the last ones (fewest votes). */
  _fitBoard(list) {
    const items = Array.from(list.children);
    const more = list.parentElement && list.parentElement.querySelector(".entries-more");
    items.forEach((item) => { item.hidden = false; });
    let hidden = 0;
    for (let k = items.length - 1; k > 0 && list.scrollHeight > list.clientHeight + 1; k--) {
      items[k].hidden = true;
      hidden += 1;
    }
    if (more) {
      show(more, hidden > 0);
      setText(more, hidden ? format(this.s.res_more_questions || "+ {n} more", { n: hidden }) : "");
    }
  }

  _scheduleFit() {
    if (this.mode !== "projector") return;
    window.cancelAnimationFrame(this._fitFrame);
    this._fitFrame = window.requestAnimationFrame(() => this._fit());
  }

  /** Projector: when entries overflow their box, hide the oldest and say how many are hidden. */
  _fit() {
    for (const list of this.root.querySelectorAll("ol.qna-board")) this._fitBoard(list);
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
