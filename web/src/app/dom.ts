/**
 * Builds DOM nodes. Text always goes in as text nodes (never as HTML), so anything a person
 * typed, or anything the API returns, shows exactly as written.
 */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

type Attrs = Record<string, string | number | boolean | null | undefined>;
type Handlers = { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };

export interface Props extends Attrs {}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, ...child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
}

/**
 * `h('p', { class: 'x' }, 'text')`. Attribute `true` sets an empty attribute, `false`/null/undefined
 * leave it out. Event handlers go in `on`.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === false || value === null || value === undefined) continue;
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, ...children);
  return el;
}

export function on<T extends HTMLElement>(el: T, handlers: Handlers): T {
  for (const [type, handler] of Object.entries(handlers)) {
    if (handler) el.addEventListener(type, handler as EventListener);
  }
  return el;
}

export function clear(el: Element): void {
  el.replaceChildren();
}

/** Fills `{name}` placeholders with nodes (e.g. a phone link inside a sentence). */
export function formatNodes(template: string, values: Readonly<Record<string, Child>>): Child[] {
  const out: Child[] = [];
  let last = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    const name = match[1] ?? '';
    out.push(template.slice(last, match.index));
    out.push(Object.hasOwn(values, name) ? values[name] : match[0]);
    last = match.index + match[0].length;
  }
  out.push(template.slice(last));
  return out;
}

let idCounter = 0;
/** A page-unique id for labels and descriptions. */
export function uid(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** Moves focus to an element that is not normally focusable (headings, alerts). */
export function focusElement(el: HTMLElement): void {
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus();
  el.scrollIntoView({ block: 'start' });
}

/** Replaces an element's content. */
export function setChildren(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, ...children);
}
