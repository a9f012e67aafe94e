// Korean interface strings: a chunk of its own, loaded when a page or element uses the language.
import type { WidgetStrings } from '../strings.js';

const ko: WidgetStrings = {
  expressLabel: '예, {purpose}에 동의합니다.',
  optOutLabel: '{purpose}에 제 정보를 사용하지 마세요.',
  withdrawHint: '동의는 언제든지 철회할 수 있습니다.',
  required: '필수',
  optOutStateIn: '{purpose}: 거부하지 않은 상태입니다.',
  optOutStateOut: '{purpose}: 거부한 상태입니다.',
  optOutAction: '{purpose} 거부',
  optInAction: '{purpose} 다시 허용',
  expressStateOff: '{purpose}: 꺼짐. 동의하신 경우에만 진행합니다.',
  expressStateOn: '{purpose}: 켜짐(동의함).',
  expressGrantAction: '{purpose} 동의',
  expressWithdrawAction: '{purpose} 동의 철회',
  gpcHonored: '거부 요청이 처리되었습니다',
  noticeCaption: '수집하는 정보',
  colType: '정보 유형',
  colWhat: '수집 항목',
  colCollector: '수집 주체',
  colPurpose: '목적',
  colUsers: '이용 주체',
  colStorage: '보관 주체',
  colSharedWith: '제공 대상',
  practicesTitle: '동의를 받는 방법',
  basisExpress: '명시적 동의',
  basisImplied: '묵시적 동의',
  basisOptOut: '거부 방식 동의',
  preferencesTitle: '개인정보 설정',
  stateGranted: '켜짐',
  stateDenied: '꺼짐',
  controller: '개인정보처리자',
  choicesOn: { other: '설정 {count}개 켜짐' },
};

export default ko;
