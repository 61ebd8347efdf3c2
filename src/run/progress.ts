/**
 * How `apply` shows its work: a spinner per step on a terminal, plain lines otherwise (CI logs), and
 * the reader that turns azure/setup.sh's stderr into steps. Both kinds of output show the same lines:
 *
 *     Azure: azure/setup.sh
 *       ✓ Key Vault myapp-kv                  (a terminal: a spinner until the step ends)
 *           created.
 *       ▸ Managed identity myapp-identity     (plain: printed when the step starts)
 *           created.
 */

export interface Progress {
  /** A heading for the steps that follow. */
  section(title: string): void;
  /** A step starts. A quick one shows only its result in plain output. */
  begin(title: string, options?: { quick?: boolean }): void;
  /** Detail of the running step (plain: printed at once; terminal: under the step when it ends). */
  note(text: string): void;
  /** The running step ended well; `result` replaces its title. */
  succeed(result?: string): void;
  /** The running step ended badly. */
  fail(result?: string): void;
  /** The running step ended with something to heed that does not stop the run. */
  warn(result: string): void;
  /** A line of its own, outside any step. */
  line(text: string): void;
  /** The script waits for input after `text` (a hidden prompt): shown at once, as it is. */
  prompt(text: string): void;
  /** The input after a prompt was given. */
  promptEnded(): void;
  /** Stops the spinner; idempotent. */
  close(): void;
}

export interface ProgressOutput {
  /** Where steps go (stdout). */
  write: (text: string) => void;
  /** Where a prompt goes (stderr, like the script's own). */
  writePrompt: (text: string) => void;
  /** The terminal's width, to keep the spinner's line on one row. */
  columns?: number;
}

const INDENT = '  ';
const NOTE_INDENT = '      ';

/** Plain lines: a step is printed when it starts, its notes as they come. */
export function plainProgress(output: ProgressOutput): Progress {
  let current: { title: string; quick: boolean } | undefined;
  return {
    section: (title) => output.write(`\n${title}\n`),
    begin(title, options) {
      current = { title, quick: options?.quick === true };
      if (!current.quick) output.write(`${INDENT}▸ ${title}\n`);
    },
    note: (text) => output.write(`${NOTE_INDENT}${text}\n`),
    succeed(result) {
      if (current?.quick || result !== undefined) output.write(`${INDENT}✓ ${result ?? current?.title ?? ''}\n`);
      current = undefined;
    },
    fail(result) {
      if (!current && result === undefined) return;
      output.write(`${INDENT}✗ ${result ?? current?.title ?? ''}\n`);
      current = undefined;
    },
    warn(result) {
      output.write(`${INDENT}! ${result}\n`);
      current = undefined;
    },
    line: (text) => output.write(`${text}\n`),
    prompt: (text) => output.writePrompt(text),
    // The script ends its prompt's line itself (the key typed is not echoed); that newline was read here.
    promptEnded: () => output.writePrompt('\n'),
    close: () => {},
  };
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 80;
const CLEAR_LINE = '\r\u001b[2K';

/** A spinner on the running step's line; on its end, a ✓ or ✗ line with the step's notes below it. */
export function spinnerProgress(output: ProgressOutput): Progress {
  let step: { title: string; notes: string[]; shown?: boolean } | undefined;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  let paused = false;
  const width = Math.max(20, (output.columns ?? 80) - 1);
  const fit = (text: string) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

  const draw = () => {
    if (!step || paused) return;
    const last = step.notes.at(-1);
    output.write(`${CLEAR_LINE}${fit(`${INDENT}${FRAMES[frame % FRAMES.length]} ${step.title}${last ? `  ${last}` : ''}`)}`);
    frame += 1;
  };
  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  const end = (mark: string, result: string | undefined) => {
    stopTimer();
    if (!step) return;
    const lines = [`${INDENT}${mark} ${result ?? step.title}`, ...step.notes.map((n) => `${NOTE_INDENT}${n}`)];
    // Ended while its prompt waits (Ctrl-C): the prompt's line is left as it is.
    if (paused) output.writePrompt('\n');
    output.write(`${paused ? '' : CLEAR_LINE}${lines.join('\n')}\n`);
    step = undefined;
    paused = false;
  };

  return {
    section: (title) => output.write(`\n${title}\n`),
    begin(title) {
      if (step) end('✓', undefined);
      step = { title, notes: [] };
      frame = 0;
      draw();
      timer = setInterval(draw, FRAME_MS);
      timer.unref();
    },
    note(text) {
      if (step) step.notes.push(text);
      else output.write(`${NOTE_INDENT}${text}\n`);
    },
    succeed: (result) => end('✓', result),
    fail: (result) => end('✗', result),
    warn: (result) => end('!', result),
    line(text) {
      if (step && !paused) output.write(CLEAR_LINE);
      output.write(`${text}\n`);
      draw();
    },
    prompt(text) {
      // The script reads from the terminal now: the spinner must not write over its prompt, and the
      // step it belongs to stays in sight above it.
      if (step && !paused) {
        output.write(CLEAR_LINE);
        if (!step.shown) output.write(`${INDENT}▸ ${step.title}\n`);
        step.shown = true;
      }
      paused = true;
      output.writePrompt(text);
    },
    promptEnded() {
      output.writePrompt('\n');
      paused = false;
      draw();
    },
    close: stopTimer,
  };
}

// ---- Reading azure/setup.sh's output ----------------------------------------------------------------

export interface ScriptEvents {
  /** `==> TITLE`: a step starts. */
  step(title: string): void;
  /** A line of the running step: its description, a note, or another program's message. */
  line(text: string, kind: 'description' | 'note' | 'other'): void;
  /** The script waits for input after this text (it ends with no newline). */
  prompt(text: string): void;
  /** The line after a prompt ended. */
  promptEnded(): void;
}

/** The prompt azure/setup.sh shows for a hidden value; any other unfinished line counts after a pause. */
const SECRET_PROMPT = /\(hidden, Enter to finish\): $/;
const PROMPT_PAUSE_MS = 150;

/**
 * Splits the script's stderr into lines and steps. `step()` in azure/setup.sh prints an empty line,
 * `==> TITLE`, then one indented line that describes the step; `note()` prints indented lines. A
 * line that stays unfinished is a prompt (bash's `read -p` prints one without a newline).
 */
export class ScriptOutputReader {
  private pending = '';
  private afterStep = false;
  private prompting = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly events: ScriptEvents) {}

  push(chunk: string): void {
    this.pending += chunk;
    let newline = this.pending.indexOf('\n');
    while (newline !== -1) {
      const line = this.pending.slice(0, newline).replace(/\r$/, '');
      this.pending = this.pending.slice(newline + 1);
      this.lineDone(line);
      newline = this.pending.indexOf('\n');
    }
    this.schedulePrompt();
  }

  /** The end of the output: an unfinished last line is a line. */
  end(): void {
    this.clearTimer();
    if (this.pending !== '') this.lineDone(this.pending);
    this.pending = '';
  }

  private lineDone(line: string): void {
    if (this.prompting) {
      this.prompting = false;
      this.events.promptEnded();
      if (line === '') return;
    }
    const step = /^==> (.*)$/.exec(line);
    if (step) {
      this.afterStep = true;
      this.events.step(step[1]!.trim());
      return;
    }
    if (line.trim() === '') return;
    if (/^ {4}/.test(line)) {
      this.events.line(line.trim(), this.afterStep ? 'description' : 'note');
    } else {
      this.events.line(line.trim(), 'other');
    }
    this.afterStep = false;
  }

  private schedulePrompt(): void {
    this.clearTimer();
    if (this.pending === '') return;
    if (SECRET_PROMPT.test(this.pending)) {
      this.emitPrompt();
      return;
    }
    this.timer = setTimeout(() => this.emitPrompt(), PROMPT_PAUSE_MS);
    this.timer.unref();
  }

  private emitPrompt(): void {
    this.clearTimer();
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.prompting = true;
    this.events.prompt(text);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
