// The screen of one dialogue table (/table/<code>/<n>?key=...): read-only. It asks the server
// for the table's state every few seconds (state.json, with the same key) and draws the current
// activity, the table's phones, and once the facilitator shows results: the table's result beside
// the room's (a table below the privacy threshold shows "fewer than k", never a count). For an
// activity answered per table: the table's own report, and a link to write it on this device.
// What a kind's result looks like comes from its module (static/js/kinds/<kind>.js).

import { el, clear, setText, show, readJSON, format } from "./lib/dom.js";
import { pick, pageLang } from "./lib/text.js";
import { ResultView } from "./lib/results.js";
import { kind, load, ready } from "./kinds/index.js";

const S = { ...(readJSON("result-strings") || {}), ...(readJSON("strings") || {}) };
const config = readJSON("config") || {};
let state = readJSON("state") || {};
const lang = pageLang();
const POLL_MS = 3000;

const seatsNode = document.getElementById("tb-seats");
const activityNode = document.getElementById("tb-activity");
const resultsNode = document.getElementById("tb-results");
const joinNode = document.getElementById("tb-join");
const connNode = document.getElementById("tb-conn");

let drawnKey = null;
let views = null;

function panel(titleText) {
  const root = el("div", { class: "tb-result" });
  const note = el("p", { class: "tb-note" });
  const node = el("section", { class: "tb-panel" }, el("h2", { text: titleText }), note, root);
  return { node, note, view: new ResultView(root, { strings: S, lang, mode: "table" }) };
}

function render() {
  const activity = state.ended ? null : state.activity;
  if (activity && !ready([activity.kind])) {
    load([activity.kind]).then(render);
    return;
  }
  setText(seatsNode, format(S.connected, { n: state.connected ?? 0, m: state.joined ?? 0 }));
  const key = JSON.stringify([state.ended, activity && activity.id, activity && activity.kind]);
  if (key !== drawnKey) {
    drawnKey = key;
    clear(activityNode);
    clear(resultsNode);
    views = null;
    if (state.ended) activityNode.append(el("p", { text: S.ended }));
    else if (!activity) activityNode.append(el("p", { text: S.waiting }));
    else {
      activityNode.append(el("h1", { class: "tb-title", text: pick(activity.title, lang) || pick(activity.prompt, lang) }));
      if (pick(activity.title, lang) && pick(activity.prompt, lang)) {
        activityNode.append(el("p", { class: "tb-prompt", text: pick(activity.prompt, lang) }));
      }
      const answered = el("p", { class: "tb-answered" });
      activityNode.append(answered);
      const hidden = el("p", { class: "tb-hidden", text: S.hidden });
      const own = panel(activity.per_table ? S.report_own : S.yours);
      const room = panel(S.room);
      resultsNode.append(own.node, room.node, hidden);
      views = { answered, hidden, own, room };
    }
  }
  show(joinNode, !!(activity && activity.per_table && state.answering));
  if (!views || !activity) return;
  const impl = kind(activity.kind) || {};
  const k = state.threshold;
  if (activity.per_table) setText(views.answered, "");
  else if (state.answered_suppressed) setText(views.answered, format(S.answered_few, { k }));
  else setText(views.answered, Number.isFinite(state.answered) ? format(S.answered, { n: state.answered }) : "");
  // the table's own part: its report (per table), or its result once the room sees results
  const context = { tables: 0, spotlight: null, counts: {}, answering: !!state.answering };
  views.own.view.context = context;
  views.room.view.context = { ...context, tables: Number(state.tables) || 0 };
  if (activity.per_table) {
    const mine = state.own && state.own.tables && state.own.tables.length ? state.own : null;
    setText(views.own.note, mine ? "" : S.report_none);
    if (mine && impl.result) views.own.view.render(activity, mine);
    else views.own.view.reset();
    show(views.own.node, true);
  } else {
    const visible = !!state.results_visible;
    show(views.own.node, visible);
    if (visible && state.result) {
      setText(views.own.note, "");
      views.own.view.render(activity, state.result);
    } else {
      views.own.view.reset();
      setText(views.own.note, state.answered_suppressed ? format(S.suppressed, { k }) : S.no_answers);
    }
  }
  const roomVisible = !!state.results_visible && !!state.room;
  show(views.room.node, roomVisible);
  show(views.hidden, !state.results_visible);
  if (roomVisible) {
    setText(views.room.note, Number.isFinite(state.room_respondents) ? format(S.room_n, { n: state.room_respondents }) : "");
    views.room.view.render(activity, state.room);
  } else views.room.view.reset();
}

async function poll() {
  try {
    const url = `/table/${encodeURIComponent(config.code)}/${config.table}/state.json?key=${encodeURIComponent(config.key)}`;
    const resp = await fetch(url, { cache: "no-store", credentials: "same-origin" });
    if (!resp.ok) throw new Error(String(resp.status));
    const next = await resp.json();
    // the live session's language: the server draws this page in it, so a change (the control
    // screen's choice) reloads the page, strings and all
    if (next.language && next.language !== document.documentElement.lang) {
      window.location.reload();
      return;
    }
    if (!state.version || next.version >= state.version || next.server_time > (state.server_time || 0)) state = next;
    show(connNode, false);
    render();
  } catch {
    show(connNode, true);
  }
  window.setTimeout(poll, POLL_MS);
}

render();
window.setTimeout(poll, POLL_MS);
