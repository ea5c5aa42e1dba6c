// Builds the page with DOM calls only: text always goes in as text nodes, never as HTML, so a value from the API
// (an error text, a reason typed by a user) can never become markup or script.

/**
 * el('a', {href: '#/x', class: 'y', on: {click: f}}, 'text', child...): an element. Attributes are set with
 * setAttribute (no 'style': the Content-Security-Policy forbids inline styles); children are nodes or text.
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'on') {
      for (const [event, handler] of Object.entries(v)) {
        node.addEventListener(event, handler);
      }
    } else if (k === 'value') {
      node.value = v;
    } else if (k === 'checked' || k === 'disabled' || k === 'hidden' || k === 'selected' || k === 'required') {
      node[k] = Boolean(v);
    } else if (v !== undefined && v !== null && v !== false) {
      node.setAttribute(k, String(v));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) {
      continue;
    }
    if (Array.isArray(c)) {
      append(node, c);
    } else if (c instanceof Node) {
      node.appendChild(c);
    } else {
      node.appendChild(document.createTextNode(String(c)));
    }
  }
}

/** Replaces what the node holds. */
export function show(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/**
 * A table from column headings and rows of cells. A cell is a node, text, or [attrs, ...children]: a list of nodes
 * must be given as [attrs, list], or its first node would be taken for the attributes.
 */
export function table(headings, rows, attrs) {
  return el('table', attrs,
    el('thead', null, el('tr', null, headings.map(h => Array.isArray(h) ? el('th', h[0], h[1]) : el('th', null, h)))),
    el('tbody', null, rows.map(r => el('tr', null, r.map(cell =>
      Array.isArray(cell) ? el('td', cell[0], ...cell.slice(1)) : el('td', null, cell))))));
}

/** A status word as a coloured badge. */
export function badge(word) {
  return el('span', { class: 'status status-' + String(word).toUpperCase(), 'data-status': word }, String(word));
}

/** An instant as local date and time, to the second. */
export function when(instant) {
  if (!instant) {
    return '';
  }
  const d = new Date(instant);
  return isNaN(d) ? String(instant) : d.toLocaleString('en-GB', { hour12: false });
}

const notice = () => document.getElementById('notice');

/** A message above the page (an error unless kind is 'info'); cleared by the next page. */
export function say(text, kind) {
  const n = notice();
  n.className = kind === 'info' ? 'info' : '';
  n.textContent = text;
  n.hidden = false;
}

export function unsay() {
  const n = notice();
  n.hidden = true;
  n.textContent = '';
}
