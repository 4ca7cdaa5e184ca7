import { h } from './dom.js';

const MAX_FRAMES = 300;

function summary({ direction, frame }) {
  const kind = frame.type ?? frame.op;
  const bits = [kind, frame.doc];
  if (frame.seq !== undefined) bits.push(`seq ${frame.seq}`);
  if (frame.since !== undefined) bits.push(`since ${frame.since}`);
  if (frame.id) bits.push(`id ${frame.id}`);
  if (frame.code) bits.push(`code ${frame.code}`);
  if (frame.reset) bits.push('reset');
  return `${direction === 'in' ? '⇐' : '⇒'} ${bits.filter(Boolean).join(' · ')}`;
}

/** The raw frames both ways (newest first) and the live JSON of the open document. */
export function inspector(root) {
  const frames = h('ol', { class: 'frames', reversed: true });
  const showPings = h('input', { type: 'checkbox' });
  const docTitle = h('h3', null, 'Document');
  const json = h('pre', { class: 'json', 'aria-label': 'live document' }, '—');
  root.replaceChildren(
    h('h2', null, 'Inspector'),
    docTitle,
    json,
    h('div', { class: 'row' }, h('h3', null, 'Frames'),
      h('label', { class: 'muted inline' }, showPings, ' pings'),
      h('button', { class: 'small', onclick: () => frames.replaceChildren() }, 'clear')),
    frames,
  );
  return {
    frame(event) {
      const kind = event.frame.type ?? event.frame.op;
      if ((kind === 'ping' || kind === 'pong') && !showPings.checked) return;
      const text = JSON.stringify(event.frame);
      const details = h('details', { class: `frame ${event.direction} ${kind}`, dataset: { kind } },
        h('summary', null, h('time', null, new Date().toLocaleTimeString()), ' ', summary(event)),
        h('pre', null, JSON.stringify(event.frame, null, 2)));
      details.title = text.length > 300 ? `${text.slice(0, 300)}…` : text;
      frames.prepend(h('li', null, details));
      while (frames.childElementCount > MAX_FRAMES) frames.lastElementChild.remove();
    },
    document(doc, value, info) {
      docTitle.textContent = info ? `${doc} · seq ${info.seq}${info.reset ? ' · reset' : ''}` : doc ?? 'Document';
      json.textContent = value === undefined ? '—' : JSON.stringify(value, null, 2);
      json.classList.remove('flash');
      void json.offsetWidth;
      json.classList.add('flash');
    },
  };
}
