// Words in search text: splitting, the filler words a search should ignore, and how far apart two spellings are.

/** Lower case words and numbers; apostrophes inside words are kept ("won't", "children's"). */
export function wordsOf(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[’‘]/g, "'")
      .match(/[a-z0-9]+(?:'[a-z]+)*/g) ?? []
  );
}

/**
 * Words that carry no meaning for finding a service: grammar, and the people a parent mentions
 * ("my son", "for my daughter") when every service in the directory is for a child.
 */
export const FILLER_WORDS = new Set(
  (
    'a about after all also am an and any anything are as at be because been being but by can could did do does ' +
    "doesn't don't during each for from get gets getting go going has have having he her here hers him his how i " +
    "i'm if in into is isn't it it's its just like looking me might more most my near nearby need needs no nor not " +
    'now of off on once one only or other our ours out over own please really so some someone something still such ' +
    'than that the their them then there these they this those through to too try trying under until up us very want ' +
    "wants was we were what when where which while who whom why will with won't would you your yours " +
    'son sons daughter daughters child childs children kid kids boy boys girl girls family families person people ' +
    'local area around find finding look looks there what is available options'
  ).split(' '),
);

/** Words that say what kind of help without saying what it is about: they rank, but a match on them alone is weak. */
export const WEAK_WORDS = new Set(
  (
    'help helps support supports service services activity activities group groups club clubs advice information info ' +
    'problem problems issue issues difficulty difficulties struggling struggle course courses session sessions class classes ' +
    'programme program team things thing stuff best good new'
  ).split(' '),
);

/** Optimal string alignment distance (Levenshtein plus swapped neighbours), stopping early past `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const previousPrevious: number[] = new Array<number>(b.length + 1).fill(0);
  let previous: number[] = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current: number[] = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, previousPrevious[j - 2]! + 1);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previousPrevious.splice(0, previousPrevious.length, ...previous);
    previous = current;
  }
  return previous[b.length]!;
}
