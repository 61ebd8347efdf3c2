import type { RenderedFile } from '../render/index.js';
import type { FileReport, FileStatus } from '../write/index.js';

export const LANGUAGE: Record<RenderedFile['kind'], string> = { yaml: 'yaml', bash: 'bash', markdown: 'markdown', text: 'text' };

/** A fenced block that holds `content` verbatim, whatever fences it contains itself. */
export function fenced(content: string, language: string): string {
  const longestRun = Math.max(0, ...(content.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${content.endsWith('\n') ? content : `${content}\n`}${fence}\n`;
}

/** --stdout: every file as a Markdown section, ready to paste into docs or a PR. */
export function filesAsMarkdown(files: RenderedFile[]): string {
  return files.map((f) => `## ${f.path}\n\n${fenced(f.content, LANGUAGE[f.kind])}`).join('\n');
}

const PAST: Record<FileStatus, string> = { create: 'created', change: 'changed', unchanged: 'unchanged', edited: 'replaced' };
const FUTURE: Record<FileStatus, string> = { create: 'create', change: 'change', unchanged: 'unchanged', edited: 'replace' };

/** One line per file; a file the user edited says what happens to their version. */
export function reportLines(reports: FileReport[], dryRun: boolean): string {
  return reports
    .map((r) => {
      if (r.status === 'edited' && !r.backup) return `  ${'edited'.padEnd(10)}${r.path}  (your edit: refused without --force)`;
      const line = `  ${(dryRun ? FUTURE : PAST)[r.status].padEnd(10)}${r.path}`;
      return r.backup ? `${line}  (your version ${dryRun ? 'would be' : 'is'} kept in ${r.backup})` : line;
    })
    .join('\n');
}

export interface Summary {
  dir: string;
  approach: string;
  written: boolean;
  files: { path: string; status: FileStatus | 'printed'; mode: string; backup?: string; content?: string }[];
}

export function summary(dir: string, approach: string, files: RenderedFile[], reports: FileReport[] | undefined, written: boolean, withContent: boolean): Summary {
  return {
    dir,
    approach,
    written,
    files: files.map((f, i) => ({
      path: f.path,
      status: reports ? reports[i]!.status : 'printed',
      mode: f.mode.toString(8).padStart(4, '0'),
      ...(reports?.[i]!.backup ? { backup: reports[i]!.backup } : {}),
      ...(withContent ? { content: f.content } : {}),
    })),
  };
}
