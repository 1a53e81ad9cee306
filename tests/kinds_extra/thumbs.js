// thumbs: a kind from outside the package (tests/kinds_extra/thumbs.py): two buttons on the
// phone, two counts on the screens.

import { el, setText } from "../lib/dom.js";
import { pick } from "../lib/text.js";

const CHOICES = ["up", "down"];

function input(activity, ctx) {
  const buttons = CHOICES.map((choice) => {
    const button = el("button", {
      type: "button", class: ["choice", "choice-single", `thumbs-${choice}`],
      attrs: { "aria-pressed": "false" },
      on: { click: () => { if (ctx.isOpen()) ctx.submit(choice); } },
    }, el("span", { class: "choice-text", text: pick(activity[`${choice}_label`], ctx.lang) }));
    return { choice, button };
  });
  const group = el("div", { class: "choices", attrs: { role: "group", "aria-labelledby": "activity-heading" } },
                   buttons.map((b) => b.button));
  const update = () => {
    for (const { choice, button } of buttons) {
      ctx.setPressed(button, ctx.stored() === choice);
      button.disabled = !ctx.isOpen();
    }
    ctx.status.update();
  };
  return { nodes: [group, ctx.status.node], update };
}

export default {
  answers: true,
  input,
  summary: (value, ctx) => pick(ctx.activity[`${value}_label`], ctx.lang) || String(value),
  result: {
    build(view, activity) {
      const rows = CHOICES.map((choice) => {
        const count = el("span", { class: "thumbs-count" });
        const row = el("li", { class: ["bar-row", `thumbs-${choice}`], data: { id: choice } },
                       el("span", { class: "bar-label", text: pick(activity[`${choice}_label`], view.lang) }),
                       " ", count);
        return { choice, row, count };
      });
      view.root.append(el("ol", { class: "result result-thumbs", attrs: { role: "list" } }, rows.map((r) => r.row)));
      return { rows };
    },
    update(view, activity, result) {
      for (const { choice, count } of view.parts.rows) {
        setText(count, String((result && result[choice] && result[choice].count) || 0));
      }
    },
  },
};
