'use strict';

// Shared by the dashboard's pages. Everything shown is put in the page as text nodes or
// attributes (never parsed as HTML), so names and messages from the cluster cannot inject markup.
const Sluice = (() => {
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const ATTRIBUTES = new Set(['id', 'title', 'href', 'role']);

  /** el('a', {class: 'x', href: '/rollouts/ns/n', text: 'shop'}, child, 'text', ...) */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    setProps(node, props);
    append(node, children);
    return node;
  }

  function svg(tag, attributes, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === 'text') node.textContent = value;
      else if (value !== null && value !== undefined) node.setAttribute(key, String(value));
    }
    append(node, children);
    return node;
  }

  function setProps(node, props) {
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = String(value);
      else if (key === 'href') {
        // only the dashboard's own paths: no javascript: or other schemes from data
        if (!String(value).startsWith('/')) throw new Error('not a dashboard path: ' + value);
        node.setAttribute('href', value);
      } else if (ATTRIBUTES.has(key) || key.startsWith('data-') || key.startsWith('aria-')) {
        node.setAttribute(key, value === true ? '' : String(value));
      } else throw new Error('unexpected property ' + key);
    }
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  /** An age the way kubectl prints it: 45s, 12m, 5h, 3d. */
  function age(timestamp) {
    const millis = Date.parse(timestamp);
    if (!timestamp || Number.isNaN(millis)) return '-';
    const seconds = Math.max(0, Math.floor((Date.now() - millis) / 1000));
    if (seconds < 120) return seconds + 's';
    if (seconds < 2 * 3600) return Math.floor(seconds / 60) + 'm';
    if (seconds < 48 * 3600) return Math.floor(seconds / 3600) + 'h';
    return Math.floor(seconds / 86400) + 'd';
  }

  /** "age 12m" that keeps counting: every labelled age on the page is refreshed every few seconds. */
  function ageLabel(timestamp) {
    return el('span', {class: 'muted age', 'data-since': timestamp || '', text: 'age ' + age(timestamp)});
  }

  setInterval(() => {
    for (const label of document.querySelectorAll('[data-since]')) label.textContent = 'age ' + age(label.dataset.since);
  }, 5000);

  const KNOWN_PHASES = new Set(['Healthy', 'Progressing', 'Paused', 'Degraded', 'Unknown', 'Pending', 'Running',
    'Successful', 'Failed', 'Error', 'Inconclusive']);

  /** A CSS class for a phase; phases are data, so only known ones become class names. */
  function phaseClass(phase) {
    return 'phase-' + (KNOWN_PHASES.has(phase) ? phase.toLowerCase() : 'other');
  }

  function badge(phase, extra) {
    return el('span', {class: 'badge ' + phaseClass(phase) + (extra ? ' ' + extra : ''), text: phase || 'Unknown'});
  }

  function rolloutPath(namespace, name) {
    return '/rollouts/' + encodeURIComponent(namespace) + '/' + encodeURIComponent(name);
  }

  function banner(message) {
    const node = document.getElementById('banner');
    node.textContent = message || '';
    node.hidden = !message;
  }

  /**
   * Follows a Server-Sent Events stream: handlers by event name get the parsed JSON. The browser
   * reconnects by itself when the stream breaks; the header says whether the page is live.
   */
  function live(url, handlers) {
    const indicator = document.getElementById('live');
    const show = (state, text) => {
      indicator.dataset.state = state;
      indicator.textContent = text;
    };
    const source = new EventSource(url);
    source.onopen = () => show('live', 'live');
    source.onerror = () => show('reconnecting', 'reconnecting…');
    for (const [name, handler] of Object.entries(handlers)) {
      source.addEventListener(name, event => {
        show('live', 'live');
        handler(JSON.parse(event.data));
      });
    }
    return source;
  }

  function formatNumber(value) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return String(value);
    return String(Number(value.toPrecision(4)));
  }

  return {el, svg, age, ageLabel, badge, phaseClass, rolloutPath, banner, live, formatNumber};
})();
