// Placeholder so index.ts compiles: issue 15 (part b) writes this table file; take its version when merging.
export {}
