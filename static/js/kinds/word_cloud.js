// word_cloud: a few words per phone; the result is a cloud (moderated when the programme says so,
// words can be hidden), per group a list of the most frequent words.

import { el, setText, show, format, clear } from "../lib/dom.js";

// ------------------------------------------------------------------ phone

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

function input(activity, ctx) {
  const { S, status } = ctx;
  const maxWords = Math.max(1, Math.min(20, Number(activity.max_words) || 3));
  const maxLength = Number(activity.max_length) || 30;
  const stored = () => {
    const value = ctx.stored();
    return Array.isArray(value) ? value : [];
  };
  const fill = (words) => Array.from({ length: maxWords }, (_, i) => (words[i] ?? ""));
  const draft = ctx.draft(() => fill(stored()));
  const fields = [];
  const send = el("button", { type: "button", class: "btn btn-primary btn-block btn-send",
    on: { click: () => sendWords() } });

  function sendWords() {
    if (!ctx.isOpen()) return;
    const words = cleanWords(draft.value);
    if (!words.length) {
      ctx.announce(S.wc_empty);
      if (fields[0]) fields[0].input.focus();
      return;
    }
    ctx.submit(words);
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
  const block = el("div", { class: "text-block" }, ctx.freeTextWarning(), hint, group);

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
    for (const f of fields) f.input.disabled = !ctx.isOpen();
    const failed = ctx.failed();
    const filled = cleanWords(draft.value).length;
    setText(send, ctx.hasAnswer() ? S.send_change : S.send);
    send.disabled = !ctx.isOpen() || !filled || (ctx.hasAnswer() && !draft.dirty && !failed);
    show(send, ctx.isOpen());
    show(block, ctx.isOpen());
    status.update();
  }
  return { nodes: [block, send, status.node], update };
}

/** The words typed in a server-rendered form before this script ran. */
function adopt(form, data, activity, stored) {
  const words = data.getAll("word").map(String);
  return sameWords(words, stored || []) ? undefined : words;
}

// ------------------------------------------------------------------ control: moderation

/** The cloud's words and the hidden ones (as words or {word, count}), one entry per word. */
function moderationEntries(activity, result, status) {
  const words = (result.words || []).map((w) => ({ key: `w:${w.word}`, word: String(w.word), text: String(w.word),
    count: Number(w.count) || 0, status: status(w.status) }));
  const hidden = (result.hidden || []).map((h) => (typeof h === "object" && h !== null
    ? { key: `w:${h.word}`, word: String(h.word), text: String(h.word), count: Number(h.count) || 0, status: "hidden" }
    : { key: `w:${h}`, word: String(h), text: String(h), count: null, status: "hidden" }));
  const seen = new Set(hidden.map((h) => h.key));
  return [...words.filter((w) => !seen.has(w.key)), ...hidden];
}

// ------------------------------------------------------------------ result: the cloud

function buildCloud(v) {
  const cloud = el("div", { class: "cloud", attrs: { role: "list" } });
  const empty = el("p", { class: "result-empty", text: v.s.res_no_answers || "" });
  const note = el("p", { class: "result-note" });
  const wrapper = el("div", { class: "result result-word_cloud" }, cloud, empty, note);
  v.root.append(wrapper);
  return { wrapper, cloud, empty, note, words: new Map() };
}

function updateCloud(v, result) {
  const p = v.parts;
  // hidden words: the projector's result has none, the control's lists them apart (as words or
  // {word, count}); pending words of a moderated cloud wait in the control's moderation panel
  const hidden = new Set((Array.isArray(result.hidden) ? result.hidden : [])
    .map((h) => String(h && typeof h === "object" ? h.word : h)));
  const words = v.approved(result.words)
    .filter((w) => w && w.word !== undefined && !hidden.has(String(w.word)) && Number(w.count) > 0);
  const counts = words.map((w) => Number(w.count));
  const most = Math.max(1, ...counts);
  const least = Math.min(most, ...counts);
  // most frequent in the middle, the others alternately after and before it
  const sorted = [...words].sort((a, b) => Number(b.count) - Number(a.count)
    || String(a.word).localeCompare(String(b.word), v.lang));
  const arranged = [];
  sorted.forEach((w, i) => { if (i % 2) arranged.unshift(w); else arranged.push(w); });
  const [small, large] = v.mode === "projector" ? [1.2, 4.2] : [0.95, 2.6];
  const seen = new Set();
  arranged.forEach((w, i) => {
    const word = String(w.word);
    seen.add(word);
    let item = p.words.get(word);
    if (!item) {
      const text = el("span", { class: "cloud-text" });
      const count = el("span", { class: "cloud-count" });
      item = { node: el("span", { class: "cloud-word", attrs: { role: "listitem" } }, text, " ", count), text, count };
      p.words.set(word, item);
    }
    const share = most === least ? 0.6 : Math.sqrt((Number(w.count) - least) / (most - least));
    item.node.style.setProperty("--wc-size", `${(small + (large - small) * share).toFixed(2)}em`);
    const rank = sorted.indexOf(w);
    item.node.className = `cloud-word cloud-c${rank % 5}${rank === 0 ? " cloud-top" : ""}`;
    setText(item.text, word);
    setText(item.count, v.mode === "projector" ? "" : String(w.count));
    item.count.hidden = v.mode === "projector";
    if (p.cloud.children[i] !== item.node) p.cloud.insertBefore(item.node, p.cloud.children[i] || null);
  });
  for (const [word, item] of p.words) {
    if (!seen.has(word)) {
      item.node.remove();
      p.words.delete(word);
    }
  }
  const n = v.respondents(result) || 0;
  show(p.empty, words.length === 0);
  setText(p.note, `${format(v.s.res_n || "n = {n}", { n })} \u00b7 ${format((words.length === 1 && v.s.res_words_one) || v.s.res_words || "{n} words", { n: words.length })}`);
  if (v.mode === "projector") scheduleCloudFit(v);
}

function scheduleCloudFit(v) {
  window.cancelAnimationFrame(v.cloudFrame);
  v.cloudFrame = window.requestAnimationFrame(() => fitCloud(v));
}

/** Projector: shrink the whole cloud until it fits its box (largest words stay largest). */
function fitCloud(v) {
  const p = v.parts;
  if (!p || !p.cloud || !p.cloud.isConnected) return;
  // measure the final sizes, not the ones in the middle of a transition
  p.cloud.classList.add("is-fitting");
  let scale = 1;
  p.cloud.style.setProperty("--wc-scale", "1");
  while (scale > 0.3 && (p.cloud.scrollHeight > p.cloud.clientHeight + 1
                         || p.cloud.scrollWidth > p.cloud.clientWidth + 1)) {
    scale = Math.round((scale - 0.05) * 100) / 100;
    p.cloud.style.setProperty("--wc-scale", String(scale));
  }
  void p.cloud.offsetHeight; // apply without a transition before it is switched on again
  p.cloud.classList.remove("is-fitting");
}

// ------------------------------------------------------------------ breakdown: words per group

/** A group's most frequent words, each with its count (a cloud per group would not compare). */
function groupWords(v, body, result) {
  const max = v.mode === "projector" ? 6 : 10;
  const hidden = new Set((Array.isArray(result && result.hidden) ? result.hidden : [])
    .map((h) => String(h && typeof h === "object" ? h.word : h)));
  // what the room may see is decided on the whole cloud (moderation, hidden words): a group
  // shows only words the whole room's result shows as approved
  const overall = v.overall && Array.isArray(v.overall.words) ? v.overall : null;
  const allowed = overall ? new Set(overall.words
    .filter((w) => w && (w.status === undefined || w.status === "approved"))
    .map((w) => String(w.word))) : null;
  if (overall && Array.isArray(overall.hidden)) {
    for (const h of overall.hidden) allowed.delete(String(h && typeof h === "object" ? h.word : h));
  }
  const words = (Array.isArray(result && result.words) ? result.words : [])
    .filter((w) => w && w.word !== undefined && Number(w.count) > 0 && !hidden.has(String(w.word))
            && (allowed ? allowed.has(String(w.word)) : (w.status === undefined || w.status === "approved")))
    .sort((a, b) => Number(b.count) - Number(a.count) || String(a.word).localeCompare(String(b.word), v.lang))
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
  clear(body).append(words.length ? list : el("p", { class: "result-empty", text: v.s.res_no_answers || "" }));
}

export default {
  answers: true,
  input,
  summary: (value) => (Array.isArray(value) ? value : [value]).join(", "),
  adopt,
  emptyResult: () => ({ words: [], hidden: [], respondents: 0 }),
  moderation: {
    title: "mod_title_words",
    compact: true, // one word per entry
    entries: moderationEntries,
    send: (activity, entry, action) => ["hide_word", { activity: activity.id, word: entry.word, hidden: action === "hide" }],
  },
  result: {
    build: (v) => buildCloud(v),
    update: (v, activity, result) => updateCloud(v, result),
    fit: fitCloud,
  },
  breakdown: {
    // what the room may see is decided on the whole cloud: a group's words depend on it
    usesOverall: true,
    card: groupWords,
  },
};
