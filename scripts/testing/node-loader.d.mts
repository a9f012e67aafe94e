/** See node-loader.mjs. */
export declare const NODE_TEST_LOADER: readonly string[];
