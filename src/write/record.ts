/**
 * The record of what a write put in a folder: the sha256 of each generated file as written, kept in
 * the folder itself (RECORD_FILE), so that a later write can tell a file the user never touched
 * (rewritten freely) from one the user edited (refused without --force).
 *
 * Files that azure/setup.sh completes: it writes the IDs it learns over placeholders, literally (its
 * fill_placeholders). The record keeps where each placeholder stood, so a file whose only difference
 * is a UUID in each such place still counts as the tool's own: the check puts the placeholders back
 * and compares hashes. No ID has to be known for that, and setup.sh never has to touch the record.
 */

/** Hidden (machinery, not for reading), named after kv-secrets.yaml beside it, JSON for programs. */
export const RECORD_FILE = '.kv-secrets-generated.json';

/** What a file held where setup.sh may write an ID: placeholder name → its literal text. */
export type Fillable = Readonly<Record<string, string>>;

export interface RecordOptions {
  fillable: Fillable;
  /**
   * Generated paths this run took its answers from (kv-secrets.yaml given as --config): the new file
   * holds every answer the user wrote there, so it is rewritten like the tool's own, never refused.
   */
  inputs?: string[];
}

interface RecordEntry {
  sha256: string;
  /** Offsets (UTF-16 units, in the content as generated) of each placeholder, by name. */
  placeholders?: Record<string, number[]>;
}
interface RecordDocument {
  about: string;
  version: 1;
  files: Record<string, RecordEntry>;
}
export type Recorded = ReadonlyMap<string, RecordEntry>;

const ABOUT = 'Written by create-kv-secrets: each generated file as it was written (sha256), so that regenerating rewrites the files you did not edit and refuses the ones you did. Keep it with the folder (commit it); do not edit it.';
const UUID = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const UUID_LENGTH = 36;

export function sha256(data: Buffer | string): string {
  // Loaded on first use: crypto costs every start, and only writing a folder hashes.
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(data).digest('hex');
}

function placeholdersIn(content: string, fillable: Fillable): Record<string, number[]> | undefined {
  const found: Record<string, number[]> = {};
  for (const [name, text] of Object.entries(fillable)) {
    const at: number[] = [];
    for (let i = content.indexOf(text); i !== -1; i = content.indexOf(text, i + text.length)) at.push(i);
    if (at.length > 0) found[name] = at;
  }
  return Object.keys(found).length > 0 ? found : undefined;
}

/** The record of `files` (path → content as written), as the text of RECORD_FILE. */
export function recordText(files: { path: string; content: string }[], fillable: Fillable): string {
  const lines = files.map((file) => {
    const placeholders = placeholdersIn(file.content, fillable);
    const entry: RecordEntry = { sha256: sha256(file.content), ...(placeholders ? { placeholders } : {}) };
    return `    ${JSON.stringify(file.path)}: ${JSON.stringify(entry)}`;
  });
  // A RecordDocument with one line per file: short, and a diff of it shows which files changed.
  return `{\n  "about": ${JSON.stringify(ABOUT)},\n  "version": 1,\n  "files": {\n${lines.join(',\n')}\n  }\n}\n`;
}

/** The record a folder holds, or null when it has none this version can read (then no file is known as ours). */
export function parseRecord(text: string): Recorded | null {
  let parsed: Partial<RecordDocument>;
  try {
    parsed = JSON.parse(text) as Partial<RecordDocument>;
  } catch {
    return null;
  }
  if (parsed?.version !== 1 || typeof parsed.files !== 'object' || parsed.files === null) return null;
  const entries = new Map<string, RecordEntry>();
  for (const [path, entry] of Object.entries(parsed.files)) {
    if (typeof entry?.sha256 !== 'string') return null;
    const placeholders = entry.placeholders ?? {};
    if (typeof placeholders !== 'object' || !Object.values(placeholders).every((at) => Array.isArray(at) && at.every((n) => Number.isSafeInteger(n) && n >= 0))) return null;
    entries.set(path, entry);
  }
  return entries;
}

/**
 * The file as generated, if `current` is it with nothing but IDs written over its placeholders (each
 * place a UUID, the same one for every place of a name); null when anything else differs.
 */
function unfilled(current: string, entry: RecordEntry, fillable: Fillable): string | null {
  const slots = Object.entries(entry.placeholders ?? {})
    .flatMap(([name, offsets]) => offsets.map((at) => ({ at, name, text: fillable[name] })))
    .sort((a, b) => a.at - b.at);
  if (slots.length === 0 || slots.some((slot) => slot.text === undefined)) return null;
  const ids = new Map<string, string>();
  let original = '';
  let read = 0; // position in current
  let previousEnd = 0; // position in the content as generated
  for (const slot of slots) {
    const text = slot.text!;
    if (slot.at < previousEnd) return null;
    original += current.slice(read, read + slot.at - previousEnd);
    read += slot.at - previousEnd;
    if (current.startsWith(text, read)) {
      read += text.length;
    } else {
      const id = current.slice(read, read + UUID_LENGTH);
      if (!UUID.test(id) || (ids.get(slot.name) ?? id) !== id) return null;
      ids.set(slot.name, id);
      read += UUID_LENGTH;
    }
    original += text;
    previousEnd = slot.at + text.length;
  }
  return original + current.slice(read);
}

/** Whether `current` is what the record says was generated at `path`, IDs filled in by setup.sh allowed. */
export function isAsRecorded(recorded: Recorded, path: string, current: Buffer, fillable: Fillable): boolean {
  const entry = recorded.get(path);
  if (!entry) return false;
  if (sha256(current) === entry.sha256) return true;
  const original = unfilled(current.toString('utf8'), entry, fillable);
  return original !== null && sha256(original) === entry.sha256;
}
