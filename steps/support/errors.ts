/**
 * Errors a reader of a failing scenario should understand without a JavaScript stack trace.
 *
 * Cucumber's formatters print `error.stack`. For an expected failure (a kernel refusal, a value
 * that does not parse, a missing precondition) the stack only buries the paragraph that explains
 * it, so `teach()` makes the stack the message itself. Set APSPEC_DEBUG=1 to keep real stacks.
 */

/** Hide the JavaScript stack of `err` unless APSPEC_DEBUG=1. Returns `err`. */
export function withoutStack<E extends Error>(err: E): E {
  if (process.env.APSPEC_DEBUG !== '1') err.stack = err.message;
  return err;
}

/** An Error whose message is the teaching paragraph, and (unless debugging) whose stack is too. */
export function teach(message: string): Error {
  return withoutStack(new Error(message));
}

/**
 * The prefix of an authoring error: the feature asks for something the vocabulary cannot do (a value
 * that does not parse, a guest never created, a Then before any When). Such a cell is no verdict on
 * a policy; `npm start` lists it and exits non-zero (src/report/collect.ts reads this prefix, as it
 * reads "policy error:" for a broken policy).
 */
export const STEP_ERROR_PREFIX = 'step error: ';

/** `teach()` for an authoring error: the message starts with "step error: ". */
export function stepError(message: string): Error {
  return teach(`${STEP_ERROR_PREFIX}${message}`);
}
