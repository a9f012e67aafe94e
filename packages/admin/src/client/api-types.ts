/**
 * The JSON the dashboard reads: /v1/admin/* and the partner queue's GET /v1/partners/deliveries.
 * Types only, inferred by the server from the zod schemas its routes answer with, so the two
 * cannot drift; `import type` keeps every line of server code out of the admin bundle.
 */
import type {
  AdminCollectionPoint,
  AdminCollectionPointStats,
  AdminLedgerStatus,
  AdminPurposeCounts,
  AdminPurposeDay,
  AdminPurposeStats,
  AdminRecordBadge,
  AdminSubjectLookup,
  AdminSubjectRecord,
  PartnerDeliveries,
  PartnerDelivery,
} from '@consentkit/server';

export type PurposeCounts = AdminPurposeCounts;
export type PurposeDay = AdminPurposeDay;
export type PurposeStats = AdminPurposeStats;
export type CollectionPoint = AdminCollectionPoint;
export type CollectionPointStats = AdminCollectionPointStats;
export type LedgerStatus = AdminLedgerStatus;
export type Badge = AdminRecordBadge;
export type SubjectRecord = AdminSubjectRecord;
export type SubjectLookup = AdminSubjectLookup;
export type Delivery = PartnerDelivery;
export type DeliveryStatus = PartnerDelivery['status'];
export type Deliveries = PartnerDeliveries;
