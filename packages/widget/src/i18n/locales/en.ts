// English interface strings, the whole table: the fallback for languages without a table. Its
// two parts live apart (../english.ts says why); this is what tests and tools read as one.
import { englishControls } from '../english.js';
import { englishPages } from '../english-pages.js';
import type { WidgetStrings } from '../strings.js';

const en: WidgetStrings = { ...englishControls, ...englishPages };

export default en;
