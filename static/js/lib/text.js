// Programme texts: pick a language from a text object, and render the light Markdown of `body`
// (paragraphs on blank lines, "- " and "1. " list items, **bold**, *italic*) as DOM nodes.
// Everything is built with createElement / createTextNode: no HTML is ever parsed.

import { el } from "./dom.js";

/** The UI language of the page (<html lang>). */
export function pageLang() {
  const lang = (document.documentElement.lang || "nl").slice(0, 2).toLowerCase();
  return lang === "en" ? "en" : "nl";
}

/** Pick the text in `lang` from {"nl": ..., "en": ...}, falling back to the other language. */
export function pick(text, lang = pageLang()) {
  if (text === null || text === undefined) return "";
  if (typeof text === "string" || typeof text === "number") return String(text);
  if (typeof text !== "object") return "";
  if (text[lang]) return String(text[lang]);
  const other = lang === "nl" ? "en" : "nl";
  if (text[other]) return String(text[other]);
  for (const value of Object.values(text)) if (value) return String(value);
  return "";
}

/** True when the text object has something to show. */
export function hasText(text) {
  return pick(text) !== "";
}

// No lookbehind: older iOS Safari versions would refuse the whole module.
const INLINE = /\*\*(.+?)\*\*|\*([^\s*](?:[^*]*[^\s*])?)\*/gs;

/** Inline Markdown (**bold**, *italic*) into an array of nodes. */
export function inline(source) {
  const nodes = [];
  const text = String(source ?? "");
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) nodes.push(document.createTextNode(text.slice(last, match.index)));
    if (match[1] !== undefined) nodes.push(el("strong", {}, inline(match[1])));
    else nodes.push(el("em", {}, inline(match[2])));
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

const BULLET = /^\s*[-*\u2022]\s+(.*)$/;
const NUMBERED = /^\s*(\d{1,3})[.)]\s+(.*)$/;

/** Render light Markdown into a DocumentFragment of <p>, <ul>, <ol>. */
export function renderMarkdown(source) {
  const fragment = document.createDocumentFragment();
  const text = String(source ?? "").replace(/\r\n?/g, "\n").trim();
  if (!text) return fragment;
  for (const block of text.split(/\n[ \t]*\n/)) {
    let paragraph = null; // lines of the paragraph being collected
    let list = null;      // {node, type, lastItemLines}
    let item = null;      // lines of the current list item
    const flushItem = () => {
      if (list && item) list.node.append(el("li", {}, inline(item.join(" "))));
      item = null;
    };
    const flushList = () => {
      flushItem();
      if (list) fragment.append(list.node);
      list = null;
    };
    const flushParagraph = () => {
      if (paragraph) {
        const p = el("p");
        paragraph.forEach((line, i) => {
          if (i > 0) p.append(el("br"));
          p.append(...inline(line));
        });
        fragment.append(p);
      }
      paragraph = null;
    };
    for (const line of block.split("\n")) {
      const bullet = line.match(BULLET);
      const numbered = bullet ? null : line.match(NUMBERED);
      if (bullet || numbered) {
        flushParagraph();
        const type = bullet ? "ul" : "ol";
        if (!list || list.type !== type) {
          flushList();
          const node = el(type);
          if (numbered && numbered[1] !== "1") node.start = Number(numbered[1]);
          list = { node, type };
        } else {
          flushItem();
        }
        item = [bullet ? bullet[1] : numbered[2]];
      } else if (list && item && /^\s+\S/.test(line)) {
        item.push(line.trim()); // an indented continuation of the list item
      } else {
        flushList();
        if (line.trim()) {
          if (!paragraph) paragraph = [];
          paragraph.push(line.trim());
        }
      }
    }
    flushList();
    flushParagraph();
  }
  return fragment;
}

/** Number formatting in the page language (1 decimal at most by default). */
export function formatNumber(value, lang = pageLang(), digits = 1) {
  if (value === null || value === undefined || Number.isNaN(value)) return "\u2014";
  return new Intl.NumberFormat(lang === "en" ? "en-GB" : "nl-BE",
                               { maximumFractionDigits: digits }).format(value);
}

/** A percentage given as 0..100 (one decimal at most), e.g. "33,3%" in Dutch. */
export function formatPercent(value, lang = pageLang()) {
  if (value === null || value === undefined || Number.isNaN(value)) return "\u2014";
  return new Intl.NumberFormat(lang === "en" ? "en-GB" : "nl-BE",
                               { style: "percent", maximumFractionDigits: 1 }).format(value / 100);
}

/** "ABC234" -> "ABC 234" for reading aloud and from a distance (spaces are ignored on input). */
export function spacedCode(code) {
  const c = String(code ?? "");
  return c.length === 6 ? `${c.slice(0, 3)} ${c.slice(3)}` : c;
}
