// Czech interface strings: a chunk of its own, loaded when a page or element uses the language.
import type { WidgetStrings } from '../strings.js';

const cs: WidgetStrings = {
  expressLabel: 'Ano, souhlasím: {purpose}.',
  optOutLabel: 'Nepoužívat mé údaje pro: {purpose}.',
  withdrawHint: 'Svůj souhlas můžete kdykoli odvolat.',
  required: 'povinné',
  optOutStateIn: 'Nevznesli jste námitku: {purpose}.',
  optOutStateOut: 'Vznesli jste námitku: {purpose}.',
  optOutAction: 'Vznést námitku: {purpose}',
  optInAction: 'Zrušit námitku: {purpose}',
  expressStateOff: '{purpose}: vypnuto. Děláme to jen s vaším souhlasem.',
  expressStateOn: '{purpose}: zapnuto, protože jste souhlasili.',
  expressGrantAction: 'Souhlasím: {purpose}',
  expressWithdrawAction: 'Odvolat svůj souhlas: {purpose}',
  gpcHonored: 'Žádosti o odhlášení bylo vyhověno',
  noticeCaption: 'Jaké údaje shromažďujeme',
  colType: 'Druh údajů',
  colWhat: 'Co shromažďujeme',
  colCollector: 'Kdo je shromažďuje',
  colPurpose: 'Účel',
  colUsers: 'Kdo je používá',
  colStorage: 'Kdo je uchovává',
  colSharedWith: 'Komu je předáváme',
  practicesTitle: 'Jak žádáme o souhlas',
  basisExpress: 'Výslovný souhlas',
  basisImplied: 'Předpokládaný souhlas',
  basisOptOut: 'Souhlas s možností námitky',
  preferencesTitle: 'Vaše nastavení soukromí',
  stateGranted: 'Zapnuto',
  stateDenied: 'Vypnuto',
  controller: 'Správce údajů',
  choicesOn: {
    one: '{count} volba je zapnutá',
    few: '{count} volby jsou zapnuté',
    many: '{count} volby je zapnuto',
    other: '{count} voleb je zapnuto',
  },
};

export default cs;
