// NHS numbers: ten digits, the last a check digit (modulus 11 over the first nine, weighted 10 down to 2). A
// number whose check digit does not match was mistyped, so it is refused rather than stored.

/** The ten digits of an NHS number typed with or without spaces or dashes, or undefined if it is not one. */
export function nhsNumberOf(text: string): string | undefined {
  const digits = text.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(digits)) return undefined;
  let sum = 0;
  for (let index = 0; index < 9; index++) sum += Number(digits[index]) * (10 - index);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined; // no valid NHS number has this remainder
  return (check === 11 ? 0 : check) === Number(digits[9]) ? digits : undefined;
}

/** An NHS number as people read it, in groups of three, three and four digits: 485 777 3007. */
export function spacedNhsNumber(digits: string): string {
  return /^\d{10}$/.test(digits) ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : digits;
}
