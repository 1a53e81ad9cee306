// The facilitator's screen: programme outline, navigation, answering and results, counts,
// the full current result and the links to share. Every action is a control event with an ack
// (docs/protocol.md, "Control events"); the new state arrives as a `state` broadcast.

import { connect } from "./lib/socket.js";
import { el, clear, setText, show, readJSON, format, isTyping, copyText } from "./lib/dom.js";
import { pick, hasText, renderMarkdown, pageLang } from "./lib/text.js";
import { ResultView, unwrapResult, respondentsOf } from "./lib/results.js";

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
const buttons = Object.fromEntries(
  Array.from(toolbar.querySelectorAll("button[data-action]"), (b) => [b.dataset.action, b]));

const resultView = new ResultView(resultNode, { strings: S, lang, mode: "control" });

let conn = null;
let connected = false;
let busy = false;
let counts = state.counts || {};
let current = { activity: null, result: null, respondents: null };
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
    outlineNode.append(el("h2", { class: "outline-section", text: pick(section.title, lang) }));
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
  if (state.ended) currentNode.append(el("p", { class: "c-banner", text: S.ended }));
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
    activity.placeholder ? el("span", { class: "badge badge-placeholder", text: S.placeholder }) : null);
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
  return ["single_choice", "multi_choice", "scale", "open_text"].includes(state.activity.kind);
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
  if (current.activity === activity.id && current.result) resultView.render(activity, current.result);
  else resultView.render(activity, emptyResult(activity));
}

/** An empty result so the chart frame shows before the first answer. */
function emptyResult(activity) {
  if (activity.kind === "scale" && activity.scale) {
    return { min: activity.scale.min, max: activity.scale.max, step: activity.scale.step,
             histogram: [], n: 0, mean: null, median: null, whys: [] };
  }
  if (activity.kind === "open_text") return { entries: [], n: 0 };
  return { options: (activity.options || []).map((o) => ({ id: o.id, count: 0, percent: 0 })),
           respondents: 0, votes: 0 };
}

function render() {
  updateOutline();
  renderCurrent();
  updateToolbar();
  updateCounts();
  updateResult();
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
  if (event.defaultPrevented || event.repeat || isTyping(event)) return;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
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
  current = { activity: state.activity ? state.activity.id : null, result, respondents };
}

function onState(next) {
  const previousCurrent = state.current;
  state = next || {};
  if (state.counts) counts = state.counts;
  takeStateResult();
  updateLinks();
  render();
  if (state.current !== previousCurrent) scrollCurrentIntoView();
}

function onResults(message) {
  if (!state.activity || message.activity !== state.activity.id) return;
  current = {
    activity: message.activity,
    result: message.result ?? current.result,
    respondents: Number.isFinite(message.respondents) ? message.respondents : respondentsOf(message.result),
  };
  updateResult();
}

function onCounts(next) {
  counts = next;
  updateCounts();
}

function onStatus(status) {
  connected = status === "connected";
  const text = S[`conn_${status}`] || status;
  setText(connNode, text);
  connNode.className = `c-conn c-conn-${status}`;
  render();
}

// First paint from the embedded snapshot, then live.
takeStateResult();
render();
scrollCurrentIntoView();
if (code) {
  conn = connect({ role: "control", code, version: state.version, onState, onResults, onCounts, onStatus });
}
