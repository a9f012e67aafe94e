// Hebrew (written right to left) interface strings: a chunk of its own, loaded when a page or element uses the language.
import type { WidgetStrings } from '../strings.js';

const he: WidgetStrings = {
  expressLabel: 'כן, אני מסכים/ה ל: {purpose}.',
  optOutLabel: 'לא להשתמש במידע שלי עבור: {purpose}.',
  withdrawHint: 'אפשר לבטל את ההסכמה בכל עת.',
  required: 'חובה',
  optOutStateIn: 'לא ביקשת הסרה מ: {purpose}.',
  optOutStateOut: 'ביקשת הסרה מ: {purpose}.',
  optOutAction: 'הסרה מ: {purpose}',
  optInAction: 'הצטרפות מחדש ל: {purpose}',
  expressStateOff: '{purpose}: כבוי. נעשה זאת רק בהסכמתך.',
  expressStateOn: '{purpose}: פעיל, כי נתת הסכמה.',
  expressGrantAction: 'מתן הסכמה ל: {purpose}',
  expressWithdrawAction: 'ביטול ההסכמה שלי ל: {purpose}',
  gpcHonored: 'בקשת ההסרה כובדה',
  noticeCaption: 'המידע שאנו אוספים',
  colType: 'סוג המידע',
  colWhat: 'מה אנו אוספים',
  colCollector: 'מי אוסף אותו',
  colPurpose: 'מטרה',
  colUsers: 'מי משתמש בו',
  colStorage: 'מי שומר אותו',
  colSharedWith: 'עם מי הוא משותף',
  practicesTitle: 'איך אנו מבקשים הסכמה',
  basisExpress: 'הסכמה מפורשת',
  basisImplied: 'הסכמה משתמעת',
  basisOptOut: 'הסכמה עם אפשרות הסרה',
  preferencesTitle: 'העדפות הפרטיות שלך',
  stateGranted: 'פעיל',
  stateDenied: 'כבוי',
  controller: 'בעל השליטה במידע',
  choicesOn: { one: 'הגדרה אחת פעילה', two: 'שתי הגדרות פעילות', other: '{count} הגדרות פעילות' },
};

export default he;
