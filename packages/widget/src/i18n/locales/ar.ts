// Arabic (written right to left) interface strings: a chunk of its own, loaded when a page or element uses the language.
import type { WidgetStrings } from '../strings.js';

const ar: WidgetStrings = {
  expressLabel: 'نعم، أوافق على: {purpose}.',
  optOutLabel: 'لا تستخدموا معلوماتي في: {purpose}.',
  withdrawHint: 'يمكنك سحب موافقتك في أي وقت.',
  required: 'إلزامي',
  optOutStateIn: 'الانسحاب من {purpose}: غير مفعّل.',
  optOutStateOut: 'الانسحاب من {purpose}: مفعّل.',
  optOutAction: 'الانسحاب من: {purpose}',
  optInAction: 'العودة إلى: {purpose}',
  expressStateOff: '{purpose}: متوقف. لا نفعل ذلك إلا بموافقتك.',
  expressStateOn: '{purpose}: مفعّل، بموافقتك.',
  expressGrantAction: 'الموافقة على: {purpose}',
  expressWithdrawAction: 'سحب موافقتي على: {purpose}',
  gpcHonored: 'تم احترام طلب الانسحاب',
  noticeCaption: 'المعلومات التي نجمعها',
  colType: 'نوع المعلومات',
  colWhat: 'ما نجمعه',
  colCollector: 'الجهة التي تجمعها',
  colPurpose: 'الغرض',
  colUsers: 'الجهة التي تستخدمها',
  colStorage: 'الجهة التي تخزنها',
  colSharedWith: 'تتم مشاركتها مع',
  practicesTitle: 'كيف نطلب موافقتك',
  basisExpress: 'موافقة صريحة',
  basisImplied: 'موافقة ضمنية',
  basisOptOut: 'موافقة مع حق الانسحاب',
  preferencesTitle: 'تفضيلات الخصوصية',
  stateGranted: 'مفعّل',
  stateDenied: 'متوقف',
  controller: 'المسؤول عن البيانات',
  choicesOn: {
    zero: 'لا توجد إعدادات مفعّلة',
    one: 'إعداد واحد مفعّل',
    two: 'إعدادان مفعّلان',
    few: '{count} إعدادات مفعّلة',
    many: '{count} إعدادًا مفعّلًا',
    other: '{count} إعداد مفعّل',
  },
};

export default ar;
