import type { confirm, input, select } from '@inquirer/prompts';

/** The three prompts the walk uses; loaded on demand so that runs without prompts never load them. */
export interface Prompts {
  input: typeof input;
  select: typeof select;
  confirm: typeof confirm;
}

export async function loadPrompts(): Promise<Prompts> {
  const { input, select, confirm } = await import('./inquirer.js');
  return { input, select, confirm };
}

/** The user pressed Ctrl-C or Esc: nothing is written. */
export class WalkCancelled extends Error {
  override name = 'WalkCancelled';
  constructor() {
    super('cancelled');
  }
}

/** Where the prompts read keys and draw; the process's terminal unless a test gives its own. */
export interface Terminal {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

export interface Choice<V> {
  value: V;
  name: string;
  /** Shown after the answer; the name when absent. */
  short?: string;
  description?: string;
  disabled?: boolean | string;
}

type Context = Terminal & { signal: AbortSignal };

/**
 * The prompts, as the walk calls them: Esc aborts like Ctrl-C does, and both come out as
 * WalkCancelled, whatever the prompt library calls them.
 */
export class Asker {
  constructor(
    private readonly prompts: Prompts,
    private readonly terminal: Terminal,
    /** Aborted when the run is interrupted between questions (SIGINT while az is being asked). */
    private readonly cancel?: AbortSignal,
  ) {}

  private async run<T>(ask: (context: Context) => Promise<T>): Promise<T> {
    if (this.cancel?.aborted) throw new WalkCancelled();
    const keys = this.terminal.input ?? process.stdin;
    const escape = new AbortController();
    // readline turns the raw bytes into keypress events on its input once a prompt is listening.
    const onKey = (_: unknown, key?: { name?: string }) => {
      if (key?.name === 'escape') escape.abort();
    };
    keys.on('keypress', onKey);
    try {
      return await ask({ ...this.terminal, signal: this.cancel ? AbortSignal.any([escape.signal, this.cancel]) : escape.signal });
    } catch (error) {
      if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) throw new WalkCancelled();
      throw error;
    } finally {
      keys.removeListener('keypress', onKey);
    }
  }

  text(config: { message: string; default?: string; validate?: (value: string) => string | true; edit?: boolean }): Promise<string> {
    const { edit, ...rest } = config;
    return this.run((context) => this.prompts.input({ ...rest, ...(edit ? { prefill: 'editable' as const } : {}) }, context));
  }

  choose<V>(config: { message: string; choices: Choice<V>[]; default?: V }): Promise<V> {
    return this.run((context) =>
      this.prompts.select<V>({ message: config.message, choices: config.choices, default: config.default, pageSize: 12, loop: false }, context),
    );
  }

  yesNo(config: { message: string; default: boolean }): Promise<boolean> {
    return this.run((context) => this.prompts.confirm(config, context));
  }
}
