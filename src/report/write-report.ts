/**
 * Writes a MatrixReport's four renderings (JSON, text, Markdown, HTML) into one directory.
 * Each file is written whole and renamed into place, so readers never see half a report.
 */
import { join } from 'node:path';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { serializeMatrix } from './matrix';
import { renderText } from './text';
import type { MatrixReport } from './types';
import { writeFileAtomic } from '../runner/write-atomic';

export const REPORT_FILES = { json: 'policy-matrix.json', text: 'policy-matrix.txt', markdown: 'policy-matrix.md', html: 'index.html', runInfo: 'run-info.json' } as const;

export interface WriteReportOptions {
  readonly report: MatrixReport;
  readonly outDir: string;
  /** Timestamps, durations, versions: everything that would make policy-matrix.json differ run to run. */
  readonly runInfo?: Record<string, unknown>;
  /** Link from index.html to the project's docs/ (default `../docs/`, right for reports/). */
  readonly docsHref?: string;
  /** A notice at the top of index.html (a partial run says so and names the full report's place). */
  readonly notice?: string;
}

export async function writeReport({ report, outDir, runInfo, docsHref, notice }: WriteReportOptions): Promise<string[]> {
  // Render everything before touching the disk, so a rendering bug cannot leave a mixed report.
  const files: [string, string][] = [
    [REPORT_FILES.json, serializeMatrix(report)],
    [REPORT_FILES.text, renderText(report)],
    [REPORT_FILES.markdown, renderMarkdown(report)],
    [REPORT_FILES.html, renderHtml(report, { ...(docsHref === undefined ? {} : { docsHref }), ...(notice === undefined ? {} : { notice }) })],
  ];
  if (runInfo) files.push([REPORT_FILES.runInfo, `${JSON.stringify(runInfo, null, 2)}\n`]);
  for (const [name, text] of files) await writeFileAtomic(join(outDir, name), text);
  return files.map(([name]) => join(outDir, name));
}
