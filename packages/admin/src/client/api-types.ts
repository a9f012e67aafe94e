/**
 * The JSON the dashboard reads: /v1/admin/* (packages/server/src/routes/admin.ts) and the
 * partner queue's GET /v1/partners/deliveries. Wire names as the server sends them.
 */
export type PurposeCounts = {
  readonly granted: number;
  readonly optedOut: number;
  readonly withdrawn: number;
  readonly decisions: number;
};

export type PurposeDay = { readonly day: string; readonly purposes: Readonly<Record<string, PurposeCounts>> };

export type PurposeStats = {
  readonly from: string;
  readonly to: string;
  readonly bucket: 'day';
  readonly throughSeq: number;
  readonly days: readonly PurposeDay[];
};

export type CollectionPoint = {
  readonly key: string;
  readonly url: string | null;
  readonly form: string | null;
  readonly flow: string | null;
  readonly records: number;
  readonly optOutDecisions: number;
  readonly optedOut: number;
  /** null when no opt-out choice was offered there. */
  readonly optOutRate: number | null;
};

export type CollectionPointStats = {
  readonly throughSeq: number;
  readonly collectionPoints: readonly CollectionPoint[];
};

export type LedgerStatus = {
  readonly ok: boolean;
  readonly entriesChecked: number;
  readonly checkpoints: number | null;
  readonly headSeq: number;
  readonly lastCheckpoint: { readonly seq: number; readonly signedAt: string } | null;
  readonly checkedAt: string;
  readonly durationMs: number;
  readonly cached: boolean;
  readonly fault: { readonly seq: number; readonly recordId: string | null; readonly reason: string } | null;
};

export type Badge = { readonly ok: boolean; readonly detail: string };

export type SubjectRecord = {
  readonly seq: number;
  readonly recordId: string;
  readonly receivedAt: string;
  readonly issuedAt: string;
  readonly method: string;
  readonly collectionPoint: { readonly url?: string; readonly form?: string; readonly flow?: string };
  readonly decisions: readonly { readonly purpose: string; readonly granted: boolean; readonly basis: string }[];
  readonly badges: { readonly signature: Badge; readonly chain: Badge; readonly receipt: Badge };
};

export type SubjectLookup = {
  readonly subject: string;
  readonly createdAt: string;
  readonly state: Readonly<Record<string, { readonly status: string; readonly reason?: string }>>;
  readonly records: readonly SubjectRecord[];
};

export type DeliveryStatus = 'failed' | 'pending' | 'delivered';

export type Delivery = {
  readonly id: string;
  readonly partner: string;
  readonly eventType: string;
  readonly recordId: string;
  readonly purpose: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
};

export type Deliveries = { readonly deliveries: readonly Delivery[] };
