/** See v8-abort.mjs. */
export declare const V8_ABORT: RegExp;
