import HandlebarsRuntime from 'handlebars/runtime.js';
import type HandlebarsFull from 'handlebars';
import type { HelperDelegate, HelperOptions } from 'handlebars';
import { TEMPLATES } from './templates.generated.js';
import { inlineCode, shellQuoted, shellVariableOr, shellWord, yamlBlock, yamlScalar, yamlString } from './quote.js';

// Only the runtime ships (templates are precompiled); its typings are the full package's, less compile.
const Handlebars = HandlebarsRuntime as unknown as Omit<typeof HandlebarsFull, 'compile' | 'precompile'>;

export type Render = (view: object) => string;

function text(value: unknown, helper: string): string {
  if (typeof value !== 'string') throw new Error(`{{${helper}}} needs a string, got ${typeof value}`);
  return value;
}

/**
 * Every helper a template may call. scripts/embed-templates.mjs compiles the templates against these
 * names only (knownHelpersOnly), so a template that calls anything else fails the build.
 */
export const HELPERS: Record<string, HelperDelegate> = {
  yaml: (value: unknown) => yamlScalar(text(value, 'yaml')),
  yamlString: (value: unknown) => yamlString(text(value, 'yamlString')),
  yamlBlock: (value: unknown, options: HelperOptions) => yamlBlock(text(value, 'yamlBlock'), Number(options.hash['indent'] ?? 0)),
  sh: (value: unknown) => shellWord(text(value, 'sh')),
  shQuoted: (value: unknown) => shellQuoted(text(value, 'shQuoted')),
  // `{{#shVarOr name}}$(command){{/shVarOr}}`: a template cannot write `${` right before a value
  // (`{{{` opens a raw one), so the helper writes the whole `${NAME:-…}`.
  shVarOr(this: unknown, name: unknown, options: HelperOptions) {
    return shellVariableOr(text(name, 'shVarOr'), options.fn(this));
  },
  code: (value: unknown) => inlineCode(text(value, 'code')),
  eq: (a: unknown, b: unknown) => a === b,
  // A file under a folder, whether or not the folder was given with a trailing slash.
  joinPath: (dir: unknown, file: unknown) => `${text(dir, 'joinPath').replace(/\/+$/, '')}/${text(file, 'joinPath')}`,
  // Names a partial or path from parts: `{{> (concat approach "/_readme-approach")}}`.
  concat: (...args: unknown[]) => args.slice(0, -1).map(String).join(''),
};

/** One Handlebars runtime with the quoting helpers; templates arrive precompiled, partials by name. */
function createEnvironment() {
  const hbs = Handlebars.create();
  for (const [name, helper] of Object.entries(HELPERS)) hbs.registerHelper(name, helper);
  const loaded = new Map<string, Render>();
  const load = (name: string): Render => {
    const known = loaded.get(name);
    if (known) return known;
    const spec = TEMPLATES[name];
    if (spec === undefined) throw new Error(`no template ${name}`);
    const render: Render = hbs.template(spec);
    loaded.set(name, render);
    return render;
  };
  for (const name of Object.keys(TEMPLATES)) {
    if (name.includes('/_')) hbs.registerPartial(name, load(name));
  }
  return load;
}

let environment: ReturnType<typeof createEnvironment> | undefined;

export function template(name: string): Render {
  environment ??= createEnvironment();
  return environment(name);
}
