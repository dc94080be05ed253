// Query understanding: turns what a parent types into what the directory search looks for.
// "my son is autistc and wont sleep" → the concepts {autism, autistic, ASD, ASC, …} and {sleep, …},
// with "autistc" corrected, "my son" ignored, and the acronyms explained.
import type { Glossary } from './glossary.ts';
import { editDistance, FILLER_WORDS, WEAK_WORDS, wordsOf } from './words.ts';

export interface Concept {
  /** The words as the family typed them (after spelling correction). */
  label: string;
  /** Ways of saying it, each a list of words to find next to each other. */
  phrases: string[][];
  /** Weak concepts ("support", "group") help order results but do not make a service relevant by themselves. */
  weak: boolean;
}

export interface AgeRange {
  min: number;
  max: number;
}

export interface QueryPlan {
  text: string;
  concepts: Concept[];
  age: AgeRange | null;
  /** The query asks about adults or young adults, so adult services are not pushed down. */
  adultIntent: boolean;
  corrections: { from: string; to: string }[];
  explanations: { term: string; meaning: string }[];
}

/** Known words and how many services use each: spelling correction prefers common words. */
export type Vocabulary = Map<string, number>;

const AGE_WORDS: [RegExp, AgeRange][] = [
  [/\b(babies|baby|infants?|newborns?)\b/, { min: 0, max: 1 }],
  [/\btoddlers?\b/, { min: 1, max: 3 }],
  [/\b(pre-?school(ers?)?|under (5|fives?)s?)\b/, { min: 2, max: 4 }],
  [/\b(teenagers?|teens?|teenage)\b/, { min: 13, max: 17 }],
  [/\b(young adults?)\b/, { min: 18, max: 25 }],
];
const AGE_NUMBER = /\b(\d{1,2})\s*-?\s*(?:years?|yrs?|yo)\b(?:\s*-?\s*old)?|\baged?\s+(\d{1,2})\b/;
const AGE_WORD_LIST = new Set(['year', 'years', 'yr', 'yrs', 'old', 'aged', 'age', 'yo']);
const ADULT_WORDS = /\b(adults?|young adults?|over 18s?|18\+|grown.?up|19|2[0-5])\b/;

export function ageOf(text: string): AgeRange | null {
  const lower = text.toLowerCase();
  const number = AGE_NUMBER.exec(lower);
  const age = number ? Number(number[1] ?? number[2]) : NaN;
  if (Number.isInteger(age) && age <= 25) return { min: age, max: age };
  for (const [pattern, range] of AGE_WORDS) if (pattern.test(lower)) return range;
  return null;
}

function correctSpelling(word: string, known: Set<string>, vocabulary: Vocabulary): string {
  if (word.length < 4 || known.has(word) || /\d/.test(word)) return word;
  const limit = word.length >= 7 ? 2 : 1;
  let best: { word: string; distance: number; frequency: number } | undefined;
  for (const [candidate, frequency] of vocabulary) {
    if (Math.abs(candidate.length - word.length) > limit || candidate[0] !== word[0]) continue;
    const distance = editDistance(word, candidate, limit);
    if (distance > limit) continue;
    if (!best || distance < best.distance || (distance === best.distance && frequency > best.frequency)) {
      best = { word: candidate, distance, frequency };
    }
  }
  return best?.word ?? word;
}

export function understandQuery(
  text: string,
  glossary: Glossary,
  vocabulary: Vocabulary,
  options: { correctSpelling?: boolean } = {},
): QueryPlan {
  const typed = wordsOf(text);
  const glossaryWords = glossary.words();
  const known = new Set([...glossaryWords, ...vocabulary.keys(), ...FILLER_WORDS, ...WEAK_WORDS, ...AGE_WORD_LIST]);
  const corrections: { from: string; to: string }[] = [];
  const words = typed.map((word) => {
    const corrected = options.correctSpelling === false ? word : correctSpelling(word, known, vocabulary);
    if (corrected !== word) corrections.push({ from: word, to: corrected });
    return corrected;
  });
  const correctedText = words.join(' ');
  const age = ageOf(correctedText);

  const concepts: Concept[] = [];
  const explanations: { term: string; meaning: string }[] = [];
  const covered = new Set<number>();
  for (const match of glossary.match(words)) {
    for (let index = match.start; index < match.start + match.length; index += 1) covered.add(index);
    const label = words.slice(match.start, match.start + match.length).join(' ');
    // Two entries found at the same place are two ways of reading the same words: one concept.
    const sharing = concepts.find((concept) => concept.label === label);
    if (sharing) {
      sharing.phrases.push(...match.phrases);
    } else {
      concepts.push({ label, phrases: [...match.phrases], weak: match.length === 1 && WEAK_WORDS.has(label) });
    }
    if (match.entry.explain && !explanations.some((explanation) => explanation.term === match.entry.term)) {
      explanations.push({ term: match.entry.term, meaning: match.entry.meaning });
    }
  }
  words.forEach((word, index) => {
    if (covered.has(index) || FILLER_WORDS.has(word) || AGE_WORD_LIST.has(word) || /^\d+$/.test(word)) return;
    if (age && AGE_WORDS.some(([pattern]) => pattern.test(word))) return;
    concepts.push({ label: word, phrases: [[word]], weak: WEAK_WORDS.has(word) });
  });

  return {
    text,
    concepts,
    age,
    adultIntent: ADULT_WORDS.test(correctedText) || (age !== null && age.min >= 18),
    corrections,
    explanations,
  };
}
