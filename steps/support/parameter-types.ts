/**
 * The step vocabulary's parameter types (spec/steps.md, "Parameter types"), plus the types that
 * carry the vocabulary's multi-word alternatives (`adapter/domain/control domain`, `PQAP(TAPQ)`).
 *
 * Value types use permissive regular expressions and throw from the transformer, so a bad value
 * fails the step with a message naming the parameter, the value and the accepted forms (parse.ts).
 */
import { defineParameterType } from '@cucumber/cucumber';
import * as p from './parse';

function define(name: string, regexp: string, transformer: (text: string) => unknown): void {
  defineParameterType({ name, regexp: new RegExp(regexp), transformer, useForSnippets: false });
}

define('id', p.ID_PATTERN, p.parseId);
define('ids', p.IDS_PATTERN, p.parseIds);
define('apqn', p.APQN_PATTERN, p.parseApqn);
define('apqns', p.APQNS_PATTERN, p.parseApqns);
define('errno', p.ERRNO_PATTERN, p.parseErrno);
define('rc', p.RC_PATTERN, p.parseRc);

// Alternatives (closed lists; a typo leaves the step undefined, and Cucumber then suggests one).
define('matrix_kind', p.MATRIX_KIND_PATTERN, p.parseMatrixKind);
define('matrix_attr', p.MATRIX_ATTR_PATTERN, p.parseMatrixAttr);
define('ap_instruction', p.AP_INSTRUCTION_PATTERN, p.parseApInstruction);
define('apie_switch', 'enables|disables', (s) => s === 'enables');
define('ap_mask', 'apmask|aqmask', (s) => s);
define('program_exception', 'operation|specification|privileged-operation', (s) => s);
define('key_wrapping', 'AES|DEA', (s) => s);
define('queue_driver', 'vfio_ap|the default driver|no driver', (s) => s);
