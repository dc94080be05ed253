// How a child process runs Pathway's TypeScript source: Node 24 erases the types itself (the code uses only
// erasable syntax, tsconfig's erasableSyntaxOnly), which starts it about two seconds sooner; an older Node needs tsx.
export const RUN_TYPESCRIPT: readonly string[] = (process.features as { typescript?: unknown }).typescript
  ? []
  : ['--import', 'tsx'];
