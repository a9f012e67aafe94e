// Japanese interface strings: a chunk of its own, loaded when a page or element uses the language.
import type { WidgetStrings } from '../strings.js';

const ja: WidgetStrings = {
  expressLabel: '{purpose}に同意します。',
  optOutLabel: '{purpose}に私の情報を使用しないでください。',
  withdrawHint: '同意はいつでも撤回できます。',
  required: '必須',
  optOutStateIn: '{purpose}の利用を停止していません。',
  optOutStateOut: '{purpose}の利用を停止しています。',
  optOutAction: '{purpose}の利用を停止する',
  optInAction: '{purpose}の利用を再開する',
  expressStateOff: '{purpose}：オフ。同意いただいた場合にのみ行います。',
  expressStateOn: '{purpose}：オン（同意済み）。',
  expressGrantAction: '{purpose}に同意する',
  expressWithdrawAction: '{purpose}への同意を撤回する',
  gpcHonored: 'オプトアウト要求を受け付けました',
  noticeCaption: '収集する情報',
  colType: '情報の種類',
  colWhat: '収集する内容',
  colCollector: '収集者',
  colPurpose: '目的',
  colUsers: '利用者',
  colStorage: '保管者',
  colSharedWith: '提供先',
  practicesTitle: '同意の取得方法',
  basisExpress: '明示的な同意',
  basisImplied: '黙示の同意',
  basisOptOut: 'オプトアウト方式の同意',
  preferencesTitle: 'プライバシー設定',
  stateGranted: 'オン',
  stateDenied: 'オフ',
  controller: '責任者',
  choicesOn: { other: '{count}件の設定がオン' },
};

export default ja;
