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

/** Answers after which Esc asks before it cancels: a walk that long is worth a second thought. */
export const ESC_ASKS_AFTER = 3;

/**
 * The prompts, as the walk calls them: Esc aborts like Ctrl-C does, and both come out as
 * WalkCancelled, whatever the prompt library calls them. Once ESC_ASKS_AFTER questions are answered,
 * Esc first asks whether to cancel (a stray Esc would throw the answers away); "no" asks the question again.
 */
export class Asker {
  private answered = 0;

  constructor(
    private readonly prompts: Prompts,
    private readonly terminal: Terminal,
    /** Aborted when the run is interrupted between questions (SIGINT while az is being asked). */
    private readonly cancel?: AbortSignal,
  ) {}

  private async run<T>(ask: (context: Context) => Promise<T>): Promise<T> {
    for (;;) {
      const escape = new AbortController();
      try {
        const answer = await this.once(ask, escape);
        this.answered += 1;
        return answer;
      } catch (error) {
        if (!(error instanceof WalkCancelled) || !escape.signal.aborted || this.answered < ESC_ASKS_AFTER) throw error;
        if (await this.once((context) => this.prompts.confirm({ message: 'Cancel? Nothing is written and your answers are lost', default: false }, context))) throw error;
      }
    }
  }

  /** One prompt; Esc aborts it through `escape`, when given. */
  private async once<T>(ask: (context: Context) => Promise<T>, escape?: AbortController): Promise<T> {
    if (this.cancel?.aborted) throw new WalkCancelled();
    const keys = this.terminal.input ?? process.stdin;
    // readline turns the raw bytes into keypress events on its input once a prompt is listening.
    const onKey = (_: unknown, key?: { name?: string }) => {
      if (key?.name === 'escape') escape?.abort();
    };
    keys.on('keypress', onKey);
    const signals = [escape?.signal, this.cancel].filter((signal): signal is AbortSignal => signal !== undefined);
    try {
      return await ask({ ...this.terminal, signal: AbortSignal.any(signals) });
    } catch (error) {
      if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) throw new WalkCancelled();
      throw error;
    } finally {
      keys.removeListener('keypress', onKey);
    }
  }

  text(config: { message: string; default?: string; validate?: (value: string) => string | true | Promise<string | true>; edit?: boolean }): Promise<string> {
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
