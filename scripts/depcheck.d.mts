/** The folders checked, relative to the repo root. */
export declare const ROOTS: string[];
/** Checks `roots` under `baseDir` against the house rules: one line per broken rule or folder cycle. */
export declare function checkDependencies(baseDir?: string, roots?: string[]): Promise<{ problems: string[]; modules: number; imports: number }>;
