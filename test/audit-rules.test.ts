/** The audit's pure parts: the light YAML model, families, suppression, placeholders. */
import { describe, expect, test } from 'vitest';
import { auditText, familyOf } from '../src/audit/index.js';
import { isPlaceholder } from '../src/audit/placeholder.js';
import { allNodes } from '../src/audit/tree.js';
import { readYaml } from '../src/audit/yaml.js';

const outline = (text: string) =>
  readYaml(text.split('\n')).map((doc) => [...allNodes([doc])].slice(1).map((n) => `${n.line}:${n.key ?? '-'}=${n.value}`));

describe('the light YAML model', () => {
  test('indentless sequences, block scalars and documents', () => {
    expect(outline('env:\n- name: A\n  value: x\n- name: B\nrun: |\n  kind: Secret\n  data: x\n---\nnext: 1\n')).toEqual([
      ['1:env=', '2:-=', '2:name=A', '3:value=x', '4:-=', '4:name=B', '5:run=kind: Secret\ndata: x'],
      ['9:next=1'],
    ]);
  });

  test('flow collections over lines, quoted keys, comments and anchors', () => {
    expect(outline('{"kind": "Secret", # c\n "data": {a: \'it\'\'s\', b: [1, {c: d}]}}\nx: &anchor "q # not a comment" # comment\n')).toEqual([
      ['1:kind=Secret', '2:data=', '2:a=it\'s', '2:b=', '2:-=1', '2:-=', '2:c=d', '3:x=q # not a comment'],
    ]);
  });

  test('a flow collection left open does not swallow the rest of the file', () => {
    expect(outline('args: [{{ .Values.x }}\nkind: Secret\n')).toEqual([['1:args=[{{ .Values.x }}', '2:kind=Secret']]);
  });

  test('Helm template lines belong to the deepest key left of them and leave it open', () => {
    expect(outline('data:\n{{- if .Values.a }}\n  k: v\n  {{- toYaml .Values.more | nindent 2 }}\n{{- end }}\nkind: Secret\n')).toEqual([
      ['1:data=', '3:k=v', '4:{{={{- toYaml .Values.more | nindent 2 }}', '2:{{={{- if .Values.a }}', '5:{{={{- end }}', '6:kind=Secret'],
    ]);
  });
});

test('files are read by their family', () => {
  expect(['a.yml', 'b.tpl', 'c.tf', 'd.bicep', 'e.jsonc', 'f.ps1', 'Dockerfile', 'README.md', 'g.env'].map((p) => familyOf(p, ''))).toEqual([
    'yaml', 'yaml', 'terraform', 'bicep', 'json', 'shell', 'shell', 'markdown', 'text',
  ]);
  expect(familyOf('bin/deploy', '#!/usr/bin/env bash\n')).toBe('shell');
});

test('suppression comments in every syntax, on the line or the line above', () => {
  expect(auditText('a.sh', 'az keyvault set-policy -n kv # kvs-audit: ignore KVS002 break-glass only\n')).toEqual([]);
  expect(auditText('a.bicep', "resource p 'Microsoft.KeyVault/vaults/accessPolicies@2023-07-01' = { // kvs-audit: ignore KVS002\n}\n")).toEqual([]);
  expect(auditText('a.md', '```bash\n<!-- kvs-audit: ignore KVS002, KVS004 -->\naz keyvault create -n kv -g rg --enable-rbac-authorization false\n```\n')).toEqual([]);
  expect(auditText('a.sh', '# kvs-audit: ignore KVS004 the one above is another rule\naz keyvault set-policy -n kv\n').map((h) => h.rule)).toEqual(['KVS002']);
});

test('placeholders are not secrets; values of real shape are', () => {
  for (const value of ['<password>', '${DB_PASSWORD}', '$(cat pw)', 'changeme', '{{ .Values.password }}', 'REPLACE_WITH_SECRET', '********', 'xxxxxxxx', '%DB_PW%', '@Microsoft.KeyVault(SecretUri=https://kv)']) {
    expect(isPlaceholder(value), value).toBe(true);
  }
  for (const value of ['Tr0ub4dor-and-3', 'Spring2025-orders!', 'hunter2-prod-7']) expect(isPlaceholder(value), value).toBe(false);
});
