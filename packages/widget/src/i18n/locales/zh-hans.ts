// Simplified Chinese interface strings: a chunk of its own, loaded when a page or element uses the language.
import type { WidgetStrings } from '../strings.js';

const zhHans: WidgetStrings = {
  expressLabel: '是的，我同意{purpose}。',
  optOutLabel: '请勿将我的信息用于{purpose}。',
  withdrawHint: '您可以随时撤回同意。',
  required: '必填',
  optOutStateIn: '您未退出{purpose}。',
  optOutStateOut: '您已退出{purpose}。',
  optOutAction: '退出{purpose}',
  optInAction: '重新加入{purpose}',
  expressStateOff: '{purpose}：已关闭。仅在您同意后进行。',
  expressStateOn: '{purpose}：已开启，因为您已同意。',
  expressGrantAction: '同意{purpose}',
  expressWithdrawAction: '撤回对{purpose}的同意',
  gpcHonored: '已遵从退出请求',
  noticeCaption: '我们收集的信息',
  colType: '信息类型',
  colWhat: '收集内容',
  colCollector: '收集方',
  colPurpose: '目的',
  colUsers: '使用方',
  colStorage: '存储方',
  colSharedWith: '共享对象',
  practicesTitle: '我们如何征求同意',
  basisExpress: '明示同意',
  basisImplied: '默示同意',
  basisOptOut: '可退出式同意',
  preferencesTitle: '您的隐私偏好',
  stateGranted: '开',
  stateDenied: '关',
  controller: '控制者',
  choicesOn: { other: '已开启 {count} 项设置' },
};

export default zhHans;
