import { PLACEHOLDERS } from '../spec/index.js';
import type { RecordOptions } from '../write/index.js';

/**
 * How generated folders are recorded: the ID placeholders are where azure/setup.sh writes IDs, so a
 * file that differs only there is still the tool's own (src/write/record.ts).
 */
export const FOLDER_RECORD: RecordOptions = { fillable: PLACEHOLDERS };
