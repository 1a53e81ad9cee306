// table_report: each dialogue table reports back (a title, a text, optionally its picks).
// Phone: the table's report form (a phone without a table is told to choose one first); the
// draft is kept on the phone across reloads. Projector: a grid of table cards (12 a page), or
// one table full screen (the spotlight). Control: the same cards with each table's phones and
// status, spotlight and stepping (← → Esc in the panel), and freeing a table's reporter role.
// Its words come with the activity (`activity.ui`, both languages), like its fields.

import { el, setText, show, format, clear } from "../lib/dom.js";
import { pick } from "../lib/text.js";

const PAGE = 12;
const PAGE_SECONDS = 12;

function words(activity, lang, key, values) {
  const ui = activity.ui || {};
  const text = pick(ui[key], lang) || "";
  return values ? format(text, values) : text;
}

// ------------------------------------------------------------------ phone

function sameReport(a, b) {
  if (!a || !b) return false;
  return a.title === b.title && a.text === b.text
    && JSON.stringify(a.picks || []) === JSON.stringify(b.picks || []);
}

function input(activity, ctx) {
  const { S, status, lang } = ctx;
  const w = (key, values) => words(activity, lang, key, values);
  const plain = (v) => (v && typeof v === "object"
    ? { title: v.title || "", text: v.text || "", picks: [...(v.picks || [])] } : null);
  // the version to edit: the table's newest (any phone of the table may have sent it), else
  // this phone's own; `edits` of the table's newest says whether another phone changed it
  const tableLatest = () => {
    const r = ctx.tableAnswer ? ctx.tableAnswer() : null;
    return r && Array.isArray(r.tables) && r.tables.length ? r.tables[0] : null;
  };
  const storedReport = () => plain(tableLatest()) || plain(ctx.stored());
  const kept = ctx.keep.get();
  const draft = ctx.draft(() => (kept && typeof kept === "object" ? kept : storedReport() || { title: "", text: "", picks: [] }));
  if (kept && !draft.dirty && !sameReport(kept, storedReport())) draft.dirty = true;
  const remember = () => {
    draft.dirty = !sameReport(draft.value, storedReport());
    ctx.keep.set(draft.dirty ? draft.value : null);
  };

  // without a table: say how to choose one
  const noTable = el("div", { class: "tr-no-table" },
    el("p", { class: "hint", text: w("no_table") }),
    el("button", { type: "button", class: "btn btn-secondary btn-block", text: w("choose_table"),
      on: { click: () => ctx.chooseTable() } }));

  const heading = el("h2", { class: "tr-heading" });
  const hint = el("p", { class: "hint", text: activity.reporter === "one" ? w("hint_one") : w("hint_any") });
  const titleInput = el("input", { id: "tr-title", class: "word-input tr-title", type: "text",
    value: draft.value.title || "", attrs: { maxlength: activity.title_length || 80, autocomplete: "off" } });
  titleInput.addEventListener("input", () => { draft.value = { ...draft.value, title: titleInput.value }; remember(); update(); });
  const titleBlock = el("div", { class: "text-block" },
    el("label", { class: "text-label", attrs: { for: "tr-title" }, text: w("title") }), titleInput);
  const textBlock = ctx.textareaBlock({
    id: "tr-text", label: w("text"), max: activity.text_length || 600, value: draft.value.text || "",
    onInput: (text) => { draft.value = { ...draft.value, text }; remember(); update(); },
  });
  const max = Number(activity.max_picks) || 1;
  const options = activity.options || [];
  const pickButtons = options.map((option) => {
    const button = el("button", { type: "button", class: "btn choice", text: pick(option.label, lang),
      attrs: { "aria-pressed": "false" },
      on: { click: () => {
        if (!ctx.isOpen()) return;
        const chosen = new Set(draft.value.picks || []);
        if (chosen.has(option.id)) chosen.delete(option.id);
        else if (max === 1) { chosen.clear(); chosen.add(option.id); }
        else if (chosen.size < max) chosen.add(option.id);
        else return;
        draft.value = { ...draft.value, picks: options.map((o) => o.id).filter((id) => chosen.has(id)) };
        remember();
        update();
      } } });
    return { option, button };
  });
  const picksBlock = options.length ? el("fieldset", { class: "tr-picks" },
    el("legend", { class: "text-label", text: w("picks") }),
    max > 1 ? el("p", { class: "hint", text: w("picks_max", { max }) }) : null,
    el("div", { class: "choices" }, pickButtons.map((b) => b.button))) : null;
  const keptNote = el("p", { class: "hint tr-kept", text: w("draft_kept") });
  const latestNote = el("p", { class: "hint tr-latest", text: w("latest") });
  const send = el("button", { type: "button", class: "btn btn-primary btn-block btn-send",
    on: { click: () => {
      if (!ctx.isOpen()) return;
      const title = (titleInput.value || "").trim();
      const text = (textBlock.textarea.value || "").trim();
      if (!title || !text) {
        ctx.announce(w("empty"));
        (title ? textBlock.textarea : titleInput).focus();
        return;
      }
      ctx.submit({ title, text, picks: [...(draft.value.picks || [])] });
    } } });
  const form = el("div", { class: "tr-form" }, heading, hint, latestNote, titleBlock, textBlock.node, picksBlock, keptNote, send);

  function update() {
    const table = ctx.table();
    show(noTable, table === null);
    show(form, table !== null);
    setText(heading, table === null ? "" : w("heading", { n: table }));
    const stored = storedReport();
    if (!draft.dirty && stored) {
      draft.value = stored;
      if (document.activeElement !== titleInput) titleInput.value = stored.title;
      if (document.activeElement !== textBlock.textarea) {
        textBlock.textarea.value = stored.text;
        textBlock.count.update();
      }
    }
    if (!draft.dirty && ctx.hasAnswer() && !ctx.sending()) ctx.keep.set(null);
    const open = ctx.isOpen();
    titleInput.disabled = !open;
    textBlock.textarea.disabled = !open;
    const chosen = new Set(draft.value.picks || []);
    for (const { option, button } of pickButtons) {
      ctx.setPressed(button, chosen.has(option.id));
      button.disabled = !open;
    }
    show(keptNote, draft.dirty && open);
    // the table's version came from another phone (this phone's own is older or none)
    const latest = tableLatest();
    show(latestNote, !!latest && !sameReport(plain(latest), plain(ctx.stored())));
    const complete = !!(titleInput.value.trim() && textBlock.textarea.value.trim());
    setText(send, ctx.hasAnswer() ? w("send_change") : w("send"));
    send.disabled = !open || !complete || (!draft.dirty && ctx.hasAnswer() && !ctx.failed());
    show(send, open && table !== null);
    status.update();
  }
  return { nodes: [noTable, form, status.node], update };
}

function summary(value) {
  if (!value || typeof value !== "object") return String(value ?? "");
  return `${value.title || ""}: ${value.text || ""}`;
}

/** The report typed in the server-rendered form before this script ran. */
function adopt(form, data, activity, stored) {
  const title = String(data.get("title") || "").trim();
  const text = String(data.get("text") || "").trim();
  if (!title && !text) return undefined;
  return { title, text, picks: data.getAll("picks").map(String) };
}

// ------------------------------------------------------------------ screens: the cards

function optionLabel(activity, id, lang) {
  const option = (activity.options || []).find((o) => o.id === id);
  return option ? pick(option.label, lang) : String(id);
}

function tableNumbers(v, result) {
  // every table of the room (1..n, and any that reported beyond it); without a number of
  // tables (one table's own screen): the tables that reported
  const n = Number((v.context || {}).tables) || 0;
  const reported = (result.tables || []).map((t) => t.table);
  if (!n) return [...new Set(reported)].sort((a, b) => a - b);
  const most = Math.max(n, ...reported);
  return Array.from({ length: most }, (_x, i) => i + 1);
}

function card(v, activity, number) {
  const w = (key, values) => words(activity, v.lang, key, values);
  // under the projector's h1 a card is an h2; under a panel's h2 (control, table screen) an h3
  const title = el(v.mode === "projector" ? "h2" : "h3", { class: "tr-card-table", text: w("table", { n: number }) });
  const badge = el("span", { class: "tr-card-badge" });
  const head = el("header", { class: "tr-card-head" }, title, badge);
  // fit-box: the projector shrinks its type until none of these is cut (projector.js)
  const reportTitle = el("p", { class: "tr-card-title fit-box" });
  const text = el("p", { class: "tr-card-text fit-box" });
  const picks = el("ul", { class: "tr-card-picks fit-box" });
  const status = el("p", { class: "tr-card-status" });
  const node = el("article", { class: "tr-card", data: { table: String(number) },
    attrs: { "aria-labelledby": `tr-card-${v.mode}-${number}` } }, head, reportTitle, text, picks, status);
  title.id = `tr-card-${v.mode}-${number}`;
  const tools = el("div", { class: "tr-card-tools" });
  if (v.mode === "control") node.append(tools);
  return { node, head, badge, reportTitle, text, picks, status, tools, number, key: "" };
}

function fillCard(v, activity, c, report) {
  const w = (key, values) => words(activity, v.lang, key, values);
  const ctx = v.context || {};
  const key = JSON.stringify([report, ctx.answering, v.mode === "control" ? [ctx.counts && ctx.counts.tables && ctx.counts.tables[c.number],
    (ctx.holders || []).includes(c.number), (ctx.requests || []).includes(c.number), ctx.spotlight] : null]);
  if (key === c.key) return;
  c.key = key;
  c.node.classList.toggle("is-empty", !report);
  c.node.classList.toggle("is-edited", !!(report && report.edits));
  setText(c.reportTitle, report ? report.title : "");
  setText(c.text, report ? report.text : "");
  clear(c.picks);
  for (const id of (report && report.picks) || []) c.picks.append(el("li", { text: optionLabel(activity, id, v.lang) }));
  show(c.picks, !!(report && report.picks && report.picks.length));
  const edits = report ? Number(report.edits) || 0 : 0;
  setText(c.badge, edits ? (edits === 1 ? w("edited") : w("edited_n", { n: edits })) : "");
  show(c.badge, edits > 0);
  let line = "";
  if (!report) line = ctx.answering === false ? w("no_report") : w("writing");
  else if (report.status === "pending") line = w("pending");
  else if (report.status === "hidden") line = w("hidden");
  if (v.mode === "control") {
    const seats = ctx.counts && ctx.counts.tables && ctx.counts.tables[String(c.number)];
    if (seats) line = [w("connected", { n: seats.connected, m: seats.joined }), line].filter(Boolean).join(" · ");
    clear(c.tools);
    const spot = el("button", { type: "button", class: "btn btn-small tr-spot", text: w("spotlight"),
      attrs: { "aria-label": w("spotlight_label", { n: c.number }),
               "aria-pressed": String(ctx.spotlight) === String(c.number) ? "true" : "false" },
      on: { click: () => ctx.act && ctx.act("spotlight", { group: String(ctx.spotlight) === String(c.number) ? null : String(c.number) }) } });
    c.tools.append(spot);
    if ((ctx.requests || []).includes(c.number)) {
      // another phone of the table was refused: it asks for the role
      c.tools.append(el("span", { class: "tr-asks", text: w("asks") }),
        el("button", { type: "button", class: "btn btn-small btn-primary tr-hand", text: w("hand"),
          attrs: { "aria-label": w("hand_label", { n: c.number }) },
          on: { click: () => ctx.act && ctx.act("hand_holder", { table: c.number }) } }));
    }
    if ((ctx.holders || []).includes(c.number)) {
      c.tools.append(el("span", { class: "tr-held", text: w("held") }),
        el("button", { type: "button", class: "btn btn-small btn-secondary tr-release", text: w("release"),
          attrs: { "aria-label": w("release_label", { n: c.number }) },
          on: { click: () => ctx.act && ctx.act("release_holder", { table: c.number }) } }));
    }
  }
  setText(c.status, line);
  show(c.status, !!line);
}

function build(v, activity, result) {
  const grid = el("div", { class: "tr-grid" });
  const page = el("p", { class: "tr-page" });
  const note = el("p", { class: "result-note tr-note" });
  const wrapper = el("div", { class: ["result", "result-table_report", "tr-result", `tr-${v.mode}`] });
  const parts = { wrapper, grid, page, note, cards: new Map(), pageIndex: 0, pageTimer: 0 };
  if (v.mode === "control") {
    const w = (key) => words(activity, v.lang, key);
    // the spotlight asked for: keys pressed in a row step on from it, also while the
    // server's answer to the previous one is on its way (the control sends one action at a
    // time: one refused as busy is sent again)
    let wanted;
    const send = (group) => {
      wanted = group;
      const ctx = v.context || {};
      if (!ctx.act) return;
      Promise.resolve(ctx.act("spotlight", { group })).then((ack) => {
        if (ack === undefined && wanted === group) window.setTimeout(() => { if (wanted === group) send(group); }, 150);
        else if (wanted === group) wanted = undefined;
      });
    };
    const step = (delta) => {
      const ctx = v.context || {};
      const numbers = tableNumbers(v, v.lastResult || {});
      if (!numbers.length) return;
      const from = wanted !== undefined ? wanted : ctx.spotlight;
      const at = numbers.indexOf(Number(from));
      const next = at < 0 ? (delta > 0 ? numbers[0] : numbers[numbers.length - 1])
        : numbers[(at + delta + numbers.length) % numbers.length];
      send(String(next));
    };
    const toolbar = el("div", { class: "tr-toolbar", attrs: { role: "group", "aria-label": w("spotlight") } },
      el("button", { type: "button", class: "btn btn-small tr-prev", text: `\u2190 ${w("previous")}`, on: { click: () => step(-1) } }),
      el("button", { type: "button", class: "btn btn-small tr-grid-button", text: w("grid"),
        on: { click: () => send(null) } }),
      el("button", { type: "button", class: "btn btn-small tr-next", text: `${w("next")} \u2192`, on: { click: () => step(1) } }),
      el("span", { class: "hint tr-keys", text: w("keys") }));
    wrapper.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.target && (event.target.tagName === "INPUT" || event.target.tagName === "TEXTAREA")) return;
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        event.preventDefault();  // not the control screen's next/previous activity
        step(event.key === "ArrowRight" ? 1 : -1);
      } else if (event.key === "Escape") {
        event.preventDefault();
        send(null);
      }
    });
    wrapper.append(toolbar);
  }
  wrapper.append(grid, page, note);
  v.root.append(wrapper);
  return parts;
}

function update(v, activity, result) {
  const p = v.parts;
  v.lastResult = result;
  const ctx = v.context || {};
  const w = (key, values) => words(activity, v.lang, key, values);
  const reports = new Map((result.tables || []).map((t) => [t.table, t]));
  const numbers = tableNumbers(v, result);
  const spotlight = ctx.spotlight !== null && ctx.spotlight !== undefined ? Number(ctx.spotlight) : null;
  const focused = spotlight !== null && numbers.includes(spotlight);
  // the projector: one table full screen, or a page of at most 12 cards
  let shown = numbers;
  if (v.mode === "projector") {
    if (focused) shown = [spotlight];
    else {
      const pages = Math.max(1, Math.ceil(numbers.length / PAGE));
      p.pageIndex %= pages;
      shown = numbers.slice(p.pageIndex * PAGE, (p.pageIndex + 1) * PAGE);
      window.clearTimeout(p.pageTimer);
      if (pages > 1) {
        p.pageTimer = window.setTimeout(() => {
          if (!p.wrapper.isConnected) return;
          p.pageIndex += 1;
          update(v, activity, v.lastResult);
        }, PAGE_SECONDS * 1000);
      }
      setText(p.page, pages > 1 ? w("page", { first: shown[0], last: shown[shown.length - 1], total: numbers.length }) : "");
      show(p.page, pages > 1);
    }
    if (focused) show(p.page, false);
  } else show(p.page, false);
  p.wrapper.classList.toggle("is-spotlight", focused && v.mode === "projector");
  p.grid.dataset.count = String(shown.length);
  p.grid.className = `tr-grid tr-grid-${shown.length <= 4 ? "few" : shown.length <= 6 ? "six" : shown.length <= 9 ? "nine" : "twelve"}`;
  const want = new Set(shown);
  for (const [n, c] of p.cards) {
    if (!want.has(n)) {
      c.node.remove();
      p.cards.delete(n);
    }
  }
  let previous = null;
  for (const n of shown) {
    let c = p.cards.get(n);
    if (!c) {
      c = card(v, activity, n);
      p.cards.set(n, c);
    }
    if (previous ? previous.nextSibling !== c.node : p.grid.firstChild !== c.node) {
      if (previous) previous.after(c.node);
      else p.grid.prepend(c.node);
    }
    c.node.classList.toggle("is-spotlight", spotlight === n);
    fillCard(v, activity, c, reports.get(n) || null);
    previous = c.node;
  }
  const reported = (result.tables || []).length;
  // how many tables reported, where the whole room is drawn (not on one table's own panel)
  setText(p.note, w("reported", { n: reported, total: numbers.length }));
  show(p.note, Number(ctx.tables) > 0);
  v.scheduleFit();
}

/** Projector: shrink the cards' type until every card's title, text and picks fit (long
 * reports, a small screen); never below 60 %. */
function fit(v) {
  const p = v.parts;
  if (!p || v.mode !== "projector") return;
  const cut = () => Array.from(p.grid.querySelectorAll(".tr-card-title, .tr-card-text, .tr-card-picks"))
    .some((n) => !n.hidden && (n.scrollHeight > n.clientHeight + 1 || n.scrollWidth > n.clientWidth + 1));
  let scale = 1;
  p.grid.style.fontSize = "";
  while (scale > 0.6 && cut()) {
    scale = Math.round((scale - 0.05) * 100) / 100;
    p.grid.style.fontSize = `${scale}em`;
  }
}

export default {
  answers: true,
  input,
  summary,
  adopt,
  emptyResult: () => ({ tables: [], picks: [], respondents: 0 }),
  respondentWord: "answers",
  moderation: {
    title: "mod_title_texts",
    entries: (activity, result, status) => (result.tables || [])
      .map((t) => ({ key: String(t.id), id: t.id, text: `${t.table}: ${t.title} \u2014 ${t.text}`, status: status(t.status) })),
  },
  result: { build, update, fit },
};
