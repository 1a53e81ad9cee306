// matrix: rate each item on the same ratings (radio buttons per item); the result is a diverging
// bar per item (negative ratings left, positive right), per group one chart on a shared scale.

import { el, setText, show, format } from "../lib/dom.js";
import { pick, hasText, formatPercent } from "../lib/text.js";

// ------------------------------------------------------------------ phone

function input(activity, ctx) {
  const { S, lang, status } = ctx;
  const itemsList = activity.items || [];
  const ratings = activity.ratings || [];
  const stored = () => {
    const value = ctx.stored();
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  };
  const draft = ctx.draft(() => ({ ...stored() }));
  const sameAnswer = (a, b) => {
    const ka = Object.keys(a).filter((k) => a[k]);
    const kb = Object.keys(b).filter((k) => b[k]);
    return ka.length === kb.length && ka.every((k) => a[k] === b[k]);
  };
  const rows = [];
  itemsList.forEach((item, index) => {
    const legendId = `matrix-item-${index}`;
    const legend = el("legend", { class: "matrix-legend", id: legendId },
      el("span", { class: "matrix-item-label", text: pick(item.label, lang) }),
      item.placeholder ? ctx.placeholderBadge() : null);
    const description = hasText(item.description)
      ? el("p", { class: "choice-desc matrix-desc", id: `${legendId}-desc`, text: pick(item.description, lang) }) : null;
    const radios = ratings.map((rating, r) => {
      const input = el("input", { type: "radio", name: `matrix-${index}`, id: `matrix-${index}-${r}`,
                                  value: rating.id, class: "matrix-radio" });
      input.addEventListener("change", () => {
        if (!ctx.isOpen() || !input.checked) return;
        draft.value = { ...draft.value, [item.id]: rating.id };
        draft.dirty = !sameAnswer(draft.value, stored());
        update();
      });
      const label = el("label", { class: ["matrix-rating", `polarity-${rating.polarity || "neutral"}`],
                                  attrs: { for: input.id } },
        input, el("span", { class: "matrix-rating-text" },
          el("span", { class: "matrix-mark", attrs: { "aria-hidden": "true" } }),
          el("span", { text: pick(rating.label, lang) })));
      return { rating, input, label };
    });
    const clearButton = el("button", { type: "button", class: "btn btn-small btn-secondary matrix-clear",
      attrs: { "aria-label": format(S.matrix_clear_label, { label: pick(item.label, lang) }) },
      text: S.matrix_clear,
      on: { click: () => {
        if (!ctx.isOpen()) return;
        const next = { ...draft.value };
        delete next[item.id];
        draft.value = next;
        draft.dirty = !sameAnswer(draft.value, stored());
        update();
        const first = radios[0] && radios[0].input;
        if (first) first.focus();
      } } });
    const fieldset = el("fieldset", { class: "matrix-item",
                                      attrs: { "aria-describedby": description ? description.id : null } },
      legend, description,
      el("div", { class: ["matrix-ratings", `ratings-${Math.min(ratings.length, 7)}`] }, radios.map((r) => r.label)),
      el("div", { class: "matrix-item-foot" }, clearButton));
    rows.push({ item, radios, clearButton, fieldset });
  });
  const hint = el("p", { class: "hint", text: S.matrix_hint });
  const progress = el("p", { class: "choice-count", attrs: { "aria-live": "polite" } });
  const send = el("button", { type: "button", class: "btn btn-primary btn-block btn-send",
    on: { click: () => {
      if (!ctx.isOpen()) return;
      const value = {};
      for (const { item } of rows) if (draft.value[item.id]) value[item.id] = draft.value[item.id];
      if (!Object.keys(value).length) {
        ctx.announce(S.matrix_empty);
        return;
      }
      ctx.submit(value);
    } } });
  const group = el("div", { class: "matrix" }, rows.map((r) => r.fieldset));

  function update() {
    if (!draft.dirty) draft.value = { ...stored() };
    let answered = 0;
    for (const { item, radios, clearButton } of rows) {
      const chosen = draft.value[item.id];
      if (chosen) answered += 1;
      for (const { rating, input } of radios) {
        input.checked = rating.id === chosen;
        input.disabled = !ctx.isOpen();
      }
      show(clearButton, ctx.isOpen() && !!chosen);
    }
    setText(progress, format(S.matrix_progress, { n: answered, total: rows.length }));
    const failed = ctx.failed();
    setText(send, ctx.hasAnswer() ? S.send_change : S.send);
    send.disabled = !ctx.isOpen() || answered === 0 || (ctx.hasAnswer() && !draft.dirty && !failed);
    show(send, ctx.isOpen());
    show(hint, ctx.isOpen());
    show(progress, ctx.isOpen());
    status.update();
  }
  return { nodes: [hint, group, progress, send, status.node], update };
}

function summary(value, ctx) {
  if (!value || typeof value !== "object") return "";
  const activity = ctx.activity;
  const ratingLabel = (id) => {
    const rating = (activity.ratings || []).find((r) => r.id === id);
    return rating ? pick(rating.label, ctx.lang) : String(id);
  };
  return (activity.items || []).filter((item) => value[item.id] !== undefined)
    .map((item) => `${pick(item.label, ctx.lang)}: ${ratingLabel(value[item.id])}`).join("\n");
}

/** The ratings chosen in a server-rendered form before this script ran. */
function adopt(form, data, activity, stored) {
  const rated = {};
  for (const item of activity.items || []) {
    const rating = data.get(`m:${item.id}`);
    if (rating) rated[item.id] = String(rating);
  }
  const before = stored && typeof stored === "object" ? stored : {};
  const keys = Object.keys(rated);
  return keys.length !== Object.keys(before).length || keys.some((k) => before[k] !== rated[k]) ? rated : undefined;
}

// ------------------------------------------------------------------ projector: the items and the ratings

function preview(activity, ctx) {
  return el("div", { class: "pj-matrix-preview" },
    ctx.labelList(activity.items || []),
    el("p", { class: "pj-ratings" },
      el("span", { class: "pj-ratings-label", text: `${ctx.S.ratings_label} ` }),
      (activity.ratings || []).map((r) => pick(r.label, ctx.lang)).join(" \u00b7 ")));
}

// ------------------------------------------------------------------ result: diverging bars

function buildMatrix(v, activity) {
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
        el("span", { text: pick(rating.label, v.lang) }))));
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
    const label = el("span", { class: "matrix-label" }, pick(item.label, v.lang));
    if (item.placeholder) label.append(v.placeholderBadge());
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
    neutrals.length ? el("span", { class: "axis-neutral", text: neutrals.map((r) => pick(r.label, v.lang)).join(", ") }) : null,
    el("span", { class: "axis-pad-n" }));
  const empty = el("p", { class: "result-empty", text: v.s.res_no_answers || "" });
  const note = el("p", { class: "result-note" });
  const wrapper = el("div", { class: "result result-matrix" }, legend, list, axis, empty, note);
  v.root.append(wrapper);
  return { wrapper, rows, axisLeft, axisRight, empty, note, left, right, neutrals };
}

function updateMatrix(v, activity, result) {
  const p = v.parts;
  const byId = new Map((Array.isArray(result.items) ? result.items : []).map((i) => [i.id, i]));
  const sum = (item, list) => list.reduce((t, r) => t + (Number((item.percents || {})[r.id]) || 0), 0);
  // one scale for every row and both sides, so the bars compare; at least 50 %
  // (results per group share one scale: the breakdown sets minExtent to the largest of them)
  let extent = Math.max(50, Number(v.minExtent) || 0);
  for (const item of byId.values()) extent = Math.max(extent, sum(item, p.left), sum(item, p.right), sum(item, p.neutrals));
  extent = Math.min(100, Math.ceil(extent / 25) * 25);
  setText(p.axisLeft, formatPercent(extent, v.lang));
  setText(p.axisRight, formatPercent(extent, v.lang));
  for (const [id, parts] of p.rows) {
    const item = byId.get(id) || { n: 0, counts: {}, percents: {} };
    for (const [ratingId, seg] of parts.segs) {
      const pct = Number((item.percents || {})[ratingId]) || 0;
      const count = Number((item.counts || {})[ratingId]) || 0;
      seg.seg.style.width = `${(100 * pct) / extent}%`;
      setText(seg.label, pct ? formatPercent(Math.round(pct), v.lang) : "");
      // a label needs about 3.4 of its own em ("100%"): narrower segments show none
      const side = seg.seg.parentElement ? seg.seg.parentElement.clientWidth : 0;
      const em = parseFloat(getComputedStyle(seg.seg).fontSize) || 16;
      seg.seg.classList.toggle("is-narrow", pct / extent < 0.09 || (side > 0 && (side * pct) / extent < 3.4 * em));
      seg.seg.classList.toggle("is-empty", !count);
    }
    setText(parts.n, format(v.s.res_n || "n = {n}", { n: Number(item.n) || 0 }));
  }
  const n = v.respondents(result) || 0;
  show(p.empty, n === 0);
  setText(p.note, `${v.s.res_matrix_note || "% of the answers per row"} \u00b7 ${format(v.s.res_n || "n = {n}", { n })}`);
}

// ------------------------------------------------------------------ breakdown: one chart per group, one scale

/** The largest share on one side of any group's diverging bar (percent). */
function matrixExtent(bv, activity, groups) {
  const ratings = activity.ratings || [];
  const sides = [ratings.filter((r) => r.polarity === "negative"), ratings.filter((r) => r.polarity === "positive"),
                 ratings.filter((r) => r.polarity !== "negative" && r.polarity !== "positive")];
  let extent = 0;
  for (const g of groups) {
    if (bv.state(g) !== "shown" || !Array.isArray(g.result.items)) continue;
    for (const item of g.result.items) {
      for (const side of sides) {
        extent = Math.max(extent, side.reduce((t, r) => t + (Number((item.percents || {})[r.id]) || 0), 0));
      }
    }
  }
  return extent;
}

export default {
  answers: true,
  input,
  summary,
  adopt,
  preview,
  emptyResult: (activity) => ({
    items: (activity.items || []).map((i) => ({ id: i.id, n: 0, counts: {}, percents: {} })),
    ratings: (activity.ratings || []).map((r) => r.id), respondents: 0 }),
  result: {
    build: (v, activity) => buildMatrix(v, activity),
    update: updateMatrix,
  },
  breakdown: {
    // the diverging bars of every group on one scale
    cardOptions: (bv, activity, groups) => ({ minExtent: matrixExtent(bv, activity, groups) }),
  },
};
