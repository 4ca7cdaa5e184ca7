import { h } from '../dom.js';

/** Any other space: the document is shown by the inspector; messages go through the raw box. */
export function jsonView() {
  return {
    el: h('section', { class: 'space json muted' },
      'No special view for this space: watch the document in the inspector and send raw messages below ',
      '(for the json space a message is a merge patch, e.g. {"title": "hi"}).'),
    update() {},
  };
}
