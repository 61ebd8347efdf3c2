/** The record of generated files: what counts as the tool's own (src/write/record.ts). */
import { describe, expect, it } from 'vitest';
import { isAsRecorded, parseRecord, recordText } from '../src/write/record.js';

const FILLABLE = { clientId: '<client-id: filled>', tenantId: '<tenant-id: filled>' };
const CLIENT = '11111111-2222-3333-4444-555555555555';
const OTHER = '66666666-7777-8888-9999-000000000000';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const GENERATED = `client: ${FILLABLE.clientId}\ntenant: "${FILLABLE.tenantId}"\nagain: ${FILLABLE.clientId}\nend\n`;
const recorded = parseRecord(recordText([{ path: 'a.yaml', content: GENERATED }, { path: 'plain.txt', content: 'plain\n' }], FILLABLE))!;
const ours = (path: string, text: string) => isAsRecorded(recorded, path, Buffer.from(text), FILLABLE);

describe('isAsRecorded', () => {
  it('the file as generated, and with IDs written over its placeholders as setup.sh does', () => {
    expect(ours('a.yaml', GENERATED)).toBe(true);
    expect(ours('a.yaml', GENERATED.split(FILLABLE.clientId).join(CLIENT).split(FILLABLE.tenantId).join(TENANT))).toBe(true);
    // Filled in part (one name only) is still its own.
    expect(ours('a.yaml', GENERATED.split(FILLABLE.tenantId).join(TENANT))).toBe(true);
    expect(ours('plain.txt', 'plain\n')).toBe(true);
  });

  it('any other difference is an edit: text beside an ID, two IDs for one name, something not a UUID, an unknown path', () => {
    const filled = GENERATED.split(FILLABLE.clientId).join(CLIENT).split(FILLABLE.tenantId).join(TENANT);
    expect(ours('a.yaml', filled.replace('end', 'END'))).toBe(false);
    expect(ours('a.yaml', filled.replace(`again: ${CLIENT}`, `again: ${OTHER}`))).toBe(false);
    expect(ours('a.yaml', GENERATED.split(FILLABLE.clientId).join('not-a-uuid-at-all-but-36-characters!'))).toBe(false);
    expect(ours('a.yaml', filled.slice(0, -1))).toBe(false);
    expect(ours('plain.txt', 'plain\nmore\n')).toBe(false);
    expect(ours('other.txt', 'plain\n')).toBe(false);
  });

  it('a record this version cannot read is no record', () => {
    expect(parseRecord('{')).toBeNull();
    expect(parseRecord('{"version":2,"files":{}}')).toBeNull();
    expect(parseRecord('{"version":1,"files":{"a":{"sha256":"x","placeholders":{"clientId":[-1]}}}}')).toBeNull();
  });
});
