/**
 * Proof checks on what the ledger holds: the record's JWS verifies with core's verifier and,
 * independently, with jose (any JOSE library must be able to, DESIGN "The record"); the receipt
 * verifies against the ledger's published JWKS and names this record, its digest and its seq.
 */

import { verifyRecord } from '@consentkit/core';
import { expect } from 'chai';
import { compactVerify, createLocalJWKSet, EmbeddedJWK, type JSONWebKeySet } from 'jose';
import type { SubjectRecord } from './ledger.js';

export async function expectSignedAndReceipted(ledgerUrl: string, entry: SubjectRecord): Promise<void> {
  const verified = await verifyRecord(entry.jws);
  expect(verified.record.id, 'record id inside the signature').to.equal(entry.recordId);
  expect(verified.digest, 'record digest').to.equal(entry.digest);

  const independent = await compactVerify(entry.jws, EmbeddedJWK);
  expect(independent.protectedHeader.typ).to.equal('consent-record+jws');
  const payload = JSON.parse(new TextDecoder().decode(independent.payload)) as { id: string };
  expect(payload.id).to.equal(entry.recordId);

  const jwks = (await (await fetch(`${ledgerUrl}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
  const receipt = await compactVerify(entry.receipt, createLocalJWKSet(jwks));
  const claims = JSON.parse(new TextDecoder().decode(receipt.payload)) as {
    recordId: string;
    digest: string;
    seq: number;
  };
  expect(claims.recordId, 'receipt names the record').to.equal(entry.recordId);
  expect(claims.digest, 'receipt carries the record digest').to.equal(entry.digest);
  expect(claims.seq, 'receipt carries the ledger sequence number').to.equal(entry.seq);
}
