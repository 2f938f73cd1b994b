// Building DOM nodes without innerHTML: every value becomes a text node or an attribute set
// through the DOM, so data from the API can never be parsed as markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * h('a', {href: '#/x', class: 'link'}, 'text', otherNode, [more, nodes])
 * Attributes: `class`, `text`, `on<event>` handlers, `dataset`, booleans (true sets, false/null skips).
 */
export function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** The same for SVG elements (charts). */
export function s(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(element, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (name === 'text') {
      element.textContent = String(value);
    } else if (name === 'value' && 'value' in element && element.namespaceURI !== SVG_NS) {
      element.value = String(value);
    } else if (name === 'checked' || name === 'selected') {
      element[name] = Boolean(value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

/** Appends strings (as text), nodes and nested arrays; skips null, undefined and false. */
export function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces an element's children. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** Runs `fn` after `wait` ms of quiet; `.cancel()` drops a pending call. */
export function debounce(fn, wait) {
  let timer = null;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}

let uniqueCounter = 0;
/** A fresh id for label/aria wiring. */
export function uid(prefix = 'id') {
  uniqueCounter += 1;
  return `${prefix}-${uniqueCounter}`;
}
