/** Small DOM helpers: build elements without a framework, and keep text out of innerHTML. */

/** Event listeners to attach, by event name. */
export type Listeners = {
  readonly [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void;
};

/** Attributes of an element; `false`, null and undefined leave one out, `true` sets it empty. */
export interface Props {
  readonly [name: string]: string | number | boolean | null | undefined | Listeners;
  readonly on?: Listeners;
}

/** What can go inside an element: nodes and text; false, null and undefined are skipped. */
export type Child = Node | string | number | false | null | undefined;

/** Creates an HTML element with attributes, listeners and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: readonly Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setProps(element, props);
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element with attributes and children. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: readonly Child[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  setProps(element, props);
  append(element, children);
  return element;
}

/** Replaces an element's children. */
export function replaceChildren(parent: Element, ...children: readonly Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

function append(parent: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    parent.append(typeof child === 'number' ? String(child) : child);
  }
}

function setProps(element: Element, props: Props): void {
  for (const [name, value] of Object.entries(props)) {
    if (name === 'on') {
      for (const [event, listener] of Object.entries(value as Listeners))
        element.addEventListener(event, listener as EventListener);
    } else if (name === 'style' && typeof value === 'string' && 'style' in element) {
      // Through the CSS object model: the service's content security policy refuses style attributes.
      (element as HTMLElement).style.cssText = value;
    } else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined && typeof value !== 'object')
      element.setAttribute(name, String(value));
  }
}

/** Text only screen readers read (class `vh` in app.css). */
export function hidden(text: string): HTMLSpanElement {
  return h('span', { class: 'vh' }, text);
}

/** Runs `fn` once the caller has been quiet for `ms`; the last call wins. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

let nextId = 0;

/** A document-unique id for aria-labelledby and label/for pairs. */
export function uniqueId(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}
