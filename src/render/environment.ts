import HandlebarsRuntime from 'handlebars/runtime.js';
import type HandlebarsFull from 'handlebars';
import type { HelperOptions } from 'handlebars';

// Only the runtime ships (templates are precompiled); its typings are the full package's, less compile.
const Handlebars = HandlebarsRuntime as unknown as Omit<typeof HandlebarsFull, 'compile' | 'precompile'>;
import { TEMPLATES } from './templates.generated.js';
import { inlineCode, shellQuoted, shellWord, yamlBlock, yamlScalar, yamlString } from './quote.js';

export type Render = (view: object) => string;

function text(value: unknown, helper: string): string {
  if (typeof value !== 'string') throw new Error(`{{${helper}}} needs a string, got ${typeof value}`);
  return value;
}

/** One Handlebars runtime with the quoting helpers; templates arrive precompiled, partials by name. */
function createEnvironment() {
  const hbs = Handlebars.create();
  hbs.registerHelper('yaml', (value: unknown) => yamlScalar(text(value, 'yaml')));
  hbs.registerHelper('yamlString', (value: unknown) => yamlString(text(value, 'yamlString')));
  hbs.registerHelper('yamlBlock', (value: unknown, options: HelperOptions) => yamlBlock(text(value, 'yamlBlock'), Number(options.hash['indent'] ?? 0)));
  hbs.registerHelper('sh', (value: unknown) => shellWord(text(value, 'sh')));
  hbs.registerHelper('shQuoted', (value: unknown) => shellQuoted(text(value, 'shQuoted')));
  hbs.registerHelper('code', (value: unknown) => inlineCode(text(value, 'code')));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // A file under a folder, whether or not the folder was given with a trailing slash.
  hbs.registerHelper('joinPath', (dir: unknown, file: unknown) => `${text(dir, 'joinPath').replace(/\/+$/, '')}/${text(file, 'joinPath')}`);
  // Names a partial or path from parts: `{{> (concat approach "/_readme-approach")}}`.
  hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map(String).join(''));
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
