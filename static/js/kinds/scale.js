// scale: a position on a scale (buttons, or a slider), optionally with a "why?" text. The
// result is a histogram with mean and median (and the earlier scale's "before", on one axis);
// the whys are listed and moderated.

import { el, setText, show, format } from "../lib/dom.js";
import { pick, hasText, formatNumber } from "../lib/text.js";

// A scale with more positions than this (a slider 0..100) is drawn in bins of NICE_WIDTHS positions.
const MAX_BINS = 21;
const NICE_WIDTHS = [2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000];
// With more columns than this, the axis labels only the ends and the quarter points.
const MAX_LABELS = 11;

// ------------------------------------------------------------------ phone

function scaleSteps(scale) {
  const min = Number(scale.min ?? 0);
  const max = Number(scale.max ?? 10);
  const step = Number(scale.step ?? 1) || 1;
  const out = [];
  for (let v = min; v <= max + 1e-9 && out.length < 201; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

function input(activity, ctx) {
  const { S, lang, status } = ctx;
  const scale = activity.scale || {};
  const steps = scaleSteps(scale);
  const why = scale.why || null;
  const stored = () => ctx.stored() || null;
  const draft = ctx.draft(() => {
    const s = stored();
    return { position: s ? s.position : null, why: (s && s.why) || "" };
  });
  const markDirty = () => {
    const s = stored();
    draft.dirty = !s || s.position !== draft.value.position || (s.why || "") !== draft.value.why.trim();
    update();
  };

  const poles = el("div", { class: "scale-poles" },
    el("span", { class: "pole pole-left" }, el("strong", { text: `${steps[0]}` }), " ", pick(scale.left, lang)),
    hasText(scale.mid) ? el("span", { class: "pole pole-mid", text: pick(scale.mid, lang) }) : null,
    el("span", { class: "pole pole-right" }, el("strong", { text: `${steps[steps.length - 1]}` }), " ", pick(scale.right, lang)));
  if (scale.placeholder) poles.append(el("span", { class: "pole-badge" }, ctx.placeholderBadge()));

  let input;
  let buttons = [];
  let output = null;
  if (scale.slider) {
    const middle = steps[Math.floor((steps.length - 1) / 2)];
    const range = el("input", {
      type: "range", id: "scale-range", class: "scale-range",
      min: String(steps[0]), max: String(steps[steps.length - 1]), step: String(Number(scale.step) || 1),
      value: String(draft.value.position ?? middle),
      attrs: { "aria-labelledby": "activity-heading" },
    });
    output = el("output", { class: "scale-output", attrs: { for: "scale-range" } });
    const choose = () => {
      if (!ctx.isOpen()) return;
      draft.value.position = Number(range.value);
      markDirty();
    };
    range.addEventListener("input", choose);
    // a tap on the thumb without moving it still chooses that value (a touch tap on a range
    // input fires pointerup but no click in Chromium)
    range.addEventListener("click", choose);
    range.addEventListener("pointerup", choose);
    input = el("div", { class: "scale-slider" },
      el("p", { class: "hint", text: S.slider_hint }), output, range);
    input.range = range;
  } else {
    buttons = steps.map((value) => el("button", {
      type: "button", class: "scale-step", text: String(value), attrs: { "aria-pressed": "false" },
      on: { click: () => {
        if (!ctx.isOpen()) return;
        draft.value.position = value;
        markDirty();
      } },
    }));
    input = el("div", { class: ["scale-steps", steps.length > 6 ? "scale-steps-wrap" : ""],
                        attrs: { role: "group", "aria-labelledby": "activity-heading" } }, buttons);
    input.classList.add(`steps-${Math.min(steps.length, 12)}`);
  }

  let whyBlock = null;
  if (why) {
    whyBlock = ctx.textareaBlock({
      id: "why", label: pick(why.prompt, lang), max: why.max_length, value: draft.value.why, optional: true,
      onInput: (text) => {
        draft.value.why = text;
        markDirty();
      },
    });
  }
  const send = el("button", { type: "button", class: "btn btn-primary btn-block btn-send",
    on: { click: () => {
      if (!ctx.isOpen() || draft.value.position === null || draft.value.position === undefined) return;
      const value = { position: draft.value.position };
      const text = (draft.value.why || "").trim();
      if (why && text) value.why = text;
      ctx.submit(value);
    } } });
  const hint = el("p", { class: "hint", text: scale.slider ? "" : S.scale_tap });

  function update() {
    const s = stored();
    if (!draft.dirty) draft.value = { position: s ? s.position : null, why: (s && s.why) || "" };
    const position = draft.value.position;
    for (const button of buttons) {
      ctx.setPressed(button, Number(button.textContent) === position);
      button.disabled = !ctx.isOpen();
    }
    if (input.range) {
      input.range.disabled = !ctx.isOpen();
      if (position !== null && position !== undefined && Number(input.range.value) !== position) {
        input.range.value = String(position);
      }
      setText(output, position === null || position === undefined ? S.slider_unset : String(position));
      output.classList.toggle("is-unset", position === null || position === undefined);
      input.range.setAttribute("aria-valuetext",
        position === null || position === undefined ? S.slider_unset : String(position));
    }
    if (whyBlock) {
      whyBlock.textarea.disabled = !ctx.isOpen();
      if (!draft.dirty && document.activeElement !== whyBlock.textarea
          && whyBlock.textarea.value !== draft.value.why) {
        whyBlock.textarea.value = draft.value.why;
        whyBlock.count.update();
      }
    }
    const failed = ctx.failed();
    setText(send, ctx.hasAnswer() ? S.send_change : S.send);
    send.disabled = !ctx.isOpen() || position === null || position === undefined
      || (!draft.dirty && ctx.hasAnswer() && !failed);
    show(send, ctx.isOpen());
    show(hint, ctx.isOpen() && !scale.slider);
    if (whyBlock) show(whyBlock.node, ctx.isOpen());
    status.update();
  }
  return { nodes: [hint, input, poles, whyBlock && whyBlock.node, send, status.node], update };
}

function summary(value) {
  const position = value && typeof value === "object" ? value.position : value;
  const why = value && typeof value === "object" && value.why ? ` \u2014 \u201c${value.why}\u201d` : "";
  return `${position}${why}`;
}

/** The position and the why in a server-rendered form before this script ran. */
function adopt(form, data, activity, stored) {
  const radio = form.querySelector("input.scale-radio:checked");
  const position = radio ? Number(radio.value) : (stored && stored.position !== undefined ? stored.position : null);
  const why = String(data.get("why") || "");
  if ((stored ? stored.position : null) !== position || ((stored && stored.why) || "") !== why.trim()) {
    return { position, why };
  }
  return undefined;
}

// ------------------------------------------------------------------ projector: the scale's range and poles

function preview(activity, ctx) {
  if (!activity.scale) return null;
  const { S, lang } = ctx;
  const s = activity.scale;
  return el("div", { class: "pj-scale-preview" },
    el("p", { class: "pj-scale-range", text: format(S.scale_from_to, { min: s.min, max: s.max }) }),
    el("div", { class: "pj-scale-poles" },
      el("span", { class: "pole pole-left" }, el("strong", { text: String(s.min) }), " ", pick(s.left, lang)),
      hasText(s.mid) ? el("span", { class: "pole pole-mid", text: pick(s.mid, lang) }) : null,
      el("span", { class: "pole pole-right" }, el("strong", { text: String(s.max) }), " ", pick(s.right, lang))));
}

// ------------------------------------------------------------------ control

function emptyResult(activity) {
  if (!activity.scale) return { options: [], respondents: 0, votes: 0 };
  return { min: activity.scale.min, max: activity.scale.max, step: activity.scale.step,
           histogram: [], n: 0, mean: null, median: null, whys: [] };
}

// ------------------------------------------------------------------ result: histogram (and before/after)

function resultSteps(activity, result) {
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
function columnsOf(values, step) {
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
    for (const q of [0.25, 0.5, 0.75]) ticks.add(binOf({ width, bins, first, step }, first + q * (last - first)));
  }
  return { width, bins, first: values[0], step, ticks };
}

/** The column (bin index) of a value. */
function binOf(layout, value) {
  const index = Math.round((Number(value) - layout.first) / layout.step);
  return Math.max(0, Math.min(layout.bins.length - 1, Math.floor(index / layout.width)));
}

/** One histogram: a column per position (or per bin) with counts, and mean and median markers. */
function buildHistPlot(v, layout, prefix = "hist") {
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

function updateHistPlot(v, p, layout, data) {
  const counts = new Array(layout.bins.length).fill(0);
  for (const h of data.histogram || []) {
    const value = Number(h.value);
    if (Number.isFinite(value)) counts[binOf(layout, value)] += Number(h.count) || 0;
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
  const n = v.respondents(data) || 0;
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
    setText(p.meanLabel, `${v.s.res_mean || "Mean"} ${formatNumber(data.mean, v.lang)}`);
  }
  if (hasMedian) {
    place(p.median, atMedian, atMedian < atMean);
    setText(p.medianLabel, `${v.s.res_median || "Median"} ${formatNumber(data.median, v.lang)}`);
  }
  const parts = [];
  if (hasStats) {
    parts.push(`${v.s.res_mean || "Mean"}: ${formatNumber(data.mean, v.lang)}`);
    parts.push(`${v.s.res_median || "Median"}: ${formatNumber(data.median, v.lang)}`);
  }
  parts.push(format(v.s.res_n || "n = {n}", { n }));
  return { n, hasStats, text: parts.join(" \u00b7 ") };
}

function buildScale(v, activity, result) {
  const { values, step } = resultSteps(activity, result);
  const layout = columnsOf(values, step);
  const now = buildHistPlot(v, layout, "hist");
  const axis = el("div", { class: "hist-axis", attrs: { "aria-hidden": "true" } });
  axis.style.gridTemplateColumns = `repeat(${layout.bins.length}, minmax(0, 1fr))`;
  // one label per column (its first position); with many columns only a few are shown
  layout.bins.forEach((bin, i) => axis.append(el("span", {
    class: ["hist-x", layout.ticks.size && !layout.ticks.has(i) ? "is-minor" : ""],
    text: formatNumber(bin[0], v.lang, 2) })));
  // binned: say how many positions one column counts
  const range = (bin) => (bin.length > 1
    ? `${formatNumber(bin[0], v.lang, 2)}\u2013${formatNumber(bin[bin.length - 1], v.lang, 2)}`
    : formatNumber(bin[0], v.lang, 2));
  const binsNote = layout.width > 1 && layout.bins.length > 1
    ? el("p", { class: "hist-bins", text: format(v.s.res_bins || "Each bar counts {width} values: {first}, {second}, \u2026",
      { width: layout.width, first: range(layout.bins[0]), second: range(layout.bins[1]) }) })
    : null;

  const scale = activity.scale || {};
  const poles = el("div", { class: "hist-poles" },
    el("span", { class: "pole pole-left", text: pick(scale.left, v.lang) }),
    el("span", { class: "pole pole-mid", text: pick(scale.mid, v.lang) }),
    el("span", { class: "pole pole-right", text: pick(scale.right, v.lang) }));
  const stats = el("p", { class: "hist-stats" });
  const empty = el("p", { class: "result-empty", text: v.s.res_no_answers || "" });

  // before/after: the earlier scale's histogram above this one, on the same axis
  let before = null;
  let chart;
  if (result.before || activity.compare_with) {
    const beforePlot = buildHistPlot(v, layout, "hist-before");
    const beforeStats = el("p", { class: "hist-stats-before" });
    const shift = el("p", { class: "hist-shift" });
    before = { ...beforePlot, stats: beforeStats, shift };
    chart = el("div", { class: "hist hist-compare" },
      el("div", { class: "hist-row hist-row-before" },
        el("p", { class: "hist-row-label", text: v.s.res_before || "Before" }), beforePlot.plot, beforeStats),
      el("div", { class: "hist-row hist-row-after" },
        el("p", { class: "hist-row-label", text: v.s.res_after || "After" }), now.plot),
      axis, poles, binsNote, stats, shift, empty);
  } else {
    chart = el("div", { class: "hist" }, now.plot, axis, poles, binsNote, stats, empty);
  }

  const whyList = el("ol", { class: "entries" });
  const whyMore = el("p", { class: "entries-more", hidden: true });
  const whys = el("div", { class: "result-entries result-whys", hidden: true },
    // the projector has no h2 between its h1 and this list; the control screen has "Result"
    el(v.mode === "projector" ? "h2" : "h3", { class: "entries-title", text: v.s.res_whys || "Why?" }),
    whyList, whyMore);

  const wrapper = el("div", { class: ["result", "result-scale", before ? "result-compare" : ""] }, chart, whys);
  v.root.append(wrapper);
  return { wrapper, layout, now, before, stats, empty, whys, whyList, whyMore, whyItems: new Map() };
}

function updateScale(v, activity, result) {
  const p = v.parts;
  const now = updateHistPlot(v, p.now, p.layout, result);
  setText(p.stats, now.text);
  show(p.empty, now.n === 0);
  if (p.before) {
    const data = result.before && typeof result.before === "object" ? result.before : { histogram: [], n: 0 };
    const before = updateHistPlot(v, p.before, p.layout, data);
    setText(p.before.stats, before.text);
    const meanBefore = data.mean;
    const meanAfter = result.mean;
    const known = (v) => v !== null && v !== undefined && Number.isFinite(Number(v));
    if (known(meanBefore) && known(meanAfter) && before.n > 0 && now.n > 0) {
      // from the means as written, so the shift adds up on screen
      const r1 = (v) => Math.round(Number(v) * 10) / 10;
      const rounded = Math.round((r1(meanAfter) - r1(meanBefore)) * 10) / 10;
      const signed = `${rounded > 0 ? "+" : rounded < 0 ? "\u2212" : "\u00b1"}${formatNumber(Math.abs(rounded), v.lang)}`;
      setText(p.before.shift, format(v.s.res_shift || "Mean {before} \u2192 {after} ({delta})", {
        before: formatNumber(meanBefore, v.lang), after: formatNumber(meanAfter, v.lang), delta: signed }));
      show(p.before.shift, true);
    } else {
      show(p.before.shift, false);
    }
  }
  const whys = v.approved(result.whys);
  const showWhys = whys.length > 0;
  show(p.whys, showWhys);
  p.wrapper.classList.toggle("has-whys", showWhys);
  v.syncEntries(p.whyList, p.whyItems, whys, p.whyMore, result.whys_unlisted);
}

export default {
  answers: true,
  input,
  summary,
  adopt,
  preview,
  emptyResult,
  moderation: {
    title: "mod_title_whys",
    entries(activity, result, status) {
      if (!activity.scale || !activity.scale.why) return null; // no "why" question, nothing to moderate
      return (result.whys || []).map((e) => ({ key: String(e.id), id: e.id, text: e.text, status: status(e.status) }));
    },
    totals: (activity, result) => result.whys_statuses || null,
  },
  result: {
    key: (activity, result) => ({ before: !!(result.before || activity.compare_with) }),
    build: buildScale,
    update: updateScale,
  },
};
