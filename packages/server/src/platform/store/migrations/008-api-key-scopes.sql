-- Every API-key scope the server knows (access/api-keys.ts API_SCOPES): 002 allowed ingest, read and
-- admin; 007 added suppressions; attest (POST /v1/attestations, a site's backend vouching for a
-- record) was refused by the table's CHECK until this.
ALTER TABLE api_keys DROP CONSTRAINT IF EXISTS api_keys_scope_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scope_check CHECK (scope IN ('ingest', 'read', 'attest', 'admin', 'suppressions'));
