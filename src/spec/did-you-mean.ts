/**
 * "did you mean --namespace?" for a mistyped flag or config key, as git and az say it: the known name
 * fewest edits away (a swap of two neighbouring letters is one edit), when it is close enough to be a
 * typo: at most a third of the word's letters, and at least one, wrong. Ties go to the earlier name.
 */

/** Edits (insert, delete, substitute, swap neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  // rows[i][j]: the distance between a's first i letters and b's first j letters.
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i]!;
      const above = rows[i - 1]!;
      row[j] = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}

/** The known name closest to `word`, or undefined when none is close enough to be what was meant. */
export function closestName(word: string, known: readonly string[]): string | undefined {
  const allowed = Math.max(1, Math.floor(word.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** `; did you mean X?` with X as `shown` writes it, or '' when nothing known is close. */
export function didYouMean(word: string, known: readonly string[], shown: (name: string) => string = (name) => name): string {
  const name = closestName(word, known);
  return name === undefined ? '' : `; did you mean ${shown(name)}?`;
}
