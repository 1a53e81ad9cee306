// multi_choice: choose one or more options (at most `max_choices`), then send.

import { el, setText, show, format } from "../lib/dom.js";
import { choiceButton, optionsPreview, emptyChoiceResult, choiceResult, choiceBreakdown } from "./single_choice.js";

function sameSet(a, b) {
  const x = new Set(a || []);
  const y = new Set(b || []);
  if (x.size !== y.size) return false;
  for (const v of x) if (!y.has(v)) return false;
  return true;
}

function input(activity, ctx) {
  const { S, status } = ctx;
  const max = Number(activity.max_choices) || 0;
  const draft = ctx.draft(() => [...(ctx.stored() || [])]);
  const buttons = (activity.options || []).map((option) => {
    const button = choiceButton(ctx, option, true, () => {
      if (!ctx.isOpen()) return;
      const chosen = new Set(draft.value);
      if (chosen.has(option.id)) chosen.delete(option.id);
      else if (!max || chosen.size < max) chosen.add(option.id);
      else {
        ctx.announce(S.max_reached);
        return;
      }
      // keep the programme's option order
      draft.value = (activity.options || []).map((o) => o.id).filter((id) => chosen.has(id));
      draft.dirty = !sameSet(draft.value, ctx.stored());
      update();
    });
    return { option, button };
  });
  const hint = el("p", { class: "hint", text: max ? format(S.choose_max, { max }) : S.choose_any });
  const count = el("p", { class: "choice-count", attrs: { "aria-live": "polite" } });
  const send = el("button", { type: "button", class: "btn btn-primary btn-block btn-send",
    on: { click: () => {
      if (!ctx.isOpen() || !draft.value.length) return;
      ctx.submit([...draft.value]);
    } } });
  const group = el("div", { class: "choices", attrs: { role: "group", "aria-labelledby": "activity-heading" } },
                   buttons.map((b) => b.button));
  function update() {
    const stored = ctx.stored();
    if (!draft.dirty) draft.value = Array.isArray(stored) ? [...stored] : [];
    const chosen = new Set(draft.value);
    const full = max && chosen.size >= max;
    for (const { option, button } of buttons) {
      const selected = chosen.has(option.id);
      ctx.setPressed(button, selected);
      button.disabled = !ctx.isOpen();
      button.classList.toggle("is-unavailable", !!(full && !selected));
      button.setAttribute("aria-disabled", full && !selected ? "true" : "false");
    }
    setText(count, (max ? format(S.chosen_count, { n: chosen.size, max }) : format(S.chosen_count_any, { n: chosen.size }))
      + (full ? ` \u2014 ${S.max_reached}` : ""));
    const changed = !ctx.hasAnswer() || !sameSet(draft.value, stored) || ctx.failed();
    setText(send, ctx.hasAnswer() ? S.send_change : S.send);
    send.disabled = !ctx.isOpen() || chosen.size === 0 || !changed || ctx.sending() && !draft.dirty;
    show(send, ctx.isOpen());
    show(hint, ctx.isOpen());
    show(count, ctx.isOpen());
    status.update();
  }
  return { nodes: [hint, group, count, send, status.node], update };
}

/** The boxes ticked in a server-rendered form before this script ran. */
function adopt(form, data, activity, stored) {
  const value = data.getAll("value").map(String);
  return sameSet(value, stored || []) ? undefined : value;
}

export default {
  answers: true,
  input,
  summary: (value, ctx) => (Array.isArray(value) ? value : [value]).map((id) => ctx.optionLabel(id)).join(", "),
  adopt,
  preview: optionsPreview,
  emptyResult: emptyChoiceResult,
  result: choiceResult(true),
  breakdown: choiceBreakdown(true),
};
