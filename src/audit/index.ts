import { armHits, blankJsonComments } from './arm.js';
import { bicepHits } from './bicep.js';
import { readJson } from './flow.js';
import { kubernetesHits } from './k8s.js';
import { codeBlocks } from './markdown.js';
import { secretHits } from './secrets.js';
import { shellHits } from './shell.js';
import { suppressed } from './suppress.js';
import { terraformHits } from './terraform.js';
import type { Hit } from './types.js';
import { readYaml } from './yaml.js';

export { RULES, RULE_IDS, isRuleId } from './rules.js';
export type { RuleInfo } from './rules.js';
export type { Finding, Hit, RuleId } from './types.js';

/**
 * The audit of one file: its path and text in, its findings out (suppressed ones removed), sorted by
 * line. Pure: the folder walk that feeds it lives at the edge (src/walk).
 */

export type Family = 'yaml' | 'json' | 'terraform' | 'bicep' | 'shell' | 'markdown' | 'text';

const BY_EXTENSION: Record<string, Family> = {
  yaml: 'yaml', yml: 'yaml', tpl: 'yaml',
  json: 'json', jsonc: 'json',
  tf: 'terraform',
  bicep: 'bicep',
  sh: 'shell', bash: 'shell', zsh: 'shell', ksh: 'shell', ps1: 'shell', psm1: 'shell', mk: 'shell',
  md: 'markdown', markdown: 'markdown', mdx: 'markdown',
};

const BY_LANGUAGE: Record<string, Family> = {
  yaml: 'yaml', yml: 'yaml', json: 'json', jsonc: 'json', hcl: 'terraform', terraform: 'terraform', tf: 'terraform', bicep: 'bicep',
  sh: 'shell', bash: 'shell', shell: 'shell', console: 'shell', zsh: 'shell', azurecli: 'shell', 'azurecli-interactive': 'shell',
  'azure-cli': 'shell', powershell: 'shell', pwsh: 'shell', ps1: 'shell', dockerfile: 'shell', makefile: 'shell', '': 'shell',
};

export function familyOf(path: string, text: string): Family {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const family = dot > 0 ? BY_EXTENSION[name.slice(dot + 1).toLowerCase()] : undefined;
  if (family) return family;
  if (/^(?:Dockerfile|Containerfile|Makefile|Jenkinsfile)(?:\..*)?$/.test(name) || /^#!.*\b(?:ba|z|k)?sh\b/.test(text.slice(0, 80))) return 'shell';
  return 'text';
}

/** A Kubernetes rule only looks at a text that names a secret or pod identity. */
const KUBERNETES_WORDS = /secret|podid|azureidentity|aadpodidbinding/i;

function familyHits(family: Family, lines: string[], firstLine: number, text: string): Hit[] {
  switch (family) {
    case 'yaml':
      return [
        ...(KUBERNETES_WORDS.test(text) ? kubernetesHits(readYaml(lines, firstLine)) : []),
        ...shellHits(lines, firstLine, text),
        ...secretHits(lines, firstLine, text),
      ];
    case 'json': {
      const root = readJson(blankJsonComments(text).split('\n'), firstLine);
      return [...(KUBERNETES_WORDS.test(text) ? kubernetesHits([root]) : []), ...armHits(root), ...secretHits(lines, firstLine, text)];
    }
    case 'terraform':
      return [...offset(terraformHits(lines), firstLine), ...shellHits(lines, firstLine, text), ...secretHits(lines, firstLine, text)];
    case 'bicep':
      return [...offset(bicepHits(lines), firstLine), ...secretHits(lines, firstLine, text)];
    case 'shell':
      return [...shellHits(lines, firstLine, text), ...secretHits(lines, firstLine, text)];
    case 'markdown':
      return codeBlocks(lines).flatMap((block) => {
        const inner = BY_LANGUAGE[block.language] ?? 'text';
        const blockText = block.lines.join('\n');
        // An untagged block may hold a manifest as well as commands.
        const extra = block.language === '' && /^\s*(?:apiVersion|kind):/m.test(blockText) ? familyHits('yaml', block.lines, firstLine + block.from, blockText).filter((h) => h.rule !== 'KVS005') : [];
        return [...familyHits(inner, block.lines, firstLine + block.from, blockText), ...extra];
      });
    case 'text':
      return secretHits(lines, firstLine, text);
  }
}

/** Line-based readers number from 1; a code block starts further down its file. */
function offset(hits: Hit[], firstLine: number): Hit[] {
  return firstLine === 1 ? hits : hits.map((h) => ({ ...h, line: h.line + firstLine - 1 }));
}

export function auditText(path: string, text: string): Hit[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) if (lines[i]!.endsWith('\r')) lines[i] = lines[i]!.slice(0, -1);
  const seen = new Set<string>();
  return familyHits(familyOf(path, text), lines, 1, text)
    .filter((hit) => {
      const id = `${hit.rule}:${hit.line}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return !suppressed(lines, hit);
    })
    .sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}
