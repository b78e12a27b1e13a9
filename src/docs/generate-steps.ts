/**
 * docs/steps.md, generated from the step definitions: every phrase of the vocabulary with its
 * parameter types, its one-line meaning and an example, in the order the steps files register them.
 *
 *   npm run docs          (node -r tsx/cjs src/docs/generate-steps.ts)
 *
 * tests/docs/steps-md.test.ts regenerates it in memory and fails when the committed file differs.
 */
import { supportCodeLibraryBuilder } from '@cucumber/cucumber';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CatalogueEntry } from '../../steps/support/define';

export const STEPS_MD = resolve(__dirname, '../../docs/steps.md');

/** The steps files, in the order the catalogue groups them (spec/steps.md's sections). */
const STEP_FILES = [
  ['host.steps', 'Host: firmware, AP configuration, AP bus'],
  ['vfio-ap.steps', 'The vfio_ap driver'],
  ['mdev.steps', "Mediated devices: the administrator's sysfs interface"],
  ['guest.steps', 'Guests: QEMU, a minimal VMM, what runs inside'],
  ['kvm.steps', 'KVM and the VMM: CRYCB, APIE, crypto attributes'],
  ['outcome.steps', 'Outcomes and health'],
  ['policy.steps', 'Policies'],
] as const;

/** What each parameter type accepts. Every registered type must be described here (the generator checks). */
export const PARAMETER_TYPES: Record<string, { accepts: string; examples: string }> = {
  id: { accepts: 'one AP id (adapter, domain or control domain): decimal, or hex with 0x; 0 to 255', examples: '`5`, `0x05`, `0xab`, `255`' },
  ids: { accepts: 'a list of ids and ranges, separated by `,` or `and`', examples: '`1, 2 and 5`, `0-3`, `0x04,0x47`' },
  apqn: { accepts: 'an APQN as the kernel prints it: 2 hex digits (APID), a dot, 4 hex digits (APQI)', examples: '`05.0004`' },
  apqns: { accepts: 'a list of APQNs separated by `,` or `and`', examples: '`05.0004, 05.0005 and 06.0004`' },
  errno: { accepts: 'a Linux errno name the simulated kernel returns (src/sim/errno.ts)', examples: '`ENODEV`, `EINVAL`, `EADDRINUSE`' },
  rc: { accepts: 'an AP response code, hex with 0x', examples: '`0x00`, `0x01`' },
  string: { accepts: 'a quoted name: guest, mediated device, CPU model, sysfs value', examples: '`"g1"`, `"m1"`, `"host,ap=off"`' },
  int: { accepts: 'a decimal integer', examples: '`2`' },
  matrix_kind: { accepts: 'what an assign/unassign step names', examples: '`adapter`, `domain`, `control domain`' },
  matrix_attr: { accepts: 'a writable mdev sysfs attribute', examples: '`assign_adapter`, `unassign_control_domain`' },
  ap_instruction: { accepts: 'an AP instruction a guest executes', examples: '`PQAP(TAPQ)`, `PQAP(QCI)`, `NQAP`, `DQAP`' },
  apie_switch: { accepts: 'the APIE crypto attribute to set', examples: '`enables`, `disables`' },
  ap_mask: { accepts: 'an AP bus mask file', examples: '`apmask`, `aqmask`' },
  program_exception: { accepts: 'a program exception the guest receives', examples: '`operation`, `specification`, `privileged-operation`' },
  key_wrapping: { accepts: 'a key-wrapping kind (CRYCB wrapping-key masks)', examples: '`AES`, `DEA`' },
  queue_driver: { accepts: 'who an AP queue device is bound to', examples: '`vfio_ap`, `the default driver`, `no driver`' },
};

export interface LoadedCatalogue {
  readonly groups: { title: string; entries: CatalogueEntry[] }[];
  /** Names of the custom parameter types registered. */
  readonly parameterTypes: string[];
}

/**
 * Load the step definitions into a fresh support-code builder, one steps file at a time, and group
 * the catalogue by file. `load` imports a module of steps/ by its path relative to steps/
 * (`require` in the script, `import()` under vitest); the steps must not have been loaded before.
 */
export async function loadCatalogue(load: (file: string) => unknown): Promise<LoadedCatalogue> {
  let id = 0;
  supportCodeLibraryBuilder.reset(process.cwd(), () => String(id++));
  const define = (await load('support/define')) as typeof import('../../steps/support/define');
  await load('support/parameter-types');
  const groups: { title: string; entries: CatalogueEntry[] }[] = [];
  for (const [file, title] of STEP_FILES) {
    const before = define.CATALOGUE.length;
    await load(file);
    groups.push({ title, entries: define.CATALOGUE.slice(before) });
  }
  if (groups.some((g) => g.entries.length === 0)) throw new Error('loadCatalogue: a steps file registered no step (was it loaded before?)');
  const library = supportCodeLibraryBuilder.finalize();
  const registry = library.parameterTypeRegistry as unknown as { parameterTypes: Iterable<{ name?: string; builtin: boolean }> };
  const parameterTypes = [...registry.parameterTypes].filter((t) => t.name && !t.builtin).map((t) => t.name!);
  return { groups, parameterTypes };
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string): string => '`' + text.replace(/`/g, "'") + '`';

/** The Markdown text of docs/steps.md. */
export function renderStepsMarkdown({ groups, parameterTypes }: LoadedCatalogue): string {
  const missing = parameterTypes.filter((t) => !PARAMETER_TYPES[t]);
  if (missing.length) throw new Error(`src/docs/generate-steps.ts: describe the parameter type(s) ${missing.join(', ')} in PARAMETER_TYPES.`);
  const used = new Set(groups.flatMap((g) => g.entries.flatMap((e) => [...e.expression.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))));
  const out: string[] = [
    '<!-- GENERATED by `npm run docs` (src/docs/generate-steps.ts) from the step definitions. Do not edit. -->',
    '# The step catalogue',
    '',
    'Every step a feature file may use, generated from `steps/*.steps.ts` (each step is registered with',
    '`step(keyword, expression, { meaning, example }, fn)` in `steps/support/define.ts`). A step that',
    'matches none of these is undefined: cucumber then prints the closest phrases and a snippet.',
    'How to write a feature: [writing-features.md](writing-features.md); terms: [glossary.md](glossary.md).',
    '',
    'Cucumber matches the text after the keyword whatever the keyword (`And`/`But` continue the one',
    'before); the keyword shown is the one the step is written for. Where a step means different things',
    'as a Given, When or Then, each has its own row.',
    '',
    '## Parameter types',
    '',
    '| type | accepts | examples |',
    '|---|---|---|',
    ...Object.entries(PARAMETER_TYPES)
      .filter(([name]) => used.has(name))
      .map(([name, t]) => `| \`{${name}}\` | ${cell(t.accepts)} | ${t.examples} |`),
    '',
    'A value that does not parse fails the step with a "step error" naming the parameter, the value and',
    'the accepted forms.',
  ];
  for (const g of groups) {
    out.push('', `## ${g.title}`, '', '| step | parameters | meaning | example |', '|---|---|---|---|');
    for (const e of g.entries) {
      const params = [...e.expression.matchAll(/\{(\w+)\}/g)].map((m) => `\`{${m[1]}}\``);
      const example = e.example.split('\n');
      const exampleText = example.length > 1 ? `${code(example[0])} + doc string` : code(example[0]);
      out.push(`| ${code(`${e.keyword} ${e.expression}`)} | ${params.join(', ') || '-'} | ${cell(e.meaning)} | ${exampleText} |`);
    }
  }
  return `${out.join('\n')}\n`;
}

if (require.main === module) {
  const stepsDir = resolve(__dirname, '../../steps');
  void loadCatalogue((file) => require(join(stepsDir, file))).then((catalogue) => {
    writeFileSync(STEPS_MD, renderStepsMarkdown(catalogue));
    process.stdout.write(`wrote ${STEPS_MD}\n`);
  });
}
