// What the family tells us about the child and the family, beside the needs questions. None of it is scored.
// Ethnicity is asked only to check the service treats every group fairly, with the Department for Education's
// census codes so reports match the statutory returns.

/** Children in Need census ethnicity codes, in the order families see them; REFU is "prefer not to say". */
export const ETHNICITY_CODES = [
  'WBRI',
  'WIRI',
  'WIRT',
  'WROM',
  'WOTH',
  'MWBC',
  'MWBA',
  'MWAS',
  'MOTH',
  'AIND',
  'APKN',
  'ABAN',
  'CHNE',
  'AOTH',
  'BCRB',
  'BAFR',
  'BOTH',
  'OOTH',
  'REFU',
] as const;

export const PARENT_CARERS = ['one', 'two', 'more'] as const;
export const YOUNG_CARERS = ['yes', 'no', 'no_siblings'] as const;
export const MAX_CONDITION = 500;
export const MAX_SIBLINGS = 20;

export type AboutSection = 'child' | 'family';

/** The fields of each section, in page order. */
export const ABOUT_FIELDS: Record<AboutSection, readonly string[]> = {
  child: ['condition', 'ethnicity'],
  family: ['parentCarers', 'siblings', 'youngCarers'],
};

export type AboutProblem = 'required' | 'too-long' | 'not-a-number';

/** Each field's problem, if any; an empty object means the section can be saved. */
export function aboutProblems(section: AboutSection, values: Record<string, string>): Record<string, AboutProblem> {
  const problems: Record<string, AboutProblem> = {};
  const oneOf = (name: string, choices: readonly string[]) => {
    if (!choices.includes(values[name] ?? '')) problems[name] = 'required';
  };
  if (section === 'child') {
    const condition = values.condition ?? '';
    if (condition === '') problems.condition = 'required';
    else if (condition.length > MAX_CONDITION) problems.condition = 'too-long';
    oneOf('ethnicity', ETHNICITY_CODES);
  } else {
    oneOf('parentCarers', PARENT_CARERS);
    const siblings = values.siblings ?? '';
    if (siblings === '') problems.siblings = 'required';
    else if (!/^\d{1,2}$/.test(siblings) || Number(siblings) > MAX_SIBLINGS) problems.siblings = 'not-a-number';
    oneOf('youngCarers', YOUNG_CARERS);
  }
  return problems;
}

/** Whether a section has been answered in full. */
export function aboutDone(section: AboutSection, about: Record<string, string>): boolean {
  return Object.keys(aboutProblems(section, about)).length === 0;
}
