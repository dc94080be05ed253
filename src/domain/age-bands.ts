// The age bands the council reports by, in whole years: the sufficiency view and the fairness report share them.
export const AGE_BANDS = [
  { label: '0 to 4', min: 0, max: 4 },
  { label: '5 to 7', min: 5, max: 7 },
  { label: '8 to 10', min: 8, max: 10 },
  { label: '11 to 15', min: 11, max: 15 },
  { label: '16 to 17', min: 16, max: 17 },
  { label: '18 to 25', min: 18, max: 25 },
] as const;

/** The band an age falls in, or undefined outside 0 to 25. */
export function ageBandOf(age: number) {
  return AGE_BANDS.find((band) => age >= band.min && age <= band.max);
}
