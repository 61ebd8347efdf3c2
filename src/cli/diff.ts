// jsdiff (the `diff` package): a well-kept unified-diff writer. Its own file, bundled as
// dist/vendor/diff.cjs and imported only by --diff, so that no other run loads or parses it.
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from 'diff';

/** `git diff`-style text: what is at `path` now (null: nothing) against what would be written. */
export function unifiedDiff(path: string, before: string | null, after: string): string {
  return createTwoFilesPatch(before === null ? '/dev/null' : `a/${path}`, `b/${path}`, before ?? '', after, undefined, undefined, {
    headerOptions: FILE_HEADERS_ONLY,
  });
}
