/**
 * `--tags`: checked before anything runs, with cucumber's own parser and message. Cucumber itself
 * reports a bad expression only from inside its pickle filter, wrapped as "Cucumber errored when
 * trying to do a "pickles:filter" transform", which hid the message behind an internal error.
 */
import parseTagExpression from '@cucumber/tag-expressions';
import { UsageError } from './errors';

export function checkTagExpression(expression: string): void {
  try {
    parseTagExpression(expression);
  } catch (err) {
    throw new UsageError(
      `--tags: ${err instanceof Error ? err.message : String(err)} Write a tag expression such as "@thread and not @wip" (tags start with @; and, or, not, parentheses).`,
    );
  }
}
