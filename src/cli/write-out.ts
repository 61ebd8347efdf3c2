import { writeSync } from 'node:fs';

/**
 * Writes text to stdout (1) or stderr (2) at once, without process.stdout/stderr: creating those
 * streams loads Node's stream machinery, a tenth of a generation's time, for a few lines of output.
 * A blocking write is what those streams do for files and terminals on POSIX anyway, and for pipes
 * on Linux. A reader that went away (EPIPE: `| head`) ends the output quietly, as a shell tool's
 * would; a full pipe the parent left non-blocking (EAGAIN) is waited on, a millisecond at a time.
 */
export function writeOut(fd: 1 | 2, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length; ) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}
