// The facilitator's screen: programme outline, navigation, answering and results, counts,
// the full current result and the links to share. Every action is a control event with an ack
// (docs/protocol.md, "Control events"); the new state arrives as a `state` broadcast. What a
// kind shows and moderates comes from its module (static/js/kinds/<kind>.js); whether an
// activity can be broken down, from the server (`breakdown` is null when it cannot).

import { connect } from "./lib/socket.js";
import { el, clear, setText, show, readJSON, format, isTyping, copyText, isProvisional, provisionalPill } from "./lib/dom.js";
import { pick, hasText, renderMarkdown, pageLang } from "./lib/text.js";
import { ResultView, unwrapResult, respondentsOf, hasResult } from "./lib/results.js";
import { Countdown, clock } from "./lib/timer.js";
import { BreakdownView, NO_GROUP, groupState } from "./lib/breakdown.js";
import { kind, load, ready, kindsOf } from "./kinds/index.js";

const S = { ...(readJSON("result-strings") || {}), ...(readJSON("strings") || {}) };
const config = readJSON("config") || {};
let state = readJSON("state") || {};
const lang = pageLang();
const code = config.code || state.code || "";

const outlineNode = document.getElementById("outline");
const currentNode = document.getElementById("current");
const toolbar = document.getElementById("toolbar");
const errorNode = document.getElementById("ack-error");
const connNode = document.getElementById("conn");
const resultNode = document.getElementById("result");
const resultNote = document.getElementById("result-note");
const copyStatus = document.getElementById("copy-status");
const countNodes = {
  connected: document.getElementById("count-connected"),
  participants: document.getElementById("count-participants"),
  answered: document.getElementById("count-answered"),
};
const notesNode = document.getElementById("notes");
const notesBody = document.getElementById("notes-body");
const timerSeconds = document.getElementById("timer-seconds");
const timerStart = document.getElementById("timer-start");
const timerStop = document.getElementById("timer-stop");
const timerClock = document.getElementById("timer-clock");
const lockButton = document.getElementById("lock-joining");
const resetOpen = document.getElementById("reset-open");
const toolStatus = document.getElementById("tool-status");
const sectionCountsNode = document.getElementById("section-counts");
const sectionCountsList = document.getElementById("section-counts-list");
const moderationNode = document.getElementById("moderation");
const moderationNote = document.getElementById("moderation-note");
const moderationError = document.getElementById("moderation-error");
const moderationBody = document.getElementById("moderation-body");
const approveAllButton = document.getElementById("approve-all");
const languageSelect = document.getElementById("live-language");
const pendingAlert = document.getElementById("pending-alert");
const pendingLink = document.getElementById("pending-link");
const logSummary = document.getElementById("log-summary");
const logList = document.getElementById("log-list");
const resetDialog = document.getElementById("reset-dialog");
const resetForm = document.getElementById("reset-form");
const resetText = document.getElementById("reset-text");
const resetId = document.getElementById("reset-id");
const resetInput = document.getElementById("reset-confirm");
const resetError = document.getElementById("reset-error");
const resetCancel = document.getElementById("reset-cancel");
const resetConfirmButton = document.getElementById("reset-confirm-button");
const endOpen = document.getElementById("end-open");
const endDialog = document.getElementById("end-dialog");
const endForm = document.getElementById("end-form");
const endError = document.getElementById("end-error");
const endCancel = document.getElementById("end-cancel");
const endConfirm = document.getElementById("end-confirm");
const endedBanner = document.getElementById("ended-banner");
const reopenButton = document.getElementById("reopen");
const breakdownBy = document.getElementById("breakdown-by");
const compareControls = document.getElementById("compare-controls");
const compareA = document.getElementById("compare-a");
const compareB = document.getElementById("compare-b");
const compareStart = document.getElementById("compare-start");
const compareStop = document.getElementById("compare-stop");
const compareWith = document.getElementById("compare-with");
const compareUnknown = document.getElementById("compare-unknown");
const breakdownNote = document.getElementById("breakdown-note");
const breakdownNode = document.getElementById("breakdown-result");
const tableCardsItem = document.getElementById("table-cards-item");
const buttons = Object.fromEntries(
  Array.from(toolbar.querySelectorAll("button[data-action]"), (b) => [b.dataset.action, b]));

const resultView = new ResultView(resultNode, { strings: S, lang, mode: "control" });
const breakdownView = new BreakdownView(breakdownNode, { strings: S, lang, mode: "control" });

let conn = null;
let connected = false;
let busy = false;
let counts = state.counts || {};
let current = { activity: null, result: null, respondents: null, breakdown: null };
let outline = { key: null, items: new Map(), order: [] };
let currentKey = null;

// ------------------------------------------------------------------ outline

function flatActivities() {
  const sections = (state.programme && state.programme.sections) || [];
  return sections.flatMap((s) => s.activities || []);
}

function buildOutline() {
  const sections = (state.programme && state.programme.sections) || [];
  const key = JSON.stringify(sections);
  if (key === outline.key) return;
  const scroll = outlineNode.scrollTop;
  clear(outlineNode);
  const items = new Map();
  const order = [];
  for (const section of sections) {
    outlineNode.append(el("h2", { class: "outline-section" }, pick(section.title, lang),
      section.paced ? [" ", el("span", { class: "meta-badge paced-badge", text: S.paced })] : null));
    const list = el("ol", { class: "outline-list" });
    for (const activity of section.activities || []) {
      order.push(activity.id);
      const status = el("span", { class: "status-badge" });
      const resultsBadge = el("span", { class: "status-badge status-results", text: S.results_on_screen, hidden: true });
      const button = el("button", {
        type: "button", class: "outline-item", data: { id: activity.id },
        on: { click: () => act("goto", { activity: activity.id }, button) },
      },
      el("span", { class: "outline-index", text: String(order.length) }),
      el("span", { class: "outline-main" },
        el("span", { class: "outline-title", text: pick(activity.title, lang) || activity.id }),
        el("span", { class: "outline-meta" },
          el("span", { class: ["kind-badge", `kind-${activity.kind}`], text: S[`kind_${activity.kind}`] || activity.kind }),
          activity.optional ? el("span", { class: "meta-badge", text: S.optional }) : null,
          activity.placeholder ? el("span", { class: "badge badge-placeholder", text: S.placeholder }) : null,
          activity.keep_open ? el("span", { class: "meta-badge keep-open-badge", text: S.keep_open }) : null,
          status, resultsBadge)));
      items.set(activity.id, { button, status, resultsBadge });
      list.append(el("li", {}, button));
    }
    outlineNode.append(list);
  }
  outline = { key, items, order };
  outlineNode.scrollTop = scroll;
}

function updateOutline() {
  buildOutline();
  const states = state.activity_states || {};
  for (const [id, parts] of outline.items) {
    const isCurrent = id === state.current;
    parts.button.classList.toggle("is-current", isCurrent);
    if (isCurrent) parts.button.setAttribute("aria-current", "step");
    else parts.button.removeAttribute("aria-current");
    parts.button.disabled = !connected || busy;
    const st = states[id];
    parts.button.classList.toggle("accepts-answers", !!st && st.status === "open");
    if (st) {
      setText(parts.status, S[`status_${st.status}`] || st.status);
      parts.status.className = `status-badge status-${st.status}`;
      show(parts.status, true);
      show(parts.resultsBadge, !!st.results_visible);
    } else {
      show(parts.status, false);
      show(parts.resultsBadge, false);
    }
  }
}

function scrollCurrentIntoView() {
  const parts = outline.items.get(state.current);
  if (!parts) return;
  const box = outlineNode.getBoundingClientRect();
  const item = parts.button.getBoundingClientRect();
  if (item.top < box.top || item.bottom > box.bottom) {
    // scroll the outline only, never the page
    const top = outlineNode.scrollTop + (item.top - box.top) - (box.height - item.height) / 2;
    outlineNode.scrollTo({ top: Math.max(0, top), behavior: "smooth" });
  }
}

// ------------------------------------------------------------------ current activity

function renderCurrent() {
  const activity = state.activity;
  const key = JSON.stringify([activity, state.ended]);
  if (key === currentKey) return;
  currentKey = key;
  clear(currentNode);
  if (state.join_locked) currentNode.append(el("p", { class: "c-banner", text: S.join_locked }));
  if (!activity) {
    currentNode.append(el("h1", { class: "activity-title", text: S.no_current }));
    return;
  }
  const order = flatActivities().map((a) => a.id);
  const index = order.indexOf(activity.id);
  const total = order.length || (state.position && state.position.total) || 0;
  const meta = el("p", { class: "current-meta" },
    index >= 0 ? el("span", { class: "current-position", text: format(S.position, { n: index + 1, total }) }) : null,
    activity.section && hasText(activity.section.title) ? el("span", { class: "eyebrow", text: pick(activity.section.title, lang) }) : null,
    el("span", { class: ["kind-badge", `kind-${activity.kind}`], text: S[`kind_${activity.kind}`] || activity.kind }),
    isProvisional(activity) ? provisionalPill(activity, S.placeholder) : null);
  currentNode.append(meta);
  const title = hasText(activity.title) ? activity.title : activity.prompt;
  currentNode.append(el("h1", { class: "activity-title", text: pick(title, lang) }));
  if (hasText(activity.title) && hasText(activity.prompt)) {
    currentNode.append(el("p", { class: "activity-prompt", text: pick(activity.prompt, lang) }));
  }
  if (hasText(activity.body)) {
    currentNode.append(el("details", { class: "activity-details" },
      el("summary", { text: S.show_body }),
      el("div", { class: "activity-body" }, renderMarkdown(pick(activity.body, lang)))));
  }
}

function currentStatus() {
  if (!state.current) return null;
  const st = (state.activity_states || {})[state.current];
  return st ? st.status : null;
}

function isAnswerable() {
  if (!state.activity) return false;
  if (state.activity_states && state.activity_states[state.activity.id]) return true;
  return hasResult(state.activity);
}

function updateToolbar() {
  const order = outline.order.length ? outline.order : flatActivities().map((a) => a.id);
  const index = state.current ? order.indexOf(state.current) : -1;
  const status = currentStatus();
  const answerable = isAnswerable();
  const off = !connected || busy || !!state.ended;
  buttons.previous.disabled = off || index <= 0;
  buttons.next.disabled = off || (index >= 0 && index >= order.length - 1) || order.length === 0;
  buttons.open_answering.disabled = off || !answerable || status === "open";
  buttons.close_answering.disabled = off || !answerable || status !== "open";
  buttons.toggle_results.disabled = off || !answerable;
  const label = buttons.toggle_results.querySelector(".label");
  setText(label, state.results_visible ? S.hide_results : S.show_results);
  buttons.toggle_results.setAttribute("aria-pressed", state.results_visible ? "true" : "false");
}

function updateCounts() {
  for (const [name, node] of Object.entries(countNodes)) {
    const value = counts && counts[name];
    setText(node, Number.isFinite(value) ? String(value) : "\u2013");
  }
}

function updateResult() {
  const activity = state.activity;
  if (!activity || !isAnswerable()) {
    resultView.reset();
    setText(resultNote, activity ? S.no_result : "");
    return;
  }
  setText(resultNote, state.results_visible ? S.result_public : S.result_private);
  resultNote.classList.toggle("is-public", !!state.results_visible);
  // what a kind's result may also draw: the tables, their counts, the spotlight, its actions
  resultView.context = {
    tables: Number(state.tables) || 0, spotlight: state.spotlight ?? null,
    holders: Array.isArray(state.holders) ? state.holders : [], counts: counts || {}, answering: !!state.answering,
    requests: Array.isArray(state.role_requests) ? state.role_requests : [],
    act: (event, payload) => act(event, { activity: activity.id, ...payload }),
  };
  if (current.activity === activity.id && current.result) resultView.render(activity, current.result);
  else resultView.render(activity, emptyResult(activity));
}

/** An empty result so the chart frame shows before the first answer. */
function emptyResult(activity) {
  const impl = kind(activity.kind);
  return impl && impl.emptyResult ? impl.emptyResult(activity) : null;
}

function render() {
  // a kind not shown before: its module first
  if (state.activity && !ready([state.activity.kind])) {
    load([state.activity.kind]).then(render);
    return;
  }
  updateOutline();
  renderCurrent();
  updateToolbar();
  updateTools();
  renderNotes();
  updateCounts();
  updateResult();
  renderSectionCounts();
  renderBreakdown();
  renderModeration();
  renderLog();
}

// ------------------------------------------------------------------ presenter notes

let notesKey = null;

function renderNotes() {
  const notes = state.activity ? state.activity.presenter_notes : null;
  const key = JSON.stringify([state.activity && state.activity.id, notes]);
  if (key === notesKey) return;
  notesKey = key;
  clear(notesBody);
  const text = pick(notes, lang);
  if (text) notesBody.append(renderMarkdown(text));
  show(notesNode, !!text);
}

// ------------------------------------------------------------------ timer, lock joining, reset

let timerActivity = null;

function activityTitle(id) {
  const item = flatActivities().find((a) => a.id === id);
  return item ? (pick(item.title, lang) || id) : id;
}

function updateTools() {
  const activity = state.activity;
  const off = !connected || busy || !!state.ended;
  // the seconds field follows the activity's default when another activity becomes current
  const id = activity ? activity.id : null;
  if (id !== timerActivity) {
    timerActivity = id;
    const seconds = activity && activity.timer && Number(activity.timer.seconds);
    if (document.activeElement !== timerSeconds) timerSeconds.value = String(seconds || 60);
  }
  const running = !!(state.timer && state.timer.ends_at);
  timerStart.disabled = off || !activity;
  timerStop.disabled = off || !running;
  timerSeconds.disabled = !activity || !!state.ended;
  setText(lockButton, state.join_locked ? S.unlock : S.lock);
  lockButton.setAttribute("aria-pressed", state.join_locked ? "true" : "false");
  lockButton.disabled = off;
  resetOpen.disabled = off || !activity || !isAnswerable();
  // ending: the button in the tools while live, the banner with "Reopen" once ended
  show(endOpen.parentElement, !state.ended);
  endOpen.disabled = !connected || busy;
  show(endedBanner, !!state.ended);
  reopenButton.disabled = !connected || busy;
  if (state.ended && endDialog.open) endDialog.close();
}

const countdown = new Countdown((info) => {
  if (!info) {
    setText(timerClock, S.timer_none);
    timerClock.className = "timer-clock";
    return;
  }
  const over = info.remaining <= 0;
  const time = clock(info.remaining);
  const own = state.activity && info.timer.activity === state.activity.id;
  setText(timerClock, over ? S.timer_over
    : own ? format(S.timer_running, { time }) : format(S.timer_other, { title: activityTitle(info.timer.activity), time }));
  timerClock.className = `timer-clock is-running${!over && info.remaining <= 10000 ? " is-ending" : ""}`;
});

timerStart.addEventListener("click", () => {
  const seconds = Number(timerSeconds.value);
  if (!Number.isInteger(seconds) || seconds < 5 || seconds > 3600) {
    showError(S.timer_bad_seconds);
    timerSeconds.focus();
    return;
  }
  act("start_timer", { seconds }, timerStart);
});
timerSeconds.addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    if (!timerStart.disabled) timerStart.click();
  }
});
timerStop.addEventListener("click", () => act("stop_timer", {}, timerStop));
lockButton.addEventListener("click", () => act("lock_joining", { locked: !state.join_locked }, lockButton));

function announceTool(message) {
  setText(toolStatus, message);
  window.clearTimeout(announceTool.timer);
  announceTool.timer = window.setTimeout(() => setText(toolStatus, ""), 6000);
}

let resetTarget = null;

resetOpen.addEventListener("click", () => {
  const activity = state.activity;
  if (!activity || typeof resetDialog.showModal !== "function") return;
  resetTarget = { id: activity.id, title: pick(activity.title, lang) || pick(activity.prompt, lang) || activity.id };
  const n = current.activity === activity.id && Number.isFinite(current.respondents) ? current.respondents
    : (counts && Number.isFinite(counts.answered) ? counts.answered : 0);
  setText(resetText, format(S.reset_text, { title: resetTarget.title, n }));
  setText(resetId, activity.id);
  resetInput.value = "";
  show(resetError, false);
  resetConfirmButton.disabled = true;
  resetDialog.showModal();
  resetInput.focus();
});
resetInput.addEventListener("input", () => {
  resetConfirmButton.disabled = !resetTarget || resetInput.value.trim() !== resetTarget.id;
  show(resetError, false);
});
resetCancel.addEventListener("click", () => resetDialog.close());
resetDialog.addEventListener("close", () => {
  resetTarget = null;
  resetOpen.focus();
});
resetForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!resetTarget || !conn) return;
  const typed = resetInput.value.trim();
  if (typed !== resetTarget.id) {
    setText(resetError, format(S.reset_mismatch, { id: resetTarget.id }));
    show(resetError, true);
    resetInput.focus();
    return;
  }
  resetConfirmButton.disabled = true;
  const target = resetTarget;
  const ack = await conn.request("reset_activity", { activity: target.id, confirm: typed }, 8000);
  if (ack && ack.ok) {
    resetDialog.close();
    announceTool(format(S.reset_done, { title: target.title }));
    return;
  }
  const errorCode = (ack && ack.error && ack.error.code) || "unknown";
  setText(resetError, S[`err_${errorCode}`] || S.err_unknown);
  show(resetError, true);
  resetConfirmButton.disabled = false;
});

endOpen.addEventListener("click", () => {
  if (typeof endDialog.showModal !== "function") return;
  show(endError, false);
  endConfirm.disabled = false;
  endDialog.showModal();
  endCancel.focus();
});
endCancel.addEventListener("click", () => endDialog.close());
endDialog.addEventListener("close", () => {
  if (!state.ended) endOpen.focus();
  else if (!reopenButton.disabled) reopenButton.focus();
});
endForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!conn) return;
  endConfirm.disabled = true;
  const ack = await conn.request("end", {}, 8000);
  if (ack && ack.ok) {
    if (endDialog.open) endDialog.close();
    announceTool(S.end_done);
    return;
  }
  const errorCode = (ack && ack.error && ack.error.code) || "unknown";
  setText(endError, S[`err_${errorCode}`] || S.err_unknown);
  show(endError, true);
  endConfirm.disabled = false;
});
reopenButton.addEventListener("click", async () => {
  const ack = await act("end", { ended: false }, reopenButton);
  if (ack && ack.ok) {
    announceTool(S.reopen_done);
    if (!endOpen.disabled) endOpen.focus();
  }
});

// ------------------------------------------------------------------ paced sections

let sectionCountsKey = null;

function renderSectionCounts() {
  const data = state.section_counts && typeof state.section_counts === "object" ? state.section_counts : null;
  const key = JSON.stringify([data, state.current, outline.key]);
  if (key === sectionCountsKey) return;
  sectionCountsKey = key;
  show(sectionCountsNode, !!data && Object.keys(data).length > 0);
  clear(sectionCountsList);
  if (!data) return;
  for (const [id, n] of Object.entries(data)) {
    sectionCountsList.append(el("li", { class: ["section-count", id === state.current ? "is-current" : ""] },
      el("span", { class: "section-count-title", text: activityTitle(id) }),
      el("span", { class: "section-count-n", text: String(n) })));
  }
}

// ------------------------------------------------------------------ moderation

/** What the current activity's kind moderates (its module's `moderation`), or null. */
function moderationOf(activity) {
  const impl = activity && kind(activity.kind);
  return (impl && impl.moderation) || null;
}

/** Entries of the current result that the facilitator can approve, hide, pin, ... */
function moderationEntries(activity, result) {
  const moderation = moderationOf(activity);
  if (!moderation || !result) return null;
  const status = (value) => (value === "pending" || value === "hidden" ? value : "approved");
  return moderation.entries(activity, result, status);
}

let moderationKey = null;
let moderationGroups = null;

function moderationActions(moderation, entry) {
  if (entry.status === "pending") {
    return [["approve", S.mod_approve, S.mod_label_approve], ["hide", S.mod_hide, S.mod_label_hide],
      ...(moderation.byPerson ? [["approve_person", S.mod_approve_person, S.mod_label_approve_person]] : [])];
  }
  if (entry.status === "hidden") return [["approve", S.mod_show_again, S.mod_label_show]];
  return [...(moderation.actions ? moderation.actions(entry, S) : []), ["hide", S.mod_hide, S.mod_label_hide]];
}

async function moderateEntry(activity, entry, action, button) {
  if (!conn) return;
  show(moderationError, false);
  button.disabled = true;
  button.classList.add("is-busy");
  const moderation = moderationOf(activity);
  const [event, payload] = action === "approve_person" ? ["approve_all", { activity: activity.id, entry: entry.id }]
    : moderation && moderation.send ? moderation.send(activity, entry, action)
      : ["moderate", { activity: activity.id, entry: entry.id, action }];
  const ack = await conn.request(event, payload, 5000);
  button.classList.remove("is-busy");
  button.disabled = false;
  if (!ack || !ack.ok) {
    const errorCode = (ack && ack.error && ack.error.code) || "unknown";
    setText(moderationError, S[`err_${errorCode}`] || S.err_unknown);
    show(moderationError, true);
  }
}

function buildModerationGroups() {
  clear(moderationBody);
  const group = (name, collapsible, open) => {
    const heading = el(collapsible ? "summary" : "h3", { class: "mod-group-title" });
    const list = el("ol", { class: `mod-list mod-list-${name}` });
    const empty = el("p", { class: "hint mod-empty" });
    const cut = el("p", { class: "hint mod-cut", hidden: true });
    const node = collapsible
      ? el("details", { class: `mod-group mod-group-${name}`, open }, heading, empty, cut, list)
      : el("section", { class: `mod-group mod-group-${name}` }, heading, empty, cut, list);
    moderationBody.append(node);
    return { node, heading, list, empty, cut };
  };
  moderationGroups = {
    pending: group("pending", false, true),
    approved: group("approved", true, true),
    hidden: group("hidden", true, false),
  };
}

/** How many entries of each status there are: the kind's totals (a long list comes cut to
 * the oldest pending and the newest others), else the entries counted. */
function moderationTotals(activity, result, entries) {
  const moderation = moderationOf(activity);
  const totals = moderation && moderation.totals && result ? moderation.totals(activity, result) : null;
  const count = (name) => entries.filter((e) => e.status === name).length;
  return {
    pending: totals ? Number(totals.pending) || 0 : count("pending"),
    approved: totals ? Number(totals.approved) || 0 : count("approved"),
    hidden: totals ? Number(totals.hidden) || 0 : count("hidden"),
  };
}

function renderModeration() {
  const activity = state.activity;
  const result = activity && current.activity === activity.id ? current.result || emptyResult(activity) : null;
  const entries = result ? moderationEntries(activity, result) : null;
  const totals = entries ? moderationTotals(activity, result, entries) : null;
  const pendingCount = totals ? totals.pending : 0;
  setText(pendingLink, format(S.mod_pending_alert, { n: pendingCount }));
  show(pendingAlert, pendingCount > 0);
  if (!activity || !entries) {
    show(moderationNode, false);
    moderationKey = null;
    return;
  }
  const key = JSON.stringify([activity.id, activity.kind, activity.moderated, entries, totals, connected]);
  if (key === moderationKey) return;
  const focused = moderationBody.contains(document.activeElement) ? document.activeElement : null;
  const focusKey = focused && focused.dataset ? [focused.dataset.key, focused.dataset.action] : null;
  const focusIndex = focused && focused.closest("li") ? Array.from(focused.closest("ol").children).indexOf(focused.closest("li")) : -1;
  const focusGroup = focused && focused.closest(".mod-group");
  moderationKey = key;
  if (!moderationGroups || !moderationBody.contains(moderationGroups.pending.node)) buildModerationGroups();
  show(moderationNode, true);
  const moderation = moderationOf(activity);
  const title = S[moderation.title] || S.mod_title_texts;
  setText(moderationNode.querySelector("h2"), `${S.mod_title}: ${title}`);
  setText(moderationNote, activity.moderated ? S.mod_moderated
    : activity.moderation === "after" ? S.mod_after : S.mod_unmoderated);
  const byStatus = { pending: [], approved: [], hidden: [] };
  for (const entry of entries) byStatus[entry.status].push(entry);
  setText(approveAllButton, format(S.mod_approve_all, { n: totals.pending }));
  approveAllButton.disabled = !connected || totals.pending === 0;
  show(approveAllButton, totals.pending > 0);
  for (const [name, parts] of Object.entries(moderationGroups)) {
    const list = byStatus[name];
    setText(parts.heading, format(S[`mod_${name}`], { n: Math.max(totals[name], list.length) }));
    // a long list comes cut: say which part of it is here (the oldest waiting, the newest else)
    const cut = totals[name] > list.length;
    setText(parts.cut, cut ? format(S[name === "pending" ? "mod_cut_oldest" : "mod_cut_newest"],
      { shown: list.length, n: totals[name] }) : "");
    show(parts.cut, cut);
    clear(parts.list);
    for (const entry of list) {
      const actions = moderationActions(moderation, entry).map(([action, label, aria, pressed]) => {
        const button = el("button", { type: "button", class: ["btn", "btn-small", `mod-${action}`],
          data: { key: entry.key, action },
          attrs: { "aria-label": format(aria, { text: entry.text.length > 60 ? `${entry.text.slice(0, 60)}\u2026` : entry.text }),
                   "aria-pressed": pressed === undefined ? null : (pressed ? "true" : "false") },
          text: label, disabled: !connected,
          on: { click: (event) => moderateEntry(activity, entry, action, event.currentTarget) } });
        return button;
      });
      const meta = [];
      if (entry.votes !== undefined) meta.push(el("span", { class: "mod-votes", text: format(entry.votes === 1 ? S.mod_votes_one : S.mod_votes, { n: entry.votes }) }));
      if (entry.count !== undefined && entry.count !== null) meta.push(el("span", { class: "mod-count", text: format(S.mod_count, { n: entry.count }) }));
      if (entry.pinned) meta.push(el("span", { class: "badge badge-pinned", text: S.res_pinned }));
      if (entry.answered) meta.push(el("span", { class: "badge badge-answered", text: S.res_answered }));
      parts.list.append(el("li", { class: ["mod-entry", `is-${entry.status}`, moderation.compact ? "is-word" : ""],
                                   data: { key: entry.key } },
        el("span", { class: moderation.compact ? "mod-text mod-word" : "mod-text", text: entry.text }),
        meta.length ? el("span", { class: "mod-meta" }, meta) : null,
        el("span", { class: "mod-actions" }, actions)));
    }
    const emptyText = name === "pending" ? (activity.moderated ? S.mod_none_pending : "") : S.mod_empty;
    setText(parts.empty, emptyText);
    show(parts.empty, list.length === 0 && !!emptyText);
    // an unmoderated activity has nothing to approve: no empty "to approve" box
    show(parts.node, !(name === "pending" && !activity.moderated && list.length === 0));
  }
  // keep the keyboard where it was: the same button, else the next entry of that group
  if (focused && !focused.isConnected) {
    let target = null;
    if (focusKey) target = moderationBody.querySelector(`button[data-key="${CSS.escape(focusKey[0])}"][data-action="${CSS.escape(focusKey[1])}"]`);
    if (!target && focusGroup) {
      const items = focusGroup.querySelectorAll("li");
      const item = items[Math.min(Math.max(focusIndex, 0), items.length - 1)];
      target = item ? item.querySelector("button") : focusGroup.querySelector("summary, h3");
      if (target && target.tagName === "H3") target.setAttribute("tabindex", "-1");
    }
    if (target) target.focus();
  }
}

async function approveAll() {
  const activity = state.activity;
  if (!conn || !activity || approveAllButton.disabled) return;
  show(moderationError, false);
  approveAllButton.disabled = true;
  const ack = await conn.request("approve_all", { activity: activity.id }, 5000);
  if (!ack || !ack.ok) {
    const errorCode = (ack && ack.error && ack.error.code) || "unknown";
    setText(moderationError, S[`err_${errorCode}`] || S.err_unknown);
    show(moderationError, true);
    approveAllButton.disabled = false;
  }
}
approveAllButton.addEventListener("click", approveAll);

/** The entries of the moderation panel in screen order (pending first), as list items. */
function moderationItems() {
  if (moderationNode.hidden) return [];
  return Array.from(moderationBody.querySelectorAll("li.mod-entry")).filter((li) => li.offsetParent !== null);
}

/** Keyboard moderation: J / K move to the next / previous entry, A approves it, H hides it,
 *  Shift+A approves every pending entry. Without a focused entry, A and H act on the first
 *  pending one. */
function moderationKeys(event) {
  const key = event.key;
  if (key === "A" && event.shiftKey) { approveAll(); return true; }
  const lower = key.toLowerCase();
  if (!["j", "k", "a", "h"].includes(lower) || event.shiftKey) return false;
  const items = moderationItems();
  if (!items.length) return false;
  const focusedItem = document.activeElement && document.activeElement.closest
    ? document.activeElement.closest("li.mod-entry") : null;
  let index = focusedItem ? items.indexOf(focusedItem) : -1;
  if (lower === "j" || lower === "k") {
    index = lower === "j" ? Math.min(index + 1, items.length - 1) : Math.max(index - 1, 0);
    const target = items[index].querySelector("button");
    if (target) target.focus();
    return true;
  }
  const item = index >= 0 ? items[index] : items.find((li) => li.classList.contains("is-pending"));
  if (!item) return false;
  const button = item.querySelector(lower === "a" ? "button.mod-approve" : "button.mod-hide");
  if (!button || button.disabled) return false;
  button.focus();
  button.click();
  return true;
}

// ------------------------------------------------------------------ breakdown (results per group)

// The state carries `breakdown` only when the current activity can be broken down; what the
// facilitator chose is remembered here (and in this tab) for the other activities.
const BREAKDOWN_KEY = `dialoogtafel:${code}:breakdown`;
let chosen = loadBreakdown();
/** dimension id -> [{id, label, shown}] as last seen in a breakdown (for the compare selects). */
const GROUPS_KEY = `dialoogtafel:${code}:groups`;
const knownGroups = (() => {
  try {
    const saved = JSON.parse(window.sessionStorage.getItem(GROUPS_KEY) || "{}");
    return saved && typeof saved === "object" && !Array.isArray(saved) ? saved : {};
  } catch {
    return {};
  }
})();
let breakdownKey = null;

function loadBreakdown() {
  try {
    const saved = JSON.parse(window.sessionStorage.getItem(BREAKDOWN_KEY) || "null");
    if (saved && typeof saved === "object" && (saved.by === null || typeof saved.by === "string")) {
      return { by: saved.by, compare: Array.isArray(saved.compare) ? saved.compare : null };
    }
  } catch { /* no storage: start without */ }
  return { by: null, compare: null };
}

function rememberBreakdown(by, compare) {
  chosen = { by: by || null, compare: by && Array.isArray(compare) && compare.length === 2 ? [...compare] : null };
  try {
    window.sessionStorage.setItem(BREAKDOWN_KEY, JSON.stringify(chosen));
  } catch { /* fine without */ }
}

function dimensionLabel(id) {
  const d = (state.dimensions || []).find((x) => x.id === id);
  return d ? (pick(d.label, lang) || d.id) : String(id || "");
}

/** The groups of a dimension: from the breakdown on screen, else as last seen, else tables. */
function groupsOf(by) {
  const bd = current.breakdown;
  if (bd && bd.by === by && Array.isArray(bd.groups)) {
    const list = bd.groups.map((g) => ({ id: String(g.id), label: g.label, shown: groupState(g) === "shown" }));
    if (JSON.stringify(list) !== JSON.stringify(knownGroups[by])) {
      knownGroups[by] = list;
      try {
        window.sessionStorage.setItem(GROUPS_KEY, JSON.stringify(knownGroups));
      } catch { /* fine without */ }
    }
  }
  if (knownGroups[by]) return knownGroups[by];
  if (by === "table" && Number(state.tables) > 0) {
    const list = [];
    for (let n = 1; n <= Number(state.tables); n++) list.push({ id: String(n), label: format(S.bd_table_n, { n }) });
    list.push({ id: NO_GROUP, label: S.bd_not_given });
    return list;
  }
  return [];
}

function fillSelect(select, options, value) {
  const key = JSON.stringify(options);
  if (select.dataset.key !== key) {
    select.dataset.key = key;
    clear(select);
    for (const o of options) select.append(el("option", { value: o.value, text: o.text }));
  }
  if (value !== undefined && value !== null && options.some((o) => o.value === value) && select.value !== value) select.value = value;
}

function renderBreakdown() {
  const dims = Array.isArray(state.dimensions) ? state.dimensions : [];
  const bd = current.activity === (state.activity && state.activity.id) ? current.breakdown : null;
  const by = bd ? bd.by : chosen.by;
  const compare = bd ? (bd.compare || null) : chosen.compare;
  const off = !connected || busy;
  fillSelect(breakdownBy, [{ value: "", text: S.bd_none }, ...dims.map((d) => ({ value: d.id, text: pick(d.label, lang) || d.id }))],
             by || "");
  if (document.activeElement !== breakdownBy) breakdownBy.value = by && dims.some((d) => d.id === by) ? by : "";
  breakdownBy.disabled = off || dims.length === 0;
  show(tableCardsItem, Number(state.tables) > 0);

  // compare two groups of the chosen dimension
  const groups = by ? groupsOf(by) : [];
  show(compareControls, !!by);
  const groupOptions = groups.map((g) => ({ value: g.id, text: pick(g.label, lang) || g.id }));
  // suggest two groups that have results now, else the first two answers
  const shown = groups.filter((g) => g.shown && g.id !== NO_GROUP);
  const real = shown.length >= 2 ? shown : groups.filter((g) => g.id !== NO_GROUP);
  // the facilitator's own pick stays; until then the suggestion follows the results
  const keepA = compareA.dataset.by === by && compareA.dataset.touched ? compareA.value : null;
  const keepB = compareB.dataset.by === by && compareB.dataset.touched ? compareB.value : null;
  if (compareA.dataset.by !== (by || "")) { delete compareA.dataset.touched; delete compareB.dataset.touched; }
  fillSelect(compareA, groupOptions, compare ? compare[0] : keepA || (real[0] && real[0].id));
  fillSelect(compareB, groupOptions, compare ? compare[1] : keepB || (real[1] && real[1].id) || (groups[1] && groups[1].id));
  compareA.dataset.by = by || "";
  compareB.dataset.by = by || "";
  const known = groups.length >= 2;
  for (const node of [compareA, compareB, compareStart, compareWith]) show(node, known);
  show(compareUnknown, !known);
  compareA.disabled = off || !known;
  compareB.disabled = off || !known;
  compareStart.disabled = off || !known;
  compareStop.disabled = off || !compare;
  show(compareStop, !!compare);

  // what the panel says
  const activity = state.activity;
  const threshold = bd && Number.isFinite(Number(bd.threshold)) ? Number(bd.threshold) : null;
  let note;
  if (!by) note = S.bd_off;
  else if (!activity || !isAnswerable()) note = S.bd_not_possible;
  else if (!bd && dims.some((d) => d.id === activity.id) && by !== "table") note = S.bd_profile_crossed;
  else if (!bd) note = S.bd_not_possible;
  else {
    const parts = [state.results_visible ? S.bd_public : S.bd_private];
    if (compare) {
      const label = (id) => { const g = groups.find((x) => x.id === String(id)); return g ? (pick(g.label, lang) || g.id) : id; };
      parts.unshift(format(S.bd_comparing, { a: label(compare[0]), b: label(compare[1]) }));
    }
    if (threshold) parts.push(format(S.bd_privacy, { n: threshold }));
    note = parts.join(" ");
  }
  setText(breakdownNote, note);
  breakdownNote.classList.toggle("is-public", !!bd && !!state.results_visible);
  // a kind whose groups depend on the whole room's result (its moderation) redraws with it
  const own = activity && kind(activity.kind) && kind(activity.kind).breakdown;
  const key = JSON.stringify([bd, activity && activity.id, own && own.usesOverall ? current.result : null]);
  if (key === breakdownKey) return;
  breakdownKey = key;
  if (bd && activity) breakdownView.render(activity, bd, current.result);
  else breakdownView.reset();
}

async function setBreakdown(payload, source) {
  const before = chosen;
  rememberBreakdown(payload.by, payload.compare || null);
  const ack = await act("set_breakdown", payload, source);
  if (!ack || !ack.ok) {
    rememberBreakdown(before.by, before.compare);
    breakdownKey = null;
    renderBreakdown();
  }
}

breakdownBy.addEventListener("change", () => {
  setBreakdown({ by: breakdownBy.value || null }, null);
});
for (const select of [compareA, compareB]) {
  select.addEventListener("change", () => { select.dataset.touched = "1"; });
}
compareStart.addEventListener("click", () => {
  const by = breakdownBy.value || null;
  if (!by) return;
  if (compareA.value === compareB.value) {
    showError(S.bd_compare_same);
    compareB.focus();
    return;
  }
  setBreakdown({ by, compare: [compareA.value, compareB.value] }, compareStart);
});
compareStop.addEventListener("click", async () => {
  await setBreakdown({ by: breakdownBy.value || null }, compareStop);
  if (!compareStart.disabled) compareStart.focus();
});

// ------------------------------------------------------------------ session log

let logKey = null;

function logTime(at) {
  const date = typeof at === "number" ? new Date(at) : new Date(String(at || ""));
  if (Number.isNaN(date.getTime())) return String(at || "");
  return date.toLocaleTimeString(lang === "en" ? "en-GB" : "nl-BE", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

function logDetail(detail) {
  if (!detail || typeof detail !== "object") return detail ? String(detail) : "";
  const parts = [];
  for (const [key, value] of Object.entries(detail)) {
    if (key === "seconds") parts.push(format(S.log_seconds, { n: value }));
    else if (key === "removed") parts.push(format(Number(value) === 1 ? S.log_removed_one : S.log_removed, { n: value }));
    else if (key === "closed") { if (value) parts.push(S.log_closed); }
    else if (key === "action") parts.push(S[`log_action_${value}`] || String(value));
    else if (key === "word") parts.push(`\u201c${value}\u201d`);
    else if (key === "question" || key === "entry") parts.push(`#${value}`);
    else parts.push(`${key}: ${typeof value === "object" ? JSON.stringify(value) : value}`);
  }
  return parts.join(" \u00b7 ");
}

function renderLog() {
  const log = Array.isArray(state.log) ? state.log : [];
  const key = JSON.stringify(log);
  if (key === logKey) return;
  logKey = key;
  setText(logSummary, format(S.log_title, { n: log.length }));
  clear(logList);
  if (!log.length) logList.append(el("li", { class: "hint", text: S.log_empty }));
  for (const entry of log) {
    logList.append(el("li", { class: "log-entry" },
      el("time", { class: "log-time", text: logTime(entry.at), attrs: { datetime: typeof entry.at === "string" ? entry.at : null } }),
      el("span", { class: "log-action", text: S[`log_${entry.action}`] || String(entry.action || "") }),
      entry.activity ? el("span", { class: "log-activity", text: activityTitle(entry.activity) }) : null,
      el("span", { class: "log-detail", text: logDetail(entry.detail) })));
  }
}

// ------------------------------------------------------------------ actions

function showError(message) {
  setText(errorNode, message);
  show(errorNode, !!message);
}

async function act(event, payload = {}, sourceButton = null) {
  if (!conn || busy) return;
  busy = true;
  showError("");
  if (sourceButton) sourceButton.classList.add("is-busy");
  render();
  const ack = await conn.request(event, payload, 5000);
  busy = false;
  if (sourceButton) sourceButton.classList.remove("is-busy");
  if (!ack || !ack.ok) {
    const errorCode = (ack && ack.error && ack.error.code) || "unknown";
    const text = S[`err_${errorCode}`] || S.err_unknown;
    const detail = ack && ack.error && ack.error.message && !S[`err_${errorCode}`] ? ` (${ack.error.message})` : "";
    showError(`${text}${detail}`);
  }
  render();
  return ack;
}

function toggleResults() {
  act(state.results_visible ? "hide_results" : "show_results", {}, buttons.toggle_results);
}

buttons.previous.addEventListener("click", () => act("previous", {}, buttons.previous));
buttons.next.addEventListener("click", () => act("next", {}, buttons.next));
buttons.open_answering.addEventListener("click", () => act("open_answering", {}, buttons.open_answering));
buttons.close_answering.addEventListener("click", () => act("close_answering", {}, buttons.close_answering));
buttons.toggle_results.addEventListener("click", toggleResults);

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.repeat || isTyping(event) || resetDialog.open || endDialog.open) return;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (moderationKeys(event)) { event.preventDefault(); return; }
  const key = event.key;
  let button = null;
  if (key === "ArrowRight") button = buttons.next;
  else if (key === "ArrowLeft") button = buttons.previous;
  else if (key === "o" || key === "O") button = buttons.open_answering;
  else if (key === "c" || key === "C") button = buttons.close_answering;
  else if (key === "r" || key === "R") button = buttons.toggle_results;
  if (!button) return;
  event.preventDefault();
  if (!button.disabled) button.click();
});

// ------------------------------------------------------------------ links

document.querySelectorAll("button[data-copy]").forEach((button) => {
  button.addEventListener("click", async () => {
    const input = document.getElementById(button.dataset.copy);
    if (!input) return;
    const ok = await copyText(input.value);
    if (!ok) {
      input.focus();
      input.select();
    }
    setText(copyStatus, ok ? `${S.copied}: ${input.labels && input.labels[0] ? input.labels[0].textContent : ""}` : S.copy_failed);
    window.setTimeout(() => setText(copyStatus, ""), 4000);
  });
});
document.querySelectorAll(".link-field input").forEach((input) => {
  input.addEventListener("focus", () => input.select());
});

function updateLinks() {
  const links = state.links || {};
  const set = (id, value) => {
    const input = document.getElementById(id);
    if (input && value && input.value !== value) input.value = value;
  };
  set("link-participant", links.participant_url);
  set("link-projector", links.projector_url);
  set("link-control", links.control_url);
  const open = document.getElementById("open-projector");
  if (open && links.projector_url) open.href = links.projector_url;
}

// ------------------------------------------------------------------ live

function takeStateResult() {
  const { result, respondents } = unwrapResult(state.result);
  current = { activity: state.activity ? state.activity.id : null, result, respondents,
              breakdown: state.breakdown || null };
  // the server says what is chosen, also on an activity that cannot be broken down
  const choice = state.breakdown || state.breakdown_choice;
  if (choice) rememberBreakdown(choice.by, choice.compare);
}

// ------------------------------------------------------------------ language

/** The live session's language: this page, the projector and the report are in it. The page is
 *  drawn by the server in that language, so a change reloads it (phones keep their own). */
function followLanguage() {
  if (state.language && state.language !== document.documentElement.lang) {
    window.location.reload();
    return true;
  }
  if (languageSelect) {
    languageSelect.value = state.language || lang;
    languageSelect.disabled = !connected;
  }
  return false;
}
if (languageSelect) {
  languageSelect.addEventListener("change", async () => {
    const ack = await act("set_language", { language: languageSelect.value }, null);
    if (!ack || !ack.ok) languageSelect.value = state.language || lang;
  });
}

function onState(next) {
  const previousCurrent = state.current;
  state = next || {};
  if (followLanguage()) return;
  if (state.counts) counts = state.counts;
  takeStateResult();
  updateLinks();
  render();
  countdown.update(state);
  if (state.current !== previousCurrent) scrollCurrentIntoView();
}

function onResults(message) {
  // a paced section: every activity of it is answered at once; keep its numbers current
  if (state.section_counts && typeof state.section_counts === "object"
      && Object.prototype.hasOwnProperty.call(state.section_counts, message.activity)
      && Number.isFinite(message.respondents)) {
    state.section_counts = { ...state.section_counts, [message.activity]: message.respondents };
    renderSectionCounts();
  }
  if (!state.activity || message.activity !== state.activity.id) return;
  current = {
    activity: message.activity,
    result: message.result ?? current.result,
    respondents: Number.isFinite(message.respondents) ? message.respondents : respondentsOf(message.result),
    // `results` carry the breakdown of the same moment (null when results are not broken down)
    breakdown: Object.prototype.hasOwnProperty.call(message, "breakdown") ? (message.breakdown || null) : current.breakdown,
  };
  if (current.breakdown) rememberBreakdown(current.breakdown.by, current.breakdown.compare);
  updateResult();
  renderBreakdown();
  renderModeration();
}

function onCounts(next) {
  counts = next;
  updateCounts();
  if (next && next.tables) updateResult();  // per-table counts drawn by the kind's result
}

function onStatus(status) {
  connected = status === "connected";
  const text = S[`conn_${status}`] || status;
  setText(connNode, text);
  connNode.className = `c-conn c-conn-${status}`;
  if (languageSelect) languageSelect.disabled = !connected;
  render();
}

// First paint from the embedded snapshot, then live (with the modules of the programme's kinds).
await load(kindsOf([state.activity,
  ...((state.programme && state.programme.sections) || []).flatMap((section) => section.activities || [])]));
takeStateResult();
render();
countdown.update(state);
scrollCurrentIntoView();
if (code) {
  conn = connect({ role: "control", code, version: state.version, onState, onResults, onCounts, onStatus });
}

// ---------------------------------------------------------------- projector preview

/** The projector page in a scaled frame, loaded only while its panel is open (it is a second
 *  connection to the server); open or closed is remembered on this device. */
(function projectorPreview() {
  const panel = document.getElementById("preview-panel");
  const frame = document.getElementById("preview-frame");
  const iframe = document.getElementById("preview-iframe");
  if (!panel || !frame || !iframe) return;
  const KEY = "dialoogtafel.control.preview";
  const fit = () => frame.style.setProperty("--preview-scale", String(frame.clientWidth / 1920));
  new ResizeObserver(fit).observe(frame);
  panel.addEventListener("toggle", () => {
    if (panel.open) {
      if (!iframe.getAttribute("src")) iframe.setAttribute("src", frame.dataset.src);
      fit();
    } else {
      iframe.removeAttribute("src");  // closes its connection
    }
    try { window.localStorage.setItem(KEY, panel.open ? "1" : "0"); } catch (e) { /* private mode */ }
  });
  try { if (window.localStorage.getItem(KEY) === "1") panel.open = true; } catch (e) { /* ignore */ }
})();
