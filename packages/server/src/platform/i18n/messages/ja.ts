// 日本語（です・ます調）。
import type { Messages } from '../message-types.js';

export const ja: Messages = {
  languageName: '日本語',
  languageLabel: '言語',
  skipToContent: '本文へ移動',
  siteTitle: 'プライバシーの選択',
  footer: 'これらの選択はいつでも変更できます。アカウントやパスワードは不要です。',
  policyLanguageNote: (language) =>
    `選択肢の説明は、プライバシーポリシーの言語である${language}で表示しています。ポリシーはまだこの言語に翻訳されていません。`,
  unsubscribeTitle: '配信停止',
  unsubscribeIntro: (org) => `${org}からのこのメールの受信を停止します。`,
  unsubscribeFrom: '配信を停止する項目：',
  unsubscribeButton: '配信を停止する',
  unsubscribeNoJs: 'ワンクリックで完了します。ほかに必要な操作はありません。',
  unsubscribedTitle: '配信を停止しました',
  unsubscribedBody: '選択はすぐに反映されました。今後このメールは届きません。',
  alreadyUnsubscribed: 'すでに配信を停止しています。',
  subscribedTo: (purposes) => `現在、${purposes}を受信しています（配信は停止されていません）。`,
  managePreferences: 'すべての設定を管理する',
  preferencesTitle: '設定',
  preferencesIntro: (org) => `${org}があなたの情報をどのように利用できるかを選んでください。`,
  withdrawNotice:
    'オフにするのはオンにするのと同じくらい簡単で、すぐに反映されます。変更前に行われたことには影響しません。',
  statusOn: 'オン',
  statusOff: 'オフ',
  turnOff: (purpose) => `オフにする：${purpose}`,
  turnOn: (purpose) => `オンにする：${purpose}`,
  turnOffShort: 'オフにする',
  turnOnShort: 'オンにする',
  requiredPurpose: 'お申し込みのサービスを提供するために必要です。',
  requiredPurposesHeading: 'お申し込みに必要な項目',
  choicesHeading: 'あなたの選択',
  saved: (purpose, on) => `保存しました。${purpose}：${on ? 'オン' : 'オフ'}`,
  homeTitle: 'ConsentKit 同意台帳',
  homeIntro: (org) =>
    `このサーバーは${org}の同意記録を保管しています。記録はそれぞれ署名され、検証できるよう連結されています。各ページへは、メールやフォームのリンク（配信停止、設定）からアクセスします。ここで登録するものはありません。`,
  homeTeamHeading: '運用チーム向け',
  homeAdmin: 'ダッシュボード（API キーでサインイン）',
  homeApi: 'API の説明（OpenAPI 3.1）',
  homeKeys: '受領証を検証するための台帳の公開鍵（JWKS）',
  homeDocs:
    'ドキュメント：ConsentKit ソースの README.md と docs フォルダー。各エラーコードは docs/errors.md で説明しています。',
  formExpired: 'ページを長く開いていたため、変更は保存されませんでした。もう一度お試しください。',
  confirmTitle: '選択の確認',
  confirmIntro: (org, date) =>
    `${date}に、${org}のフォームでこのメールアドレスを使って、次の内容への同意がありました：`,
  confirmWhat:
    'ご本人であることを確認した時点で有効になります。心当たりがない場合は何もしないでください。何も変わりません。',
  confirmButton: (purpose) => `はい、同意します：${purpose}`,
  confirmIgnore: '同意はいつでも、同意したときと同じくらい簡単に撤回できます。',
  confirmedTitle: 'ありがとうございます。選択を確認しました',
  confirmedBody: (purpose) => `同意した内容：${purpose}。同意はいつでも撤回できます。`,
  confirmNothingTitle: '確認する項目はありません',
  confirmNothingBody: 'メールの送信後にこの選択が変更されたため、確認する項目は残っていません。',
  yourDataHeading: 'あなたのデータ',
  downloadDataIntro:
    'これまでの選択をすべて、当社の署名付き受領証とあわせて、ご自身で検証できる署名付きファイル1つとしてダウンロードできます。',
  downloadData: 'データをダウンロード',
  gpcHonored: 'オプトアウト要求を受け付けました',
  gpcHonoredBody:
    'お使いのブラウザーから Global Privacy Control シグナルが送信されました。あなたの情報の販売と共有を停止しました。',
  notFoundTitle: 'このリンクは使用できません',
  notFoundBody:
    'リンクが途中で切れているか、有効期限が切れている可能性があります。メールからコピーした場合は、リンク全体をコピーしてもう一度お試しください。',
  errorTitle: '問題が発生しました',
  errorBody: 'リクエストを完了できませんでした。何も変更されていません。しばらくしてからもう一度お試しください。',
  badRequestTitle: 'このリクエストを読み取れませんでした',
  badRequestBody: 'ページに戻り、ページ内のボタンを使ってください。',
  tooManyRequestsTitle: 'リクエストが多すぎます',
  tooManyRequestsBody: 'お使いのネットワークから多数のリクエストを受信しました。何も変更されていません。',
  retryIn: {
    other: (n) => `${n}秒後にもう一度お試しください。`,
  },
  emailSentBy: (org) => `このメールは${org}から送信されました。このメールの配信はワンクリックでいつでも停止できます。`,
  emailUnsubscribe: 'このメールの配信を停止する',
  emailPreferences: 'プライバシー設定を管理する',
};
