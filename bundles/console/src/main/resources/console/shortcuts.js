// Keyboard shortcuts of the agents' console. A key never fires while the agent types in a field (or with Ctrl, Alt or
// Meta held, which belong to the browser).
import { h } from 'preact';
import { useState, useEffect, useRef } from 'preact/hooks';

/** Every shortcut, for the help overlay: key, what it does. */
export const SHORTCUTS = [
  ['j', 'next conversation in the list'],
  ['k', 'previous conversation in the list'],
  ['r', 'write a reply'],
  ['n', 'write an internal note'],
  ['a', 'assign the conversation to me'],
  ['e', 'resolve the conversation'],
  ['o', 'reopen a resolved or snoozed conversation'],
  ['?', 'show or hide this help'],
  ['Esc', 'close this help'],
];

/** Whether a key press belongs to something else: a field being typed in, or a browser shortcut. */
export function typing(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) { return true; }
  const t = event.target;
  if (!t || !t.tagName) { return false; }
  return t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName);
}

/** Calls keys[event.key]() for a key pressed outside fields; the handlers may change on every render. */
export function useKeys(keys) {
  const current = useRef(keys);
  current.current = keys;
  useEffect(() => {
    const on = (event) => {
      if (typing(event)) { return; }
      const action = current.current[event.key];
      if (action) {
        event.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, []);
}

/** Moves to the next (+1) or previous (-1) conversation of the list as it is on screen. */
function step(by) {
  const rows = [...document.querySelectorAll('#inbox li[data-id]')].map((li) => li.getAttribute('data-id'));
  if (!rows.length) { return; }
  const m = /^#\/c\/(\d+)$/.exec(location.hash);
  const at = m ? rows.indexOf(m[1]) : -1;
  const next = at < 0 ? (by > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, at + by));
  location.hash = '#/c/' + rows[next];
}

/** The list's keys (j, k) and the help overlay (?, Esc). */
export function Shortcuts() {
  const [help, setHelp] = useState(false);
  useKeys({
    j: () => step(1),
    k: () => step(-1),
    '?': () => setHelp((v) => !v),
    Escape: () => setHelp(false),
  });
  if (!help) { return null; }
  return h('div', { class: 'shortcuts-help', id: 'shortcuts-help', role: 'dialog', 'aria-label': 'Keyboard shortcuts' },
    h('h3', null, 'Keyboard shortcuts'),
    h('table', null, h('tbody', null, SHORTCUTS.map(([key, what]) => h('tr', { key },
      h('td', null, h('kbd', null, key)), h('td', null, what))))),
    h('p', { class: 'meta' }, 'They do nothing while you type in a field.'),
    h('button', { id: 'shortcuts-close', onClick: () => setHelp(false) }, 'Close'));
}
