import { describe, it } from 'node:test';
import { expect } from 'chai';
import { sentenceQuoting } from './page-parts.js';

describe('sentenceQuoting', () => {
  const english = { lang: 'en', dir: 'ltr' } as const;

  it('marks each quoted title with its language, and escapes everything', () => {
    const out = sentenceQuoting('Gespeichert. <b>News</b> & "Offers": ein.', ['<b>News</b> & "Offers"'], english);
    expect(out.value).to.equal(
      'Gespeichert. <span lang="en" dir="ltr">&lt;b&gt;News&lt;/b&gt; &amp; &quot;Offers&quot;</span>: ein.',
    );
  });

  it('marks the longer of two overlapping titles whole, never one inside the other', () => {
    const out = sentenceQuoting('Abonniert: Marketing emails, Marketing.', ['Marketing', 'Marketing emails'], english);
    expect(out.value).to.equal(
      'Abonniert: <span lang="en" dir="ltr">Marketing emails</span>, <span lang="en" dir="ltr">Marketing</span>.',
    );
  });

  it('leaves a sentence whose quotes are in the page’s language unmarked (escaped only)', () => {
    expect(sentenceQuoting('Saved. <News>: on.', ['<News>'], undefined).value).to.equal('Saved. &lt;News&gt;: on.');
  });
});
