// ranking: put the options in order (drag, or the arrow buttons); the result orders them by mean
// rank, per group a table of mean ranks.

import { el, setText, show, format } from "../lib/dom.js";
import { pick, hasText, formatNumber, formatPercent } from "../lib/text.js";

// ------------------------------------------------------------------ phone

function input(activity, ctx) {
  const { S, lang, status } = ctx;
  const options = activity.options || [];
  const ids = options.map((o) => o.id);
  const validOrder = (value) => (Array.isArray(value) && value.length === ids.length
    && ids.every((id) => value.includes(id)) ? [...value] : null);
  const stored = () => validOrder(ctx.stored());
  const draft = ctx.draft(() => stored() || [...ids]);
  const total = ids.length;
  const list = el("ol", { class: "rank-list", attrs: { "aria-labelledby": "activity-heading" } });
  const items = new Map();
  let drag = null;

  const labelOf = (id) => ctx.optionLabel(id);
  const changed = () => {
    const s = stored();
    return !s || s.some((id, i) => id !== draft.value[i]);
  };

  function move(id, delta, focusButton) {
    if (!ctx.isOpen()) return;
    const from = draft.value.indexOf(id);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= total) return;
    const order = [...draft.value];
    order.splice(from, 1);
    order.splice(to, 0, id);
    draft.value = order;
    draft.dirty = changed();
    update();
    ctx.announce(format(S.rank_moved, { label: labelOf(id), n: to + 1, total }));
    // keep the focus on the item that moved (on the other arrow when this one ends at the edge)
    const parts = items.get(id);
    if (parts && focusButton) {
      const target = focusButton === "up" ? (parts.up.disabled ? parts.down : parts.up)
        : (parts.down.disabled ? parts.up : parts.down);
      if (document.activeElement !== target) target.focus();
    }
  }

  for (const option of options) {
    const id = option.id;
    const label = el("span", { class: "rank-label", text: pick(option.label, lang) });
    if (option.placeholder) label.append(ctx.placeholderBadge());
    const position = el("span", { class: "rank-pos", attrs: { "aria-hidden": "true" } });
    const spoken = el("span", { class: "visually-hidden" });
    const up = el("button", { type: "button", class: "rank-move rank-up",
      attrs: { "aria-label": format(S.rank_up, { label: pick(option.label, lang) }) },
      on: { click: () => move(id, -1, "up") } }, el("span", { attrs: { "aria-hidden": "true" }, text: "\u25B2" }));
    const down = el("button", { type: "button", class: "rank-move rank-down",
      attrs: { "aria-label": format(S.rank_down, { label: pick(option.label, lang) }) },
      on: { click: () => move(id, 1, "down") } }, el("span", { attrs: { "aria-hidden": "true" }, text: "\u25BC" }));
    const handle = el("span", { class: "rank-handle", attrs: { "aria-hidden": "true" } },
      el("span", { class: "rank-grip" }));
    const li = el("li", { class: "rank-item", data: { id } },
      handle, position,
      el("span", { class: "rank-text" }, spoken, label,
        hasText(option.description) ? el("span", { class: "choice-desc", text: pick(option.description, lang) }) : null),
      el("span", { class: "rank-moves" }, up, down));
    items.set(id, { li, position, spoken, up, down, handle });
    attachDrag(id, li, handle);
    list.append(li);
  }

  // ---- drag and drop with pointer events (mouse, pen and touch alike); the handle alone starts
  // a drag, so the rest of the list still scrolls the page under a thumb.
  function attachDrag(id, li, handle) {
    handle.addEventListener("pointerdown", (event) => {
      if (!ctx.isOpen() || drag || (event.pointerType === "mouse" && event.button !== 0)) return;
      event.preventDefault();
      try { handle.setPointerCapture(event.pointerId); } catch { /* not capturable: still works */ }
      const rect = li.getBoundingClientRect();
      drag = { id, li, handle, pointerId: event.pointerId, grab: event.clientY - rect.top, y: event.clientY,
               from: draft.value.indexOf(id), frame: 0 };
      li.classList.add("is-dragging");
      list.classList.add("is-sorting");
      drag.frame = window.requestAnimationFrame(autoScroll);
    });
    handle.addEventListener("pointermove", (event) => {
      if (!drag || drag.id !== id || event.pointerId !== drag.pointerId) return;
      event.preventDefault();
      drag.y = event.clientY;
      dragStep();
    });
    const end = (event) => {
      if (!drag || drag.id !== id || (event.pointerId !== undefined && event.pointerId !== drag.pointerId)) return;
      endDrag();
    };
    handle.addEventListener("pointerup", end);
    handle.addEventListener("pointercancel", end);
    handle.addEventListener("lostpointercapture", end);
  }

  function dragStep() {
    const { li } = drag;
    li.style.transform = "";
    const height = li.offsetHeight;
    const centre = drag.y - drag.grab + height / 2;
    const middle = (node) => {
      const r = node.getBoundingClientRect();
      return r.top + r.height / 2;
    };
    let moved = false;
    let next = li.nextElementSibling;
    while (next && centre > middle(next)) {
      list.insertBefore(next, li);
      next = li.nextElementSibling;
      moved = true;
    }
    // move the neighbours, never the dragged item: taking it out of the document would end the
    // pointer capture (and with it the drag)
    let previous = li.previousElementSibling;
    while (previous && centre < middle(previous)) {
      list.insertBefore(previous, li.nextElementSibling);
      previous = li.previousElementSibling;
      moved = true;
    }
    if (moved) {
      draft.value = Array.from(list.children, (node) => node.dataset.id);
      numberItems();
    }
    const natural = li.getBoundingClientRect().top;
    li.style.transform = `translateY(${Math.round(drag.y - drag.grab - natural)}px)`;
  }

  /** Scroll the page while a dragged item is held near the top or bottom edge. */
  function autoScroll() {
    if (!drag) return;
    const top = 60;
    const edge = 72;
    let dy = 0;
    if (drag.y < top + edge) dy = -Math.ceil((top + edge - drag.y) / 6);
    else if (drag.y > window.innerHeight - edge) dy = Math.ceil((drag.y - (window.innerHeight - edge)) / 6);
    if (dy) {
      const before = window.scrollY;
      window.scrollBy(0, dy);
      if (window.scrollY !== before) dragStep();
    }
    drag.frame = window.requestAnimationFrame(autoScroll);
  }

  function endDrag() {
    const { li, id, from, frame } = drag;
    window.cancelAnimationFrame(frame);
    li.style.transform = "";
    li.classList.remove("is-dragging");
    list.classList.remove("is-sorting");
    drag = null;
    draft.dirty = changed();
    update();
    const to = draft.value.indexOf(id);
    if (to !== from) ctx.announce(format(S.rank_moved, { label: labelOf(id), n: to + 1, total }));
  }

  function numberItems() {
    draft.value.forEach((id, i) => {
      const parts = items.get(id);
      if (!parts) return;
      setText(parts.position, String(i + 1));
      setText(parts.spoken, format(S.rank_place, { n: i + 1, total }));
      parts.up.disabled = !ctx.isOpen() || i === 0;
      parts.down.disabled = !ctx.isOpen() || i === total - 1;
    });
  }

  const hint = el("p", { class: "hint", text: S.rank_hint });
  const send = el("button", { type: "button", class: "btn btn-primary btn-block btn-send",
    on: { click: () => {
      if (!ctx.isOpen()) return;
      ctx.submit([...draft.value]);
    } } });

  function update() {
    if (!draft.dirty && !drag) draft.value = stored() || validOrder(draft.value) || [...ids];
    if (!drag) {
      // put the items in the draft's order, moving only the ones that are out of place
      draft.value.forEach((id, i) => {
        const parts = items.get(id);
        if (parts && list.children[i] !== parts.li) {
          const focused = parts.li.contains(document.activeElement) ? document.activeElement : null;
          list.insertBefore(parts.li, list.children[i] || null);
          if (focused && document.activeElement !== focused) focused.focus();
        }
      });
    }
    numberItems();
    list.classList.toggle("is-readonly", !ctx.isOpen());
    const failed = ctx.failed();
    setText(send, ctx.hasAnswer() ? S.send_change : S.rank_send);
    send.disabled = !ctx.isOpen() || (ctx.hasAnswer() && !draft.dirty && !failed);
    show(send, ctx.isOpen());
    show(hint, ctx.isOpen());
    status.update();
  }
  return { nodes: [hint, list, send, status.node], update };
}

/** The places typed in a server-rendered form before this script ran (all different: an order). */
function adopt(form, data, activity, stored) {
  const places = (activity.options || []).map((o) => [o.id, Number(data.get(`rank:${o.id}`))]);
  const order = places.slice().sort((a, b) => a[1] - b[1]).map(([optionId]) => optionId);
  const distinct = new Set(places.map(([, place]) => place)).size === places.length;
  return distinct && (!Array.isArray(stored) || stored.some((x, i) => x !== order[i])) ? order : undefined;
}

// ------------------------------------------------------------------ result: bars by mean rank

function buildRanking(v, activity) {
  const list = el("ol", { class: "bars rank-bars", attrs: { role: "list" } });
  const rows = new Map();
  for (const option of activity.options || []) {
    const fill = el("span", { class: "bar-fill" });
    const place = el("span", { class: "rank-place", attrs: { "aria-hidden": "true" } });
    const mean = el("span", { class: "rank-mean" });
    const first = el("span", { class: "rank-first" });
    const label = el("span", { class: "bar-label" }, place, pick(option.label, v.lang));
    if (option.placeholder) {
      label.append(v.placeholderBadge());
    }
    const row = el("li", { class: "bar-row rank-row", data: { id: option.id } },
      label,
      el("span", { class: "bar-line" },
        el("span", { class: "bar-track", attrs: { "aria-hidden": "true" } }, fill),
        el("span", { class: "bar-value rank-value" }, mean, first)));
    rows.set(option.id, { row, fill, place, mean, first });
    list.append(row);
  }
  const empty = el("p", { class: "result-empty", text: v.s.res_no_answers || "" });
  const note = el("p", { class: "result-note" });
  const wrapper = el("div", { class: "result result-ranking" }, list, empty, note);
  v.root.append(wrapper);
  return { wrapper, list, rows, empty, note };
}

function updateRanking(v, activity, result) {
  const p = v.parts;
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
    setText(parts.mean, has ? format(v.s.res_mean_rank || "mean rank {v}", { v: formatNumber(Number(r.mean_rank), v.lang) })
      : (v.s.res_mean_rank_none || "\u2014"));
    const firstPct = known(r.first_percent) ? formatPercent(Number(r.first_percent), v.lang) : "\u2014";
    setText(parts.first, format(v.s.res_first_places || "first place: {pct} ({n})", { pct: firstPct, n: Number(r.first) || 0 }));
    parts.row.classList.toggle("is-zero", !has);
    if (p.list.children[index] !== parts.row) p.list.insertBefore(parts.row, p.list.children[index] || null);
  });
  const n = v.respondents(result) || 0;
  show(p.empty, n === 0);
  setText(p.note, `${v.s.res_rank_note || "Lower mean rank = ranked higher (1 = first place)."} \u00b7 ${format(v.s.res_n || "n = {n}", { n })}`);
}

// ------------------------------------------------------------------ breakdown: mean rank per group

function buildRankTable(bv, wrapper, activity, groups) {
  const series = groups.filter((g) => bv.state(g) === "shown");
  const head = el("tr", {}, el("th", { attrs: { scope: "col" }, class: "bd-rank-corner", text: bv.s.bd_option || "" }));
  const heads = new Map();
  series.forEach((g, i) => {
    const n = el("span", { class: "bd-th-n" });
    head.append(el("th", { attrs: { scope: "col" } },
      el("span", { class: ["swatch", bv.colour(i)], attrs: { "aria-hidden": "true" } }), " ",
      el("span", { class: "bd-th-label", text: bv.label(g) }), el("br"), n));
    heads.set(String(g.id), { n });
  });
  const body = el("tbody");
  const cells = new Map(); // option id -> group id -> parts
  for (const option of activity.options || []) {
    const row = el("tr", {}, el("th", { attrs: { scope: "row" }, text: pick(option.label, bv.lang) }));
    const perGroup = new Map();
    for (const g of series) {
      const place = el("span", { class: "bd-rank-place" });
      const mean = el("span", { class: "bd-rank-mean" });
      const cell = el("td", { class: "bd-rank-cell" }, place, mean);
      row.append(cell);
      perGroup.set(String(g.id), { cell, place, mean });
    }
    body.append(row);
    cells.set(option.id, perGroup);
  }
  const table = el("table", { class: "bd-rank-table" },
    el("caption", { class: "bd-rank-caption", text: bv.s.bd_rank_note || "" }), el("thead", {}, head), body);
  const none = el("p", { class: "result-empty", text: bv.s.bd_no_groups || bv.s.res_no_answers || "" });
  const absent = bv.buildAbsent();
  if (series.length) wrapper.append(table);
  wrapper.append(none, absent);
  show(none, series.length === 0);
  return { heads, cells, absent, groups, series };
}

function updateRankTable(bv, activity, byId, breakdown) {
  const p = bv.parts;
  const known = (v) => v !== null && v !== undefined && Number.isFinite(Number(v));
  for (const [groupId, head] of p.heads) setText(head.n, bv.nText(byId.get(groupId), bv.threshold(breakdown)));
  for (const g of p.series) {
    const group = byId.get(String(g.id));
    const options = (group && group.result && Array.isArray(group.result.options)) ? group.result.options : [];
    // the group's own order: place 1 = lowest mean rank
    const ranked = options.filter((o) => known(o.mean_rank)).sort((a, b) => Number(a.mean_rank) - Number(b.mean_rank));
    for (const [optionId, perGroup] of p.cells) {
      const parts = perGroup.get(String(g.id));
      const option = options.find((o) => o.id === optionId);
      const has = option && known(option.mean_rank);
      const place = has ? ranked.findIndex((o) => o.id === optionId) + 1 : 0;
      setText(parts.place, has ? `${place}.` : "");
      setText(parts.mean, has ? formatNumber(Number(option.mean_rank), bv.lang) : "\u2014");
      parts.cell.classList.toggle("is-first", place === 1);
      if (has) {
        parts.cell.setAttribute("title", format(bv.s.res_mean_rank || "mean rank {v}",
                                                { v: formatNumber(Number(option.mean_rank), bv.lang) }));
      }
    }
  }
  bv.updateAbsent(p.absent, p.groups, bv.threshold(breakdown));
}

export default {
  answers: true,
  input,
  summary: (value, ctx) => (Array.isArray(value) ? value : []).map((id, i) => `${i + 1}. ${ctx.optionLabel(id)}`).join("\n"),
  adopt,
  preview: (activity, ctx) => ctx.labelList(activity.options || []),
  emptyResult: (activity) => ({
    options: (activity.options || []).map((o) => ({ id: o.id, mean_rank: null, first: 0, first_percent: 0 })),
    respondents: 0 }),
  result: {
    build: (v, activity) => buildRanking(v, activity),
    update: updateRanking,
  },
  breakdown: {
    layout: () => "ranking",
    build: buildRankTable,
    update: updateRankTable,
  },
};
