// The phone screen: shows the current activity and sends this phone's answers.
//
// Reliability: every answer (one user action) gets a client_id; it is kept in localStorage until
// the server acknowledges it, and re-sent with the same client_id after a timeout or reconnect.
// The server commits, then acks, and counts a repeated client_id once (docs/protocol.md).

import { connect } from "./lib/socket.js";
import { el, append, clear, setText, show, readJSON, announce, format, randomId } from "./lib/dom.js";
import { pick, hasText, renderMarkdown, pageLang } from "./lib/text.js";

const S = readJSON("strings") || {};
const config = readJSON("config") || {};
let state = readJSON("state") || {};
const lang = pageLang();
const code = config.code || state.code || "";
const main = document.getElementById("main");
const connBar = document.getElementById("conn");
const liveRegion = document.getElementById("announce");

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

/** This phone's stored answers (server truth from the snapshot, plus acks since). */
let answers = { ...(state.answers || {}) };
/** activity id -> {value, client_id, at}: sent or to send, not acknowledged yet. */
const pending = loadPending();
/** client_ids with a request on the wire. */
const inflight = new Set();
/** activity id -> {type: "saved"} | {type: "failed", code} | {type: "waiting", code}. */
const feedback = {};
/** activity id -> {value, dirty}: what the person is composing (multi, scale, open_text). */
const drafts = {};

let conn = null;
let connStatus = "connecting";
let everConnected = false;
let retryTimer = 0;
let view = null;

function effectiveAnswer(activityId) {
  if (pending[activityId]) return pending[activityId].value;
  return answers[activityId];
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
    default: return String(value);
  }
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
    const answering = !!state.answering;
    if (pending[id]) {
      const offline = connStatus !== "connected";
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
      if (!state.answering) return;
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
      button.disabled = !state.answering;
    }
    show(hint, !!state.answering && !hasAnswer(activity.id));
    status.update();
  };
  return { nodes: [hint, group, status.node], update };
}

function multiChoiceView(activity, status) {
  const max = Number(activity.max_choices) || 0;
  const draft = draftFor(activity, () => [...(effectiveAnswer(activity.id) || [])]);
  const buttons = (activity.options || []).map((option) => {
    const button = choiceButton(option, activity.kind, () => {
      if (!state.answering) return;
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
      if (!state.answering || !draft.value.length) return;
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
      button.disabled = !state.answering;
      button.classList.toggle("is-unavailable", !!(full && !selected));
      button.setAttribute("aria-disabled", full && !selected ? "true" : "false");
    }
    setText(count, (max ? format(S.chosen_count, { n: chosen.size, max }) : format(S.chosen_count_any, { n: chosen.size }))
      + (full ? ` \u2014 ${S.max_reached}` : ""));
    const failed = feedback[activity.id] && feedback[activity.id].type === "failed";
    const changed = !hasAnswer(activity.id) || !sameSet(draft.value, stored) || failed;
    setText(send, hasAnswer(activity.id) ? S.send_change : S.send);
    send.disabled = !state.answering || chosen.size === 0 || !changed || !!pending[activity.id] && !draft.dirty;
    show(send, !!state.answering);
    show(hint, !!state.answering);
    show(count, !!state.answering);
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
      if (!state.answering) return;
      draft.value.position = Number(range.value);
      markDirty();
    };
    range.addEventListener("input", choose);
    // a tap on the thumb without moving it still chooses that value
    range.addEventListener("click", choose);
    input = el("div", { class: "scale-slider" },
      el("p", { class: "hint", text: S.slider_hint }), output, range);
    input.range = range;
  } else {
    buttons = steps.map((value) => el("button", {
      type: "button", class: "scale-step", text: String(value), attrs: { "aria-pressed": "false" },
      on: { click: () => {
        if (!state.answering) return;
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
      if (!state.answering || draft.value.position === null || draft.value.position === undefined) return;
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
      button.disabled = !state.answering;
    }
    if (input.range) {
      input.range.disabled = !state.answering;
      if (position !== null && position !== undefined && Number(input.range.value) !== position) {
        input.range.value = String(position);
      }
      setText(output, position === null || position === undefined ? S.slider_unset : String(position));
      output.classList.toggle("is-unset", position === null || position === undefined);
      input.range.setAttribute("aria-valuetext",
        position === null || position === undefined ? S.slider_unset : String(position));
    }
    if (whyBlock) {
      whyBlock.textarea.disabled = !state.answering;
      if (!draft.dirty && document.activeElement !== whyBlock.textarea
          && whyBlock.textarea.value !== draft.value.why) {
        whyBlock.textarea.value = draft.value.why;
        whyBlock.count.update();
      }
    }
    const failed = feedback[activity.id] && feedback[activity.id].type === "failed";
    setText(send, hasAnswer(activity.id) ? S.send_change : S.send);
    send.disabled = !state.answering || position === null || position === undefined
      || (!draft.dirty && hasAnswer(activity.id) && !failed);
    show(send, !!state.answering);
    show(hint, !!state.answering && !scale.slider);
    if (whyBlock) show(whyBlock.node, !!state.answering);
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
      if (!state.answering) return;
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
    block.textarea.disabled = !state.answering;
    const text = (block.textarea.value || "").trim();
    const failed = feedback[activity.id] && feedback[activity.id].type === "failed";
    setText(send, hasAnswer(activity.id) ? S.send_change : S.send);
    send.disabled = !state.answering || !text || (text === stored && !failed);
    show(send, !!state.answering);
    show(block.node, !!state.answering);
    status.update();
  }
  return { nodes: [block.node, send, status.node], update };
}

// ------------------------------------------------------------------ screens

function waitingScreen(title, text) {
  const node = el("section", { class: "card waiting" },
    el("span", { class: "waiting-dots", attrs: { "aria-hidden": "true" } }, el("span"), el("span"), el("span")),
    el("h1", { id: "activity-heading", attrs: { tabindex: "-1" }, text: title }),
    el("p", { text }));
  return { nodes: [node], update: () => {} };
}

function activityScreen(activity) {
  const status = statusBox(activity);
  let body;
  if (activity.kind === "single_choice") body = singleChoiceView(activity, status);
  else if (activity.kind === "multi_choice") body = multiChoiceView(activity, status);
  else if (activity.kind === "scale") body = scaleView(activity, status);
  else if (activity.kind === "open_text") body = openTextView(activity, status);
  else body = { nodes: [el("p", { class: "hint info-note", text: S.info_note })], update: () => {} };
  const article = el("article", { class: ["activity", `kind-${activity.kind}`] }, heading(activity), body.nodes);
  return { nodes: [article], update: body.update };
}

function screenKey() {
  if (state.ended) return "ended";
  if (!state.activity) return "waiting";
  return `activity:${JSON.stringify(state.activity)}`;
}

function refresh() {
  const key = screenKey();
  if (!view || view.key !== key) {
    const previousActivity = view && view.activityId;
    const focusWasInside = main.contains(document.activeElement);
    let screen;
    if (state.ended) screen = waitingScreen(S.ended_title, S.ended_text);
    else if (!state.activity) screen = waitingScreen(S.waiting_title, S.waiting_text);
    else screen = activityScreen(state.activity);
    clear(main).append(...screen.nodes);
    view = { key, update: screen.update, activityId: state.activity ? state.activity.id : null };
    if (view.activityId !== previousActivity) {
      window.scrollTo(0, 0);
      const headingNode = document.getElementById("activity-heading");
      if (previousActivity !== undefined && headingNode) {
        announce(liveRegion, headingNode.textContent);
        if (focusWasInside) headingNode.focus({ preventScroll: true });
      }
    }
  }
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

function onState(next) {
  state = next || {};
  if (state.answers && typeof state.answers === "object") answers = { ...state.answers };
  // Feedback about an activity that is not on screen any more is stale.
  for (const id of Object.keys(feedback)) {
    if (!state.activity || state.activity.id !== id) delete feedback[id];
  }
  refresh();
}

// First paint from the embedded snapshot, then live.
refresh();
if (code) {
  conn = connect({ role: "participant", code, version: state.version, onState, onStatus });
}
