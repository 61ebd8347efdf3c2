import { armHits, blankJsonComments } from './arm.js';
import { BICEP_TRIGGER, bicepHits } from './bicep.js';
import { readJson } from './flow.js';
import { kubernetesHits } from './k8s.js';
import { codeBlocks } from './markdown.js';
import { SECRET_TRIGGER, secretHits } from './secrets.js';
import { COMMAND_TRIGGER, shellHits } from './shell.js';
import { suppressed } from './suppress.js';
import { TERRAFORM_TRIGGER, terraformHits } from './terraform.js';
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
const KUBERNETES_TRIGGER = /\bkind["']?\s*:\s*["']?(?:Secret|AzureIdentity(?:Binding)?)\b|secretKeyRef|secretRef|nodePublishSecretRef|AZURE_CLIENT_SECRET|azurekv|usePodIdentity|aadpodidbinding|secretGenerator/;
/** What an ARM template that deploys a vault mentions. */
const ARM_TRIGGER = /Microsoft\.KeyVault/i;

/**
 * Every reader's cheap look. familyHits starts each reader only when one of these matches the text it
 * is given, so a text none of them matches can give no finding: looking for them all first spares most
 * files of a repository everything else. One by one, not as one alternation: V8 searches each of these
 * small expressions several times faster than their union, which defeats its literal search.
 */
export const TRIGGERS: readonly RegExp[] = [KUBERNETES_TRIGGER, ARM_TRIGGER, SECRET_TRIGGER, COMMAND_TRIGGER, TERRAFORM_TRIGGER, BICEP_TRIGGER];

/**
 * The findings of one text of a family. Each reader first takes a cheap look at the whole text and
 * reads its lines only when that look finds what it is about: most files of a repository hold nothing
 * the rules look for, and then cost a few regular-expression scans.
 */
function familyHits(family: Family, text: string, lines: () => string[], firstLine: number): Hit[] {
  const hits: Hit[] = [];
  const secrets = () => {
    if (SECRET_TRIGGER.test(text)) hits.push(...secretHits(lines(), firstLine));
  };
  const commands = () => {
    if (COMMAND_TRIGGER.test(text)) hits.push(...shellHits(lines(), firstLine));
  };
  switch (family) {
    case 'yaml':
      if (KUBERNETES_TRIGGER.test(text)) hits.push(...kubernetesHits(readYaml(lines(), firstLine)));
      commands();
      secrets();
      break;
    case 'json': {
      const kubernetes = KUBERNETES_TRIGGER.test(text);
      const arm = ARM_TRIGGER.test(text);
      if (kubernetes || arm) {
        const root = readJson(blankJsonComments(text).split('\n'), firstLine);
        if (kubernetes) hits.push(...kubernetesHits([root]));
        if (arm) hits.push(...armHits(root));
      }
      secrets();
      break;
    }
    case 'terraform':
      if (TERRAFORM_TRIGGER.test(text)) hits.push(...offset(terraformHits(lines()), firstLine));
      commands();
      secrets();
      break;
    case 'bicep':
      if (BICEP_TRIGGER.test(text)) hits.push(...offset(bicepHits(lines()), firstLine));
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

/**
 * Whether a text may give a finding, by the readers' looks. Not for Markdown, whose code
 * blocks familyHits reads one by one, with console prompts taken off the lines, which could join
 * words the file keeps apart (`az` ending one line, `$ login` the next).
 */
export const mayHaveFindings = (family: Family, text: string): boolean => family === 'markdown' || TRIGGERS.some((trigger) => trigger.test(text));

/**
 * The findings of one file. `firstLook: false` skips mayHaveFindings, which must change nothing but
 * the time taken: the corpus test holds it to that.
 */
export function auditText(path: string, text: string, { firstLook = true } = {}): Hit[] {
  const family = familyOf(path, text);
  if (firstLook && !mayHaveFindings(family, text)) return [];
  let split: string[] | undefined;
  const lines = () => (split ??= text.split(/\r?\n/));
  const hits = familyHits(family, text, lines, 1);
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
