// @consentkit/admin — the /admin dashboard's elements. Classes only, no registration (define.ts).

// --- elements ---------------------------------------------------------------------------------
export { ConsentAdminApp } from './admin-app/admin-app.js';
// --- client and types -------------------------------------------------------------------------
export type { AdminClient, AdminClientOptions } from './client/admin-client.js';
export { createAdminClient } from './client/admin-client.js';
export type { AdminErrorCode } from './client/admin-error.js';
export { AdminError } from './client/admin-error.js';
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
} from './client/api-types.js';
export { ConsentAdminCollectionPoints, describePoint } from './collection-points/collection-points.js';
export { ConsentAdminFailedDeliveries } from './failed-deliveries/failed-deliveries.js';
export { ConsentAdminLedgerStatus } from './ledger-status/ledger-status.js';
export { ConsentAdminPurposeChart } from './purpose-chart/purpose-chart.js';
export { ConsentAdminSubjectLookup } from './subject-lookup/subject-lookup.js';
