// @consentkit/sdk — public API (filled in by its issue).
export {};
