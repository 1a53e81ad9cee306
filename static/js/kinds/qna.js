// qna: participants ask questions and upvote the others' (moderated when the programme says so);
// the wall shows the approved questions, pinned first, then by votes. The asking and voting go
// over the socket through participant.js (ctx.questions); this module draws them.

import { el, setText, show, format, clear } from "../lib/dom.js";

// ------------------------------------------------------------------ phone

function input(activity, ctx) {
  const { S } = ctx;
  const max = Number(activity.max_length) || 280;
  const q = ctx.questions.state();
  const block = ctx.textareaBlock({
    id: "ask-text", label: S.qna_ask_label, max, value: ctx.draft(() => "").value,
    onInput: (text) => {
      ctx.draft(() => "").value = text;
      update();
    },
  });
  block.textarea.rows = 3;
  block.textarea.setAttribute("placeholder", S.qna_placeholder);
  const askButton = el("button", { type: "button", class: "btn btn-primary btn-block btn-send",
    text: S.qna_ask,
    on: { click: () => {
      if (!ctx.isOpen()) return;
      const text = (block.textarea.value || "").trim();
      if (!text) {
        ctx.announce(S.qna_empty);
        block.textarea.focus();
        return;
      }
      ctx.questions.ask(text);
      block.textarea.value = "";
      ctx.draft(() => "").value = "";
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
      if (!ctx.isOpen()) return;
      ctx.questions.vote(row.question);
    });
    return row;
  }

  function update() {
    const answering = ctx.isOpen();
    show(hint, answering);
    show(block.node, answering);
    show(askButton, answering);
    show(closedLine, !answering);
    block.textarea.disabled = !answering;
    askButton.disabled = !answering || !(block.textarea.value || "").trim();

    // what happened to the last question this phone sent
    clear(feedbackLine);
    const fb = ctx.questions.feedback();
    if (fb && fb.type === "sent") {
      feedbackLine.append(el("p", { class: "answer-status status-saved status-line" },
        el("span", { class: "status-icon", attrs: { "aria-hidden": "true" }, text: "\u2713" }),
        el("span", { text: fb.pending ? S.qna_sent_pending : S.qna_sent })));
    } else if (fb && fb.type === "failed") {
      feedbackLine.append(el("p", { class: "answer-status status-failed status-line", attrs: { role: "alert" } },
        el("span", { class: "status-icon", attrs: { "aria-hidden": "true" }, text: "\u2715" }),
        el("span", { text: `${S.qna_not_sent}: ${ctx.errorText(fb.code)}` })));
    }

    // this phone's questions that others do not see yet
    clear(mineList);
    const waiting = ctx.questions.waiting();
    for (const entry of waiting) {
      mineList.append(el("li", { class: "qna-mine-item" },
        el("span", { class: "qna-mine-text", text: entry.text }),
        el("span", { class: "qna-state qna-state-sending",
                     text: ctx.connected() ? S.sending : S.qna_kept_offline })));
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

// ------------------------------------------------------------------ control: moderation

function moderationEntries(activity, result, status) {
  return (result.questions || []).map((q) => ({ key: String(q.id), id: q.id, text: q.text, status: status(q.status),
    votes: Number(q.votes) || 0, pinned: !!q.pinned, answered: !!q.answered }));
}

/** Besides hiding: pin and mark as answered (each a toggle). */
function moderationActions(entry, S) {
  return [["pin", S.mod_pin, S.mod_label_pin, entry.pinned], ["answered", S.mod_answered, S.mod_label_answered, entry.answered]];
}

function moderationSend(activity, entry, action) {
  let sent = action;
  if (action === "pin" && entry.pinned) sent = "unpin";
  if (action === "answered" && entry.answered) sent = "unanswered";
  return ["moderate", { activity: activity.id, entry: entry.id, action: sent }];
}

// ------------------------------------------------------------------ result: the question board

function buildQna(v) {
  const list = el("ol", { class: "qna-board" });
  const more = el("p", { class: "entries-more", hidden: true });
  const empty = el("p", { class: "result-empty", text: v.s.res_no_questions || "" });
  const note = el("p", { class: "result-note" });
  const wrapper = el("div", { class: "result result-qna" }, list, more, empty, note);
  v.root.append(wrapper);
  return { wrapper, list, more, empty, note, items: new Map() };
}

function updateQna(v, result) {
  const p = v.parts;
  // approved only (the server already filters), pinned first, then most votes (stable: the
  // server's order, oldest first, among equals)
  const questions = v.approved(result.questions)
    .map((q, i) => ({ q, i }))
    .sort((a, b) => (Number(!!b.q.pinned) - Number(!!a.q.pinned))
      || ((Number(b.q.votes) || 0) - (Number(a.q.votes) || 0)) || (a.i - b.i))
    .map(({ q }) => q);
  const seen = new Set();
  questions.forEach((q, i) => {
    const id = String(q.id);
    seen.add(id);
    let item = p.items.get(id);
    if (!item) {
      const votes = el("span", { class: "qna-votes-n" });
      const votesLabel = el("span", { class: "qna-votes-label" });
      const text = el("p", { class: "qna-board-text" });
      const badges = el("span", { class: "qna-board-badges" });
      item = { node: el("li", { class: "qna-board-item", data: { id } },
        el("span", { class: "qna-votes" }, votes, votesLabel), el("div", { class: "qna-board-body" }, text, badges)),
      votes, votesLabel, text, badges };
      p.items.set(id, item);
    }
    const n = Number(q.votes) || 0;
    setText(item.votes, String(n));
    setText(item.votesLabel, n === 1 ? (v.s.res_vote_one || "vote") : (v.s.res_vote_other || "votes"));
    setText(item.text, q.text);
    clear(item.badges);
    if (q.pinned) item.badges.append(el("span", { class: "badge badge-pinned", text: v.s.res_pinned || "pinned" }));
    if (q.answered) item.badges.append(el("span", { class: "badge badge-answered", text: v.s.res_answered || "answered" }));
    item.node.classList.toggle("is-pinned", !!q.pinned);
    item.node.classList.toggle("is-answered", !!q.answered);
    if (p.list.children[i] !== item.node) p.list.insertBefore(item.node, p.list.children[i] || null);
  });
  for (const [id, item] of p.items) {
    if (!seen.has(id)) {
      item.node.remove();
      p.items.delete(id);
    }
  }
  show(p.empty, questions.length === 0);
  // the control screen lists (and moderates) the questions in its own panel
  show(p.list, v.mode !== "control");
  setText(p.note, format((questions.length === 1 && v.s.res_questions_one) || v.s.res_questions || "{n} questions",
                        { n: questions.length }));
  // the wall says it once: its count line already has "{n} people asked a question"
  show(p.note, v.mode !== "projector");
  if (v.mode === "projector") v.scheduleFit();
}

/** Projector, Q&A: the questions that do not fit are the last ones (fewest votes). */
function fitBoard(v, list) {
  const items = Array.from(list.children);
  const more = list.parentElement && list.parentElement.querySelector(".entries-more");
  items.forEach((item) => { item.hidden = false; });
  let hidden = 0;
  for (let k = items.length - 1; k > 0 && list.scrollHeight > list.clientHeight + 1; k--) {
    items[k].hidden = true;
    hidden += 1;
  }
  if (more) {
    show(more, hidden > 0);
    setText(more, hidden ? format(v.s.res_more_questions || "+ {n} more", { n: hidden }) : "");
  }
}

export default {
  answers: false, // questions, not an answer: nothing to finish in a paced section
  input,
  adopt: (form, data, activity, stored) => {
    const text = String(data.get("text") || "");
    return text.trim() && text.trim() !== (stored || "") ? text : undefined;
  },
  respondentWord: "askers",
  emptyResult: () => ({ questions: [], n: 0 }),
  moderation: {
    title: "mod_title_questions",
    byPerson: true, // a participant may ask several: "approve all of this person" is offered
    entries: moderationEntries,
    actions: moderationActions,
    send: moderationSend,
  },
  result: {
    build: (v) => buildQna(v),
    update: (v, activity, result) => updateQna(v, result),
    fit: (v) => { for (const list of v.root.querySelectorAll("ol.qna-board")) fitBoard(v, list); },
  },
};
