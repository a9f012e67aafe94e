/** ISO/IEC TS 27560 receipts (R10), built over a record from `toIso27560Record`. */
import { ConsentError } from '../errors.js';
import { uuidv7 } from '../uuid.js';
import { ISO_27560_CONFORMS_TO, ISO_27560_SCHEMA_VERSION, type Iso27560Record } from './iso-27560.js';
import { missingIso27560Fields } from './iso-27560-validate.js';

/** R10: a receipt needs only its id and schema version; it may embed the record or only point at it. */
export type Iso27560Receipt = {
  receiptId: string;
  schemaVersion: string;
  conformsTo: string;
  issuedAt: string;
  recordId: string;
  record?: Iso27560Record;
};

export type Iso27560ReceiptInput = {
  record: Iso27560Record;
  /** Embed the whole record (default) or carry only its id. */
  embed?: boolean;
  receiptId?: string;
  now?: Date;
};

/**
 * Builds a 27560 receipt. When it embeds the record, the record's mandatory fields are mandatory in
 * the receipt too (R10), so an incomplete record is refused rather than receipted.
 */
export function toIso27560Receipt(input: Iso27560ReceiptInput): Iso27560Receipt {
  const now = input.now ?? new Date();
  const receipt: Iso27560Receipt = {
    receiptId: input.receiptId ?? uuidv7(now.getTime()),
    schemaVersion: ISO_27560_SCHEMA_VERSION,
    conformsTo: ISO_27560_CONFORMS_TO,
    issuedAt: now.toISOString(),
    recordId: input.record.header.recordId,
  };
  if (input.embed !== false) {
    const missing = missingIso27560Fields(input.record);
    if (missing.length > 0) {
      throw new ConsentError('invalid-record', `27560 record lacks mandatory fields: ${missing.join(', ')}`, {
        hint: 'Build the record with toIso27560Record(), or pass embed: false to receipt only its id (R10).',
      });
    }
    receipt.record = input.record;
  }
  return receipt;
}
