// The phone screen: shows the current activity and sends this phone's answers.
//
// Reliability: every answer (one user action) gets a client_id; it is kept in localStorage until
// the server acknowledges it, and re-sent with the same client_id after a timeout or reconnect.
// The server commits, then acks, and counts a repeated client_id once (docs/protocol.md).

import { connect } from "./lib/socket.js";
import { el, append, clear, setText, show, readJSON, announce, format, randomId } from "./lib/dom.js";
import { pick, hasText, renderMarkdown, pageLang } from "./lib/text.js";
import { Countdown, clock } from "./lib/timer.js";

const S = readJSON("strings") || {};
const config = readJSON("config") || {};
let state = readJSON("state") || {};
const lang = pageLang();
const code = config.code || state.code || "";
const main = document.getElementById("main");
const connBar = document.getElementById("conn");
const liveRegion = document.getElementById("announce");
const timerBar = document.getElementById("timer");
const tableButton = document.getElementById("table-button");

const RETRYABLE = new Set(["timeout", "offline", "bad_ack"]);

// ------------------------------------------------------------------ local state

const PENDING_KEY = `dialoogtafel:${code}:pending`;

function loadPending() {
  try {
    const parsed = JSON.parse(window.localStorage.getItem(PENDING_KEY) || "{}");
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function savePending() {
  try {
    if (Object.keys(pending).length) window.localStorage.setItem(PENDING_KEY, JSON.stringify(pending));
    else window.localStorage.removeItem(PENDING_KEY);
  } catch { /* private mode or full storage: the in-memory copy still retries */ }
}

const ASKS_KEY = `dialoogtafel:${code}:asks`;

function loadAsks() {
  try {
    const parsed = JSON.parse(window.localStorage.getItem(ASKS_KEY) || "[]");
    return Array.isArray(parsed) ? parsed.filter((a) => a && a.client_id && a.activity && a.text) : [];
  } catch {
    return [];
  }
}

function saveAsks() {
  try {
    if (pendingAsks.length) window.localStorage.setItem(ASKS_KEY, JSON.stringify(pendingAsks));
    else window.localStorage.removeItem(ASKS_KEY);
  } catch { /* the in-memory copy still retries */ }
}

/** This phone's stored answers (server truth from the snapshot, plus acks since). */
let answers = { ...(state.answers || {}) };
/** activity id -> {value, client_id, at}: sent or to send, not acknowledged yet. */
const pending = loadPending();
/** client_ids with a request on the wire. */
const inflight = new Set();
/** activity id -> {type: "saved"} | {type: "failed", code} | {type: "waiting", code}. */
const feedback = {};
/** activity id -> {value, dirty}: what the person is composing (multi, scale, open_text, ...). */
const drafts = {};
/** Q&A questions asked on this phone and not acknowledged yet: [{activity, text, client_id, at}]. */
const pendingAsks = loadAsks();
/** Q&A per activity: {asked: [{id, text, status}], voted: Set, questions: [...] | null, rev}. */
const qna = {};
/** Q&A votes on the wire: question id -> {activity, vote, client_id}. */
const pendingVotes = {};
/** Q&A feedback per activity: {type: "sent" | "failed", code, pending}. */
const qnaFeedback = {};
/** Question ids with an `upvote` on the wire. */
const votesOnWire = new Set();
/** Paced sections: section id -> index of the activity on screen. */
const pacedIndex = {};

// ------------------------------------------------------------------ privacy, profile, table (local)

const PRIVACY_KEY = `dialoogtafel:${code}:privacy`;
const PROFILE_SKIP_KEY = `dialoogtafel:${code}:profile-skipped`;
const NO_TABLE_KEY = `dialoogtafel:${code}:no-table`;

function stored(key, fallback) {
  try {
    const raw = window.localStorage.getItem(key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

function store(key, value) {
  try {
    window.localStorage.setItem(key, JSON.stringify(value));
  } catch { /* private mode: remembered for this page only */ }
}

/** The privacy notice was acknowledged on this phone (per live session). */
let privacyAccepted = stored(PRIVACY_KEY, false) === true;
/** Profile questions this phone chose to skip. */
const profileSkipped = new Set((() => {
  const list = stored(PROFILE_SKIP_KEY, []);
  return Array.isArray(list) ? list.map(String) : [];
})());
/** The phone said it sits at no table (the picker stays closed until asked for). */
let noTable = stored(NO_TABLE_KEY, false) === true;
/** The table this phone sits at (server truth: own snapshots and `set_table` acks). */
let table = Number.isInteger(state.table) ? state.table : null;
/** A table chosen here and not acknowledged yet: {table, id}. */
let tableWanted = null;
let tableError = null;
let tablePickerOpen = false;

let conn = null;
let connStatus = "connecting";
let everConnected = false;
let retryTimer = 0;
let view = null;

function effectiveAnswer(activityId) {
  if (pending[activityId]) return pending[activityId].value;
  return answers[activityId];
}

/** Whether the activity takes answers now (in a paced section each activity says so itself). */
function isOpen(activity) {
  if (activity && profileActivities().some((a) => a.id === activity.id)) return true; // any time
  const list = pacedActivities();
  if (list && activity) {
    const entry = list.find((a) => a.id === activity.id);
    if (entry && typeof entry.answering === "boolean") return entry.answering;
  }
  return !!state.answering;
}

function hasAnswer(activityId) {
  const value = effectiveAnswer(activityId);
  return value !== undefined && value !== null;
}

// ------------------------------------------------------------------ sending

function submit(activity, value) {
  pending[activity.id] = { value, client_id: randomId(), at: Date.now() };
  delete feedback[activity.id];
  if (drafts[activity.id]) drafts[activity.id].dirty = false;
  savePending();
  refresh();
  flush();
}

function flush() {
  window.clearTimeout(retryTimer);
  if (!conn || !conn.connected) return;
  for (const [activityId, entry] of Object.entries(pending)) {
    if (!entry || !entry.client_id || inflight.has(entry.client_id)) continue;
    send(activityId, entry);
  }
  for (const entry of pendingAsks) {
    if (!inflight.has(entry.client_id)) sendAsk(entry);
  }
  if (tableWanted && !inflight.has(tableWanted.id)) sendTable(tableWanted);
  for (const [questionId, entry] of Object.entries(pendingVotes)) {
    // one vote per question on the wire at a time, so they arrive in the order they were tapped
    if (!votesOnWire.has(questionId)) sendVote(questionId, entry);
  }
}

function scheduleRetry(ms) {
  window.clearTimeout(retryTimer);
  retryTimer = window.setTimeout(flush, ms);
}

async function send(activityId, entry) {
  inflight.add(entry.client_id);
  const ack = await conn.request("respond",
    { activity: activityId, value: entry.value, client_id: entry.client_id }, 5000);
  inflight.delete(entry.client_id);
  const stillCurrent = pending[activityId] && pending[activityId].client_id === entry.client_id;
  if (ack && ack.ok) {
    if (stillCurrent) {
      delete pending[activityId];
      savePending();
      answers[activityId] = ack.value !== undefined ? ack.value : entry.value;
      feedback[activityId] = { type: "saved" };
      announce(liveRegion, S.saved);
    }
    refresh();
    return;
  }
  const errorCode = (ack && ack.error && ack.error.code) || "unknown";
  if (!stillCurrent) {
    refresh();
    return;
  }
  if (RETRYABLE.has(errorCode)) {
    // Same client_id again: the server counts it once, however often it arrives.
    if (conn.connected) scheduleRetry(1000);
  } else if (errorCode === "rate_limited") {
    feedback[activityId] = { type: "waiting", code: errorCode };
    scheduleRetry(2500 + Math.random() * 2500);
  } else {
    delete pending[activityId];
    savePending();
    feedback[activityId] = { type: "failed", code: errorCode };
    announce(liveRegion, `${S.failed}: ${errorText(errorCode)}`);
  }
  refresh();
}

function errorText(errorCode) {
  return S[`err_${errorCode}`] || S.err_unknown || errorCode;
}

// ------------------------------------------------------------------ Q&A: ask and upvote

function qnaFor(activityId) {
  if (!qna[activityId]) qna[activityId] = { asked: [], voted: new Set(), questions: null, rev: null };
  return qna[activityId];
}

/** Take the `qna` part of a snapshot (only the phone's own snapshot carries it). */
function takeQna(snapshot) {
  if (!snapshot || typeof snapshot !== "object") return;
  for (const [activityId, entry] of Object.entries(snapshot)) {
    if (!entry || typeof entry !== "object") continue;
    const q = qnaFor(activityId);
    if (Array.isArray(entry.asked)) q.asked = entry.asked.filter((a) => a && a.id !== undefined);
    if (Array.isArray(entry.voted)) {
      q.voted = new Set(entry.voted.map(String));
      // a vote still on the wire wins over the snapshot
      for (const [questionId, vote] of Object.entries(pendingVotes)) {
        if (vote.activity !== activityId) continue;
        if (vote.vote) q.voted.add(questionId);
        else q.voted.delete(questionId);
      }
    }
    if (Array.isArray(entry.questions)) q.questions = entry.questions;
  }
}

function onQuestions(message) {
  if (!message.activity || !Array.isArray(message.questions)) return;
  const q = qnaFor(message.activity);
  const rev = Number(message.rev);
  if (q.rev !== null && Number.isFinite(rev) && rev < q.rev) return;
  takeQuestions(message);
  refresh();
}

/** The facilitator approved or hid a question this participant asked (only its asker hears). */
function onOwnQuestion(message) {
  const question = message && message.question;
  if (!message.activity || !question || question.id === undefined) return;
  const q = qnaFor(message.activity);
  const id = String(question.id);
  const known = q.asked.find((a) => String(a.id) === id);
  if (known) known.status = question.status;
  else q.asked.push({ id: question.id, text: question.text, status: question.status });
  if (question.status === "hidden") announce(liveRegion, S.qna_hidden_mine);
  refresh();
}

function askQuestion(activity, text) {
  const entry = { activity: activity.id, text, client_id: randomId(), at: Date.now() };
  pendingAsks.push(entry);
  delete qnaFeedback[activity.id];
  saveAsks();
  refresh();
  flush();
}

async function sendAsk(entry) {
  inflight.add(entry.client_id);
  const ack = await conn.request("ask",
    { activity: entry.activity, text: entry.text, client_id: entry.client_id }, 5000);
  inflight.delete(entry.client_id);
  const index = pendingAsks.indexOf(entry);
  if (index < 0) return;
  if (ack && ack.ok) {
    pendingAsks.splice(index, 1);
    saveAsks();
    const q = qnaFor(entry.activity);
    const question = ack.question && typeof ack.question === "object"
      ? ack.question : { id: entry.client_id, text: entry.text, status: "pending" };
    q.asked = q.asked.filter((a) => String(a.id) !== String(question.id)).concat([question]);
    const waits = question.status === "pending";
    qnaFeedback[entry.activity] = { type: "sent", pending: waits };
    announce(liveRegion, waits ? S.qna_sent_pending : S.qna_sent);
    refresh();
    return;
  }
  const errorCode = (ack && ack.error && ack.error.code) || "unknown";
  if (RETRYABLE.has(errorCode)) {
    if (conn.connected) scheduleRetry(1000);
  } else if (errorCode === "rate_limited") {
    scheduleRetry(2500 + Math.random() * 2500);
  } else {
    pendingAsks.splice(index, 1);
    saveAsks();
    qnaFeedback[entry.activity] = { type: "failed", code: errorCode, text: entry.text };
    announce(liveRegion, `${S.qna_not_sent}: ${errorText(errorCode)}`);
  }
  refresh();
}

function toggleVote(activity, question) {
  const q = qnaFor(activity.id);
  const id = String(question.id);
  const vote = !q.voted.has(id);
  if (vote) q.voted.add(id);
  else q.voted.delete(id);
  // optimistic count; the ack and the next `questions` bring the server's number
  question.votes = Math.max(0, (Number(question.votes) || 0) + (vote ? 1 : -1));
  pendingVotes[id] = { activity: activity.id, vote, client_id: randomId() };
  refresh();
  flush();
}

async function sendVote(questionId, entry) {
  votesOnWire.add(questionId);
  const ack = await conn.request("upvote", { activity: entry.activity, question: questionId,
                                             vote: entry.vote, client_id: entry.client_id }, 5000);
  votesOnWire.delete(questionId);
  if (pendingVotes[questionId] !== entry) { // a newer tap replaced this one: send that now
    flush();
    return;
  }
  const q = qnaFor(entry.activity);
  const question = (q.questions || []).find((x) => String(x.id) === questionId);
  if (ack && ack.ok) {
    delete pendingVotes[questionId];
    const voted = ack.voted !== undefined ? !!ack.voted : entry.vote;
    if (voted) q.voted.add(questionId);
    else q.voted.delete(questionId);
    if (question && Number.isFinite(Number(ack.votes))) question.votes = Number(ack.votes);
    refresh();
    return;
  }
  const errorCode = (ack && ack.error && ack.error.code) || "unknown";
  if (RETRYABLE.has(errorCode)) {
    if (conn.connected) scheduleRetry(1000);
    return;
  }
  if (errorCode === "rate_limited") {
    scheduleRetry(2500 + Math.random() * 2500);
    return;
  }
  // refused: undo the optimistic change
  delete pendingVotes[questionId];
  if (entry.vote) q.voted.delete(questionId);
  else q.voted.add(questionId);
  if (question) question.votes = Math.max(0, (Number(question.votes) || 0) + (entry.vote ? -1 : 1));
  announce(liveRegion, `${S.qna_vote_failed}: ${errorText(errorCode)}`);
  refresh();
}

// ------------------------------------------------------------------ rendering helpers

function freeTextWarning() {
  const warning = config.free_text_warning || state.free_text_warning;
  if (!hasText(warning)) return null;
  return el("p", { class: "warning", attrs: { role: "note" } },
    el("span", { class: "warning-icon", attrs: { "aria-hidden": "true" }, text: "!" }),
    el("span", { text: pick(warning, lang) }));
}

function placeholderBadge() {
  return el("span", { class: "badge badge-placeholder", text: S.placeholder });
}

function heading(activity) {
  const nodes = [];
  if (activity.section && hasText(activity.section.title)) {
    nodes.push(el("p", { class: "eyebrow", text: pick(activity.section.title, lang) }));
  }
  const title = hasText(activity.title) ? activity.title : activity.prompt;
  const h1 = el("h1", { class: "activity-title", id: "activity-heading", attrs: { tabindex: "-1" } },
                pick(title, lang));
  if (activity.placeholder) h1.append(" ", placeholderBadge());
  nodes.push(h1);
  if (hasText(activity.title) && hasText(activity.prompt)) {
    nodes.push(el("p", { class: "activity-prompt", text: pick(activity.prompt, lang) }));
  }
  if (hasText(activity.body)) {
    nodes.push(el("div", { class: "activity-body" }, renderMarkdown(pick(activity.body, lang))));
  }
  if (Array.isArray(activity.quotes) && activity.quotes.length) {
    nodes.push(el("div", { class: "quotes" }, activity.quotes.map((q) => el("figure", { class: "quote" },
      el("blockquote", {}, el("p", { text: pick(q.text, lang) })),
      hasText(q.attribution) ? el("figcaption", { text: `\u2014 ${pick(q.attribution, lang)}` }) : null))));
  }
  if (Array.isArray(activity.links) && activity.links.length) {
    nodes.push(el("ul", { class: "links" }, activity.links.filter((l) => /^https?:\/\//i.test(l.url || ""))
      .map((l) => el("li", {}, el("a", { href: l.url, text: pick(l.label, lang) || l.url,
                                        attrs: { rel: "noopener noreferrer", target: "_blank" } })))));
  }
  return nodes;
}

function optionLabel(activity, id) {
  const option = (activity.options || []).find((o) => o.id === id);
  return option ? pick(option.label, lang) : String(id);
}

/** A readable summary of a stored value, for "Your answer: ...". */
function summary(activity, value) {
  if (value === undefined || value === null) return "";
  switch (activity.kind) {
    case "single_choice": return optionLabel(activity, value);
    case "multi_choice": return (Array.isArray(value) ? value : [value]).map((id) => optionLabel(activity, id)).join(", ");
    case "scale": {
      const position = value && typeof value === "object" ? value.position : value;
      const why = value && typeof value === "object" && value.why ? ` \u2014 \u201c${value.why}\u201d` : "";
      return `${position}${why}`;
    }
    case "word_cloud": return (Array.isArray(value) ? value : [value]).join(", ");
    case "ranking": return (Array.isArray(value) ? value : [])
      .map((id, i) => `${i + 1}. ${optionLabel(activity, id)}`).join("\n");
    case "matrix": {
      if (!value || typeof value !== "object") return "";
      return (activity.items || []).filter((item) => value[item.id] !== undefined)
        .map((item) => `${pick(item.label, lang)}: ${ratingLabel(activity, value[item.id])}`).join("\n");
    }
    default: return String(value);
  }
}

function ratingLabel(activity, id) {
  const rating = (activity.ratings || []).find((r) => r.id === id);
  return rating ? pick(rating.label, lang) : String(id);
}

/** The status box under the inputs: sending / saved / failed / closed. */
function statusBox(activity) {
  const box = el("div", { class: "answer-status", attrs: { "aria-live": "off" } });
  const update = () => {
    clear(box);
    show(box, true);
    box.className = "answer-status";
    const id = activity.id;
    const fb = feedback[id];
    const answering = isOpen(activity);
    if (pending[id]) {
      // "connecting" is the first connection after the page loaded: still on its way
      const offline = connStatus !== "connected" && connStatus !== "connecting";
      box.classList.add(offline ? "status-offline" : "status-sending");
      box.append(el("p", { class: "status-line" },
        el("span", { class: "status-icon spinner", attrs: { "aria-hidden": "true" } }),
        el("span", { text: offline ? S.kept_offline : S.sending })));
      if (fb && fb.type === "waiting") box.append(el("p", { class: "hint", text: errorText(fb.code) }));
      box.append(el("p", { class: "status-answer" }, el("span", { class: "status-answer-label", text: S.your_answer }), " ",
        el("span", { class: "status-answer-value", text: summary(activity, pending[id].value) })));
      return;
    }
    if (fb && fb.type === "failed") {
      box.classList.add("status-failed");
      box.append(el("p", { class: "status-line", attrs: { role: "alert" } },
        el("span", { class: "status-icon", attrs: { "aria-hidden": "true" }, text: "\u2715" }),
        el("span", { text: `${S.failed}: ${errorText(fb.code)}` })));
    }
    if (hasAnswer(id)) {
      box.classList.add("status-saved");
      box.append(
        el("p", { class: "status-line" },
          el("span", { class: "status-icon", attrs: { "aria-hidden": "true" }, text: "\u2713" }),
          el("span", { text: S.saved })),
        el("p", { class: "status-answer" }, el("span", { class: "status-answer-label", text: S.your_answer }), " ",
          el("span", { class: "status-answer-value", text: summary(activity, answers[id]) })));
      if (answering) box.append(el("p", { class: "hint", text: S.can_change }));
    }
    if (!answering) {
      box.classList.add("status-closed");
      box.append(el("p", { class: "closed-line" },
        el("strong", { text: S.closed }), " ",
        hasAnswer(id) ? "" : `${S.not_answered} `, S.closed_hint));
    }
    show(box, box.childNodes.length > 0);
  };
  return { node: box, update };
}

function draftFor(activity, initial) {
  const id = activity.id;
  if (!drafts[id]) drafts[id] = { value: initial(), dirty: false };
  return drafts[id];
}

function sameSet(a, b) {
  const x = new Set(a || []);
  const y = new Set(b || []);
  if (x.size !== y.size) return false;
  for (const v of x) if (!y.has(v)) return false;
  return true;
}

function choiceButton(option, kind, onClick) {
  const label = el("span", { class: "choice-label", text: pick(option.label, lang) });
  if (option.placeholder) label.append(" ", placeholderBadge());
  return el("button", {
    type: "button",
    class: ["choice", kind === "multi_choice" ? "choice-multi" : "choice-single"],
    attrs: { "aria-pressed": "false" },
    on: { click: onClick },
  },
  el("span", { class: "choice-mark", attrs: { "aria-hidden": "true" } }),
  el("span", { class: "choice-text" }, label,
     hasText(option.description) ? el("span", { class: "choice-desc", text: pick(option.description, lang) }) : null));
}

function setPressed(button, pressed) {
  button.setAttribute("aria-pressed", pressed ? "true" : "false");
  button.classList.toggle("is-selected", pressed);
}

function counter(textarea, max) {
  const node = el("span", { class: "counter", attrs: { "aria-live": "off" } });
  const update = () => {
    const n = textarea.value.length;
    setText(node, format(S.chars, { n, max }));
    node.classList.toggle("counter-full", max && n >= max);
  };
  return { node, update };
}

function textareaBlock({ id, label, max, value, onInput, optional = false }) {
  const textarea = el("textarea", {
    id, class: "text-input", rows: 4, value: value || "",
    attrs: { maxlength: max || null, placeholder: S.type_here, "aria-describedby": `${id}-count` },
  });
  const count = counter(textarea, max);
  count.node.id = `${id}-count`;
  textarea.addEventListener("input", () => { count.update(); onInput(textarea.value); });
  const labelNode = label
    ? el("label", { class: "text-label", attrs: { for: id } }, label, optional ? ` ${S.optional}` : "")
    : null;
  count.update();
  const node = el("div", { class: "text-block" }, freeTextWarning(), labelNode, textarea,
                  el("div", { class: "text-meta" }, count.node));
  return { node, textarea, count };
}

// ------------------------------------------------------------------ views per kind

function singleChoiceView(activity, status) {
  const buttons = (activity.options || []).map((option) => {
    const button = choiceButton(option, activity.kind, () => {
      if (!isOpen(activity)) return;
      const current = effectiveAnswer(activity.id);
      const failed = feedback[activity.id] && feedback[activity.id].type === "failed";
      if (current === option.id && !failed) {
        announce(liveRegion, S.saved);
        return;
      }
      submit(activity, option.id);
    });
    return { option, button };
  });
  const hint = el("p", { class: "hint", text: S.tap_one });
  const group = el("div", { class: "choices", attrs: { role: "group", "aria-labelledby": "activity-heading" } },
                   buttons.map((b) => b.button));
  const update = () => {
    const current = effectiveAnswer(activity.id);
    const sending = !!pending[activity.id];
    for (const { option, button } of buttons) {
      const selected = current === option.id;
      setPressed(button, selected);
      button.classList.toggle("is-sending", selected && sending);
      button.disabled = !isOpen(activity);
    }
    show(hint, isOpen(activity) && !hasAnswer(activity.id));
    status.update();
  };
  return { nodes: [hint, group, status.node], update };
}

function multiChoiceView(activity, status) {
  const max = Number(activity.max_choices) || 0;
  const draft = draftFor(activity, () => [...(effectiveAnswer(activity.id) || [])]);
  const buttons = (activity.options || []).map((option) => {
    const button = choiceButton(option, activity.kind, () => {
      if (!isOpen(activity)) return;
      const chosen = new Set(draft.value);
      if (chosen.has(option.id)) chosen.delete(option.id);
      else if (!max || chosen.size < max) chosen.add(option.id);
      else {
        announce(liveRegion, S.max_reached);
        return;
      }
      // keep the programme's option order
      draft.value = (activity.options || []).map((o) => o.id).filter((id) => chosen.has(id));
      draft.dirty = !sameSet(draft.value, effectiveAnswer(activity.id));
      update();
    });
    return { option, button };
  });
  const hint = el("p", { class: "hint", text: max ? format(S.choose_max, { max }) : S.choose_any });
  const count = el("p", { class: "choice-count", attrs: { "aria-live": "polite" } });
  const send = el("button", { type: "button", class: "btn btn-primary btn-block btn-send",
    on: { click: () => {
      if (!isOpen(activity) || !draft.value.length) return;
      submit(activity, [...draft.value]);
    } } });
  const group = el("div", { class: "choices", attrs: { role: "group", "aria-labelledby": "activity-heading" } },
                   buttons.map((b) => b.button));
  function update() {
    const stored = effectiveAnswer(activity.id);
    if (!draft.dirty) draft.value = Array.isArray(stored) ? [...stored] : [];
    const chosen = new Set(draft.value);
    const full = max && chosen.size >= max;
    for (const { option, button } of buttons) {
      const selected = chosen.has(option.id);
      setPressed(button, selected);
      button.disabled = !isOpen(activity);
      button.classList.toggle("is-unavailable", !!(full && !selected));
      button.setAttribute("aria-disabled", full && !selected ? "true" : "false");
    }
    setText(count, (max ? format(S.chosen_count, { n: chosen.size, max }) : format(S.chosen_count_any, { n: chosen.size }))
      + (full ? ` \u2014 ${S.max_reached}` : ""));
    const failed = feedback[activity.id] && feedback[activity.id].type === "failed";
    const changed = !hasAnswer(activity.id) || !sameSet(draft.value, stored) || failed;
    setText(send, hasAnswer(activity.id) ? S.send_change : S.send);
    send.disabled = !isOpen(activity) || chosen.size === 0 || !changed || !!pending[activity.id] && !draft.dirty;
    show(send, isOpen(activity));
    show(hint, isOpen(activity));
    show(count, isOpen(activity));
    status.update();
  }
  return { nodes: [hint, group, count, send, status.node], update };
}

function scaleSteps(scale) {
  const min = Number(scale.min ?? 0);
  const max = Number(scale.max ?? 10);
  const step = Number(scale.step ?? 1) || 1;
  const out = [];
  for (let v = min; v <= max + 1e-9 && out.length < 201; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

function scaleView(activity, status) {
  const scale = activity.scale || {};
  const steps = scaleSteps(scale);
  const why = scale.why || null;
  const stored = () => effectiveAnswer(activity.id) || null;
  const draft = draftFor(activity, () => {
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
  if (scale.placeholder) poles.append(el("span", { class: "pole-badge" }, placeholderBadge()));

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
      if (!isOpen(activity)) return;
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
        if (!isOpen(activity)) return;
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
    whyBlock = textareaBlock({
      id: "why", label: pick(why.prompt, lang), max: why.max_length, value: draft.value.why, optional: true,
      onInput: (text) => {
        draft.value.why = text;
        markDirty();
      },
    });
  }
  const send = el("button", { type: "button", class: "btn btn-primary btn-block btn-send",
    on: { click: () => {
      if (!isOpen(activity) || draft.value.position === null || draft.value.position === undefined) return;
      const value = { position: draft.value.position };
      const text = (draft.value.why || "").trim();
      if (why && text) value.why = text;
      submit(activity, value);
    } } });
  const hint = el("p", { class: "hint", text: scale.slider ? "" : S.scale_tap });

  function update() {
    const s = stored();
    if (!draft.dirty) draft.value = { position: s ? s.position : null, why: (s && s.why) || "" };
    const position = draft.value.position;
    for (const button of buttons) {
      setPressed(button, Number(button.textContent) === position);
      button.disabled = !isOpen(activity);
    }
    if (input.range) {
      input.range.disabled = !isOpen(activity);
      if (position !== null && position !== undefined && Number(input.range.value) !== position) {
        input.range.value = String(position);
      }
      setText(output, position === null || position === undefined ? S.slider_unset : String(position));
      output.classList.toggle("is-unset", position === null || position === undefined);
      input.range.setAttribute("aria-valuetext",
        position === null || position === undefined ? S.slider_unset : String(position));
    }
    if (whyBlock) {
      whyBlock.textarea.disabled = !isOpen(activity);
      if (!draft.dirty && document.activeElement !== whyBlock.textarea
          && whyBlock.textarea.value !== draft.value.why) {
        whyBlock.textarea.value = draft.value.why;
        whyBlock.count.update();
      }
    }
    const failed = feedback[activity.id] && feedback[activity.id].type === "failed";
    setText(send, hasAnswer(activity.id) ? S.send_change : S.send);
    send.disabled = !isOpen(activity) || position === null || position === undefined
      || (!draft.dirty && hasAnswer(activity.id) && !failed);
    show(send, isOpen(activity));
    show(hint, isOpen(activity) && !scale.slider);
    if (whyBlock) show(whyBlock.node, isOpen(activity));
    status.update();
  }
  return { nodes: [hint, input, poles, whyBlock && whyBlock.node, send, status.node], update };
}

function openTextView(activity, status) {
  const max = Number(activity.max_length) || null;
  const draft = draftFor(activity, () => effectiveAnswer(activity.id) || "");
  const block = textareaBlock({
    id: "answer-text", label: null, max, value: draft.value,
    onInput: (text) => {
      draft.value = text;
      draft.dirty = text.trim() !== (effectiveAnswer(activity.id) || "");
      update();
    },
  });
  block.textarea.setAttribute("aria-labelledby", "activity-heading");
  const send = el("button", { type: "button", class: "btn btn-primary btn-block btn-send",
    on: { click: () => {
      const text = (block.textarea.value || "").trim();
      if (!isOpen(activity)) return;
      if (!text) {
        announce(liveRegion, S.empty_text);
        block.textarea.focus();
        return;
      }
      submit(activity, text);
    } } });
  function update() {
    const stored = effectiveAnswer(activity.id) || "";
    if (!draft.dirty) {
      draft.value = stored;
      if (block.textarea.value.trim() !== stored && document.activeElement !== block.textarea) {
        block.textarea.value = stored;
        block.count.update();
      }
    }
    block.textarea.disabled = !isOpen(activity);
    const text = (block.textarea.value || "").trim();
    const failed = feedback[activity.id] && feedback[activity.id].type === "failed";
    setText(send, hasAnswer(activity.id) ? S.send_change : S.send);
    send.disabled = !isOpen(activity) || !text || (text === stored && !failed);
    show(send, isOpen(activity));
    show(block.node, isOpen(activity));
    status.update();
  }
  return { nodes: [block.node, send, status.node], update };
}

/** Trim, collapse spaces, drop empty and repeated entries (compared case-insensitively). */
function cleanWords(words) {
  const out = [];
  const seen = new Set();
  for (const word of words || []) {
    const clean = String(word ?? "").replace(/\s+/g, " ").trim();
    const key = clean.toLocaleLowerCase();
    if (!clean || seen.has(key)) continue;
    seen.add(key);
    out.push(clean);
  }
  return out;
}

function sameWords(a, b) {
  const x = cleanWords(a).map((w) => w.toLocaleLowerCase());
  const y = cleanWords(b).map((w) => w.toLocaleLowerCase());
  return x.length === y.length && x.every((w, i) => w === y[i]);
}

function wordCloudView(activity, status) {
  const maxWords = Math.max(1, Math.min(20, Number(activity.max_words) || 3));
  const maxLength = Number(activity.max_length) || 30;
  const stored = () => {
    const value = effectiveAnswer(activity.id);
    return Array.isArray(value) ? value : [];
  };
  const fill = (words) => Array.from({ length: maxWords }, (_, i) => (words[i] ?? ""));
  const draft = draftFor(activity, () => fill(stored()));
  const fields = [];
  const send = el("button", { type: "button", class: "btn btn-primary btn-block btn-send",
    on: { click: () => sendWords() } });

  function sendWords() {
    if (!isOpen(activity)) return;
    const words = cleanWords(draft.value);
    if (!words.length) {
      announce(liveRegion, S.wc_empty);
      if (fields[0]) fields[0].input.focus();
      return;
    }
    submit(activity, words);
  }

  for (let i = 0; i < maxWords; i++) {
    const id = `word-${i + 1}`;
    const input = el("input", {
      type: "text", id, class: "word-input", value: draft.value[i] || "",
      attrs: { maxlength: maxLength, autocomplete: "off", autocapitalize: "none", spellcheck: "true",
               enterkeyhint: i < maxWords - 1 ? "next" : "send", "aria-describedby": `${id}-count` },
    });
    const count = el("span", { class: "counter", id: `${id}-count`, attrs: { "aria-live": "off" } });
    const updateCount = () => {
      const n = input.value.length;
      setText(count, format(S.chars, { n, max: maxLength }));
      count.classList.toggle("counter-full", n >= maxLength);
    };
    input.addEventListener("input", () => {
      draft.value[i] = input.value;
      draft.dirty = !sameWords(draft.value, stored());
      updateCount();
      update();
    });
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" || event.isComposing) return;
      event.preventDefault();
      if (i < maxWords - 1) fields[i + 1].input.focus();
      else sendWords();
    });
    updateCount();
    const row = el("div", { class: "word-field" },
      el("label", { class: "word-label", attrs: { for: id }, text: format(S.wc_word_n, { n: i + 1, max: maxWords }) }),
      input, el("div", { class: "text-meta" }, count));
    fields.push({ input, updateCount, row });
  }
  const hint = el("p", { class: "hint", text: format(maxWords === 1 ? S.wc_hint_one : S.wc_hint, { max: maxWords }) });
  const group = el("div", { class: "word-fields", attrs: { role: "group", "aria-labelledby": "activity-heading" } },
                   fields.map((f) => f.row));
  const block = el("div", { class: "text-block" }, freeTextWarning(), hint, group);

  function update() {
    const words = stored();
    if (!draft.dirty) {
      draft.value = fill(words);
      fields.forEach((f, i) => {
        if (document.activeElement !== f.input && f.input.value !== draft.value[i]) {
          f.input.value = draft.value[i];
          f.updateCount();
        }
      });
    }
    for (const f of fields) f.input.disabled = !isOpen(activity);
    const failed = feedback[activity.id] && feedback[activity.id].type === "failed";
    const filled = cleanWords(draft.value).length;
    setText(send, hasAnswer(activity.id) ? S.send_change : S.send);
    send.disabled = !isOpen(activity) || !filled || (hasAnswer(activity.id) && !draft.dirty && !failed);
    show(send, isOpen(activity));
    show(block, isOpen(activity));
    status.update();
  }
  return { nodes: [block, send, status.node], update };
}

function rankingView(activity, status) {
  const options = activity.options || [];
  const ids = options.map((o) => o.id);
  const validOrder = (value) => (Array.isArray(value) && value.length === ids.length
    && ids.every((id) => value.includes(id)) ? [...value] : null);
  const stored = () => validOrder(effectiveAnswer(activity.id));
  const draft = draftFor(activity, () => stored() || [...ids]);
  const total = ids.length;
  const list = el("ol", { class: "rank-list", attrs: { "aria-labelledby": "activity-heading" } });
  const items = new Map();
  let drag = null;

  const labelOf = (id) => optionLabel(activity, id);
  const changed = () => {
    const s = stored();
    return !s || s.some((id, i) => id !== draft.value[i]);
  };

  function move(id, delta, focusButton) {
    if (!isOpen(activity)) return;
    const from = draft.value.indexOf(id);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= total) return;
    const order = [...draft.value];
    order.splice(from, 1);
    order.splice(to, 0, id);
    draft.value = order;
    draft.dirty = changed();
    update();
    announce(liveRegion, format(S.rank_moved, { label: labelOf(id), n: to + 1, total }));
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
    if (option.placeholder) label.append(" ", placeholderBadge());
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
      if (!isOpen(activity) || drag || (event.pointerType === "mouse" && event.button !== 0)) return;
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
    if (to !== from) announce(liveRegion, format(S.rank_moved, { label: labelOf(id), n: to + 1, total }));
  }

  function numberItems() {
    draft.value.forEach((id, i) => {
      const parts = items.get(id);
      if (!parts) return;
      setText(parts.position, String(i + 1));
      setText(parts.spoken, format(S.rank_place, { n: i + 1, total }));
      parts.up.disabled = !isOpen(activity) || i === 0;
      parts.down.disabled = !isOpen(activity) || i === total - 1;
    });
  }

  const hint = el("p", { class: "hint", text: S.rank_hint });
  const send = el("button", { type: "button", class: "btn btn-primary btn-block btn-send",
    on: { click: () => {
      if (!isOpen(activity)) return;
      submit(activity, [...draft.value]);
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
    list.classList.toggle("is-readonly", !isOpen(activity));
    const failed = feedback[activity.id] && feedback[activity.id].type === "failed";
    setText(send, hasAnswer(activity.id) ? S.send_change : S.rank_send);
    send.disabled = !isOpen(activity) || (hasAnswer(activity.id) && !draft.dirty && !failed);
    show(send, isOpen(activity));
    show(hint, isOpen(activity));
    status.update();
  }
  return { nodes: [hint, list, send, status.node], update };
}

function matrixView(activity, status) {
  const itemsList = activity.items || [];
  const ratings = activity.ratings || [];
  const stored = () => {
    const value = effectiveAnswer(activity.id);
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  };
  const draft = draftFor(activity, () => ({ ...stored() }));
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
      item.placeholder ? [" ", placeholderBadge()] : null);
    const description = hasText(item.description)
      ? el("p", { class: "choice-desc matrix-desc", id: `${legendId}-desc`, text: pick(item.description, lang) }) : null;
    const radios = ratings.map((rating, r) => {
      const input = el("input", { type: "radio", name: `matrix-${index}`, id: `matrix-${index}-${r}`,
                                  value: rating.id, class: "matrix-radio" });
      input.addEventListener("change", () => {
        if (!isOpen(activity) || !input.checked) return;
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
        if (!isOpen(activity)) return;
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
      if (!isOpen(activity)) return;
      const value = {};
      for (const { item } of rows) if (draft.value[item.id]) value[item.id] = draft.value[item.id];
      if (!Object.keys(value).length) {
        announce(liveRegion, S.matrix_empty);
        return;
      }
      submit(activity, value);
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
        input.disabled = !isOpen(activity);
      }
      show(clearButton, isOpen(activity) && !!chosen);
    }
    setText(progress, format(S.matrix_progress, { n: answered, total: rows.length }));
    const failed = feedback[activity.id] && feedback[activity.id].type === "failed";
    setText(send, hasAnswer(activity.id) ? S.send_change : S.send);
    send.disabled = !isOpen(activity) || answered === 0 || (hasAnswer(activity.id) && !draft.dirty && !failed);
    show(send, isOpen(activity));
    show(hint, isOpen(activity));
    show(progress, isOpen(activity));
    status.update();
  }
  return { nodes: [hint, group, progress, send, status.node], update };
}

function qnaView(activity) {
  const max = Number(activity.max_length) || 280;
  const q = qnaFor(activity.id);
  const block = textareaBlock({
    id: "ask-text", label: S.qna_ask_label, max, value: (drafts[activity.id] && drafts[activity.id].value) || "",
    onInput: (text) => {
      draftFor(activity, () => "").value = text;
      update();
    },
  });
  block.textarea.rows = 3;
  block.textarea.setAttribute("placeholder", S.qna_placeholder);
  const askButton = el("button", { type: "button", class: "btn btn-primary btn-block btn-send",
    text: S.qna_ask,
    on: { click: () => {
      if (!isOpen(activity)) return;
      const text = (block.textarea.value || "").trim();
      if (!text) {
        announce(liveRegion, S.qna_empty);
        block.textarea.focus();
        return;
      }
      askQuestion(activity, text);
      block.textarea.value = "";
      draftFor(activity, () => "").value = "";
      block.count.update();
      update();
    } } });
  const feedbackLine = el("div", { class: "qna-feedback" });
  const closedLine = el("p", { class: "answer-status status-closed closed-line" },
    el("strong", { text: S.qna_closed }), " ", S.closed_hint);
  const mineHeading = el("h2", { class: "qna-heading", text: S.qna_mine });
  const mineList = el("ul", { class: "qna-mine" });
  const mine = el("section", { class: "qna-mine-block", attrs: { "aria-label": S.qna_mine } }, mineHeading, mineList);
  const listHeading = el("h2", { class: "qna-heading", id: "qna-list-heading" });
  const list = el("ol", { class: "qna-list", attrs: { "aria-labelledby": "qna-list-heading" } });
  const empty = el("p", { class: "hint qna-empty", text: S.qna_none });
  const rows = new Map();
  let rowCount = 0;

  function questionRow(question) {
    const id = String(question.id);
    rowCount += 1;
    const text = el("p", { class: "qna-text", id: `qna-text-${rowCount}` });
    const badges = el("span", { class: "qna-badges" });
    const countNode = el("span", { class: "qna-votes-count" });
    const vote = el("button", { type: "button", class: "qna-vote", attrs: { "aria-pressed": "false",
                                "aria-describedby": text.id } },
      el("span", { class: "qna-vote-icon", attrs: { "aria-hidden": "true" }, text: "\u25B2" }), countNode,
      el("span", { class: "visually-hidden qna-vote-label" }));
    const li = el("li", { class: "qna-item", data: { id } }, vote, el("div", { class: "qna-body" }, text, badges));
    const row = { li, text, badges, vote, countNode, question };
    vote.addEventListener("click", () => {
      if (!isOpen(activity)) return;
      toggleVote(activity, row.question);
    });
    return row;
  }

  function update() {
    const answering = isOpen(activity);
    show(hint, answering);
    show(block.node, answering);
    show(askButton, answering);
    show(closedLine, !answering);
    block.textarea.disabled = !answering;
    askButton.disabled = !answering || !(block.textarea.value || "").trim();

    // what happened to the last question this phone sent
    clear(feedbackLine);
    const fb = qnaFeedback[activity.id];
    if (fb && fb.type === "sent") {
      feedbackLine.append(el("p", { class: "answer-status status-saved status-line" },
        el("span", { class: "status-icon", attrs: { "aria-hidden": "true" }, text: "\u2713" }),
        el("span", { text: fb.pending ? S.qna_sent_pending : S.qna_sent })));
    } else if (fb && fb.type === "failed") {
      feedbackLine.append(el("p", { class: "answer-status status-failed status-line", attrs: { role: "alert" } },
        el("span", { class: "status-icon", attrs: { "aria-hidden": "true" }, text: "\u2715" }),
        el("span", { text: `${S.qna_not_sent}: ${errorText(fb.code)}` })));
    }

    // this phone's questions that others do not see yet
    clear(mineList);
    const waiting = pendingAsks.filter((a) => a.activity === activity.id);
    for (const entry of waiting) {
      mineList.append(el("li", { class: "qna-mine-item" },
        el("span", { class: "qna-mine-text", text: entry.text }),
        el("span", { class: "qna-state qna-state-sending",
                     text: connStatus === "connected" ? S.sending : S.qna_kept_offline })));
    }
    // a question of mine that is in the approved list is no longer waiting (the phones hear of an
    // approval only through that list)
    const listed = new Set((q.questions || []).map((x) => String(x && x.id)));
    for (const asked of q.asked) {
      if (listed.has(String(asked.id))) asked.status = "approved";
      if (asked.status !== "pending" && asked.status !== "hidden") continue;
      const hidden = asked.status === "hidden";
      mineList.append(el("li", { class: "qna-mine-item" },
        el("span", { class: "qna-mine-text", text: asked.text }),
        el("span", { class: `qna-state ${hidden ? "qna-state-hidden" : "qna-state-pending"}`,
                     text: hidden ? S.qna_not_shown : S.qna_waiting })));
    }
    show(mine, mineList.childNodes.length > 0);

    // the approved questions, in the server's order (pinned first, then votes)
    const questions = (q.questions || []).filter((x) => x && x.id !== undefined
      && (x.status === undefined || x.status === "approved"));
    const askedIds = new Set(q.asked.map((a) => String(a.id)));
    setText(listHeading, format(S.qna_list, { n: questions.length }));
    const focused = list.contains(document.activeElement) ? document.activeElement : null;
    const seen = new Set();
    questions.forEach((question, i) => {
      const id = String(question.id);
      seen.add(id);
      let row = rows.get(id);
      if (!row) {
        row = questionRow(question);
        rows.set(id, row);
      }
      row.question = question;
      setText(row.text, question.text);
      clear(row.badges);
      if (question.pinned) row.badges.append(el("span", { class: "badge qna-badge-pinned", text: S.qna_pinned }));
      if (question.answered) row.badges.append(el("span", { class: "badge qna-badge-answered", text: S.qna_answered }));
      if (askedIds.has(id)) row.badges.append(el("span", { class: "badge qna-badge-mine", text: S.qna_yours }));
      const votes = Number(question.votes) || 0;
      const voted = q.voted.has(id);
      setText(row.countNode, String(votes));
      setText(row.vote.querySelector(".qna-vote-label"),
        format(votes === 1 ? S.qna_votes_one : S.qna_votes_other, { n: votes }) + (voted ? `, ${S.qna_you_voted}` : ""));
      row.vote.setAttribute("aria-pressed", voted ? "true" : "false");
      row.vote.classList.toggle("is-selected", voted);
      row.vote.disabled = !answering;
      row.li.classList.toggle("is-answered", !!question.answered);
      row.li.classList.toggle("is-pinned", !!question.pinned);
      if (list.children[i] !== row.li) list.insertBefore(row.li, list.children[i] || null);
    });
    for (const [id, row] of rows) {
      if (!seen.has(id)) {
        row.li.remove();
        rows.delete(id);
      }
    }
    if (focused && document.activeElement !== focused && focused.isConnected) focused.focus();
    show(empty, questions.length === 0);
  }
  const hint = el("p", { class: "hint", text: activity.moderated ? S.qna_hint_moderated : S.qna_hint });
  return {
    nodes: [hint, block.node, askButton, closedLine, feedbackLine, mine,
            el("section", { class: "qna-questions" }, listHeading, empty, list)],
    update,
  };
}

// ------------------------------------------------------------------ screens

function waitingScreen(title, text) {
  const node = el("section", { class: "card waiting" },
    el("span", { class: "waiting-dots", attrs: { "aria-hidden": "true" } }, el("span"), el("span"), el("span")),
    el("h1", { id: "activity-heading", attrs: { tabindex: "-1" }, text: title }),
    el("p", { text }));
  return { nodes: [node], update: () => {} };
}

function kindView(activity, status) {
  switch (activity.kind) {
    case "single_choice": return singleChoiceView(activity, status);
    case "multi_choice": return multiChoiceView(activity, status);
    case "scale": return scaleView(activity, status);
    case "open_text": return openTextView(activity, status);
    case "word_cloud": return wordCloudView(activity, status);
    case "ranking": return rankingView(activity, status);
    case "matrix": return matrixView(activity, status);
    case "qna": return qnaView(activity);
    default: return { nodes: [el("p", { class: "hint info-note", text: S.info_note })], update: () => {} };
  }
}

function activityScreen(activity) {
  const status = statusBox(activity);
  const body = kindView(activity, status);
  const article = el("article", { class: ["activity", `kind-${activity.kind}`] }, heading(activity), body.nodes);
  return { nodes: [article], update: body.update };
}

// ------------------------------------------------------------------ privacy notice

/** Shown above the screen before the first answer, until acknowledged (remembered per live
 * session). It does not block the question under it: on a slow network the page's first paint
 * (rendered by the server, before this script) already shows both, and answering is what the
 * notice is about. */
function needsPrivacy() {
  if (privacyAccepted) return false;
  return Object.keys(answers).length === 0 && Object.keys(pending).length === 0;
}

function privacyCard() {
  const notice = state.privacy_notice;
  const text = hasText(notice)
    ? el("div", { class: "privacy-text" }, renderMarkdown(pick(notice, lang)))
    : el("div", { class: "privacy-text" }, el("p", { text: S.privacy_generic }));
  const ok = el("button", { type: "button", class: "btn btn-primary btn-block privacy-ok", text: S.privacy_ok,
    on: { click: () => {
      privacyAccepted = true;
      store(PRIVACY_KEY, true);
      refresh();
      const headingNode = document.getElementById("activity-heading");
      if (headingNode) headingNode.focus({ preventScroll: true });
    } } });
  return el("section", { class: "card privacy", attrs: { "aria-labelledby": "privacy-heading" } },
    el("h2", { id: "privacy-heading", attrs: { tabindex: "-1" }, text: S.privacy_title }),
    text, ok);
}

// ------------------------------------------------------------------ profile questions at join

/** The profile questions the programme asks right after joining (state.profile), or []. */
function profileActivities() {
  return Array.isArray(state.profile) ? state.profile.filter((a) => a && a.id && a.kind) : [];
}

/** The first profile question this phone has neither answered nor skipped, or null. */
function profileStep() {
  const list = profileActivities();
  const index = list.findIndex((a) => !hasAnswer(a.id) && !profileSkipped.has(a.id));
  return index < 0 ? null : { activity: list[index], index, total: list.length };
}

function profileScreen(step) {
  const inner = activityScreen(step.activity);
  const intro = el("p", { class: "profile-step", text: format(S.profile_step, { n: step.index + 1, total: step.total }) });
  const why = el("p", { class: "profile-why", text: S.profile_why });
  const skip = el("button", { type: "button", class: "btn btn-secondary btn-block profile-skip", text: S.profile_skip,
    on: { click: () => {
      profileSkipped.add(step.activity.id);
      store(PROFILE_SKIP_KEY, [...profileSkipped]);
      refresh();
    } } });
  return { nodes: [intro, ...inner.nodes, why, skip], update: inner.update };
}

// ------------------------------------------------------------------ table

function tablesCount() {
  const n = Number(state.tables);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** The table shown: the one being sent, else the server's. */
function shownTable() {
  return tableWanted ? tableWanted.table : table;
}

function chooseTable(n) {
  tableWanted = { table: n, id: randomId() };
  tableError = null;
  tablePickerOpen = false;
  noTable = false;
  store(NO_TABLE_KEY, false);
  refresh();
  flush();
  // the picker is gone: go on with the question below it
  const headingNode = document.getElementById("activity-heading");
  if (headingNode) headingNode.focus({ preventScroll: true });
}

async function sendTable(entry) {
  inflight.add(entry.id);
  const ack = await conn.request("set_table", { table: entry.table }, 5000);
  inflight.delete(entry.id);
  if (tableWanted !== entry) return; // another table was chosen meanwhile
  if (ack && ack.ok) {
    tableWanted = null;
    table = Number.isInteger(ack.table) ? ack.table : entry.table;
    announce(liveRegion, format(S.table_saved, { n: table }));
    refresh();
    return;
  }
  const errorCode = (ack && ack.error && ack.error.code) || "unknown";
  if (RETRYABLE.has(errorCode)) {
    if (conn.connected) scheduleRetry(1000);
    return;
  }
  if (errorCode === "rate_limited") {
    scheduleRetry(2500 + Math.random() * 2500);
    return;
  }
  tableWanted = null;
  tableError = errorCode;
  tablePickerOpen = true;
  announce(liveRegion, `${S.table_failed} ${errorText(errorCode)}`);
  refresh();
}

/** Whether the table picker shows above the screen. */
function tablePickerVisible() {
  if (!tablesCount() || state.ended || needsPrivacy()) return false;
  if (tablePickerOpen) return true;
  return shownTable() === null && !noTable;
}

const tablePicker = { node: null, count: 0, update: () => {} };

function buildTablePicker(count) {
  const heading = el("h2", { class: "table-picker-title", id: "table-picker-heading", attrs: { tabindex: "-1" },
                             text: S.table_question });
  const error = el("p", { class: "form-error table-error", attrs: { role: "alert" }, hidden: true });
  const buttons = [];
  let choices;
  if (count <= 30) {
    choices = el("div", { class: ["table-buttons", count > 12 ? "table-buttons-many" : ""],
                          attrs: { role: "group", "aria-labelledby": "table-picker-heading" } });
    for (let n = 1; n <= count; n++) {
      const button = el("button", { type: "button", class: "table-choice", text: String(n),
        attrs: { "aria-label": format(S.table_number, { n }), "aria-pressed": "false" },
        on: { click: () => chooseTable(n) } });
      buttons.push(button);
      choices.append(button);
    }
  } else {
    // many tables: type the number on the card
    const input = el("input", { type: "number", id: "table-input", class: "table-input",
      attrs: { min: 1, max: count, step: 1, inputmode: "numeric", "aria-describedby": "table-input-error" } });
    const inputError = el("p", { class: "form-error", id: "table-input-error", hidden: true });
    const submitNumber = () => {
      const n = Number(input.value);
      if (!Number.isInteger(n) || n < 1 || n > count) {
        setText(inputError, format(S.table_number_bad, { max: count }));
        show(inputError, true);
        input.setAttribute("aria-invalid", "true");
        input.focus();
        return;
      }
      show(inputError, false);
      input.removeAttribute("aria-invalid");
      chooseTable(n);
    };
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        submitNumber();
      }
    });
    choices = el("div", { class: "table-number" },
      el("label", { attrs: { for: "table-input" }, text: format(S.table_number_label, { max: count }) }),
      el("div", { class: "table-number-row" }, input,
        el("button", { type: "button", class: "btn btn-primary", text: S.table_number_ok, on: { click: submitNumber } })),
      inputError);
  }
  const none = el("button", { type: "button", class: "btn btn-secondary table-none", text: S.table_none,
    on: { click: () => {
      noTable = true;
      store(NO_TABLE_KEY, true);
      tablePickerOpen = false;
      refresh();
      const headingNode = document.getElementById("activity-heading");
      if (headingNode) headingNode.focus({ preventScroll: true });
    } } });
  const cancel = el("button", { type: "button", class: "btn btn-secondary table-cancel", text: S.table_cancel,
    on: { click: () => {
      tablePickerOpen = false;
      refresh();
      tableButton.focus();
    } } });
  const node = el("section", { class: "table-picker", attrs: { "aria-labelledby": "table-picker-heading" } },
    heading, el("p", { class: "hint table-hint", text: S.table_hint }), choices, error,
    el("div", { class: "table-picker-foot" }, none, cancel));
  const update = () => {
    const current = shownTable();
    buttons.forEach((button, i) => {
      const pressed = current === i + 1;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
      button.classList.toggle("is-selected", pressed);
    });
    setText(error, tableError ? `${S.table_failed} ${errorText(tableError)}` : "");
    show(error, !!tableError);
    // the first time: "not at a table"; when changing a chosen table: "cancel"
    const changing = current !== null || noTable;
    show(none, !changing);
    show(cancel, changing);
  };
  return { node, count, update };
}

function updateTable() {
  const count = tablesCount();
  const visible = tablePickerVisible();
  if (visible) {
    if (!tablePicker.node || tablePicker.count !== count) Object.assign(tablePicker, buildTablePicker(count));
    if (tablePicker.node.parentNode !== main || main.firstChild !== tablePicker.node) main.prepend(tablePicker.node);
    tablePicker.update();
  } else if (tablePicker.node && tablePicker.node.parentNode) {
    tablePicker.node.remove();
  }
  // the header: the chosen table, small, with a way to change it
  const headerVisible = count > 0 && !state.ended && !needsPrivacy() && !visible;
  show(tableButton, headerVisible);
  if (headerVisible) {
    const current = shownTable();
    setText(tableButton, current !== null ? format(S.table_number, { n: current }) : S.table_choose);
    // the accessible name starts with the visible text ("Tafel 3: kies een andere tafel")
    if (current !== null) tableButton.setAttribute("aria-label", format(S.table_change, { n: current }));
    else tableButton.removeAttribute("aria-label");
    tableButton.classList.toggle("is-sending", !!tableWanted);
  }
}

tableButton.addEventListener("click", () => {
  tablePickerOpen = true;
  tableError = null;
  refresh();
  window.scrollTo(0, 0);
  const headingNode = document.getElementById("table-picker-heading");
  if (headingNode) headingNode.focus({ preventScroll: true });
});

// ------------------------------------------------------------------ paced sections

/** The activities a paced section offers this phone, or null when the state is not paced. */
function pacedActivities() {
  const paced = state.paced;
  if (!paced || typeof paced !== "object" || !Array.isArray(paced.activities)) return null;
  const list = paced.activities.filter((a) => a && a.id && a.kind);
  return list.length ? list : null;
}

function pacedKey() {
  return (state.paced && state.paced.section) || "paced";
}

function answeredInSection(list) {
  return list.filter((a) => a.kind === "qna" ? false : hasAnswer(a.id)).length;
}

/** Which activity of the paced section is on screen (remembered across reloads in this tab). */
function pacedPosition(list) {
  const key = pacedKey();
  if (pacedIndex[key] === undefined) {
    let index = null;
    try {
      const saved = window.sessionStorage.getItem(`dialoogtafel:${code}:paced:${key}`);
      if (saved !== null) index = Number(saved);
    } catch { /* no storage: start at the first unanswered one */ }
    if (!Number.isInteger(index)) {
      index = list.findIndex((a) => a.kind !== "info" && a.kind !== "qna" && !hasAnswer(a.id));
      if (index < 0) index = 0;
    }
    pacedIndex[key] = index;
  }
  pacedIndex[key] = Math.max(0, Math.min(list.length - 1, pacedIndex[key]));
  return pacedIndex[key];
}

function goPaced(delta) {
  const list = pacedActivities();
  if (!list) return;
  const key = pacedKey();
  const index = Math.max(0, Math.min(list.length - 1, pacedPosition(list) + delta));
  pacedIndex[key] = index;
  try {
    window.sessionStorage.setItem(`dialoogtafel:${code}:paced:${key}`, String(index));
  } catch { /* fine without */ }
  refresh();
  const headingNode = document.getElementById("activity-heading");
  if (headingNode) headingNode.focus({ preventScroll: true });
}

function pacedScreen(list, index) {
  const activity = list[index];
  const total = list.length;
  const inner = activityScreen(activity);
  const progressText = el("p", { class: "paced-count", text: format(S.paced_position, { n: index + 1, total }) });
  const answeredText = el("p", { class: "paced-answered" });
  const dots = el("ol", { class: "paced-dots", attrs: { "aria-hidden": "true" } },
    list.map((a, i) => el("li", { class: ["paced-dot", i === index ? "is-here" : ""], data: { id: a.id } })));
  const nav = el("nav", { class: "paced-nav", attrs: { "aria-label": S.paced_nav } },
    progressText, dots, answeredText);
  const previous = el("button", { type: "button", class: "btn paced-prev",
    on: { click: () => goPaced(-1) } }, el("span", { attrs: { "aria-hidden": "true" }, text: "← " }), S.paced_previous);
  const next = el("button", { type: "button", class: "btn paced-next",
    on: { click: () => goPaced(1) } }, S.paced_next, el("span", { attrs: { "aria-hidden": "true" }, text: " →" }));
  const done = el("p", { class: "paced-done" });
  const footer = el("div", { class: "paced-footer" }, previous, next);
  const update = () => {
    inner.update();
    previous.disabled = index === 0;
    next.disabled = index >= total - 1;
    const current = activity.kind === "info" || activity.kind === "qna" || hasAnswer(activity.id);
    next.classList.toggle("btn-primary", current && index < total - 1);
    const answerable = list.filter((a) => a.kind !== "info" && a.kind !== "qna");
    const answered = answeredInSection(list);
    setText(answeredText, answerable.length ? format(S.paced_answered, { n: answered, total: answerable.length }) : "");
    Array.from(dots.children).forEach((dot, i) => {
      const a = list[i];
      dot.classList.toggle("is-answered", a.kind !== "info" && a.kind !== "qna" && hasAnswer(a.id));
    });
    const last = index >= total - 1;
    setText(done, last ? (answered >= answerable.length ? S.paced_all_done : S.paced_last) : "");
    show(done, last);
  };
  return { nodes: [nav, ...inner.nodes, done, footer], update };
}

// ------------------------------------------------------------------ timer

let announcedTimer = null;

/** The activity the phone shows now (the paced one, or the facilitator's current one). */
function shownActivityIds() {
  const step = !state.ended ? profileStep() : null;
  if (step) return new Set([step.activity.id]);
  const list = pacedActivities();
  if (list) return new Set(list.map((a) => a.id));
  return new Set(state.activity ? [state.activity.id] : []);
}

const countdown = new Countdown((info) => {
  const timer = info && info.timer;
  const visible = !!timer && !state.ended && shownActivityIds().has(timer.activity);
  show(timerBar, visible);
  if (!visible) return;
  const over = info.remaining <= 0;
  append(clear(timerBar),
    el("span", { class: "p-timer-icon", attrs: { "aria-hidden": "true" } }),
    el("span", { class: "p-timer-label", text: over ? S.timer_over : S.timer_left }),
    over ? null : el("span", { class: "p-timer-clock", text: clock(info.remaining) }));
  timerBar.classList.toggle("is-ending", !over && info.remaining <= 60000);
  timerBar.classList.toggle("is-over", over);
  const key = `${timer.activity}:${timer.ends_at}`;
  if (!over && info.remaining <= 60000 && Number(timer.seconds) > 60 && announcedTimer !== key) {
    announcedTimer = key;
    announce(liveRegion, S.timer_one_minute);
  }
});

// ------------------------------------------------------------------ screen

function screenKey() {
  if (state.ended) return "ended";
  const notice = needsPrivacy() ? `privacy:${JSON.stringify(state.privacy_notice || null)}|` : "";
  return notice + screenBaseKey();
}

function screenBaseKey() {
  const step = profileStep();
  if (step) return `profile:${step.index}/${step.total}:${JSON.stringify(step.activity)}`;
  const list = pacedActivities();
  if (list) {
    const index = pacedPosition(list);
    const { answering: _open, ...shown } = list[index];
    return `paced:${pacedKey()}:${index}:${JSON.stringify(shown)}:${list.length}`;
  }
  if (!state.activity) return "waiting";
  return `activity:${JSON.stringify(state.activity)}`;
}

function refresh() {
  const key = screenKey();
  if (!view || view.key !== key) {
    const previousActivity = view && view.activityId;
    const focusWasInside = main.contains(document.activeElement);
    let screen;
    let activityId = null;
    const privacy = !state.ended && needsPrivacy();
    const step = state.ended ? null : profileStep();
    const list = state.ended || step ? null : pacedActivities();
    if (state.ended) screen = waitingScreen(S.ended_title, S.ended_text);
    else if (step) {
      screen = profileScreen(step);
      activityId = step.activity.id;
    } else if (list) {
      const index = pacedPosition(list);
      screen = pacedScreen(list, index);
      activityId = list[index].id;
    } else if (!state.activity) screen = waitingScreen(S.waiting_title, S.waiting_text);
    else {
      screen = activityScreen(state.activity);
      activityId = state.activity.id;
    }
    clear(main).append(...(privacy ? [privacyCard()] : []), ...screen.nodes);
    view = { key, update: screen.update, activityId };
    if (view.activityId !== previousActivity) {
      window.scrollTo(0, 0);
      const headingNode = document.getElementById("activity-heading");
      if (previousActivity !== undefined && headingNode) {
        announce(liveRegion, headingNode.textContent);
        if (focusWasInside || screen.focus) headingNode.focus({ preventScroll: true });
      }
    }
  }
  updateTable();
  view.update();
}

// ------------------------------------------------------------------ connection

let backTimer = 0;
let statusDelay = 0;

function showConn(kind, text, action = null) {
  connBar.className = `conn conn-${kind}`;
  append(clear(connBar), el("span", { text }), action);
  show(connBar, true);
}

function onStatus(status, data) {
  const previous = connStatus;
  connStatus = status;
  window.clearTimeout(statusDelay);
  window.clearTimeout(backTimer);
  if (status === "connected") {
    if (everConnected && previous !== "connected") {
      showConn("ok", S.conn_back);
      announce(liveRegion, S.conn_back);
      backTimer = window.setTimeout(() => show(connBar, false), 3000);
    } else {
      show(connBar, false);
    }
    everConnected = true;
    flush();
  } else if (status === "connecting") {
    statusDelay = window.setTimeout(() => showConn("wait", S.conn_connecting), 2000);
  } else if (status === "reconnecting") {
    showConn("wait", S.conn_reconnecting);
    if (previous === "connected") announce(liveRegion, S.conn_reconnecting);
  } else if (status === "offline") {
    showConn("bad", S.conn_offline);
    if (previous !== "offline") announce(liveRegion, S.conn_offline);
  } else if (status === "refused") {
    const reason = (data && data.code) || "";
    if (reason === "not_participant" && maybeReload()) return;
    const text = `${S.conn_refused} ${S[`refused_${reason}`] || ""}`.trim();
    const reload = el("button", { type: "button", class: "btn btn-small", text: S.reload,
                                  on: { click: () => window.location.reload() } });
    showConn("bad", text, reload);
    announce(liveRegion, text);
  }
  refresh();
}

/** The phone lost its participant cookie: reloading /j/<code> joins again (at most once a minute). */
function maybeReload() {
  const key = `dialoogtafel:${code}:reloaded`;
  try {
    const last = Number(window.sessionStorage.getItem(key) || 0);
    if (Date.now() - last < 60000) return false;
    window.sessionStorage.setItem(key, String(Date.now()));
  } catch {
    return false;
  }
  window.location.reload();
  return true;
}

/** activity id -> how often the facilitator reset it (`resets` in the state). */
let knownResets = { ...(state.resets || {}) };

/** The facilitator deleted every response of an activity: forget this phone's copy too. */
function takeResets(resets) {
  if (!resets || typeof resets !== "object") return;
  for (const [activityId, count] of Object.entries(resets)) {
    if (Number(count) > Number(knownResets[activityId] || 0)) {
      delete answers[activityId];
      delete drafts[activityId];
      delete feedback[activityId];
      delete qnaFeedback[activityId];
      if (qna[activityId]) qna[activityId] = { asked: [], voted: new Set(), questions: [], rev: null };
    }
  }
  knownResets = { ...resets };
}

/** The `questions` block of a state (the current Q&A's approved questions) or event. */
function takeQuestions(message) {
  if (!message || typeof message !== "object" || !message.activity || !Array.isArray(message.questions)) return;
  const q = qnaFor(message.activity);
  q.questions = message.questions;
  if (Number.isFinite(Number(message.rev))) q.rev = Number(message.rev);
}

function onState(next) {
  const previous = state;
  state = next || {};
  takeResets(state.resets);
  if (state.answers && typeof state.answers === "object") {
    answers = { ...state.answers };
    // only this phone's own snapshot says where it sits (room broadcasts do not)
    if (Object.prototype.hasOwnProperty.call(state, "table")) table = Number.isInteger(state.table) ? state.table : null;
  }
  if (state.qna && typeof state.qna === "object") takeQna(state.qna);
  // a new state resets the `questions` baseline (rev restarts with a server process)
  for (const q of Object.values(qna)) q.rev = null;
  takeQuestions(state.questions);
  // Feedback about an activity that is not on screen any more is stale.
  const onScreen = shownActivityIds();
  for (const id of Object.keys(feedback)) {
    if (!onScreen.has(id)) delete feedback[id];
  }
  for (const id of Object.keys(qnaFeedback)) {
    if (!onScreen.has(id)) delete qnaFeedback[id];
  }
  // a different paced section starts where that section's phone left off
  if (previous && previous.paced && state.paced && previous.paced.section !== state.paced.section) {
    delete pacedIndex[previous.paced.section];
  }
  refresh();
  countdown.update(state);
}

// ------------------------------------------------------------------ taking over the page

/** The page arrived with a server-rendered form (views/participant.py) that someone may have
 * started to fill in before this script ran: keep what they chose or typed as drafts. */
function adoptForm() {
  const form = main.querySelector("form.answer-form");
  if (!form) return null;
  const id = form.dataset.activity;
  const activity = [state.activity, ...(pacedActivities() || []), ...profileActivities()]
    .find((a) => a && a.id === id);
  if (!activity) return null;
  const data = new FormData(form);
  const stored = answers[id];
  const texts = (name) => data.getAll(name).map(String);
  let value;
  switch (activity.kind) {
    case "multi_choice":
      value = texts("value");
      if (sameSet(value, stored || [])) value = undefined;
      break;
    case "scale": {
      const radio = form.querySelector("input.scale-radio:checked");
      const position = radio ? Number(radio.value) : (stored && stored.position !== undefined ? stored.position : null);
      const why = String(data.get("why") || "");
      if ((stored ? stored.position : null) !== position || ((stored && stored.why) || "") !== why.trim()) {
        value = { position, why };
      }
      break;
    }
    case "open_text":
    case "qna": {
      const text = String(data.get("text") || "");
      if (text.trim() && text.trim() !== (stored || "")) value = text;
      break;
    }
    case "word_cloud": {
      const words = texts("word");
      if (!sameWords(words, stored || [])) value = words;
      break;
    }
    case "matrix": {
      const rated = {};
      for (const item of activity.items || []) {
        const rating = data.get(`m:${item.id}`);
        if (rating) rated[item.id] = String(rating);
      }
      const before = stored && typeof stored === "object" ? stored : {};
      const keys = Object.keys(rated);
      if (keys.length !== Object.keys(before).length || keys.some((k) => before[k] !== rated[k])) value = rated;
      break;
    }
    case "ranking": {
      const places = (activity.options || []).map((o) => [o.id, Number(data.get(`rank:${o.id}`))]);
      const order = places.slice().sort((a, b) => a[1] - b[1]).map(([optionId]) => optionId);
      const distinct = new Set(places.map(([, place]) => place)).size === places.length;
      if (distinct && (!Array.isArray(stored) || stored.some((x, i) => x !== order[i]))) value = order;
      break;
    }
    default:
      break;
  }
  if (value !== undefined) drafts[id] = { value, dirty: true };
  const error = config.form_error;
  if (Array.isArray(error) && error[0] === id) feedback[id] = { type: "failed", code: String(error[1]) };
  const focused = document.activeElement && main.contains(document.activeElement) ? document.activeElement.id : "";
  return focused || null;
}

// First paint from the embedded snapshot (over the server's own), then live.
if (state.qna && typeof state.qna === "object") takeQna(state.qna);
takeQuestions(state.questions);
const focusedField = adoptForm();
refresh();
if (focusedField) {
  const field = document.getElementById(focusedField);
  if (field) field.focus({ preventScroll: true });
}
countdown.update(state);
if (code) {
  conn = connect({ role: "participant", code, version: state.version, onState, onStatus,
                   on: { questions: onQuestions, own_question: onOwnQuestion } });
}
