/**
 * Errors a reader of a failing scenario should understand without a JavaScript stack trace.
 *
 * Cucumber's formatters print `error.stack`. For an expected failure (a kernel refusal, a value
 * that does not parse, a missing precondition) the stack only buries the paragraph that explains
 * it, so `teach()` makes the stack the message itself. Set APSPEC_DEBUG=1 to keep real stacks.
 */
import { STEP_ERROR_PREFIX } from '../../src/contract/step-error';

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
 * `teach()` for an authoring error: the feature asks for something the vocabulary cannot do (a value
 * that does not parse, a guest never created, a Then before any When). The message starts with
 * "step error: " (STEP_ERROR_PREFIX); such a cell is no verdict on a policy: `npm start` lists it and
 * exits non-zero (src/report/problems.ts reads the prefix from src/contract/step-error.ts, as collect.ts reads "policy error:").
 */
export function stepError(message: string): Error {
  return teach(`${STEP_ERROR_PREFIX} ${message}`);
}
