import { sharedStyles } from '../internal/shared.styles.js';

export const collectionPointsStyles = [sharedStyles];
