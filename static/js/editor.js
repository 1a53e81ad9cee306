// The programme editor (templates/editor/edit.html). Forms are built from the programme
// format's JSON Schema (/programme.schema.json) by walking `properties`; nothing is validated
// here: every change is sent (debounced) to the server, which runs the same code as
// `flask --app app programmes check`, and each problem is shown beside its field.
// Every text is set with textContent / value: HTML typed anywhere stays inert.

const cfg = JSON.parse(document.getElementById("ed-config").textContent);
const S = JSON.parse(document.getElementById("ed-strings").textContent);
const LANGS = ["nl", "en"];
const NL = cfg.lang === "nl";
const DRAFT_KEY = `dialoogtafel:editor:${cfg.stem}`;
const AUTHOR_KEY = "dialoogtafel:editor:author";

let schema = null;
let doc = null; // {programme: {...}}
let version = null; // content hash the edits started from
let saved = ""; // JSON of the last saved data
let problems = [];
let selected = { type: "programme" };
let undo = null;
let checkTimer = null;
let uid = 0;

const $ = (id) => document.getElementById(id);
const fmt = (s, vals) => s.replace(/\{(\w+)\}/g, (m, k) => (k in vals ? String(vals[k]) : m));

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

function label(s) {
  if (!s) return "";
  return (NL && s["x-nl"] && s["x-nl"].title) || s.title || "";
}
function help(s) {
  if (!s) return "";
  return (NL && s["x-nl"] && s["x-nl"].description) || s.description || "";
}
function resolve(s) {
  let out = s;
  while (out && out.$ref && !out.$ref.endsWith("/text")) {
    const name = out.$ref.split("/").pop();
    const { $ref, ...rest } = out;
    out = { ...schema.$defs[name], ...rest };
  }
  return out;
}
const isText = (s) => s && s.$ref && s.$ref.endsWith("/text");
// an option list written here or the name of an option set: the schema's alternatives
const alternatives = (s) => s.oneOf || s.anyOf;
// a property the schema leaves free (notes for the programme's authors): kept, not edited here
const isFree = (s) => !s.type && !s.enum && !alternatives(s) && !s.$ref && s.const === undefined && !s.properties;

// ---------------------------------------------------------------- data access

function prog() { return doc.programme; }
function sections() {
  if (!Array.isArray(prog().sections)) prog().sections = [];
  return prog().sections;
}
function getAt(path) {
  let v = doc;
  for (const p of path) { if (v == null) return undefined; v = v[p]; }
  return v;
}
function isEmpty(v) {
  if (v === undefined || v === null || v === "") return true;
  if (typeof v === "object" && !Array.isArray(v)) return Object.values(v).every(isEmpty);
  return false;
}
function setAt(path, value) {
  let parent = doc;
  for (const p of path.slice(0, -1)) {
    if (parent[p] == null) parent[p] = typeof p === "number" ? [] : {};
    parent = parent[p];
  }
  const key = path[path.length - 1];
  if (value === undefined && !Array.isArray(parent)) delete parent[key];
  else parent[key] = value;
  changed();
}
function activityPath() { return ["programme", "sections", selected.s, "activities", selected.a]; }

// ---------------------------------------------------------------- defaults from the schema

function defaultFor(s, ctx = {}) {
  if (isText(s)) return { nl: "", en: "" };
  s = resolve(s);
  if (alternatives(s)) return defaultFor(alternatives(s)[0], ctx);
  if (s.const !== undefined) return s.const;
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if (s.type === "object") {
    const out = {};
    for (const k of s.required || []) if (s.properties && s.properties[k]) out[k] = defaultFor(s.properties[k], ctx);
    if (s["x-labels"]) for (const lang of LANGS) out[lang] = "";
    return out;
  }
  if (s.type === "array") {
    const n = s.minItems || 0;
    return Array.from({ length: n }, (_, i) => {
      const item = defaultFor(s.items, ctx);
      if (item && typeof item === "object" && "id" in item) item.id = `optie-${i + 1}`;
      return item;
    });
  }
  if (s.type === "integer" || s.type === "number") return s.minimum ?? 0;
  if (s.type === "boolean") return false;
  return "";
}

// the palette: every kind the registry has (the generated schema's activity kinds)
function kinds() {
  return schema.$defs.activity.properties.kind.enum;
}

function newId(base) {
  const ids = new Set();
  for (const sec of sections()) for (const a of sec.activities || []) ids.add(a.id);
  for (const sec of sections()) ids.add(sec.id);
  let n = 1;
  while (ids.has(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

// ---------------------------------------------------------------- outline

function titleOf(item) {
  const t = item.title || item.prompt;
  if (t && typeof t === "object") return t[cfg.lang] || t.nl || t.en || item.id || "?";
  return item.id || "?";
}

function problemCount(prefix) {
  return problems.filter((p) => prefix.every((x, i) => p.path[i] === x)).length;
}

function renderTree() {
  const tree = $("ed-tree");
  tree.replaceChildren();
  const top = el("button", { type: "button", class: "ed-node" + (selected.type === "programme" ? " is-selected" : ""),
    "aria-current": selected.type === "programme" ? "true" : null, text: S.programme, onclick: () => select({ type: "programme" }) });
  tree.append(el("p", {}, top));
  const list = el("ol", { class: "ed-sections" });
  sections().forEach((sec, si) => {
    const acts = el("ol", { class: "ed-activities" });
    (sec.activities || []).forEach((act, ai) => acts.append(node("activity", act, si, ai)));
    if (!(sec.activities || []).length) acts.append(el("li", { class: "hint", text: S.empty_section }));
    const li = node("section", sec, si);
    li.append(acts);
    list.append(li);
  });
  tree.append(list);
  $("ed-title").textContent = titleOf(prog());
}

function node(type, item, si, ai) {
  const isSel = selected.type === type && selected.s === si && (type === "section" || selected.a === ai);
  const path = type === "section" ? ["programme", "sections", si] : ["programme", "sections", si, "activities", ai];
  const n = problemCount(path);
  const name = titleOf(item);
  const kindLabel = type === "activity" ? ` · ${label(schema.$defs[item.kind]) || item.kind}` : "";
  const li = el("li", { class: `ed-item ed-${type}`, draggable: "true", "data-s": si, "data-a": ai ?? "" });
  const btn = el("button", { type: "button", class: "ed-node" + (isSel ? " is-selected" : ""),
    "aria-current": isSel ? "true" : null, "data-id": item.id || "",
    // a click (or Enter) selects; on the selected item it goes to the item's form
    onclick: () => (isSel ? focusForm() : select(type === "section" ? { type, s: si } : { type, s: si, a: ai })),
    onkeydown: (e) => {
      if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
        e.preventDefault();
        move(type, si, ai, e.key === "ArrowUp" ? -1 : 1);
      }
    } });
  btn.append(el("span", { text: type === "section" ? `${S.section}: ${name}` : name }),
    el("span", { class: "ed-kind", text: kindLabel }));
  if (n) btn.append(el("span", { class: "ed-count", text: ` (${fmt(S.problems_n, { n })})` }));
  const tools = el("span", { class: "ed-tools" },
    el("button", { type: "button", class: "btn btn-tiny", text: "↑", "aria-label": `${S.move_up}: ${name}`, onclick: () => move(type, si, ai, -1) }),
    el("button", { type: "button", class: "btn btn-tiny", text: "↓", "aria-label": `${S.move_down}: ${name}`, onclick: () => move(type, si, ai, 1) }),
    el("button", { type: "button", class: "btn btn-tiny", text: "✕", "aria-label": `${S.delete}: ${name}`, onclick: () => remove(type, si, ai) }));
  const row = el("span", { class: "ed-row" }, btn, tools);
  li.append(row);
  li.addEventListener("dragstart", (e) => {
    e.stopPropagation();
    e.dataTransfer.setData("text/plain", JSON.stringify({ type, si, ai }));
  });
  li.addEventListener("dragover", (e) => e.preventDefault());
  li.addEventListener("drop", (e) => {
    e.preventDefault();
    e.stopPropagation();
    let from;
    try { from = JSON.parse(e.dataTransfer.getData("text/plain")); } catch { return; }
    drop(from, type, si, ai);
  });
  return li;
}

function listFor(type, si) {
  return type === "section" ? sections() : sections()[si].activities;
}

function move(type, si, ai, delta) {
  const list = listFor(type, si);
  const i = type === "section" ? si : ai;
  let j = i + delta;
  if (type === "activity" && (j < 0 || j >= list.length)) {
    // across sections
    const tsi = si + delta;
    if (tsi < 0 || tsi >= sections().length) return;
    const [item] = list.splice(i, 1);
    const target = sections()[tsi].activities || (sections()[tsi].activities = []);
    if (delta < 0) target.push(item); else target.unshift(item);
    selected = { type, s: tsi, a: delta < 0 ? target.length - 1 : 0 };
    announce(fmt(S.moved, { name: titleOf(item), n: selected.a + 1 }));
  } else {
    if (j < 0 || j >= list.length) return;
    const [item] = list.splice(i, 1);
    list.splice(j, 0, item);
    selected = type === "section" ? { type, s: j } : { type, s: si, a: j };
    announce(fmt(S.moved, { name: titleOf(item), n: j + 1 }));
  }
  changed();
  render();
  focusSelected();
}

function drop(from, type, si, ai) {
  if (from.type === "section" && type === "section") {
    const [item] = sections().splice(from.si, 1);
    sections().splice(si, 0, item);
    selected = { type: "section", s: si };
  } else if (from.type === "activity") {
    const [item] = sections()[from.si].activities.splice(from.ai, 1);
    const target = sections()[si].activities || (sections()[si].activities = []);
    const at = type === "activity" ? ai : target.length;
    target.splice(at, 0, item);
    selected = { type: "activity", s: si, a: at };
  } else return;
  changed();
  render();
}

function remove(type, si, ai) {
  const list = listFor(type, si);
  const i = type === "section" ? si : ai;
  const [item] = list.splice(i, 1);
  undo = { type, si, i, item };
  selected = type === "section" || !list.length ? (sections().length ? { type: "section", s: Math.min(si, sections().length - 1) } : { type: "programme" })
    : { type, s: si, a: Math.min(i, list.length - 1) };
  changed();
  render();
  const status = $("ed-status");
  status.replaceChildren(el("span", { text: fmt(S.deleted, { name: titleOf(item) }) + " " }),
    el("button", { type: "button", class: "btn btn-small", id: "ed-undo", text: S.undo, onclick: doUndo }));
  $("ed-undo").focus();
}

function doUndo() {
  if (!undo) return;
  const { type, si, i, item } = undo;
  undo = null;
  listFor(type, si).splice(i, 0, item);
  selected = type === "section" ? { type, s: i } : { type, s: si, a: i };
  $("ed-status").textContent = "";
  changed();
  render();
  focusSelected();
}

function focusForm() {
  const first = $("ed-form").querySelector("input, textarea, select, button");
  if (first) first.focus();
}

function focusSelected() {
  const b = document.querySelector(".ed-node.is-selected");
  if (b) b.focus();
}

function announce(text) { $("ed-status").textContent = text; }

function renderPalette() {
  const box = $("ed-palette");
  box.replaceChildren();
  for (const k of kinds()) {
    box.append(el("button", { type: "button", class: "btn btn-small", "data-kind": k,
      text: fmt(S.add_activity, { kind: label(schema.$defs[k]) || k }), onclick: () => addActivity(k) }));
  }
}

function addActivity(kind) {
  if (!sections().length) addSection(false);
  const si = selected.type === "programme" ? sections().length - 1 : selected.s;
  const sec = sections()[si];
  if (!Array.isArray(sec.activities)) sec.activities = [];
  const item = defaultFor({ $ref: `#/$defs/${kind}` });
  const ordered = { id: newId(kind.replace(/_/g, "-")), kind, ...item };
  ordered.id = newId(kind.replace(/_/g, "-"));
  const at = selected.type === "activity" ? selected.a + 1 : sec.activities.length;
  sec.activities.splice(at, 0, ordered);
  selected = { type: "activity", s: si, a: at };
  changed();
  render();
  const first = $("ed-form").querySelector("input, textarea, select");
  if (first) first.focus();
}

function addSection(doRender = true) {
  const id = newId("deel");
  sections().push({ id, title: { nl: "", en: "" }, activities: [] });
  selected = { type: "section", s: sections().length - 1 };
  changed();
  if (doRender) {
    render();
    const first = $("ed-form").querySelector("input");
    if (first) first.focus();
  }
}

function select(sel) {
  selected = sel;
  render();
  focusSelected();
}

// ---------------------------------------------------------------- forms from the schema

function render() {
  renderTree();
  renderForm();
  showProblems();
}

function renderForm() {
  const form = $("ed-form");
  // a field that has the focus keeps it when the form is drawn again (after a save, say)
  const active = form.contains(document.activeElement) ? document.activeElement.name : null;
  buildForm(form);
  const again = active && form.querySelector(`[name="${CSS.escape(active)}"]`);
  if (again) again.focus();
}

function buildForm(form) {
  form.replaceChildren();
  if (selected.type === "programme") {
    $("ed-form-h").textContent = S.programme;
    const ps = resolve(schema.properties.programme);
    for (const [k, s] of Object.entries(ps.properties)) {
      if (["sections", "languages", "default_language", "credits"].includes(k)) continue;
      form.append(field(s, ["programme", k], (ps.required || []).includes(k)));
    }
  } else if (selected.type === "section") {
    const sec = sections()[selected.s];
    $("ed-form-h").textContent = `${S.section}: ${titleOf(sec)}`;
    const ss = schema.$defs.section;
    for (const [k, s] of Object.entries(ss.properties)) {
      if (k === "activities") continue;
      form.append(field(s, ["programme", "sections", selected.s, k], (ss.required || []).includes(k)));
    }
  } else {
    const act = getAt(activityPath());
    const ks = schema.$defs[act.kind];
    $("ed-form-h").textContent = `${label(ks) || act.kind}: ${titleOf(act)}`;
    if (!ks) return;
    form.dataset.kind = act.kind;
    for (const [k, s] of Object.entries(ks.properties)) {
      if (s.const !== undefined) continue;
      form.append(field(s, [...activityPath(), k], (ks.required || []).includes(k)));
    }
  }
}

function wrap(path, ...children) {
  return el("div", { class: "ed-field", "data-path": path.join("/") }, ...children);
}

function field(s, path, required) {
  const value = getAt(path);
  const id = `f${++uid}`;
  const title = label(s) || String(path[path.length - 1]);
  const hint = help(s);
  const hintEl = hint ? el("p", { class: "hint", id: `${id}-hint`, text: hint }) : null;
  if (isText(s)) return textField(s, path, title, hintEl, id, required);
  s = resolve(s);
  if (isFree(s)) return document.createDocumentFragment();
  if (alternatives(s)) return oneOfField(s, path, title, hintEl, id, required);
  if (s["x-logo"]) return logoField(s, path, title, hintEl, id);
  if (s.type === "object" && s.properties) {
    if (value === undefined && !required) {
      return wrap(path, el("button", { type: "button", class: "btn btn-small ed-add-field", text: fmt(S.add_field, { name: title }),
        onclick: () => { setAt(path, defaultFor(s)); renderForm(); showProblems(); } }), hintEl);
    }
    const fs = el("fieldset", { class: "ed-group" }, el("legend", { text: title }));
    if (hintEl) fs.append(hintEl);
    for (const [k, sub] of Object.entries(s.properties)) fs.append(field(sub, [...path, k], (s.required || []).includes(k)));
    if (!required) fs.append(el("button", { type: "button", class: "btn btn-small", text: `${S.remove}: ${title}`,
      onclick: () => { setAt(path, undefined); renderForm(); showProblems(); } }));
    return wrap(path, fs);
  }
  if (s.type === "object" && s["x-keys"] === "options") return valuesField(s, path, title, hintEl, id);
  if (s.type === "object" && s.additionalProperties) return mapField(s, path, title, hintEl);
  if (s.type === "array" && s["x-words"]) return wordsField(path, title, hintEl, id);
  if (s.type === "array") return arrayField(s, path, title, hintEl, required);
  const attrs = { id, name: path.join("."), "aria-describedby": hintEl ? `${id}-hint` : null };
  let input;
  if (s.enum) {
    input = el("select", attrs);
    input.append(el("option", { value: "", text: s.default !== undefined ? `${S.default} ${s.default}` : S.none }));
    for (const v of s.enum) input.append(el("option", { value: v, text: v }));
    input.value = value ?? "";
    input.addEventListener("change", () => setAt(path, input.value || undefined));
  } else if (s.type === "boolean") {
    input = el("input", { ...attrs, type: "checkbox" });
    input.checked = value ?? s.default ?? false;
    input.addEventListener("change", () => setAt(path, input.checked === (s.default ?? false) && !required && value === undefined ? undefined : input.checked));
    return wrap(path, el("div", { class: "ed-check" }, input, el("label", { for: id, text: title })), hintEl);
  } else if (s.type === "integer" || s.type === "number" || (Array.isArray(s.type) && s.type.includes("integer"))) {
    input = el("input", { ...attrs, type: "number", inputmode: "numeric", min: s.minimum, max: s.maximum, step: 1, placeholder: s.default ?? "" });
    input.value = value ?? "";
    input.addEventListener("input", () => setAt(path, input.value === "" ? undefined : Number(input.value)));
  } else {
    input = el("input", { ...attrs, type: "text", maxlength: s.maxLength });
    input.value = value ?? "";
    input.addEventListener("input", () => setAt(path, input.value === "" && !required ? undefined : input.value));
    if (s.format === "color") {
      const note = el("p", { class: "hint", id: `${id}-contrast` });
      const swatch = el("span", { class: "ed-swatch", "aria-hidden": "true" });
      const update = () => {
        const ok = /^#[0-9a-fA-F]{6}$/.test(input.value);
        swatch.style.background = ok ? input.value : "transparent";
        if (!ok) { note.textContent = ""; return; }
        const ratio = contrast(input.value, "#ffffff");
        note.textContent = fmt(ratio < 4.5 ? S.contrast_low : S.contrast_ok, { ratio: ratio.toFixed(1) });
      };
      input.addEventListener("input", update);
      update();
      input.setAttribute("aria-describedby", `${id}-contrast${hintEl ? ` ${id}-hint` : ""}`);
      return wrap(path, el("label", { for: id, text: title }), el("span", { class: "ed-colour" }, input, swatch), note, hintEl);
    }
  }
  return wrap(path, el("label", { for: id, text: title }), input, hintEl);
}

// WCAG relative luminance contrast (the same formula as facilitator/colour.py)
function contrast(a, b) {
  const lum = (hex) => {
    const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** A list of words (the word filter's `add` and `allow`): one per line. */
function wordsField(path, title, hintEl, id) {
  const value = getAt(path);
  const input = el("textarea", { id, name: path.join("."), rows: 3, "aria-describedby": hintEl ? `${id}-hint` : null });
  input.value = Array.isArray(value) ? value.join("\n") : "";
  input.addEventListener("input", () => {
    const words = input.value.split("\n").map((w) => w.trim()).filter(Boolean);
    setAt(path, words.length ? words : undefined);
  });
  return wrap(path, el("label", { for: id, text: title }), hintEl, input);
}

function textField(s, path, title, hintEl, id, required) {
  const value = getAt(path) || {};
  const multiline = s["x-multiline"];
  const fs = el("fieldset", { class: "ed-text" }, el("legend", { text: title }));
  const row = el("div", { class: "ed-langs" });
  const marks = [];
  for (const lang of LANGS) {
    const iid = `${id}-${lang}`;
    const input = el(multiline ? "textarea" : "input", { id: iid, name: `${path.join(".")}.${lang}`, lang,
      maxlength: s.maxLength, rows: multiline ? 5 : null, type: multiline ? null : "text",
      "aria-describedby": `${iid}-mark${hintEl ? ` ${id}-hint` : ""}` });
    input.value = value[lang] ?? "";
    const mark = el("span", { class: "ed-missing", id: `${iid}-mark` });
    marks.push([lang, mark, input]);
    input.addEventListener("input", () => {
      const cur = { ...(getAt(path) || {}) };
      cur[lang] = input.value;
      setAt(path, !required && LANGS.every((l) => !cur[l]) ? undefined : cur);
      updateMarks();
    });
    row.append(el("div", { class: "ed-lang" }, el("label", { for: iid, text: lang === "nl" ? S.dutch : S.english }), input, mark));
  }
  const updateMarks = () => {
    const cur = getAt(path) || {};
    const any = LANGS.some((l) => cur[l]);
    for (const [lang, mark] of marks) {
      const missing = any && !cur[lang];
      mark.textContent = missing ? S.missing_translation : "";
      mark.classList.toggle("is-missing", missing);
    }
  };
  updateMarks();
  fs.append(row);
  if (hintEl) fs.append(hintEl);
  return wrap(path, fs);
}

// an option's label: its own language keys ({id: ..., nl: ..., en: ...}), one input each
function labelsField(s, itemPath) {
  const id = `f${++uid}`;
  const fs = el("fieldset", { class: "ed-text" }, el("legend", { text: label(s) || "Label" }));
  const row = el("div", { class: "ed-langs" });
  const marks = [];
  const update = () => {
    const cur = getAt(itemPath) || {};
    const any = LANGS.some((l) => cur[l]);
    for (const [lang, mark] of marks) {
      const missing = any && !cur[lang];
      mark.textContent = missing ? S.missing_translation : "";
      mark.classList.toggle("is-missing", missing);
    }
  };
  for (const lang of LANGS) {
    const iid = `${id}-${lang}`;
    const input = el("input", { id: iid, type: "text", lang, name: `${itemPath.join(".")}.${lang}`,
      "aria-describedby": `${iid}-mark` });
    input.value = (getAt(itemPath) || {})[lang] ?? "";
    const mark = el("span", { class: "ed-missing", id: `${iid}-mark` });
    marks.push([lang, mark]);
    input.addEventListener("input", () => { setAt([...itemPath, lang], input.value); update(); });
    row.append(el("div", { class: "ed-lang" }, el("label", { for: iid, text: lang === "nl" ? S.dutch : S.english }), input, mark));
  }
  update();
  fs.append(row);
  // a problem with the label ("options[1] label") is shown here
  return wrap([...itemPath, "label"], fs);
}

function oneOfField(s, path, title, hintEl, id, required) {
  // an option list written here, or the name of an option set
  const value = getAt(path);
  const asName = typeof value === "string";
  const fs = el("fieldset", { class: "ed-group" }, el("legend", { text: title }));
  if (hintEl) fs.append(hintEl);
  const sel = el("select", { id: `${id}-mode`, "aria-label": `${title}: ${S.inline_options} / ${S.option_set}` });
  sel.append(el("option", { value: "list", text: S.inline_options }), el("option", { value: "set", text: S.option_set }));
  sel.value = asName ? "set" : "list";
  sel.addEventListener("change", () => {
    const sets = Object.keys(prog().option_sets || {});
    setAt(path, sel.value === "set" ? (sets[0] || "") : defaultFor(alternatives(s)[0]));
    renderForm();
    showProblems();
  });
  fs.append(sel);
  if (asName) {
    const input = el("select", { id, name: path.join(".") });
    const sets = Object.keys(prog().option_sets || {});
    for (const k of sets) input.append(el("option", { value: k, text: k }));
    if (!sets.includes(value)) input.append(el("option", { value, text: value || S.none }));
    input.value = value;
    input.addEventListener("change", () => setAt(path, input.value));
    fs.append(el("label", { for: id, text: S.option_set_name }), input);
  } else {
    fs.append(arrayField(resolve(alternatives(s)[0]), path, title, null, required, true));
  }
  return wrap(path, fs);
}

function arrayField(s, path, title, hintEl, required, bare = false) {
  if (!s.items || (s.items.type === "string")) return el("span");
  const items = getAt(path);
  const list = Array.isArray(items) ? items : [];
  const box = el("div", { class: "ed-array" });
  const ol = el("ol", { class: "ed-items" });
  const itemSchema = resolve(s.items);
  list.forEach((item, i) => {
    const name = item && typeof item === "object" ? (item.id || titleOf(item) || `#${i + 1}`) : `#${i + 1}`;
    const li = el("li", { class: "ed-item-box" });
    const fields = el("div", { class: "ed-item-fields" });
    if (itemSchema["x-labels"]) fields.append(labelsField(itemSchema["x-labels"], [...path, i]));
    for (const [k, sub] of Object.entries(itemSchema.properties || {})) {
      fields.append(field(sub, [...path, i, k], (itemSchema.required || []).includes(k)));
    }
    const tools = el("div", { class: "ed-tools" },
      el("button", { type: "button", class: "btn btn-tiny", text: "↑", "aria-label": `${S.move_up}: ${name}`, onclick: () => moveItem(path, i, -1) }),
      el("button", { type: "button", class: "btn btn-tiny", text: "↓", "aria-label": `${S.move_down}: ${name}`, onclick: () => moveItem(path, i, 1) }),
      el("button", { type: "button", class: "btn btn-tiny", text: "✕", "aria-label": `${S.remove}: ${name}`, onclick: () => {
        const cur = getAt(path).slice(); cur.splice(i, 1); setAt(path, cur.length || required ? cur : undefined); renderForm(); showProblems();
      } }));
    li.append(tools, fields);
    ol.append(li);
  });
  const add = el("button", { type: "button", class: "btn btn-small ed-add-item", text: `${S.add_item}: ${title}`,
    onclick: () => {
      const cur = Array.isArray(getAt(path)) ? getAt(path).slice() : [];
      const item = defaultFor(itemSchema);
      if (itemSchema.properties && itemSchema.properties.id) item.id = `optie-${cur.length + 1}`;
      cur.push(item);
      setAt(path, cur);
      renderForm();
      showProblems();
      const boxes = document.querySelectorAll(`[data-path="${CSS.escape([...path, cur.length - 1].join("/"))}"] input, [data-path^="${CSS.escape([...path, cur.length - 1].join("/"))}/"] input`);
      if (boxes.length) boxes[0].focus();
    } });
  box.append(ol, add);
  if (bare) return box;
  const fs = el("fieldset", { class: "ed-group" }, el("legend", { text: title }));
  if (hintEl) fs.append(hintEl);
  fs.append(box);
  return wrap(path, fs);
}

function moveItem(path, i, delta) {
  const cur = getAt(path).slice();
  const j = i + delta;
  if (j < 0 || j >= cur.length) return;
  [cur[i], cur[j]] = [cur[j], cur[i]];
  setAt(path, cur);
  renderForm();
  showProblems();
}

function optionIds(actPath) {
  const act = getAt(actPath);
  const opts = typeof act.options === "string" ? (prog().option_sets || {})[act.options] : act.options;
  return Array.isArray(opts) ? opts.map((o) => o && o.id).filter(Boolean) : [];
}

function valuesField(s, path, title, hintEl, id) {
  const ids = optionIds(path.slice(0, 5));
  const fs = el("fieldset", { class: "ed-group" }, el("legend", { text: title }));
  if (hintEl) fs.append(hintEl);
  ids.forEach((oid, i) => {
    const iid = `${id}-${i}`;
    const input = el("input", { id: iid, type: "number", step: "any", name: `${path.join(".")}.${oid}` });
    const v = (getAt(path) || {})[oid];
    input.value = v ?? "";
    input.addEventListener("input", () => {
      const cur = { ...(getAt(path) || {}) };
      cur[oid] = input.value === "" ? null : Number(input.value);
      setAt(path, cur);
    });
    fs.append(wrap([...path, oid], el("label", { for: iid, text: oid }), input));
  });
  return wrap(path, fs);
}

function mapField(s, path, title, hintEl) {
  const value = getAt(path) || {};
  const fs = el("fieldset", { class: "ed-group" }, el("legend", { text: title }));
  if (hintEl) fs.append(hintEl);
  for (const key of Object.keys(value)) {
    const sub = el("fieldset", { class: "ed-group" }, el("legend", { text: key }));
    sub.append(field({ ...s.additionalProperties, title: key }, [...path, key], true));
    sub.append(el("button", { type: "button", class: "btn btn-small", text: `${S.remove}: ${key}`, onclick: () => {
      const cur = { ...getAt(path) }; delete cur[key]; setAt(path, Object.keys(cur).length ? cur : undefined); renderForm(); showProblems();
    } }));
    fs.append(wrap([...path, key], sub));
  }
  const kid = `f${++uid}`;
  const keyInput = el("input", { id: kid, type: "text", pattern: "[a-z0-9][a-z0-9_\\-]*" });
  fs.append(el("div", { class: "ed-newkey" }, el("label", { for: kid, text: S.new_key }), keyInput,
    el("button", { type: "button", class: "btn btn-small", text: `${S.add_item}: ${title}`, onclick: () => {
      const k = keyInput.value.trim();
      if (!k) return;
      const cur = { ...(getAt(path) || {}) };
      cur[k] = defaultFor(s.additionalProperties);
      setAt(path, cur);
      renderForm();
      showProblems();
    } })));
  return wrap(path, fs);
}

function logoField(s, path, title, hintEl, id) {
  const value = getAt(path);
  const input = el("input", { id, type: "file", accept: ".png,.svg,.jpg,.jpeg,.webp", "aria-describedby": hintEl ? `${id}-hint` : null });
  const current = el("p", { class: "mono", text: value || S.none });
  input.addEventListener("change", async () => {
    const f = input.files[0];
    if (!f) return;
    const body = new FormData();
    body.append("file", f);
    const r = await fetch(`${cfg.api}/logo`, { method: "POST", body, headers: { "X-CSRF-Token": cfg.csrf } });
    const data = await r.json().catch(() => ({ ok: false, problems: [String(r.status)] }));
    if (data.ok) {
      setAt(path, data.logo);
      current.textContent = data.logo;
    } else {
      showAlert(`${S.logo_failed} ${data.problems.join(" ")}`);
    }
  });
  return wrap(path, el("label", { for: id, text: `${title}: ${S.logo_upload}` }), input, current, hintEl);
}

// ---------------------------------------------------------------- problems beside fields

function showProblems() {
  document.querySelectorAll(".ed-problem-msg").forEach((n) => n.remove());
  document.querySelectorAll("[aria-invalid]").forEach((n) => n.removeAttribute("aria-invalid"));
  const fields = [...document.querySelectorAll("#ed-form .ed-field")];
  const summary = $("ed-problems");
  summary.replaceChildren();
  problems.forEach((p, i) => {
    const key = p.path.join("/");
    let best = null;
    for (const f of fields) {
      const fp = f.dataset.path;
      if ((key === fp || key.startsWith(`${fp}/`)) && (!best || fp.length > best.dataset.path.length)) best = f;
    }
    const pid = `problem-${i}`;
    if (best) {
      const msg = el("p", { class: "ed-problem ed-problem-msg", id: pid, text: p.message });
      best.append(msg);
      const input = best.querySelector("input, textarea, select");
      if (input) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", `${input.getAttribute("aria-describedby") || ""} ${pid}`.trim());
      }
    }
    const li = el("li", {}, el("span", { class: "mono", text: `${p.where}: ` }), el("span", { text: p.message }));
    const target = locateSelection(p.path);
    if (target) li.append(" ", el("button", { type: "button", class: "btn btn-tiny", text: S.go_to, onclick: () => { select(target); } }));
    summary.append(li);
  });
  if (!problems.length) summary.append(el("li", { class: "ed-ok", text: S.no_problems }));
  $("ed-start").disabled = problems.length > 0 || JSON.stringify(doc) !== saved;
  $("ed-start").title = problems.length ? S.start_blocked : "";
}

function locateSelection(path) {
  if (path[0] !== "programme") return { type: "programme" };
  if (path[1] === "sections" && typeof path[2] === "number") {
    if (path[3] === "activities" && typeof path[4] === "number") return { type: "activity", s: path[2], a: path[4] };
    return { type: "section", s: path[2] };
  }
  return { type: "programme" };
}

// ---------------------------------------------------------------- server

async function api(suffix, body) {
  const r = await fetch(`${cfg.api}${suffix}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": cfg.csrf,
      "X-Editor-Name": encodeURIComponent($("ed-author").value || "").slice(0, 240) },
    body: JSON.stringify(body),
  });
  const data = await r.json().catch(() => ({ ok: false, problems: [`HTTP ${r.status}`] }));
  return { status: r.status, data };
}

function changed() {
  try { localStorage.setItem(DRAFT_KEY, JSON.stringify({ version, doc })); } catch (e) { /* full */ }
  if (JSON.stringify(doc) !== saved) $("ed-status").dataset.dirty = "1";
  clearTimeout(checkTimer);
  checkTimer = setTimeout(check, 400);
  document.body.dataset.pending = "1"; // until the server has checked this change
  $("ed-start").disabled = true;
}

let checking = 0;
async function check() {
  const mine = ++checking;
  const { data } = await api("/check", { data: doc });
  if (mine !== checking) return;
  problems = data.problems || [];
  renderTree();
  showProblems();
  document.body.dataset.checked = String(checking);
  delete document.body.dataset.pending;
}

async function save() {
  clearTimeout(checkTimer);
  $("ed-status").textContent = S.saving;
  $("ed-alert").hidden = true;
  const { status, data } = await api("/save", { data: doc, version });
  if (data.ok) {
    version = data.version;
    saved = JSON.stringify(doc);
    problems = data.problems || [];
    try { localStorage.removeItem(DRAFT_KEY); } catch (e) { /* ignore */ }
    $("ed-status").textContent = problems.length ? fmt(S.saved_problems, { n: problems.length })
      : fmt(S.saved, { version });
    render();
  } else if (status === 409 && data.stale) {
    $("ed-status").textContent = "";
    showAlert(fmt(S.stale, { by: data.saved_by, at: data.saved_at }), data.diff);
  } else {
    $("ed-status").textContent = "";
    showAlert(`${S.not_saved} ${(data.problems || []).join(" · ")}`);
  }
  document.body.dataset.saved = String(Date.now());
}

function showAlert(text, diff) {
  const box = $("ed-alert");
  box.replaceChildren(el("p", { text }));
  if (diff) box.append(el("pre", { class: "ed-diff", tabindex: "0", text: diff }));
  box.append(el("button", { type: "button", class: "btn btn-small", text: S.download_draft, onclick: downloadDraft }));
  box.hidden = false;
}

function downloadDraft() {
  const blob = new Blob([JSON.stringify(doc, null, 2)], { type: "application/json" });
  const a = el("a", { href: URL.createObjectURL(blob), download: `${cfg.stem}-draft.json` });
  document.body.append(a);
  a.click();
  a.remove();
}

async function showPreview() {
  if (selected.type !== "activity") return;
  const act = getAt(activityPath());
  const msg = $("ed-preview-msg");
  const { data } = await api("/preview", { data: doc, activity: act.id });
  if (!data.ok) {
    msg.textContent = `${S.preview_failed} ${(data.problems || []).join(" · ")}`;
    msg.hidden = false;
    $("ed-phone").hidden = true;
    $("ed-projector").hidden = true;
    return;
  }
  msg.hidden = true;
  $("ed-phone").src = data.phone;
  $("ed-projector").src = data.projector;
  $("ed-phone").hidden = false;
  $("ed-projector").hidden = false;
}

async function init() {
  const [schemaResp, loadResp] = await Promise.all([fetch(cfg.schema), fetch(cfg.api)]);
  schema = await schemaResp.json();
  const loaded = await loadResp.json();
  doc = loaded.data && typeof loaded.data === "object" ? loaded.data : { programme: {} };
  if (!doc.programme || typeof doc.programme !== "object") doc.programme = {};
  version = loaded.version;
  saved = JSON.stringify(doc);
  problems = loaded.problems || [];
  try { $("ed-author").value = localStorage.getItem(AUTHOR_KEY) || ""; } catch (e) { /* ignore */ }
  $("ed-author").addEventListener("input", () => {
    try { localStorage.setItem(AUTHOR_KEY, $("ed-author").value); } catch (e) { /* ignore */ }
  });
  let draft = null;
  try { draft = JSON.parse(localStorage.getItem(DRAFT_KEY) || "null"); } catch (e) { draft = null; }
  if (draft && draft.doc && JSON.stringify(draft.doc) !== saved) {
    const box = $("ed-alert");
    box.replaceChildren(el("p", { text: S.draft_found }),
      el("button", { type: "button", class: "btn btn-small", text: S.use_draft, onclick: () => {
        doc = draft.doc; box.hidden = true; changed(); render();
      } }),
      el("button", { type: "button", class: "btn btn-small", text: S.discard_draft, onclick: () => {
        try { localStorage.removeItem(DRAFT_KEY); } catch (e) { /* ignore */ } box.hidden = true;
      } }),
      el("button", { type: "button", class: "btn btn-small", text: S.download_draft, onclick: () => {
        const keep = doc; doc = draft.doc; downloadDraft(); doc = keep;
      } }));
    box.hidden = false;
  }
  $("ed-save").addEventListener("click", save);
  $("ed-add-section").addEventListener("click", () => addSection());
  $("ed-download-draft").addEventListener("click", downloadDraft);
  $("ed-preview-btn").addEventListener("click", showPreview);
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); save(); }
  });
  renderPalette();
  render();
  document.body.dataset.ready = "1";
}

init();
