// Registers every dashboard element: the only module with side effects, and the entry of the
// bundle the server serves at /admin/admin.js.
import { ConsentAdminApp } from './admin-app/admin-app.js';
import { ConsentAdminCollectionPoints } from './collection-points/collection-points.js';
import { ConsentAdminFailedDeliveries } from './failed-deliveries/failed-deliveries.js';
import { ConsentAdminLedgerStatus } from './ledger-status/ledger-status.js';
import { ConsentAdminPurposeChart } from './purpose-chart/purpose-chart.js';
import { ConsentAdminSubjectLookup } from './subject-lookup/subject-lookup.js';

// Panels first, so the app's first render upgrades them at once.
ConsentAdminLedgerStatus.define();
ConsentAdminPurposeChart.define();
ConsentAdminCollectionPoints.define();
ConsentAdminSubjectLookup.define();
ConsentAdminFailedDeliveries.define();
ConsentAdminApp.define();
