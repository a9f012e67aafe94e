-- API keys of scope 'attest' (POST /v1/attestations): 002 allowed only ingest, read and admin, so
-- `consentkit keys api create --scope attest` failed on the table's CHECK.
ALTER TABLE api_keys DROP CONSTRAINT IF EXISTS api_keys_scope_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scope_check CHECK (scope IN ('ingest', 'read', 'admin', 'attest'));
