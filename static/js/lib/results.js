// Draw a `result` (docs/protocol.md, `results`) for the control and projector screens: the shell.
// Each kind draws its own result (static/js/kinds/<kind>.js, `result`: build once, update on
// every new result); this view keeps the parts between updates and offers the kinds the shared
// bits (numbers, moderated entries, fitting the wall).
//
// The DOM stays put between updates: bars keep their elements and only their widths, heights
// and numbers change (CSS transitions do the rest), so the projector does not jump. Numbers are
// always written next to the bars, never colour only. Participant text goes in by textContent.

import { el, setText, show, format, clear, provisionalMark } from "./dom.js";
import { kind } from "../kinds/index.js";

// Projector views re-fit their text lists when the window size changes (one listener for all).
const fittedViews = new Set();
window.addEventListener("resize", () => {
  for (const view of fittedViews) {
    if (view.root.isConnected) view.scheduleFit();
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

/** Whether the activity's kind draws a result (false while its module is not loaded). */
export function hasResult(activity) {
  const impl = activity && kind(activity.kind);
  return !!(impl && impl.result);
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
    this.impl = null;
    this._fitFrame = 0;
    /** What the screen adds for a kind's result: {tables, spotlight, counts, holders?, act?} */
    this.context = {};
    if (mode === "projector") fittedViews.add(this);
  }

  /** Forget everything (next render rebuilds). */
  reset() {
    clear(this.root);
    this.key = null;
    this.parts = null;
    this.impl = null;
  }

  /**
   * Draw `result` (per-kind result object) for `activity` (activity view from the state).
   * Returns false when there is nothing to draw for this kind.
   */
  render(activity, result) {
    const impl = activity && kind(activity.kind);
    if (!activity || !result || !impl || !impl.result) {
      this.reset();
      return false;
    }
    const shape = {
      options: activity.options || null, scale: activity.scale || null, items: activity.items || null,
      ratings: activity.ratings || null, reference: activity.reference || null,
      own: impl.result.key ? impl.result.key(activity, result) : null,
    };
    const key = `${activity.id}:${activity.kind}:${JSON.stringify(shape)}`;
    if (key !== this.key) {
      this.reset();
      this.key = key;
      this.impl = impl;
      this.parts = impl.result.build(this, activity, result);
    }
    impl.result.update(this, activity, result);
    return true;
  }

  // ------------------------------------------------------------------ for the kinds

  /** The "placeholder" badge next to a label the programme marks as not final. */
  placeholderBadge() {
    return provisionalMark(this.s.placeholder || "voorlopig");
  }

  /** Number of respondents in a per-kind result (null when unknown). */
  respondents(result) {
    return respondentsOf(result);
  }

  /** Entries the room may see: the server sends only approved ones to the projector; be defensive. */
  approved(entries) {
    return (Array.isArray(entries) ? entries : []).filter((e) => e && (e.status === undefined || e.status === "approved"));
  }

  /** Keep one <li> per entry id: append new ones, update changed text, drop removed ones.
   * ``unlisted``: how many earlier entries the server did not send (a long list is cut to its
   * newest); they are counted in the "+ n earlier" line. */
  syncEntries(list, items, entries, more, unlisted = 0) {
    list.dataset.unlisted = String(Number(unlisted) || 0);
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
    if (this.mode === "projector") this.scheduleFit();
    else this.showMore(more, Number(list.dataset.unlisted));
  }

  /** The "+ n earlier answers" line: n entries not shown (hidden to fit, or not sent). */
  showMore(more, n) {
    if (!more) return;
    show(more, n > 0);
    setText(more, n > 0 ? format(this.s.res_more || "+ {n} earlier", { n }) : "");
  }

  scheduleFit() {
    if (this.mode !== "projector") return;
    window.cancelAnimationFrame(this._fitFrame);
    this._fitFrame = window.requestAnimationFrame(() => this.fit());
  }

  /** Projector: when entries overflow their box, hide the oldest and say how many are hidden;
   * then the kind's own fitting (a cloud that shrinks, a board that drops the last questions). */
  fit() {
    if (this.impl && this.impl.result.fit && this.parts) this.impl.result.fit(this);
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
      this.showMore(more, hidden + (Number(list.dataset.unlisted) || 0));
    }
  }
}
