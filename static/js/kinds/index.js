// The registry of activity kinds: one ES module per kind in this folder (static/js/kinds/<kind>.js),
// the only place in static/js that knows a kind by its name. The screens (participant.js,
// projector.js, control.js) ask it for the kind of an activity and call what that kind offers.
//
// A kind module's default export is its implementation (every part is optional):
//   answers     true when a stored answer marks the activity as done (a paced section's progress)
//   input(activity, ctx)          the phone's input: {nodes, update} (ctx: participant.js)
//   summary(value, ctx)           a stored answer as text, for "Your answer: ..."
//   adopt(form, data, activity, stored)  the draft in a server-rendered form (undefined: none)
//   preview(activity, ctx)        the projector's picture of the question while results are hidden
//   respondentWord                "askers" | "answers": how the projector counts respondents
//   emptyResult(activity)         the result before the first answer (control)
//   moderation                    what the control screen moderates (see control.js)
//   result                        the result renderer: {key?, build(view, activity, result),
//                                 update(view, activity, result), fit?(view)} (lib/results.js)
//   breakdown                     the results per group: {layout?, build?, update?, card?,
//                                 cardOptions?, usesOverall?} (lib/breakdown.js)
//
// What the screens give a kind besides the activity and its result: on the phone, `ctx.table()`,
// `ctx.chooseTable()`, `ctx.tableAnswer()` (an activity answered per table: the table's newest
// answer) and `ctx.keep` (a draft kept across reloads); on control, projector and a table's
// screen, `view.context` ({tables, spotlight, counts, answering; control: holders, requests,
// act(event, payload)}). On the projector, an element with the class "fit-box" clips what does
// not fit in it: the wall's fit shrinks the type until none is cut.
//
// Modules are loaded on demand (`load`), so a phone downloads only the kinds it shows; a kind
// whose module cannot be loaded is registered as an empty kind (no input, no result).

const registry = new Map();
const loading = new Map();
const NAME = /^[a-z][a-z0-9_]*$/;
const EMPTY = Object.freeze({});

/** Register `impl` as the kind `name` (a module's default export, or a test's own kind). */
export function register(name, impl) {
  if (!NAME.test(String(name))) throw new Error(`kinds: bad kind name ${JSON.stringify(name)}`);
  registry.set(name, impl || EMPTY);
  return impl;
}

/** The kind `name`, or null while its module is not loaded (see `load`). */
export function kind(name) {
  return registry.get(name) || null;
}

/** The kinds registered so far. */
export function names() {
  return [...registry.keys()];
}

/** Whether every kind in `list` is registered. */
export function ready(list) {
  return list.every((name) => !name || registry.has(name));
}

/** Load the modules of the kinds in `list` (each once); resolves when all are registered. */
export function load(list) {
  return Promise.all([...new Set(list)].filter(Boolean).map((name) => {
    if (registry.has(name)) return registry.get(name);
    if (!loading.has(name)) {
      const promise = NAME.test(String(name))
        ? import(`./${name}.js`).then((module) => register(name, module.default),
          (error) => {
            console.error(`kinds: no module for kind ${name}`, error);
            return register(name, EMPTY);
          })
        : Promise.resolve(registry.set(name, EMPTY).get(name));
      loading.set(name, promise);
    }
    return loading.get(name);
  }));
}

/** The kinds of the activities in `activities` (views from a state), without repeats. */
export function kindsOf(activities) {
  return [...new Set(activities.filter((a) => a && a.kind).map((a) => a.kind))];
}
