import { sharedStyles } from '../internal/shared.styles.js';

export const failedDeliveriesStyles = [sharedStyles];
