// `flood route`: the contract's case file → a plan (reaches split into sub-reaches, the time step
// into sub-steps where the schemes' conditions ask for it) → packed segments → kernel → the
// contract's output with a mass balance. One file per stage; this one is what the rest imports.
export type { RouteMethod } from './spec.ts';
export * from './route-case.ts';
export { parseRouteCase, parseSeriesList } from './route-parse.ts';
export { linearSubdivision, type DiffusivePlan } from './route-plan.ts';
export * from './route-output.ts';
