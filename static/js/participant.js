// The phone screen: shows the current activity and sends this phone's answers. What a kind
// looks like (its input, its summary, its no-JavaScript form's draft) is its module's business
// (static/js/kinds/<kind>.js, loaded when a kind is first shown); this shell gives it a context
// (`kindContext`) and does the rest: sending, retrying, status, privacy, profile, table, pacing.
//
// Reliability: every answer (one user action) gets a client_id; it is kept in localStorage until
// the server acknowledges it, and re-sent with the same client_id after a timeout or reconnect.
// The server commits, then acks, and counts a repeated client_id once (docs/protocol.md).

import { connect } from "./lib/socket.js";
import { el, append, clear, setText, show, readJSON, announce, format, randomId, isProvisional, provisionalPill, provisionalMark } from "./lib/dom.js";
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

/** The kinds' registry (static/js/kinds/index.js). It is imported while the socket connects,
 * which does not need it: on a slow network a phone fetches six files at once, and every one more
 * before the socket opens costs a round trip (bench/slow3g.py). */
let kinds = null;

/** The kind `name` (null until its module is loaded). */
function kind(name) {
  return kinds ? kinds.kind(name) : null;
}

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
/** activity id -> {value, dirty}: what the person is composing (choices, a text, ...). */
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

/** Take the Q&A part of a snapshot, `state.qna` (only the phone's own snapshot carries it). */
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

/** A provisional part (option, item): a small mark; the pill is by the title, once. */
function placeholderBadge() {
  return provisionalMark(S.placeholder);
}

function heading(activity) {
  const nodes = [];
  if (activity.section && hasText(activity.section.title)) {
    nodes.push(el("p", { class: "eyebrow", text: pick(activity.section.title, lang) }));
  }
  const title = hasText(activity.title) ? activity.title : activity.prompt;
  const h1 = el("h1", { class: "activity-title", id: "activity-heading", attrs: { tabindex: "-1" } },
                pick(title, lang));
  if (isProvisional(activity)) h1.append(" ", provisionalPill(activity, S.placeholder));
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
  const impl = kind(activity.kind);
  return impl && impl.summary ? impl.summary(value, kindContext(activity)) : String(value);
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

// ------------------------------------------------------------------ what a kind's module is given

/** The context a kind's `input` (and `summary`) works with: this phone's answer to `activity`,
 * how to send one, and the shared pieces of the phone's screen. */
function kindContext(activity, status = null) {
  const id = activity.id;
  return {
    S, lang, activity, status,
    isOpen: () => isOpen(activity),
    stored: () => effectiveAnswer(id),
    hasAnswer: () => hasAnswer(id),
    sending: () => !!pending[id],
    failed: () => !!(feedback[id] && feedback[id].type === "failed"),
    submit: (value) => submit(activity, value),
    draft: (initial) => draftFor(activity, initial),
    announce: (text) => announce(liveRegion, text),
    errorText,
    connected: () => connStatus === "connected",
    optionLabel: (optionId) => optionLabel(activity, optionId),
    placeholderBadge, freeTextWarning, textareaBlock, setPressed,
    // questions asked and upvoted on this phone (sent, kept and retried like answers)
    questions: {
      state: () => qnaFor(id),
      ask: (text) => askQuestion(activity, text),
      vote: (question) => toggleVote(activity, question),
      feedback: () => qnaFeedback[id],
      waiting: () => pendingAsks.filter((a) => a.activity === id),
    },
  };
}

/** Whether an answer to `activity` counts as done (a paced section's progress). */
function takesAnswer(activity) {
  const impl = kind(activity.kind);
  return !!(impl && impl.answers);
}

// ------------------------------------------------------------------ screens

/** A word too long for a narrow phone ("samenwerkingsverbanden" at 320 px) is hyphenated by the
 * browser where it knows the language (lang, hyphens: auto); a browser without that language's
 * hyphenation would break it anywhere, without a hyphen: there the title or label is set a
 * little smaller (down to 3/4) until its longest word fits. */
function fitLongWords(root) {
  for (const node of root.querySelectorAll(".activity-title, .eyebrow, .choice-text, .matrix-legend, .rank-label")) {
    node.style.fontSize = "";
    if (!node.clientWidth) continue;
    node.style.overflowWrap = "normal";
    const full = parseFloat(getComputedStyle(node).fontSize) || 16;
    let size = full;
    while (node.scrollWidth > node.clientWidth + 1 && size > full * 0.75) {
      size -= 1;
      node.style.fontSize = `${size}px`;
    }
    node.style.overflowWrap = "";
  }
}

window.addEventListener("resize", () => fitLongWords(main));

/** Waiting for the facilitator (animated dots: something will come), or the end (no dots). */
function waitingScreen(title, text, waiting = true) {
  const node = el("section", { class: "card waiting" },
    waiting ? el("span", { class: "waiting-dots", attrs: { "aria-hidden": "true" } }, el("span"), el("span"), el("span")) : null,
    el("h1", { id: "activity-heading", attrs: { tabindex: "-1" }, text: title }),
    el("p", { text }));
  return { nodes: [node], update: () => {} };
}

function kindView(activity, status) {
  const impl = kind(activity.kind);
  if (!impl || !impl.input) return { nodes: [], update: () => {} };
  return impl.input(activity, kindContext(activity, status));
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
  return list.filter((a) => takesAnswer(a) && hasAnswer(a.id)).length;
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
      index = list.findIndex((a) => takesAnswer(a) && !hasAnswer(a.id));
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
    const current = !takesAnswer(activity) || hasAnswer(activity.id);
    next.classList.toggle("btn-primary", current && index < total - 1);
    const answerable = list.filter(takesAnswer);
    const answered = answeredInSection(list);
    setText(answeredText, answerable.length ? format(S.paced_answered, { n: answered, total: answerable.length }) : "");
    Array.from(dots.children).forEach((dot, i) => {
      const a = list[i];
      dot.classList.toggle("is-answered", takesAnswer(a) && hasAnswer(a.id));
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

/** The kinds of the activities this phone may show now (the current, paced and profile ones). */
function neededKinds() {
  if (state.ended) return [];
  return kinds.kindsOf([state.activity, ...(pacedActivities() || []), ...profileActivities()]);
}

/** The page was taken over (see the end of this module); until then the server's page stays. */
let started = false;

function refresh() {
  if (!started) return;
  // a kind not shown before: load its module first; meanwhile the screen on show takes no taps
  const needed = neededKinds();
  if (!kinds.ready(needed)) {
    if (view) main.inert = true;
    kinds.load(needed).then(refresh);
    return;
  }
  main.inert = false;
  const key = screenKey();
  if (!view || view.key !== key) {
    const previousActivity = view && view.activityId;
    const focusWasInside = main.contains(document.activeElement);
    let screen;
    let activityId = null;
    const privacy = !state.ended && needsPrivacy();
    const step = state.ended ? null : profileStep();
    const list = state.ended || step ? null : pacedActivities();
    if (state.ended) screen = waitingScreen(S.ended_title, S.ended_text, false);
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
    fitLongWords(main);
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
  const impl = kind(activity.kind);
  const value = impl && impl.adopt ? impl.adopt(form, data, activity, stored) : undefined;
  if (value !== undefined) drafts[id] = { value, dirty: true };
  const error = config.form_error;
  if (Array.isArray(error) && error[0] === id) feedback[id] = { type: "failed", code: String(error[1]) };
  const focused = document.activeElement && main.contains(document.activeElement) ? document.activeElement.id : "";
  return focused || null;
}

// Live at once (the socket), then the first paint from the latest snapshot over the server's own
// page, once the modules of the kinds on screen are here; until then the server's form stays (it
// works without this script, and what was chosen in it is kept: adoptForm).
if (code) {
  conn = connect({ role: "participant", code, version: state.version, onState, onStatus,
                   on: { questions: onQuestions, own_question: onOwnQuestion } });
}
kinds = await import("./kinds/index.js");
await kinds.load(neededKinds());
if (state.qna && typeof state.qna === "object") takeQna(state.qna);
takeQuestions(state.questions);
const focusedField = adoptForm();
started = true;
refresh();
if (focusedField) {
  const field = document.getElementById(focusedField);
  if (field) field.focus({ preventScroll: true });
}
countdown.update(state);
