/** See native-crash.mjs. */
export declare function saysOutOfMemory(text: string): boolean;
export declare function isNativeCrash(signal: string | null | undefined, outOfMemory: boolean): boolean;
export declare function onlyNativeCrashes(counts: {
  readonly nativeCrashes: readonly string[];
  readonly byFile: Readonly<Record<string, { readonly failed: number }>>;
}): boolean;
