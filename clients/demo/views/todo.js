import { entries, h } from '../dom.js';

/** /items/{id}: {title, done, ts, by}; ops add, toggle, rename, remove, clear-done. */
export function todoView({ send }) {
  const list = h('ul', { class: 'todo-list' });
  const input = h('input', { name: 'title', placeholder: 'What needs doing?', maxlength: '500', autocomplete: 'off' });
  const left = h('span', { class: 'muted' });
  const add = (e) => {
    e.preventDefault();
    if (!input.value.trim()) return;
    send({ op: 'add', title: input.value });
    input.value = '';
  };
  let editing = null;
  let latest = {};
  const rename = (id, item, label) => {
    const edit = h('input', { value: item.title, maxlength: '500', 'aria-label': 'new title' });
    editing = id;
    const done = (save) => {
      if (editing !== id) return;
      editing = null;
      if (save && edit.value.trim() && edit.value !== item.title) send({ op: 'rename', id, title: edit.value });
      edit.replaceWith(label);
      render(latest);
    };
    edit.addEventListener('keydown', (e) => e.key === 'Enter' ? done(true) : e.key === 'Escape' && done(false));
    edit.addEventListener('blur', () => done(true));
    label.replaceWith(edit);
    edit.focus();
  };
  const row = ([id, item]) => {
    const label = h('span', { class: 'title', title: 'double-click to rename' }, item.title);
    label.addEventListener('dblclick', () => rename(id, item, label));
    return h('li', { class: item.done ? 'done' : '', dataset: { id } },
      h('input', { type: 'checkbox', checked: Boolean(item.done), 'aria-label': 'done', onchange: () => send({ op: 'toggle', id }) }),
      label,
      item.by ? h('small', { class: 'muted' }, item.by) : null,
      h('button', { class: 'icon', title: 'remove', onclick: () => send({ op: 'remove', id }) }, '×'));
  };
  const render = (doc) => {
    const items = entries(doc.items);
    list.replaceChildren(...items.map(row));
    left.textContent = `${items.filter(([, i]) => !i.done).length} left of ${items.length}`;
  };
  return {
    el: h('section', { class: 'space todo' },
      h('form', { class: 'row', onsubmit: add }, input, h('button', { type: 'submit' }, 'Add')),
      list,
      h('footer', { class: 'row' }, left, h('button', { onclick: () => send({ op: 'clear-done' }) }, 'Clear done'))),
    update(doc) {
      latest = doc;
      if (!editing) render(doc);
    },
  };
}
