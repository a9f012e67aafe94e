// @consentkit/server — public API (filled in by its issue).
export {};
