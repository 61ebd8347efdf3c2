import { armHits, blankJsonComments } from './arm.js';
import { bicepHits, mentionsBicepVault } from './bicep.js';
import { readJson } from './flow.js';
import { kubernetesHits } from './k8s.js';
import { codeBlocks } from './markdown.js';
import { mayHoldSecrets, secretHits } from './secrets.js';
import { mentionsCommands, shellHits } from './shell.js';
import { suppressed } from './suppress.js';
import { mentionsTerraformVault, terraformHits } from './terraform.js';
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

/** What the Kubernetes rules look for; a text with none of it is not read into the model. */
const KUBERNETES = /\bkind["']?\s*:\s*["']?(?:Secret|AzureIdentity(?:Binding)?)\b|secretKeyRef|secretRef|nodePublishSecretRef|AZURE_CLIENT_SECRET|azurekv|usePodIdentity|aadpodidbinding|secretGenerator/;

/**
 * The findings of one text of a family. Each reader first takes a cheap look at the whole text and
 * reads its lines only when that look finds what it is about: most files of a repository hold nothing
 * the rules look for, and then cost a few regular-expression scans.
 */
function familyHits(family: Family, text: string, lines: () => string[], firstLine: number): Hit[] {
  const hits: Hit[] = [];
  const secrets = () => {
    if (mayHoldSecrets(text)) hits.push(...secretHits(lines(), firstLine));
  };
  const commands = () => {
    if (mentionsCommands(text)) hits.push(...shellHits(lines(), firstLine));
  };
  switch (family) {
    case 'yaml':
      if (KUBERNETES.test(text)) hits.push(...kubernetesHits(readYaml(lines(), firstLine)));
      commands();
      secrets();
      break;
    case 'json': {
      const kubernetes = KUBERNETES.test(text);
      const arm = /Microsoft\.KeyVault/i.test(text);
      if (kubernetes || arm) {
        const root = readJson(blankJsonComments(text).split('\n'), firstLine);
        if (kubernetes) hits.push(...kubernetesHits([root]));
        if (arm) hits.push(...armHits(root));
      }
      secrets();
      break;
    }
    case 'terraform':
      if (mentionsTerraformVault(text)) hits.push(...offset(terraformHits(lines()), firstLine));
      commands();
      secrets();
      break;
    case 'bicep':
      if (mentionsBicepVault(text)) hits.push(...offset(bicepHits(lines()), firstLine));
      secrets();
      break;
    case 'shell':
      commands();
      secrets();
      break;
    case 'markdown':
      if (!text.includes('```') && !text.includes('~~~')) break;
      for (const block of codeBlocks(lines())) {
        const inner = BY_LANGUAGE[block.language] ?? 'text';
        const blockText = block.lines.join('\n');
        const blockLines = () => block.lines;
        hits.push(...familyHits(inner, blockText, blockLines, firstLine + block.from));
        // An untagged block may hold a manifest as well as commands.
        if (block.language === '' && /^\s*(?:apiVersion|kind):/m.test(blockText)) hits.push(...familyHits('yaml', blockText, blockLines, firstLine + block.from));
      }
      break;
    case 'text':
      secrets();
      break;
  }
  return hits;
}

/** Line-based readers number from 1; a code block starts further down its file. */
function offset(hits: Hit[], firstLine: number): Hit[] {
  return firstLine === 1 ? hits : hits.map((h) => ({ ...h, line: h.line + firstLine - 1 }));
}

export function auditText(path: string, text: string): Hit[] {
  let split: string[] | undefined;
  const lines = () => (split ??= text.split(/\r?\n/));
  const hits = familyHits(familyOf(path, text), text, lines, 1);
  if (hits.length === 0) return hits;
  const seen = new Set<string>();
  return hits
    .filter((hit) => {
      const id = `${hit.rule}:${hit.line}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return !suppressed(lines(), hit);
    })
    .sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}
