// single_choice: tap one option. Also the choice family's shared parts (buttons, bars with an
// optional reference, bars per group), which multi_choice.js imports.

import { el, setText, show, format } from "../lib/dom.js";
import { pick, hasText, formatNumber, formatPercent } from "../lib/text.js";

// ------------------------------------------------------------------ phone

/** One option as a button (aria-pressed), for single and multi choice. */
export function choiceButton(ctx, option, multi, onClick) {
  const label = el("span", { class: "choice-label", text: pick(option.label, ctx.lang) });
  if (option.placeholder) label.append(ctx.placeholderBadge());
  return el("button", {
    type: "button",
    class: ["choice", multi ? "choice-multi" : "choice-single"],
    attrs: { "aria-pressed": "false" },
    on: { click: onClick },
  },
  el("span", { class: "choice-mark", attrs: { "aria-hidden": "true" } }),
  el("span", { class: "choice-text" }, label,
     hasText(option.description) ? el("span", { class: "choice-desc", text: pick(option.description, ctx.lang) }) : null));
}

function input(activity, ctx) {
  const { S, status } = ctx;
  const buttons = (activity.options || []).map((option) => {
    const button = choiceButton(ctx, option, false, () => {
      if (!ctx.isOpen()) return;
      if (ctx.stored() === option.id && !ctx.failed()) {
        ctx.announce(S.saved);
        return;
      }
      ctx.submit(option.id);
    });
    return { option, button };
  });
  const hint = el("p", { class: "hint", text: S.tap_one });
  const group = el("div", { class: "choices", attrs: { role: "group", "aria-labelledby": "activity-heading" } },
                   buttons.map((b) => b.button));
  const update = () => {
    const current = ctx.stored();
    const sending = ctx.sending();
    for (const { option, button } of buttons) {
      const selected = current === option.id;
      ctx.setPressed(button, selected);
      button.classList.toggle("is-sending", selected && sending);
      button.disabled = !ctx.isOpen();
    }
    show(hint, ctx.isOpen() && !ctx.hasAnswer());
    status.update();
  };
  return { nodes: [hint, group, status.node], update };
}

// ------------------------------------------------------------------ projector: what can be chosen

export function optionsPreview(activity, ctx) {
  return ctx.labelList(activity.options || []);
}

// ------------------------------------------------------------------ control: before the first answer

export function emptyChoiceResult(activity) {
  return { options: (activity.options || []).map((o) => ({ id: o.id, count: 0, percent: 0 })),
           respondents: 0, votes: 0 };
}

// ------------------------------------------------------------------ result: bars (with a reference)

/** The reference source's name: a text object, or a plain string (the source's id as a fallback). */
function referenceName(reference, lang) {
  if (!reference) return "";
  return pick(reference.source_name, lang) || pick(reference.source, lang) || "";
}

/** The activity's reference (the server sends one to control and projector only), or null. */
function referenceOf(activity) {
  const reference = activity && activity.reference;
  return reference && typeof reference === "object" ? reference : null;
}

/** "Source: <title>. <source>, n = 51, 2024." and the notes, under a chart with a reference. */
function referenceCaption(v, activity, reference, multi) {
  const parts = [];
  const name = referenceName(reference, v.lang);
  const title = pick(reference.title, v.lang);
  let source = name;
  const n = Number(reference.n);
  if (Number.isFinite(n) && n > 0 && !new RegExp(`n\\s*=\\s*${n}\\b`).test(source)) {
    source = source ? `${source}, ${format(v.s.res_n || "n = {n}", { n })}` : format(v.s.res_n || "n = {n}", { n });
  }
  if (reference.year !== null && reference.year !== undefined && reference.year !== "") source += `, ${reference.year}`;
  if (title) parts.push(el("span", { class: "ref-title", text: title }));
  if (source) parts.push(el("span", { class: "ref-source", text: source }));
  const caption = el("div", { class: "ref-caption" },
    el("p", { class: "ref-line-source" }, el("strong", { text: `${v.s.ref_label || "Reference"}: ` }),
      parts.map((p, i) => (i ? [" \u00b7 ", p] : p))));
  if (reference.unit === "percent_of_respondents" || multi) {
    caption.append(el("p", { class: "ref-unit", text: v.s.ref_unit_respondents || "" }));
  }
  // a note the room needs: a single-choice reference that does not add up to 100 %
  const notes = pick(reference.notes, v.lang);
  if (!multi && reference.sums_to_100 === false) {
    caption.append(el("p", { class: "ref-note", text: notes || v.s.ref_not_100 || "" }));
  } else if (notes && v.mode === "control") {
    caption.append(el("p", { class: "ref-note", text: notes }));
  }
  return caption;
}

function buildBars(v, activity, multi) {
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
    const label = el("span", { class: "bar-label" }, pick(option.label, v.lang));
    if (option.placeholder) label.append(v.placeholderBadge());
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
      roomLine.prepend(el("span", { class: "series-tag series-room", text: v.s.ref_room || "Deze zaal" }));
    }
    const row = el("li", { class: ["bar-row", reference ? "bar-row-paired" : ""], data: { id: option.id } },
      label, roomLine,
      refParts ? el("span", { class: "bar-line ref-line" },
        el("span", { class: "series-tag series-ref", text: v.s.ref_short || "Referentie" }),
        refParts.refTrack, refParts.refValue) : null);
    rows.set(option.id, { row, fill, pct, count, ...(refParts || {}) });
    list.append(row);
  }
  const empty = el("p", { class: "result-empty", text: v.s.res_no_answers || "" });
  const note = el("p", { class: "result-note" });
  let legend = null;
  let caption = null;
  if (reference) {
    legend = el("ul", { class: "ref-legend" },
      el("li", { class: "legend-room" }, el("span", { class: "swatch swatch-room", attrs: { "aria-hidden": "true" } }),
         el("span", { class: "legend-room-text" })),
      el("li", { class: "legend-ref" }, el("span", { class: "swatch swatch-ref", attrs: { "aria-hidden": "true" } }),
         el("span", { text: referenceName(reference, v.lang) || v.s.ref_short || "" })));
    caption = referenceCaption(v, activity, reference, multi);
  }
  const wrapper = el("div", { class: ["result", "result-choice", `result-${activity.kind}`, reference ? "has-reference" : ""] },
                     legend, list, empty, note, caption);
  v.root.append(wrapper);
  return { wrapper, rows, empty, note, legend, reference };
}

function updateBars(v, activity, result, multi) {
  const { rows, empty, note, legend, reference } = v.parts;
  const n = v.respondents(result) || 0;
  const byId = new Map((result.options || []).map((o) => [o.id, o]));
  const values = reference && reference.values && typeof reference.values === "object" ? reference.values : {};
  const isCount = reference && reference.unit === "count";
  for (const [id, parts] of rows) {
    const option = byId.get(id) || { count: 0, percent: 0 };
    const percent = Number(option.percent) || 0;
    parts.fill.style.width = `${Math.max(0, Math.min(100, percent))}%`;
    setText(parts.pct, formatPercent(percent, v.lang));
    setText(parts.count, `(${option.count})`);
    parts.row.classList.toggle("is-zero", !option.count);
    if (parts.refValue) {
      const raw = values[id];
      const missing = raw === null || raw === undefined || raw === "" || !Number.isFinite(Number(raw));
      parts.refTrack.classList.toggle("is-missing", missing);
      if (missing) {
        parts.refFill.style.width = "0";
        setText(parts.refValue, "\u2014");
        parts.refValue.setAttribute("title", v.s.ref_missing || "");
      } else if (isCount) {
        parts.refFill.style.width = "0";
        setText(parts.refValue, formatNumber(Number(raw), v.lang));
      } else {
        parts.refFill.style.width = `${Math.max(0, Math.min(100, Number(raw)))}%`;
        setText(parts.refValue, formatPercent(Number(raw), v.lang));
      }
    }
  }
  show(empty, n === 0);
  const nText = format(v.s.res_n || "n = {n}", { n });
  setText(note, multi
    ? `${v.s.res_pct_of_respondents || "% of respondents"} \u00b7 ${nText}`
    : nText);
  if (legend) {
    setText(legend.querySelector(".legend-room-text"), `${v.s.ref_room || "Deze zaal"} (${nText})`);
  }
}

/** The bar chart of a choice kind (`multi`: percentages of respondents, several answers each). */
export function choiceResult(multi) {
  return {
    build: (v, activity) => buildBars(v, activity, multi),
    update: (v, activity, result) => updateBars(v, activity, result, multi),
  };
}

// ------------------------------------------------------------------ breakdown: bars per group

function buildGrouped(bv, wrapper, activity, groups) {
  const series = groups.filter((g) => bv.state(g) === "shown");
  const legend = el("ul", { class: "bd-legend" });
  const legendItems = new Map();
  series.forEach((g, i) => {
    const n = el("span", { class: "bd-legend-n" });
    legend.append(el("li", {},
      el("span", { class: ["swatch", bv.colour(i)], attrs: { "aria-hidden": "true" } }),
      el("span", { class: "bd-legend-label", text: bv.label(g) }), " ", n));
    legendItems.set(String(g.id), { n });
  });
  const list = el("ol", { class: ["bd-options", series.length > 3 ? "bd-options-many" : ""], attrs: { role: "list" } });
  const rows = new Map(); // option id -> group id -> parts
  for (const option of activity.options || []) {
    const bars = el("ol", { class: "bd-series", attrs: { role: "list" } });
    const perGroup = new Map();
    series.forEach((g, i) => {
      const fill = el("span", { class: ["bar-fill", bv.colour(i)] });
      const pct = el("span", { class: "bar-pct" });
      const count = el("span", { class: "bar-count" });
      const row = el("li", { class: "bd-bar" },
        el("span", { class: "bd-tag", text: bv.label(g) }),
        el("span", { class: "bar-track", attrs: { "aria-hidden": "true" } }, fill),
        el("span", { class: "bar-value" }, pct, " ", count));
      bars.append(row);
      perGroup.set(String(g.id), { row, fill, pct, count });
    });
    const label = el("span", { class: "bar-label bd-option-label" }, pick(option.label, bv.lang));
    if (option.placeholder) label.append(bv.placeholderBadge());
    list.append(el("li", { class: "bd-option", data: { id: option.id } }, label, bars));
    rows.set(option.id, perGroup);
  }
  const none = el("p", { class: "result-empty", text: bv.s.bd_no_groups || bv.s.res_no_answers || "" });
  const absent = bv.buildAbsent();
  const note = el("p", { class: "result-note" });
  if (series.length) wrapper.append(legend, list);
  wrapper.append(none, absent, note);
  show(none, series.length === 0);
  return { rows, legendItems, absent, note, groups, series };
}

/** Many groups (projector): a table with one column per group, a bar per cell. */
function buildColumns(bv, wrapper, activity, groups) {
  const series = groups.filter((g) => bv.state(g) === "shown");
  const head = el("tr", {}, el("td", { class: "bd-col-corner" }));
  const legendItems = new Map();
  series.forEach((g, i) => {
    const n = el("span", { class: "bd-th-n" });
    head.append(el("th", { attrs: { scope: "col" }, class: "bd-col-head" },
      el("span", { class: "bd-col-name" },
        el("span", { class: ["swatch", bv.colour(i)], attrs: { "aria-hidden": "true" } }), " ",
        el("span", { text: bv.label(g) })), n));
    legendItems.set(String(g.id), { n });
  });
  const body = el("tbody");
  const rows = new Map();
  for (const option of activity.options || []) {
    const label = el("th", { attrs: { scope: "row" }, class: "bd-col-label" }, pick(option.label, bv.lang));
    if (option.placeholder) label.append(bv.placeholderBadge());
    const row = el("tr", {}, label);
    const perGroup = new Map();
    series.forEach((g, i) => {
      const fill = el("span", { class: ["bar-fill", bv.colour(i)] });
      const pct = el("span", { class: "bar-pct" });
      const count = el("span", { class: "bar-count" });
      const cell = el("td", { class: "bd-col-cell" },
        el("span", { class: "bar-track", attrs: { "aria-hidden": "true" } }, fill),
        el("span", { class: "bar-value" }, pct, count));
      row.append(cell);
      perGroup.set(String(g.id), { row: cell, fill, pct, count });
    });
    body.append(row);
    rows.set(option.id, perGroup);
  }
  const table = el("table", { class: ["bd-columns", `bd-columns-${Math.min(series.length, 8)}`] },
    el("thead", {}, head), body);
  const absent = bv.buildAbsent();
  const note = el("p", { class: "result-note" });
  wrapper.append(table, absent, note);
  return { rows, legendItems, absent, note, groups, series };
}

function updateGrouped(bv, activity, byId, breakdown, multi) {
  const p = bv.parts;
  for (const [groupId, item] of p.legendItems) {
    setText(item.n, `(${bv.nText(byId.get(groupId), bv.threshold(breakdown))})`);
  }
  for (const [optionId, perGroup] of p.rows) {
    for (const [groupId, parts] of perGroup) {
      const group = byId.get(groupId);
      const options = (group && group.result && Array.isArray(group.result.options)) ? group.result.options : [];
      const option = options.find((o) => o.id === optionId) || { count: 0, percent: 0 };
      const percent = Number(option.percent) || 0;
      parts.fill.style.width = `${Math.max(0, Math.min(100, percent))}%`;
      setText(parts.pct, formatPercent(percent, bv.lang));
      setText(parts.count, bv.mode === "projector" ? "" : `(${Number(option.count) || 0})`);
      parts.row.classList.toggle("is-zero", !Number(option.count));
    }
  }
  bv.updateAbsent(p.absent, p.groups, bv.threshold(breakdown));
  setText(p.note, multi
    ? (bv.s.bd_pct_multi || "% of each group's respondents (several answers possible)")
    : (bv.s.bd_pct_single || "% of each group's respondents"));
}

/** Bars per group under every option (control); a column per group on the wall from three on. */
export function choiceBreakdown(multi) {
  return {
    layout(bv, breakdown) {
      // on the wall, three groups or more: a column per group (bars under each other per option
      // would need more height than a projector has)
      const shown = (breakdown.groups || []).filter((g) => bv.state(g) === "shown").length;
      return bv.mode === "projector" && shown >= 3 ? "columns" : "grouped";
    },
    build: (bv, wrapper, activity, groups, layout) => (layout === "columns"
      ? buildColumns(bv, wrapper, activity, groups) : buildGrouped(bv, wrapper, activity, groups)),
    update: (bv, activity, byId, breakdown) => updateGrouped(bv, activity, byId, breakdown, multi),
  };
}

export default {
  answers: true,
  input,
  summary: (value, ctx) => ctx.optionLabel(value),
  adopt: () => undefined, // a tap sends at once: nothing to keep
  preview: optionsPreview,
  emptyResult: emptyChoiceResult,
  result: choiceResult(false),
  breakdown: choiceBreakdown(false),
};
