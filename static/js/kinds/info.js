// info: a slide (text, quotes, links) without a question. The screens draw its body themselves;
// the phone says there is nothing to answer, and there is no result.

import { el } from "../lib/dom.js";

export default {
  answers: false,
  input: (activity, ctx) => ({ nodes: [el("p", { class: "hint info-note", text: ctx.S.info_note })], update: () => {} }),
};
