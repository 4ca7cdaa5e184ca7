import { entries, h } from '../dom.js';

/** /messages/{n}: {from, text, ts}; a message is {"say": text}. */
export function chatView({ send, viewer }) {
  const log = h('ol', { class: 'chat-log', 'aria-live': 'polite' });
  const input = h('input', { name: 'say', placeholder: 'Say something', maxlength: '2000', autocomplete: 'off' });
  const form = h(
    'form',
    {
      class: 'row',
      onsubmit: (e) => {
        e.preventDefault();
        if (!input.value.trim()) return;
        send({ say: input.value });
        input.value = '';
      },
    },
    input,
    h('button', { type: 'submit' }, 'Send'),
  );
  return {
    el: h('section', { class: 'space chat' }, log, form),
    update(doc) {
      const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
      log.replaceChildren(
        ...entries(doc.messages).map(([n, m]) =>
          h('li', { class: m.from === viewer ? 'mine' : '', dataset: { n } },
            h('b', null, m.from ?? '?'), ' ', h('span', null, m.text),
            h('time', null, new Date(m.ts).toLocaleTimeString()))),
      );
      if (atBottom) log.scrollTop = log.scrollHeight;
    },
  };
}
