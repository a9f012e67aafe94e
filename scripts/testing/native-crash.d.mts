/** See native-crash.mjs. */
export declare function isNativeCrash(signal: string | null | undefined, stderr: string): boolean;
