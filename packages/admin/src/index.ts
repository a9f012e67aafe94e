// @consentkit/admin — the /admin dashboard's elements. Classes only, no registration (define.ts).

// --- elements ---------------------------------------------------------------------------------
export { ConsentAdminApp } from './admin-app/admin-app.js';
export { ConsentAdminCollectionPoints, describePoint } from './collection-points/collection-points.js';
export { ConsentAdminFailedDeliveries } from './failed-deliveries/failed-deliveries.js';
// --- client and types -------------------------------------------------------------------------
export type { AdminClient, AdminClientOptions } from './internal/admin-client.js';
export { createAdminClient } from './internal/admin-client.js';
export type { AdminErrorCode } from './internal/admin-error.js';
export { AdminError } from './internal/admin-error.js';
export type {
  CollectionPoint,
  CollectionPointStats,
  Deliveries,
  Delivery,
  DeliveryStatus,
  LedgerStatus,
  PurposeCounts,
  PurposeDay,
  PurposeStats,
  SubjectLookup,
  SubjectRecord,
} from './internal/api-types.js';
export { ConsentAdminLedgerStatus } from './ledger-status/ledger-status.js';
export { ConsentAdminPurposeChart } from './purpose-chart/purpose-chart.js';
export { ConsentAdminSubjectLookup } from './subject-lookup/subject-lookup.js';
