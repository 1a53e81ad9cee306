// Tiny DOM helpers shared by the three screens.
// Anything a person typed (participants, programme authors) goes in as text only:
// textContent / createTextNode, never innerHTML.

/** Create an element. `props`: class, text, attrs, data, on, and plain DOM properties. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = Array.isArray(value) ? value.filter(Boolean).join(" ") : value;
    else if (key === "text") node.textContent = String(value);
    else if (key === "attrs") for (const [a, v] of Object.entries(value)) {
      if (v !== undefined && v !== null && v !== false) node.setAttribute(a, v === true ? "" : String(v));
    }
    else if (key === "data") Object.assign(node.dataset, value);
    else if (key === "on") for (const [type, fn] of Object.entries(value)) node.addEventListener(type, fn);
    else node[key] = value;
  }
  append(node, ...children);
  return node;
}

/** Append children: nodes, strings (as text nodes), arrays; null/undefined/false are skipped. */
export function append(parent, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Remove all children. */
export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** Replace all children with the given ones. */
export function replaceChildren(node, ...children) {
  clear(node);
  return append(node, ...children);
}

/** Set textContent only when it changed (avoids needless layout and screen reader noise). */
export function setText(node, text) {
  const value = text === null || text === undefined ? "" : String(text);
  if (node.textContent !== value) node.textContent = value;
  return node;
}

/** Toggle `hidden` only when it changed. */
export function show(node, visible) {
  if (node.hidden === !!visible) node.hidden = !visible;
  return node;
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

/** Parse a `<script type="application/json" id=...>` data block (null when missing or broken). */
export function readJSON(id) {
  const node = document.getElementById(id);
  if (!node) return null;
  try {
    return JSON.parse(node.textContent);
  } catch {
    return null;
  }
}

/** Say something in an aria-live region; repeats are announced again. */
export function announce(region, message) {
  if (!region) return;
  region.textContent = "";
  window.setTimeout(() => { region.textContent = message; }, 50);
}

/** Replace {name} placeholders in a translated string. */
export function format(template, values = {}) {
  return String(template ?? "").replace(/\{(\w+)\}/g, (m, name) =>
    Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : m);
}

/** True when a key press happens while the person is typing somewhere. */
export function isTyping(event) {
  const t = event.target;
  if (!(t instanceof Element)) return false;
  if (t.isContentEditable) return true;
  const tag = t.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (t.getAttribute("type") || "text").toLowerCase();
    return !["button", "submit", "reset", "checkbox", "radio", "range"].includes(type);
  }
  return false;
}

/** Copy text to the clipboard; works on plain-http LAN addresses too (fallback). */
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch { /* fall through to the fallback */ }
  }
  const area = el("textarea", { value: text, attrs: { readonly: true, "aria-hidden": "true" },
                                class: "copy-buffer" });
  document.body.append(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand("copy"); } catch { ok = false; }
  area.remove();
  return ok;
}

/** A random id for one user action (crypto.randomUUID with a fallback for old browsers). */
export function randomId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") {
    try { return window.crypto.randomUUID(); } catch { /* insecure context: fall back */ }
  }
  const bytes = new Uint8Array(16);
  if (window.crypto && window.crypto.getRandomValues) window.crypto.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ------------------------------------------------------------------ "provisional" (placeholder)
// The programme marks what is not final (`placeholder: true`) on an activity or on its parts
// (options, items, a scale's poles). A screen shows the "provisional" pill once per activity, by
// its title; each provisional part gets only a small asterisk (its name for screen readers).

/** Whether the activity or any of its parts is provisional. */
export function isProvisional(activity) {
  if (!activity) return false;
  if (activity.placeholder) return true;
  const parts = [...(activity.options || []), ...(activity.items || [])];
  return parts.some((part) => part && part.placeholder) || !!(activity.scale && activity.scale.placeholder);
}

/** The pill by an activity's title: "voorlopig", or "* voorlopig" when only marked parts are. */
export function provisionalPill(activity, text) {
  const parts = !activity.placeholder;
  return el("span", { class: "badge badge-placeholder" }, parts ? "* " : null, text);
}

/** The mark on one provisional part: an asterisk to the eye, "(provisional)" to a screen reader. */
export function provisionalMark(text) {
  return el("span", { class: "placeholder-mark" },
    el("span", { attrs: { "aria-hidden": "true" }, text: "\u00a0*" }),
    el("span", { class: "visually-hidden", text: ` (${text})` }));
}
