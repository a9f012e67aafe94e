import { z } from 'zod';
import { chainEntrySchema } from '../ledger/entry.js';
import {
  BACKUP_FORMAT,
  BACKUP_TABLES,
  BACKUP_VERSIONS_READ,
  type BackupLineType,
  isNumeric,
  isSince3,
  LINE_ORDER,
} from './backup-format.js';

const text = z.string();
const count = z.number().int().nonnegative();
const head = z.strictObject({ seq: count, entryHash: z.string().regex(/^[0-9a-f]{64}$/) });
const countsSchema = z.partialRecord(z.enum(LINE_ORDER.filter((t) => t !== 'end') as [BackupLineType]), count);
export const headerSchema = z.strictObject({
  type: z.literal('header'),
  format: z.literal(BACKUP_FORMAT),
  version: z.union(BACKUP_VERSIONS_READ.map((v) => z.literal(v))),
  createdAt: text,
  counts: countsSchema,
});
export const endSchema = z.strictObject({
  type: z.literal('end'),
  counts: countsSchema,
  ledgerHead: head,
  auditHead: head,
  checkpoint: text.optional(),
});
export const entrySchema = z.strictObject({
  type: z.literal('entry'),
  entry: chainEntrySchema,
  receipt: text,
});
export const rowSchemas = new Map(
  BACKUP_TABLES.map((spec) => [
    spec.type,
    z.strictObject({
      type: z.literal(spec.type),
      row: z.strictObject(
        Object.fromEntries(
          spec.columns.map((c) => [
            c,
            isNumeric(spec, c)
              ? (spec.key as readonly string[]).includes(c)
                ? count
                : count.nullable()
              : isSince3(spec, c)
                ? text.nullable().optional()
                : text.nullable(),
          ]),
        ),
      ),
    }),
  ]),
);

export const issuesOf = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
