// open_text: a free text answer; the result lists the texts (moderated when the programme says so).

import { el, setText, show, format } from "../lib/dom.js";

// ------------------------------------------------------------------ phone

function input(activity, ctx) {
  const { S, status } = ctx;
  const max = Number(activity.max_length) || null;
  const draft = ctx.draft(() => ctx.stored() || "");
  const block = ctx.textareaBlock({
    id: "answer-text", label: null, max, value: draft.value,
    onInput: (text) => {
      draft.value = text;
      draft.dirty = text.trim() !== (ctx.stored() || "");
      update();
    },
  });
  block.textarea.setAttribute("aria-labelledby", "activity-heading");
  const send = el("button", { type: "button", class: "btn btn-primary btn-block btn-send",
    on: { click: () => {
      const text = (block.textarea.value || "").trim();
      if (!ctx.isOpen()) return;
      if (!text) {
        ctx.announce(S.empty_text);
        block.textarea.focus();
        return;
      }
      ctx.submit(text);
    } } });
  function update() {
    const stored = ctx.stored() || "";
    if (!draft.dirty) {
      draft.value = stored;
      if (block.textarea.value.trim() !== stored && document.activeElement !== block.textarea) {
        block.textarea.value = stored;
        block.count.update();
      }
    }
    block.textarea.disabled = !ctx.isOpen();
    const text = (block.textarea.value || "").trim();
    const failed = ctx.failed();
    setText(send, ctx.hasAnswer() ? S.send_change : S.send);
    send.disabled = !ctx.isOpen() || !text || (text === stored && !failed);
    show(send, ctx.isOpen());
    show(block.node, ctx.isOpen());
    status.update();
  }
  return { nodes: [block.node, send, status.node], update };
}


/** The text typed in a server-rendered form before this script ran. */
function adoptText(form, data, activity, stored) {
  const text = String(data.get("text") || "");
  return text.trim() && text.trim() !== (stored || "") ? text : undefined;
}

// ------------------------------------------------------------------ result: the texts

function buildText(v) {
  const list = el("ol", { class: "entries" });
  const more = el("p", { class: "entries-more", hidden: true });
  const empty = el("p", { class: "result-empty", text: v.s.res_no_answers || "" });
  const note = el("p", { class: "result-note" });
  const wrapper = el("div", { class: "result result-open_text result-entries" }, list, more, empty, note);
  v.root.append(wrapper);
  return { wrapper, list, more, empty, note, items: new Map() };
}

function updateText(v, result) {
  const p = v.parts;
  const entries = v.approved(result.entries);
  const n = v.respondents(result) ?? entries.length;
  v.syncEntries(p.list, p.items, entries, p.more, result.unlisted);
  show(p.empty, entries.length === 0);
  setText(p.note, format(v.s.res_n || "n = {n}", { n }));
}

export default {
  answers: true,
  input,
  summary: (value) => String(value),
  adopt: adoptText,
  emptyResult: () => ({ entries: [], n: 0 }),
  moderation: {
    title: "mod_title_texts",
    entries: (activity, result, status) => (result.entries || [])
      .map((e) => ({ key: String(e.id), id: e.id, text: e.text, status: status(e.status) })),
    // how many there are of each status (a long list is sent cut; these count them all)
    totals: (activity, result) => result.statuses || null,
  },
  result: {
    build: (v) => buildText(v),
    update: (v, activity, result) => updateText(v, result),
  },
};
