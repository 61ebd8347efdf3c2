import { duplicateProblems, formatSecretFlag, keyVaultObjectName, objectAlias, OBJECT_TYPES } from '../spec/index.js';
import type { KeyVaultObject, ObjectType, Problem } from '../spec/index.js';
import type { Asker } from './ask.js';
import type { WalkChecks, WalkState } from './state.js';

/** The Key Vault objects the app needs: asked one by one, each refused as `--secret` would refuse it. */
export interface SecretsContext {
  asker: Asker;
  state: WalkState;
  checks: WalkChecks;
  /** Counts the question and prints its section's intro the first time. */
  beforePrompt(): void;
}

const ADD = '\u0000add';

const TYPE_DESCRIPTIONS: Record<ObjectType, string> = {
  secret: 'A secret: a password, an API key, a connection string',
  key: 'A key: the app gets its public part; the private key never leaves Key Vault',
  cert: 'A certificate with its private key, for TLS',
};

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export async function addObjects(ctx: SecretsContext): Promise<void> {
  do {
    const objects = ctx.state.objects();
    objects.push(await askObject(ctx, objects, undefined));
    ctx.state.input.secrets = objects.map(formatSecretFlag);
    ctx.beforePrompt();
  } while (await ctx.asker.yesNo({ message: 'Add another Key Vault object?', default: false }));
}

export async function changeObjects(ctx: SecretsContext): Promise<void> {
  const objects = ctx.state.objects();
  const previews = ctx.checks.deliveries(ctx.state.input);
  ctx.beforePrompt();
  const picked = await ctx.asker.choose<string>({
    message: 'Which Key Vault object?',
    choices: [
      ...objects.map((o, i) => ({ value: String(i), name: `${formatSecretFlag(o)}${previews?.[i] ? `  → ${previews[i]!.text}` : ''}` })),
      { value: ADD, name: 'Add one' },
    ],
  });
  if (picked === ADD) {
    objects.push(await askObject(ctx, objects, undefined));
  } else {
    const index = Number(picked);
    ctx.beforePrompt();
    const action = await ctx.asker.choose<string>({
      message: `${formatSecretFlag(objects[index]!)}:`,
      choices: [
        { value: 'change', name: 'Change it' },
        { value: 'remove', name: 'Remove it', disabled: objects.length === 1 ? '(the app needs at least one)' : false },
      ],
    });
    if (action === 'remove') objects.splice(index, 1);
    else objects[index] = await askObject(ctx, objects.filter((_, i) => i !== index), objects[index], index);
  }
  ctx.state.input.secrets = objects.map(formatSecretFlag);
}

/** One Key Vault object: its name, type and (where it means something) alias, each checked as --secret is. */
async function askObject(ctx: SecretsContext, others: KeyVaultObject[], current: KeyVaultObject | undefined, at = others.length): Promise<KeyVaultObject> {
const { checks } = ctx;
  const flagProblem = (candidate: KeyVaultObject): string | true => {
    const all = [...others.slice(0, at), candidate, ...others.slice(at)];
    const value = formatSecretFlag(candidate);
    const duplicate = duplicateProblems(all, '--secret').find((p) => p.value === candidate.name || p.value === value);
    if (duplicate) return duplicate.rule;
    const input = { ...ctx.state.input, secrets: all.map(formatSecretFlag) };
    const approachProblem = checks.problems(input).find((p: Problem) => p.field === '--secret' && p.value === value);
    return approachProblem ? approachProblem.rule : true;
  };

  ctx.beforePrompt();
  const name = await ctx.asker.text({
    message: 'Name of a Key Vault object the app needs',
    ...(current ? { default: current.name } : {}),
    validate: (value) => {
      const broken = keyVaultObjectName(value);
      if (broken) return `name ${broken}`;
      const twice = others.find((o) => sameName(o.name, value));
      return twice ? (duplicateProblems([twice, { name: value, type: 'secret' }], '--secret')[0]?.rule ?? true) : true;
    },
    edit: current !== undefined,
  });

  ctx.beforePrompt();
  const type = await ctx.asker.choose<ObjectType>({
    message: `Type of ${name}`,
    choices: OBJECT_TYPES.map((t) => ({ value: t, name: t, description: TYPE_DESCRIPTIONS[t] })),
    default: current?.type ?? 'secret',
  });

  const plain: KeyVaultObject = { name, type };
  const input = { ...ctx.state.input, secrets: [...others.slice(0, at), plain, ...others.slice(at)].map(formatSecretFlag) };
  const preview = checks.deliveries(input)?.[at];
  // An ESO certificate becomes its own TLS Secret: there is nothing to alias.
  if (preview && preview.as === undefined) return plain;
  const derived = preview?.as;
  const plainProblem = flagProblem(plain);

  ctx.beforePrompt();
  const alias = await ctx.asker.text({
    message: `${preview?.asQuestion ?? 'Name the app sees'} for ${name}${derived === undefined ? ' (empty: its name)' : ''}`,
    ...(current?.alias !== undefined ? { default: current.alias } : derived !== undefined && plainProblem === true ? { default: derived } : {}),
    validate: (value) => {
      if (value === '' || value === derived) return flagProblem(plain);
      const broken = objectAlias(value);
      if (broken) return `alias ${broken}`;
      return flagProblem({ name, type, alias: value });
    },
  });
  return alias === '' || alias === derived ? plain : { name, type, alias };
}
