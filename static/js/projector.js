// The wall screen: read-only. Shows the join code and QR, the current activity in very large
// type, and the live result when the facilitator shows it (else the number of answers).
// It sends no control events. What a kind shows (its preview, its result) comes from its module
// (static/js/kinds/<kind>.js, loaded when the kind is first shown).

import { connect } from "./lib/socket.js";
import { el, clear, setText, show, readJSON, format, isProvisional, provisionalPill, provisionalMark } from "./lib/dom.js";
import { pick, hasText, renderMarkdown, pageLang, spacedCode } from "./lib/text.js";
import { ResultView, unwrapResult, respondentsOf } from "./lib/results.js";
import { Countdown, clock } from "./lib/timer.js";
import { BreakdownView, compareGroups } from "./lib/breakdown.js";
import { kind, load, ready } from "./kinds/index.js";

const S = { ...(readJSON("result-strings") || {}), ...(readJSON("strings") || {}) };
const config = readJSON("config") || {};
let state = readJSON("state") || {};
const lang = pageLang();
const code = config.code || state.code || "";

const main = document.getElementById("main");
const badge = document.getElementById("join-badge");
const connNode = document.getElementById("conn");
const fullscreenButton = document.getElementById("fullscreen");
const themeButton = document.getElementById("theme-toggle");
const timerNode = document.getElementById("pj-timer");

/** The current activity's latest numbers: {activity, result, respondents, breakdown}. */
let current = { activity: null, result: null, respondents: null, breakdown: null };
let counts = null;
let view = null;

function takeStateResult() {
  const { result, respondents } = unwrapResult(state.result);
  current = {
    activity: state.activity ? state.activity.id : null,
    result,
    respondents: respondents ?? (Number.isFinite(state.respondents) ? state.respondents : null),
    breakdown: state.breakdown || null,
  };
}

function respondents() {
  if (current.respondents !== null && current.respondents !== undefined) return current.respondents;
  const fromResult = respondentsOf(current.result);
  if (fromResult !== null) return fromResult;
  if (counts && Number.isFinite(counts.answered)) return counts.answered;
  return 0;
}

function sizeClass(text) {
  const n = text.length;
  if (n > 160) return "text-xl-long";
  if (n > 90) return "text-xl-medium";
  return "text-xl-short";
}

function joinHost() {
  const url = (state.join && state.join.url) || "";
  try {
    return new URL(url, window.location.href).host;
  } catch {
    return url;
  }
}

// ------------------------------------------------------------------ screens

function joinScreen() {
  const join = state.join || {};
  const how = el("div", { class: "join-how" },
    el("p", { class: "join-step", text: S.join_go_to }),
    el("p", { class: "join-url", text: joinHost() }),
    el("p", { class: "join-step", text: S.join_enter_code }),
    el("p", { class: "join-code", text: spacedCode(join.code || code) }),
    join.qr ? el("p", { class: "join-step join-scan", text: S.join_scan }) : null);
  const node = el("section", { class: "pj-join" },
    el("h1", { class: "pj-programme", text: pick(state.title, lang) }),
    el("div", { class: "join-grid" },
      join.qr ? el("img", { class: "join-qr", src: join.qr, alt: S.qr_alt }) : null,
      how));
  return { node, update: () => {} };
}

function endedScreen() {
  const title = pick(state.title, lang);
  const node = el("section", { class: ["pj-join", "pj-ended"] },
    el("h1", { class: "pj-programme", text: S.ended_title }),
    el("p", { class: "pj-ended-text", text: S.ended_text }),
    title ? el("p", { class: "pj-subtitle", text: title }) : null);
  return { node, update: () => {} };
}

/** What a kind's `preview` is given: the strings, the language and a list of labels. */
const previewContext = {
  S, lang,
  labelList: (list) => el("ol", { class: ["pj-options", list.length > 5 ? "pj-options-2col" : ""] },
    list.map((o) => el("li", {},
      el("span", { text: pick(o.label, lang) }),
      o.placeholder ? provisionalMark(S.placeholder) : null))),
};

function activityScreen(activity) {
  const impl = kind(activity.kind) || {};
  const section = el("section", { class: ["pj-activity", `kind-${activity.kind}`] });
  const head = el("header", { class: "pj-head" });
  if (activity.section && hasText(activity.section.title)) {
    head.append(el("p", { class: "eyebrow", text: pick(activity.section.title, lang) }));
  }
  if (isProvisional(activity)) head.append(provisionalPill(activity, S.placeholder));
  // the top: beside the corner badge (its room is kept by --badge-w / --badge-h, measured)
  const top = el("div", { class: "pj-top" }, head);
  section.append(top);

  const mainText = hasText(activity.title) ? activity.title : activity.prompt;
  const titleText = pick(mainText, lang);
  top.append(el("h1", { class: ["activity-title", sizeClass(titleText)], text: titleText }));
  if (hasText(activity.title) && hasText(activity.prompt)) {
    top.append(el("p", { class: "activity-prompt", text: pick(activity.prompt, lang) }));
  }

  if (!impl.result) {
    const slide = el("div", { class: "pj-slide" });
    const text = el("div", { class: "pj-slide-text" });
    if (hasText(activity.body)) {
      text.append(el("div", { class: "activity-body" }, renderMarkdown(pick(activity.body, lang))));
    }
    if (Array.isArray(activity.quotes) && activity.quotes.length) {
      text.append(el("div", { class: ["quotes", `quotes-${Math.min(activity.quotes.length, 3)}`] },
        activity.quotes.map((q) => el("figure", { class: "quote" },
          el("blockquote", {}, el("p", { text: pick(q.text, lang) })),
          hasText(q.attribution) ? el("figcaption", { text: `\u2014 ${pick(q.attribution, lang)}` }) : null))));
    }
    slide.append(text);
    const links = linkCodes(activity);
    if (links) slide.append(links);
    section.append(slide);
    return { node: section, update: () => {} };
  }

  // answerable: status line, what can be chosen (while results are hidden), the result
  const statusLine = el("p", { class: "pj-answering" });
  const countNode = el("span", { class: "pj-count" });
  const openNode = el("span", { class: "pj-open" });
  statusLine.append(countNode, openNode);

  // while results are hidden: what can be chosen
  const preview = impl.preview ? impl.preview(activity, previewContext) : null;
  const resultRoot = el("div", { class: "pj-result" });
  const results = new ResultView(resultRoot, { strings: S, lang, mode: "projector" });
  // results per group (table or profile answer), instead of the whole room's chart
  const breakdownTitle = el("h2", { class: "pj-breakdown-title" });
  const breakdownChart = el("div", { class: "pj-breakdown-chart" });
  const breakdownRoot = el("div", { class: "pj-breakdown", hidden: true }, breakdownTitle, breakdownChart);
  const breakdowns = new BreakdownView(breakdownChart, { strings: S, lang, mode: "projector" });
  const answerArea = el("div", { class: "pj-answer-area" }, preview, resultRoot, breakdownRoot);
  top.append(statusLine);
  section.append(answerArea);

  const update = () => {
    const n = respondents();
    const word = impl.respondentWord || "answers";
    const [one, other] = [S[`${word}_one`], S[`${word}_other`]];
    setText(countNode, format(n === 1 ? one : other, { n }));
    setText(openNode, state.answering ? S.answering_open : S.answering_closed);
    openNode.classList.toggle("is-open", !!state.answering);
    const visible = !!state.results_visible && !!current.result && current.activity === activity.id;
    const split = visible && !!current.breakdown && breakdowns.render(activity, current.breakdown, current.result);
    if (!split) breakdowns.reset();
    if (visible && !split) results.render(activity, current.result);
    else results.reset();
    if (split) {
      const heading = breakdownHeading(current.breakdown);
      setText(breakdownTitle, heading);
      breakdownTitle.title = heading; // shown on one line; the whole text on hover
    }
    breakdownRoot.classList.toggle("is-compare", split && !!compareGroups(current.breakdown));
    show(resultRoot, visible && !split);
    show(breakdownRoot, split);
    section.classList.toggle("has-breakdown", split);
    if (preview) show(preview, !visible);
    section.classList.toggle("results-visible", visible);
    statusLine.classList.toggle("pj-answering-big", !visible);
    // what is drawn: when it changes, the type may grow again (fit only ever shrinks)
    return JSON.stringify([visible, split, split ? breakdowns.key : null]);
  };
  return { node: section, update };
}

/** A slide's links as QR codes with their labels, so the room can scan them from the wall
 * (the server draws each code from the programme's own address). */
function linkCodes(activity) {
  const links = (Array.isArray(activity.links) ? activity.links : [])
    .map((link, index) => ({ link, index }))
    .filter(({ link }) => /^https?:\/\//i.test(link.url || ""))
    .slice(0, 3);
  if (!links.length) return null;
  const base = `/projector/${encodeURIComponent(code)}/link/${encodeURIComponent(activity.id)}`;
  return el("ul", { class: ["pj-links", `pj-links-${links.length}`] },
    links.map(({ link, index }) => el("li", { class: "pj-link" },
      el("img", { class: "pj-link-qr", src: `${base}/${index}/qr.svg`,
                  alt: format(S.link_qr_alt, { label: link.label }) }),
      el("span", { class: "pj-link-label", text: link.label }))));
}

/** "Per table", "Per answer to “Where do you work?”", "Two groups compared". */
function breakdownHeading(breakdown) {
  if (compareGroups(breakdown)) return S.bd_compare_title;
  if (breakdown.by === "table") return S.bd_by_table;
  const dimension = (state.dimensions || []).find((d) => d.id === breakdown.by);
  return format(S.bd_by_profile, { label: dimension ? pick(dimension.label, lang) : breakdown.by });
}

function screenKey() {
  if (state.ended) return "ended";
  if (!state.activity) return `join:${JSON.stringify(state.join || null)}:${JSON.stringify(state.title || null)}`;
  return `activity:${JSON.stringify(state.activity)}`;
}

function render() {
  // a kind not shown before: its module first (the screen on show stays meanwhile)
  if (!state.ended && state.activity && !ready([state.activity.kind])) {
    load([state.activity.kind]).then(render);
    return;
  }
  const key = screenKey();
  if (!view || view.key !== key) {
    let screen;
    if (state.ended) screen = endedScreen();
    else if (!state.activity) screen = joinScreen();
    else screen = activityScreen(state.activity);
    clear(main).append(screen.node);
    view = { key, update: screen.update, node: screen.node, scale: 1 };
  }
  show(badge, !!state.activity && !state.ended);
  keepBadgeRoom();
  view.update();
  // fit from the full size every time: within one frame, so nothing flickers, and a size taken
  // while the screen was in between (fonts, the badge, the first result) does not stick
  scheduleFit(true);
}

// ------------------------------------------------------------------ the corner badge's room

/** The activity's top (eyebrow, title, count) stays left of the corner badge and the result
 * starts below it, so the result can take the whole width: keep the badge's size in
 * --badge-w and --badge-h (px, measured from the main area's top right corner). */
function keepBadgeRoom() {
  const shown = !badge.hidden;
  const area = main.getBoundingClientRect();
  const box = shown ? badge.getBoundingClientRect() : null;
  main.style.setProperty("--badge-w", box ? `${Math.max(0, Math.ceil(area.right - box.left))}px` : "0px");
  main.style.setProperty("--badge-h", box ? `${Math.max(0, Math.ceil(box.bottom - area.top))}px` : "0px");
}

if (window.ResizeObserver) {
  new ResizeObserver(() => {
    keepBadgeRoom();
    scheduleFit(true);
  }).observe(badge);
}

// ------------------------------------------------------------------ fit to the screen

let fitFrame = 0;

function overflowing(node) {
  if (node.scrollHeight > node.clientHeight + 2) return true;
  const area = node.querySelector(".pj-answer-area");
  if (area && (area.scrollHeight > area.clientHeight + 2 || area.scrollWidth > area.clientWidth + 2)) return true;
  // a word wider than its box (the wall breaks words only where it can hyphenate them)
  for (const box of node.querySelectorAll(".activity-title, .activity-prompt, .bar-label, .matrix-label, .entry, .qna-board-text, .pj-link-label")) {
    if (box.clientWidth > 0 && box.scrollWidth > box.clientWidth + 2) return true;
  }
  return false;
}

/** Shrink the activity's type step by step until it fits the screen (long slides, many options). */
function fit(reset) {
  if (!view || !view.node || !view.node.classList.contains("pj-activity")) return;
  const node = view.node;
  if (reset) {
    view.scale = 1;
    node.style.fontSize = "";
  }
  while (view.scale > 0.5 && overflowing(node)) {
    view.scale = Math.round((view.scale - 0.05) * 100) / 100;
    node.style.fontSize = `${view.scale}em`;
  }
  grow(node, reset);
}

/** A result with room to spare (few options) grows into the free space, up to 1.4 times;
 * lists that fit by dropping entries (text, words, questions) keep their size. */
function grow(node, reset) {
  const area = node.querySelector(".pj-answer-area");
  if (!area) return;
  if (reset) {
    view.grow = 1;
    area.style.fontSize = "";
  }
  if (view.scale < 1 || area.querySelector("ol.entries, .cloud, .qna-board")) return;
  while ((view.grow || 1) < 1.4) {
    const next = Math.round(((view.grow || 1) + 0.05) * 100) / 100;
    area.style.fontSize = `${next}em`;
    if (overflowing(node)) {
      area.style.fontSize = (view.grow || 1) === 1 ? "" : `${view.grow}em`;
      return;
    }
    view.grow = next;
  }
}

function scheduleFit(reset) {
  window.cancelAnimationFrame(fitFrame);
  fitFrame = window.requestAnimationFrame(() => fit(reset));
}

window.addEventListener("resize", () => {
  keepBadgeRoom();
  scheduleFit(true);
});

// ------------------------------------------------------------------ live

// ------------------------------------------------------------------ countdown (a corner of the wall)

const countdown = new Countdown((info) => {
  const visible = !!info && !state.ended && !!state.activity && info.timer.activity === state.activity.id;
  show(timerNode, visible);
  if (!visible) return;
  const over = info.remaining <= 0;
  setText(timerNode.querySelector(".pj-timer-clock"), clock(info.remaining));
  timerNode.classList.toggle("is-ending", !over && info.remaining <= 10000);
  timerNode.classList.toggle("is-over", over);
});

function onState(next) {
  state = next || {};
  // the live session's language: the server draws this page in it, so a change (the control
  // screen's choice) reloads the page at once, strings and all
  if (state.language && state.language !== document.documentElement.lang) {
    window.location.reload();
    return;
  }
  takeStateResult();
  render();
  countdown.update(state);
}

function onResults(message) {
  if (!state.activity || message.activity !== state.activity.id) return;
  current = {
    activity: message.activity,
    result: message.result ?? null,
    respondents: Number.isFinite(message.respondents) ? message.respondents : respondentsOf(message.result),
    // the projector's `results` carry the breakdown only while results are shown
    breakdown: Object.prototype.hasOwnProperty.call(message, "breakdown") ? (message.breakdown || null) : current.breakdown,
  };
  render();
}

function onCounts(next) {
  counts = next;
  if (current.respondents === null && view) view.update();
}

function onStatus(status) {
  if (status === "connected" || status === "connecting") {
    show(connNode, false);
    return;
  }
  const text = status === "refused" ? S.conn_refused
    : status === "offline" ? S.conn_offline : S.conn_reconnecting;
  setText(connNode, text);
  connNode.className = `pj-conn pj-conn-${status}`;
  show(connNode, true);
}

// ------------------------------------------------------------------ full screen, idle cursor

function updateFullscreenButton() {
  const can = !!(document.fullscreenEnabled && document.documentElement.requestFullscreen);
  show(fullscreenButton, can && !document.fullscreenElement);
}

function toggleFullscreen() {
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  else if (document.documentElement.requestFullscreen) {
    document.documentElement.requestFullscreen().catch(() => {});
  }
}

// ------------------------------------------------------------------ light or dark (?theme=)

/** Switch the wall between the light and the dark theme; the address keeps the choice, so a
 * reload (or the same link on another laptop) shows the same. */
function toggleTheme() {
  const dark = !document.body.classList.contains("theme-dark");
  document.body.classList.toggle("theme-dark", dark);
  document.body.classList.toggle("theme-light", !dark);
  themeButton.setAttribute("aria-pressed", dark ? "true" : "false");
  const scheme = document.querySelector('meta[name="color-scheme"]');
  if (scheme) scheme.setAttribute("content", dark ? "dark" : "light");
  const url = new URL(window.location.href);
  url.searchParams.set("theme", dark ? "dark" : "light");
  window.history.replaceState(window.history.state, "", url);
  scheduleFit(true);
}

fullscreenButton.addEventListener("click", toggleFullscreen);
themeButton.addEventListener("click", toggleTheme);
document.addEventListener("fullscreenchange", updateFullscreenButton);
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "f" || event.key === "F") toggleFullscreen();
  if (event.key === "t" || event.key === "T") toggleTheme();
});
updateFullscreenButton();

let idleTimer = 0;
function wake() {
  document.body.classList.remove("is-idle");
  window.clearTimeout(idleTimer);
  idleTimer = window.setTimeout(() => document.body.classList.add("is-idle"), 3000);
}
for (const type of ["pointermove", "pointerdown", "keydown"]) document.addEventListener(type, wake);
wake();

// First paint from the embedded snapshot, then live.
takeStateResult();
render();
countdown.update(state);
if (code) {
  connect({ role: "projector", code, version: state.version, onState, onResults, onCounts, onStatus });
}
