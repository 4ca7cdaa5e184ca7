import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from '../docstream.js';

const appendixA = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

for (const [i, [target, patch, result]] of appendixA.entries()) {
  test(`RFC 7396 appendix A, example ${i + 1}: ${JSON.stringify(target)} + ${JSON.stringify(patch)}`, () => {
    assert.deepEqual(applyMergePatch(target, patch), result);
  });
}

test('RFC 7396 section 3 example', () => {
  const target = {
    title: 'Goodbye!',
    author: { givenName: 'John', familyName: 'Doe' },
    tags: ['example', 'sample'],
    content: 'This will be unchanged',
  };
  const patch = { title: 'Hello!', phoneNumber: '+01-123-456-7890', author: { familyName: null }, tags: ['example'] };
  assert.deepEqual(applyMergePatch(target, patch), {
    title: 'Hello!',
    author: { givenName: 'John' },
    tags: ['example'],
    content: 'This will be unchanged',
    phoneNumber: '+01-123-456-7890',
  });
});

test('leaves target and patch untouched and shares the members the patch does not reach', () => {
  const target = { keep: { deep: [1] }, change: { x: 1 } };
  const patch = { change: { x: null, y: 2 } };
  const frozen = JSON.stringify([target, patch]);
  const out = applyMergePatch(target, patch);
  assert.equal(JSON.stringify([target, patch]), frozen);
  assert.equal(out.keep, target.keep);
  assert.deepEqual(out.change, { y: 2 });
});

test('a member named __proto__ is data, not the prototype', () => {
  const out = applyMergePatch({}, JSON.parse('{"__proto__": {"polluted": true}}'));
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.deepEqual(Object.keys(out), ['__proto__']);
  assert.equal({}.polluted, undefined);
  assert.deepEqual(applyMergePatch(out, JSON.parse('{"__proto__": null}')), {});
});
