/** The newest installed major version's `program`, or the path it would have (`<version>` in it) when none is. */
export function postgresBin(program: string): string;
