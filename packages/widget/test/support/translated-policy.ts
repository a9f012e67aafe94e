/**
 * AllStream plus two purposes whose titles and descriptions are translated into every language
 * the widget has strings for, and which have no `label` of their own: their boxes show the
 * interface's sentence around the title, so a test sees each language's own strings.
 * `newsletter` is opt-out, `surveys` express. `only` keeps just those translations (English is
 * always kept: the policy schema requires it).
 */
import type { LocalizedText, Policy, Purpose } from '@consentkit/core';
import { testPolicy } from '@consentkit/test-support/policy';

const NEWSLETTER_TITLE: LocalizedText = {
  en: 'Newsletter',
  fr: 'Infolettre',
  de: 'Newsletter',
  es: 'Boletín',
  it: 'Newsletter',
  nl: 'Nieuwsbrief',
  pt: 'Boletim informativo',
  pl: 'Biuletyn',
  sv: 'Nyhetsbrev',
  da: 'Nyhedsbrev',
  fi: 'Uutiskirje',
  cs: 'Zpravodaj',
  ro: 'Buletin informativ',
  ja: 'ニュースレター',
  'zh-Hans': '新闻通讯',
  ko: '뉴스레터',
  ar: 'النشرة الإخبارية',
  he: 'ניוזלטר',
};
const NEWSLETTER_DESCRIPTION: LocalizedText = {
  en: 'News about our services, once a month.',
  fr: 'Des nouvelles de nos services, une fois par mois.',
  de: 'Neuigkeiten zu unseren Diensten, einmal im Monat.',
  es: 'Noticias sobre nuestros servicios, una vez al mes.',
  it: 'Notizie sui nostri servizi, una volta al mese.',
  nl: 'Nieuws over onze diensten, één keer per maand.',
  pt: 'Novidades sobre nossos serviços, uma vez por mês.',
  pl: 'Wiadomości o naszych usługach raz w miesiącu.',
  sv: 'Nyheter om våra tjänster en gång i månaden.',
  da: 'Nyheder om vores tjenester én gang om måneden.',
  fi: 'Uutisia palveluistamme kerran kuukaudessa.',
  cs: 'Novinky o našich službách jednou měsíčně.',
  ro: 'Noutăți despre serviciile noastre, o dată pe lună.',
  ja: '当社サービスのお知らせ（月1回）。',
  'zh-Hans': '每月一次的服务资讯。',
  ko: '월 1회 서비스 소식.',
  ar: 'أخبار عن خدماتنا مرة واحدة في الشهر.',
  he: 'עדכונים על השירותים שלנו פעם בחודש.',
};
const SURVEYS_TITLE: LocalizedText = {
  en: 'Customer surveys',
  fr: 'Sondages auprès de la clientèle',
  de: 'Kundenumfragen',
  es: 'Encuestas a clientes',
  it: 'Sondaggi per i clienti',
  nl: 'Klantenonderzoek',
  pt: 'Pesquisas com clientes',
  pl: 'Ankiety klienckie',
  sv: 'Kundundersökningar',
  da: 'Kundeundersøgelser',
  fi: 'Asiakaskyselyt',
  cs: 'Zákaznické průzkumy',
  ro: 'Sondaje pentru clienți',
  ja: 'お客様アンケート',
  'zh-Hans': '客户调查',
  ko: '고객 설문조사',
  ar: 'استطلاعات العملاء',
  he: 'סקרי לקוחות',
};
const SURVEYS_DESCRIPTION: LocalizedText = {
  en: 'Occasional questions about our service.',
  fr: 'Des questions ponctuelles sur notre service.',
  de: 'Gelegentliche Fragen zu unserem Service.',
  es: 'Preguntas ocasionales sobre nuestro servicio.',
  it: 'Domande occasionali sul nostro servizio.',
  nl: 'Af en toe vragen over onze dienstverlening.',
  pt: 'Perguntas ocasionais sobre nosso serviço.',
  pl: 'Okazjonalne pytania o nasze usługi.',
  sv: 'Enstaka frågor om vår tjänst.',
  da: 'Lejlighedsvise spørgsmål om vores service.',
  fi: 'Satunnaisia kysymyksiä palvelustamme.',
  cs: 'Občasné dotazy na naše služby.',
  ro: 'Întrebări ocazionale despre serviciul nostru.',
  ja: 'サービスに関するときどきのご質問。',
  'zh-Hans': '关于我们服务的不定期问题。',
  ko: '서비스에 관한 간헐적인 질문.',
  ar: 'أسئلة من حين لآخر عن خدمتنا.',
  he: 'שאלות מזדמנות על השירות שלנו.',
};

function pick(text: LocalizedText, only: readonly string[] | undefined): LocalizedText {
  return only ? Object.fromEntries(Object.entries(text).filter(([k]) => k === 'en' || only.includes(k))) : { ...text };
}

function purpose(id: string, basis: 'opt-out' | 'express', title: LocalizedText, description: LocalizedText): Purpose {
  return {
    id,
    title,
    description,
    basis,
    legalBasis: basis === 'express' ? 'consent' : 'implied-consent',
    primary: false,
    sensitive: false,
    recipients: [],
    dataCategories: ['contact-information'],
    retention: 'P2Y',
    kantara: { purposeCategory: 6, piiCategories: [2] },
  };
}

export function translatedPolicy(only?: readonly string[]): Policy {
  return testPolicy({
    locales: ['en', ...Object.keys(NEWSLETTER_TITLE).filter((k) => k !== 'en' && (!only || only.includes(k)))],
    addPurposes: [
      purpose('newsletter', 'opt-out', pick(NEWSLETTER_TITLE, only), pick(NEWSLETTER_DESCRIPTION, only)),
      purpose('surveys', 'express', pick(SURVEYS_TITLE, only), pick(SURVEYS_DESCRIPTION, only)),
    ],
  });
}
