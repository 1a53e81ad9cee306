// Draw a breakdown (docs/protocol.md, "Segments, tables and breakdowns") for the control and
// projector screens: the current result per group (a table, or an answer to a profile question).
//
// Privacy: a group the server suppressed (fewer respondents than the threshold) is drawn as
// "fewer than 3" and nothing else: no count, no bar, no percentage. An empty group is drawn as
// "no answers". Group results never hold free text (the server leaves it out).
//
// Layouts:
//   compare  `breakdown.compare` names two groups: exactly those two, side by side, labels large
//   grouped  choice kinds: one bar per group under every option (control; projector unless by
//            table); ranking: a table of mean ranks, one column per group
//   cards    one compact chart per group (small multiples): scale, matrix, word cloud, and every
//            kind on the projector when broken down by table
//
// Like results.js, the DOM stays put between updates while the groups stay the same; numbers
// are always written, never colour only, and labels go in as text.

import { el, setText, show, format, clear } from "./dom.js";
import { pick, formatNumber, formatPercent } from "./text.js";
import { ResultView } from "./results.js";

export const BREAKDOWN_KINDS = new Set(["single_choice", "multi_choice", "scale", "ranking", "matrix", "word_cloud"]);
export const NO_GROUP = "_none";
const CHOICE = new Set(["single_choice", "multi_choice"]);
const PALETTE = 8; // bd-c0 .. bd-c7 in base.css (Okabe-Ito), then hatched variants

/** "shown" | "suppressed" | "empty" for one group row of a breakdown. */
export function groupState(group) {
  if (!group || group.suppressed) return "suppressed";
  if (!Number.isFinite(Number(group.n)) || Number(group.n) <= 0 || !group.result) return "empty";
  return "shown";
}

/** The two groups `breakdown.compare` names, in that order (null unless both exist). */
export function compareGroups(breakdown) {
  const ids = breakdown && Array.isArray(breakdown.compare) ? breakdown.compare : null;
  if (!ids || ids.length !== 2) return null;
  const groups = Array.isArray(breakdown.groups) ? breakdown.groups : [];
  const pair = ids.map((id) => groups.find((g) => g && String(g.id) === String(id)));
  return pair.every(Boolean) ? pair : null;
}

export class BreakdownView {
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
  }

  reset() {
    clear(this.root);
    this.key = null;
    this.parts = null;
  }

  /** Which layout a breakdown gets on this screen. */
  layout(activity, breakdown) {
    if (compareGroups(breakdown)) return "compare";
    if (this.mode === "projector" && breakdown.by === "table") return "cards";
    if (CHOICE.has(activity.kind)) {
      // on the wall, three groups or more: a column per group (bars under each other per option
      // would need more height than a projector has)
      const shown = (breakdown.groups || []).filter((g) => groupState(g) === "shown").length;
      return this.mode === "projector" && shown >= 3 ? "columns" : "grouped";
    }
    if (activity.kind === "ranking") return "ranking";
    return "cards";
  }

  /** The groups drawn, in the server's order. The projector leaves out empty answer groups. */
  groups(activity, breakdown, layout) {
    const all = (Array.isArray(breakdown.groups) ? breakdown.groups : []).filter((g) => g && g.id !== undefined);
    if (layout === "compare") return compareGroups(breakdown);
    if (this.mode !== "projector") return all;
    // on the wall: every table (an empty one tells its table to answer), but no empty
    // "not given" group and no empty answer of a profile question
    return all.filter((g) => groupState(g) !== "empty" || (breakdown.by === "table" && g.id !== NO_GROUP));
  }

  /**
   * Draw `breakdown` for `activity`. Returns false when there is nothing to draw (no
   * breakdown, or a kind that is never broken down).
   */
  render(activity, breakdown, overall = null) {
    // the whole room's result: a word hidden (or not approved) there is left out of every group
    this.overall = overall;
    if (!activity || !breakdown || !BREAKDOWN_KINDS.has(activity.kind) || !Array.isArray(breakdown.groups)) {
      this.reset();
      return false;
    }
    const layout = this.layout(activity, breakdown);
    const groups = this.groups(activity, breakdown, layout);
    const shape = {
      options: activity.options || null, items: activity.items || null, ratings: activity.ratings || null,
      scale: activity.scale || null,
    };
    const key = JSON.stringify([activity.id, activity.kind, shape, layout, breakdown.by,
      groups.map((g) => [String(g.id), groupState(g), pick(g.label, this.lang)])]);
    if (key !== this.key) {
      this.reset();
      this.key = key;
      const wrapper = el("div", { class: ["breakdown", `bd-layout-${layout}`, `bd-kind-${activity.kind}`,
                                          `bd-by-${breakdown.by === "table" ? "table" : "profile"}`] });
      this.root.append(wrapper);
      if (layout === "grouped") this.parts = this._buildGrouped(wrapper, activity, groups);
      else if (layout === "columns") this.parts = this._buildColumns(wrapper, activity, groups);
      else if (layout === "ranking") this.parts = this._buildRanking(wrapper, activity, groups);
      else this.parts = this._buildCards(wrapper, activity, groups, layout);
      this.parts.wrapper = wrapper;
      this.parts.layout = layout;
    }
    const byId = new Map(groups.map((g) => [String(g.id), g]));
    if (layout === "grouped" || layout === "columns") this._updateGrouped(activity, byId, breakdown);
    else if (layout === "ranking") this._updateRanking(activity, byId, breakdown);
    else this._updateCards(activity, byId, breakdown);
    return true;
  }

  // ------------------------------------------------------------------ shared bits

  _label(group) {
    return pick(group.label, this.lang) || String(group.id);
  }

  /** What a group's count line says: "n = 4", "fewer than 3", "no answers". */
  _nText(group, threshold) {
    const state = groupState(group);
    if (state === "suppressed") return format(this.s.bd_suppressed || "fewer than {n}", { n: threshold });
    if (state === "empty") return this.s.bd_empty || "no answers";
    return format(this.s.res_n || "n = {n}", { n: Number(group.n) });
  }

  _threshold(breakdown) {
    const t = Number(breakdown && breakdown.threshold);
    return Number.isFinite(t) && t > 0 ? t : 3;
  }

  _colour(index) {
    return `bd-c${index % PALETTE}${index >= PALETTE ? " bd-hatched" : ""}`;
  }

  /** A line naming the groups that are not drawn as series: suppressed and empty ones. */
  _buildAbsent() {
    return el("p", { class: "bd-absent" });
  }

  _updateAbsent(node, groups, threshold) {
    const suppressed = groups.filter((g) => groupState(g) === "suppressed").map((g) => this._label(g));
    const empty = groups.filter((g) => groupState(g) === "empty").map((g) => this._label(g));
    const parts = [];
    if (suppressed.length) {
      parts.push(`${format(this.s.bd_suppressed_groups || "Fewer than {n} respondents, not shown:", { n: threshold })} ${suppressed.join(", ")}`);
    }
    if (empty.length) parts.push(`${this.s.bd_empty_groups || "No answers:"} ${empty.join(", ")}`);
    setText(node, parts.join(" \u00b7 "));
    show(node, parts.length > 0);
  }

  // ------------------------------------------------------------------ grouped bars (choice kinds)

  _buildGrouped(wrapper, activity, groups) {
    const series = groups.filter((g) => groupState(g) === "shown");
    const legend = el("ul", { class: "bd-legend" });
    const legendItems = new Map();
    series.forEach((g, i) => {
      const n = el("span", { class: "bd-legend-n" });
      legend.append(el("li", {},
        el("span", { class: ["swatch", this._colour(i)], attrs: { "aria-hidden": "true" } }),
        el("span", { class: "bd-legend-label", text: this._label(g) }), " ", n));
      legendItems.set(String(g.id), { n });
    });
    const list = el("ol", { class: ["bd-options", series.length > 3 ? "bd-options-many" : ""], attrs: { role: "list" } });
    const rows = new Map(); // option id -> group id -> parts
    for (const option of activity.options || []) {
      const bars = el("ol", { class: "bd-series", attrs: { role: "list" } });
      const perGroup = new Map();
      series.forEach((g, i) => {
        const fill = el("span", { class: ["bar-fill", this._colour(i)] });
        const pct = el("span", { class: "bar-pct" });
        const count = el("span", { class: "bar-count" });
        const row = el("li", { class: "bd-bar" },
          el("span", { class: "bd-tag", text: this._label(g) }),
          el("span", { class: "bar-track", attrs: { "aria-hidden": "true" } }, fill),
          el("span", { class: "bar-value" }, pct, " ", count));
        bars.append(row);
        perGroup.set(String(g.id), { row, fill, pct, count });
      });
      const label = el("span", { class: "bar-label bd-option-label" }, pick(option.label, this.lang));
      if (option.placeholder) {
        label.append(" ", el("span", { class: "badge badge-placeholder", text: this.s.placeholder || "voorlopig" }));
      }
      list.append(el("li", { class: "bd-option", data: { id: option.id } }, label, bars));
      rows.set(option.id, perGroup);
    }
    const none = el("p", { class: "result-empty", text: this.s.bd_no_groups || this.s.res_no_answers || "" });
    const absent = this._buildAbsent();
    const note = el("p", { class: "result-note" });
    if (series.length) wrapper.append(legend, list);
    wrapper.append(none, absent, note);
    show(none, series.length === 0);
    return { rows, legendItems, absent, note, groups, series };
  }

  _updateGrouped(activity, byId, breakdown) {
    const p = this.parts;
    for (const [groupId, item] of p.legendItems) {
      setText(item.n, `(${this._nText(byId.get(groupId), this._threshold(breakdown))})`);
    }
    for (const [optionId, perGroup] of p.rows) {
      for (const [groupId, parts] of perGroup) {
        const group = byId.get(groupId);
        const options = (group && group.result && Array.isArray(group.result.options)) ? group.result.options : [];
        const option = options.find((o) => o.id === optionId) || { count: 0, percent: 0 };
        const percent = Number(option.percent) || 0;
        parts.fill.style.width = `${Math.max(0, Math.min(100, percent))}%`;
        setText(parts.pct, formatPercent(percent, this.lang));
        setText(parts.count, this.mode === "projector" ? "" : `(${Number(option.count) || 0})`);
        parts.row.classList.toggle("is-zero", !Number(option.count));
      }
    }
    this._updateAbsent(p.absent, p.groups, this._threshold(breakdown));
    setText(p.note, activity.kind === "multi_choice"
      ? (this.s.bd_pct_multi || "% of each group's respondents (several answers possible)")
      : (this.s.bd_pct_single || "% of each group's respondents"));
  }

  /** Choice kinds, many groups (projector): a table with one column per group, a bar per cell. */
  _buildColumns(wrapper, activity, groups) {
    const series = groups.filter((g) => groupState(g) === "shown");
    const head = el("tr", {}, el("td", { class: "bd-col-corner" }));
    const legendItems = new Map();
    series.forEach((g, i) => {
      const n = el("span", { class: "bd-th-n" });
      head.append(el("th", { attrs: { scope: "col" }, class: "bd-col-head" },
        el("span", { class: "bd-col-name" },
          el("span", { class: ["swatch", this._colour(i)], attrs: { "aria-hidden": "true" } }), " ",
          el("span", { text: this._label(g) })), n));
      legendItems.set(String(g.id), { n });
    });
    const body = el("tbody");
    const rows = new Map();
    for (const option of activity.options || []) {
      const label = el("th", { attrs: { scope: "row" }, class: "bd-col-label" }, pick(option.label, this.lang));
      if (option.placeholder) {
        label.append(" ", el("span", { class: "badge badge-placeholder", text: this.s.placeholder || "voorlopig" }));
      }
      const row = el("tr", {}, label);
      const perGroup = new Map();
      series.forEach((g, i) => {
        const fill = el("span", { class: ["bar-fill", this._colour(i)] });
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
    const absent = this._buildAbsent();
    const note = el("p", { class: "result-note" });
    wrapper.append(table, absent, note);
    return { rows, legendItems, absent, note, groups, series };
  }

  // ------------------------------------------------------------------ ranking: mean rank per group

  _buildRanking(wrapper, activity, groups) {
    const series = groups.filter((g) => groupState(g) === "shown");
    const head = el("tr", {}, el("th", { attrs: { scope: "col" }, class: "bd-rank-corner", text: this.s.bd_option || "" }));
    const heads = new Map();
    series.forEach((g, i) => {
      const n = el("span", { class: "bd-th-n" });
      head.append(el("th", { attrs: { scope: "col" } },
        el("span", { class: ["swatch", this._colour(i)], attrs: { "aria-hidden": "true" } }), " ",
        el("span", { class: "bd-th-label", text: this._label(g) }), el("br"), n));
      heads.set(String(g.id), { n });
    });
    const body = el("tbody");
    const cells = new Map(); // option id -> group id -> parts
    for (const option of activity.options || []) {
      const row = el("tr", {}, el("th", { attrs: { scope: "row" }, text: pick(option.label, this.lang) }));
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
      el("caption", { class: "bd-rank-caption", text: this.s.bd_rank_note || "" }), el("thead", {}, head), body);
    const none = el("p", { class: "result-empty", text: this.s.bd_no_groups || this.s.res_no_answers || "" });
    const absent = this._buildAbsent();
    if (series.length) wrapper.append(table);
    wrapper.append(none, absent);
    show(none, series.length === 0);
    return { heads, cells, absent, groups, series };
  }

  _updateRanking(activity, byId, breakdown) {
    const p = this.parts;
    const known = (v) => v !== null && v !== undefined && Number.isFinite(Number(v));
    for (const [groupId, head] of p.heads) setText(head.n, this._nText(byId.get(groupId), this._threshold(breakdown)));
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
        setText(parts.mean, has ? formatNumber(Number(option.mean_rank), this.lang) : "\u2014");
        parts.cell.classList.toggle("is-first", place === 1);
        if (has) {
          parts.cell.setAttribute("title", format(this.s.res_mean_rank || "mean rank {v}",
                                                  { v: formatNumber(Number(option.mean_rank), this.lang) }));
        }
      }
    }
    this._updateAbsent(p.absent, p.groups, this._threshold(breakdown));
  }

  // ------------------------------------------------------------------ cards (small multiples, compare)

  _buildCards(wrapper, activity, groups, layout) {
    const compare = layout === "compare";
    const grid = el("div", { class: ["bd-cards", compare ? "bd-compare" : "", `bd-count-${Math.min(groups.length, 12)}`] });
    const cards = new Map();
    // one chart per group, drawn like the whole room's but without reference or "before"
    const groupActivity = { ...activity, reference: null, compare_with: null };
    groups.forEach((g, i) => {
      const state = groupState(g);
      const n = el("p", { class: "bd-card-n" });
      const title = el(compare ? "h2" : "h3", { class: "bd-card-title" },
        compare ? el("span", { class: ["swatch", this._colour(i)], attrs: { "aria-hidden": "true" } }) : null,
        el("span", { text: this._label(g) }));
      const body = el("div", { class: "bd-card-body" });
      const card = el("section", { class: ["bd-card", `is-${state}`, compare ? `bd-tone-${i}` : ""], data: { group: String(g.id) } },
        el("header", { class: "bd-card-head" }, title, n), body);
      let view = null;
      if (state === "shown") {
        if (activity.kind === "word_cloud") view = { words: true };
        else view = new ResultView(body, { strings: this.s, lang: this.lang, mode: "control" });
      } else {
        body.append(el("p", { class: "bd-card-missing",
                              text: state === "suppressed" ? (this.s.bd_suppressed_long || this.s.bd_suppressed || "") : (this.s.bd_empty_long || "") }));
      }
      if (compare && i === 0) {
        grid.append(card, el("span", { class: "bd-versus", attrs: { "aria-hidden": "true" }, text: "\u2194" }));
      } else {
        grid.append(card);
      }
      cards.set(String(g.id), { card, n, body, view, state });
    });
    wrapper.append(grid);
    if (!groups.length) wrapper.append(el("p", { class: "result-empty", text: this.s.bd_no_groups || this.s.res_no_answers || "" }));
    return { cards, groupActivity };
  }

  _updateCards(activity, byId, breakdown) {
    const p = this.parts;
    const threshold = this._threshold(breakdown);
    const extent = activity.kind === "matrix" ? this._matrixExtent(activity, [...byId.values()]) : 0;
    for (const [groupId, parts] of p.cards) {
      const group = byId.get(groupId);
      setText(parts.n, this._nText(group, threshold));
      if (parts.state === "suppressed") {
        setText(parts.body.firstChild, format(this.s.bd_suppressed_long || "Fewer than {n} respondents: not shown, so that nobody can be recognised.", { n: threshold }));
      } else if (parts.state === "empty") {
        setText(parts.body.firstChild, this.s.bd_empty_long || this.s.bd_empty || "");
      } else if (parts.view && parts.view.words) {
        this._renderWords(parts.body, group.result);
      } else if (parts.view) {
        parts.view.minExtent = extent; // diverging bars of every group on one scale
        parts.view.render(p.groupActivity, group.result);
      }
    }
  }

  /** The largest share on one side of any group's diverging bar (percent). */
  _matrixExtent(activity, groups) {
    const ratings = activity.ratings || [];
    const sides = [ratings.filter((r) => r.polarity === "negative"), ratings.filter((r) => r.polarity === "positive"),
                   ratings.filter((r) => r.polarity !== "negative" && r.polarity !== "positive")];
    let extent = 0;
    for (const g of groups) {
      if (groupState(g) !== "shown" || !Array.isArray(g.result.items)) continue;
      for (const item of g.result.items) {
        for (const side of sides) {
          extent = Math.max(extent, side.reduce((t, r) => t + (Number((item.percents || {})[r.id]) || 0), 0));
        }
      }
    }
    return extent;
  }

  /** A group's most frequent words, each with its count (a cloud per group would not compare). */
  _renderWords(body, result) {
    const max = this.mode === "projector" ? 6 : 10;
    const hidden = new Set((Array.isArray(result && result.hidden) ? result.hidden : [])
      .map((h) => String(h && typeof h === "object" ? h.word : h)));
    // what the room may see is decided on the whole cloud (moderation, hidden words): a group
    // shows only words the whole room's result shows as approved
    const overall = this.overall && Array.isArray(this.overall.words) ? this.overall : null;
    const allowed = overall ? new Set(overall.words
      .filter((w) => w && (w.status === undefined || w.status === "approved"))
      .map((w) => String(w.word))) : null;
    if (overall && Array.isArray(overall.hidden)) {
      for (const h of overall.hidden) allowed.delete(String(h && typeof h === "object" ? h.word : h));
    }
    const words = (Array.isArray(result && result.words) ? result.words : [])
      .filter((w) => w && w.word !== undefined && Number(w.count) > 0 && !hidden.has(String(w.word))
              && (allowed ? allowed.has(String(w.word)) : (w.status === undefined || w.status === "approved")))
      .sort((a, b) => Number(b.count) - Number(a.count) || String(a.word).localeCompare(String(b.word), this.lang))
      .slice(0, max);
    const most = Math.max(1, ...words.map((w) => Number(w.count)));
    const list = el("ol", { class: "bd-words" },
      words.map((w) => {
        const fill = el("span", { class: "bar-fill" });
        fill.style.width = `${(100 * Number(w.count)) / most}%`;
        return el("li", { class: "bd-word" },
          el("span", { class: "bd-word-text", text: String(w.word) }),
          el("span", { class: "bar-track", attrs: { "aria-hidden": "true" } }, fill),
          el("span", { class: "bd-word-count", text: String(Number(w.count)) }));
      }));
    clear(body).append(words.length ? list : el("p", { class: "result-empty", text: this.s.res_no_answers || "" }));
  }
}
