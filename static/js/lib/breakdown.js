// Draw a breakdown (docs/protocol.md, "Segments, tables and breakdowns") for the control and
// projector screens: the current result per group (a table, or an answer to a profile question).
//
// Privacy: a group the server suppressed (fewer respondents than the threshold) is drawn as
// "fewer than 3" and nothing else: no count, no bar, no percentage. An empty group is drawn as
// "no answers". Group results never hold free text (the server leaves it out).
//
// Layouts:
//   compare  `breakdown.compare` names two groups: exactly those two, side by side, labels large
//   cards    one compact chart per group (small multiples): the kind's own result per group (or
//            its `breakdown.card`), and every kind on the projector when broken down by table
//   a kind's own layout (its `breakdown.layout`, `build` and `update`), e.g. bars per group under
//            every option, or a table of mean ranks
//
// Which activities can be broken down is the server's rule: it sends `breakdown: null` for the
// others (docs/protocol.md).
//
// Like results.js, the DOM stays put between updates while the groups stay the same; numbers
// are always written, never colour only, and labels go in as text.

import { el, setText, show, format, clear, provisionalMark } from "./dom.js";
import { pick } from "./text.js";
import { ResultView } from "./results.js";
import { kind } from "../kinds/index.js";

export const NO_GROUP = "_none";
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

  /** Which layout a breakdown gets on this screen ("compare", "cards" or the kind's own). */
  layout(own, breakdown) {
    if (compareGroups(breakdown)) return "compare";
    if (this.mode === "projector" && breakdown.by === "table") return "cards";
    return (own && own.layout && own.build && own.update && own.layout(this, breakdown)) || "cards";
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
    const impl = activity && kind(activity.kind);
    if (!activity || !breakdown || !impl || !Array.isArray(breakdown.groups)) {
      this.reset();
      return false;
    }
    const own = impl.breakdown || null;
    const layout = this.layout(own, breakdown);
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
      if (layout === "cards" || layout === "compare") this.parts = this._buildCards(wrapper, activity, groups, layout, own);
      else this.parts = own.build(this, wrapper, activity, groups, layout);
      this.parts.wrapper = wrapper;
      this.parts.layout = layout;
    }
    const byId = new Map(groups.map((g) => [String(g.id), g]));
    if (layout === "cards" || layout === "compare") this._updateCards(activity, byId, breakdown, own);
    else own.update(this, activity, byId, breakdown);
    return true;
  }

  // ------------------------------------------------------------------ shared bits (for the kinds too)

  /** "shown" | "suppressed" | "empty" for one group row. */
  state(group) {
    return groupState(group);
  }

  placeholderBadge() {
    return provisionalMark(this.s.placeholder || "voorlopig");
  }

  label(group) {
    return pick(group.label, this.lang) || String(group.id);
  }

  /** What a group's count line says: "n = 4", "fewer than 3", "no answers". */
  nText(group, threshold) {
    const state = groupState(group);
    if (state === "suppressed") return format(this.s.bd_suppressed || "fewer than {n}", { n: threshold });
    if (state === "empty") return this.s.bd_empty || "no answers";
    return format(this.s.res_n || "n = {n}", { n: Number(group.n) });
  }

  threshold(breakdown) {
    const t = Number(breakdown && breakdown.threshold);
    return Number.isFinite(t) && t > 0 ? t : 3;
  }

  colour(index) {
    return `bd-c${index % PALETTE}${index >= PALETTE ? " bd-hatched" : ""}`;
  }

  /** A line naming the groups that are not drawn as series: suppressed and empty ones. */
  buildAbsent() {
    return el("p", { class: "bd-absent" });
  }

  updateAbsent(node, groups, threshold) {
    const suppressed = groups.filter((g) => groupState(g) === "suppressed").map((g) => this.label(g));
    const empty = groups.filter((g) => groupState(g) === "empty").map((g) => this.label(g));
    const parts = [];
    if (suppressed.length) {
      parts.push(`${format(this.s.bd_suppressed_groups || "Fewer than {n} respondents, not shown:", { n: threshold })} ${suppressed.join(", ")}`);
    }
    if (empty.length) parts.push(`${this.s.bd_empty_groups || "No answers:"} ${empty.join(", ")}`);
    setText(node, parts.join(" \u00b7 "));
    show(node, parts.length > 0);
  }

  // ------------------------------------------------------------------ cards (small multiples, compare)

  _buildCards(wrapper, activity, groups, layout, own) {
    const compare = layout === "compare";
    const grid = el("div", { class: ["bd-cards", compare ? "bd-compare" : "", `bd-count-${Math.min(groups.length, 12)}`] });
    const cards = new Map();
    // one chart per group, drawn like the whole room's but without reference or "before"
    const groupActivity = { ...activity, reference: null, compare_with: null };
    groups.forEach((g, i) => {
      const state = groupState(g);
      const n = el("p", { class: "bd-card-n" });
      const title = el(compare ? "h2" : "h3", { class: "bd-card-title" },
        compare ? el("span", { class: ["swatch", this.colour(i)], attrs: { "aria-hidden": "true" } }) : null,
        el("span", { text: this.label(g) }));
      const body = el("div", { class: "bd-card-body" });
      const card = el("section", { class: ["bd-card", `is-${state}`, compare ? `bd-tone-${i}` : ""], data: { group: String(g.id) } },
        el("header", { class: "bd-card-head" }, title, n), body);
      let view = null;
      if (state === "shown") {
        // the kind's own picture of a group, else its result drawn like the whole room's
        if (own && own.card) view = { card: own.card };
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

  _updateCards(activity, byId, breakdown, own) {
    const p = this.parts;
    const threshold = this.threshold(breakdown);
    // options every group's chart shares (e.g. one scale for all diverging bars)
    const options = own && own.cardOptions ? own.cardOptions(this, activity, [...byId.values()]) : null;
    for (const [groupId, parts] of p.cards) {
      const group = byId.get(groupId);
      setText(parts.n, this.nText(group, threshold));
      if (parts.state === "suppressed") {
        setText(parts.body.firstChild, format(this.s.bd_suppressed_long || "Fewer than {n} respondents: not shown, so that nobody can be recognised.", { n: threshold }));
      } else if (parts.state === "empty") {
        setText(parts.body.firstChild, this.s.bd_empty_long || this.s.bd_empty || "");
      } else if (parts.view && parts.view.card) {
        parts.view.card(this, parts.body, group.result);
      } else if (parts.view) {
        if (options) Object.assign(parts.view, options);
        parts.view.render(p.groupActivity, group.result);
      }
    }
  }
}
