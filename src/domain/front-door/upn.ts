// Unique pupil numbers (UPNs): the Department for Education's number for a pupil in England, 13 characters. The
// first is a check letter worked out from the other twelve; characters 2 to 4 are the council's code, 5 to 12 are
// digits, and the 13th is a digit, or a letter in a temporary UPN. A UPN whose check letter does not match was
// mistyped, so it is refused rather than stored (Children in Need census rules 1510 to 1550).

/** The 23 letters a UPN uses (no I, O or S, which look like digits); a letter's value is its place here. */
const LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

function valueOf(character: string): number {
  return /\d/.test(character) ? Number(character) : LETTERS.indexOf(character);
}

/** The UPN in capitals typed with or without spaces, or undefined if it is not a real one. */
export function upnOf(text: string): string | undefined {
  const upn = text.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]\d{11}[0-9A-HJ-NP-RT-Z]$/.test(upn)) return undefined;
  let sum = 0;
  for (let index = 1; index < 13; index++) sum += valueOf(upn[index]!) * (index + 1);
  return LETTERS[sum % 23] === upn[0] ? upn : undefined;
}
