// ts-jest, plus one line that makes the test build of hot loops as fast as the bundle users run. Jest runs every
// test file in a vm context, whose global object Node intercepts: each read of a global (`Math`, `Number`) from
// compiled code then leaves V8's fast path for a runtime call, about 1 µs each. A kernel loop with four Math.imul per
// bar ran 100 times slower under jest than in the esbuild bundle. Bound once per module as constants, Math and
// Number are read from the module's own scope instead. Only tests are compiled this way; the line goes after
// "use strict" on the first line, so no line number of a stack trace moves.
const { createHash } = require('node:crypto');
const { default: tsJest } = require('ts-jest');

const BIND = 'const { Math, Number } = globalThis;';

function bindGlobals(code) {
  const strict = '"use strict";';
  return code.startsWith(strict) ? `${strict}${BIND}${code.slice(strict.length)}` : `${BIND}${code}`;
}

module.exports = {
  createTransformer(options) {
    const transformer = tsJest.createTransformer(options);
    const withBinding = (result) =>
      typeof result === 'string' ? bindGlobals(result) : { ...result, code: bindGlobals(result.code) };
    return {
      process: (...args) => withBinding(transformer.process(...args)),
      processAsync: async (...args) => withBinding(await transformer.processAsync(...args)),
      getCacheKey: (...args) =>
        createHash('sha1')
          .update(transformer.getCacheKey(...args))
          .update(BIND)
          .digest('hex'),
      getCacheKeyAsync: async (...args) =>
        createHash('sha1')
          .update(await transformer.getCacheKeyAsync(...args))
          .update(BIND)
          .digest('hex'),
    };
  },
};
