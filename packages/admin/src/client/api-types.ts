/**
 * The JSON the dashboard reads: /v1/admin/* and the partner queue's GET /v1/partners/deliveries.
 * Types only, inferred by the server from the zod schemas its routes answer with, so the two
 * cannot drift; `import type` keeps every line of server code out of the admin bundle.
 */
import type * as Server from '@consentkit/server';

export type PurposeCounts = Server.AdminPurposeCounts;
export type PurposeDay = Server.AdminPurposeDay;
export type PurposeStats = Server.AdminPurposeStats;
export type CollectionPoint = Server.AdminCollectionPoint;
export type CollectionPointStats = Server.AdminCollectionPointStats;
export type LedgerStatus = Server.AdminLedgerStatus;
export type Badge = Server.AdminRecordBadge;
export type SubjectRecord = Server.AdminSubjectRecord;
export type SubjectLookup = Server.AdminSubjectLookup;
export type Delivery = Server.PartnerDelivery;
export type DeliveryStatus = Server.PartnerDelivery['status'];
export type Deliveries = Server.PartnerDeliveries;
