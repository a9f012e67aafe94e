/**
 * What both versions of the form share besides the boxes' bindings: the last consent-change the
 * page heard, and sending the application with its record id (examples/shared/send-application.ts).
 */
import { signal } from '@angular/core';
import { sendApplication } from '@consentkit/example-shared/send-application';
import type { ConsentChangeEvent } from '@consentkit/widget';

export abstract class ApplicationPage {
  protected readonly lastChange = signal('');
  protected readonly sentWith = signal<string | undefined>(undefined);

  protected onConsentChange(event: ConsentChangeEvent): void {
    const { purpose, granted } = event.detail;
    this.lastChange.set(`${purpose}: ${granted ? 'granted' : 'not granted'}`);
  }

  protected async onSubmit(form: HTMLFormElement): Promise<void> {
    this.sentWith.set(await sendApplication(form));
  }

  /** The form's own reset resets the controls (and through them the boxes). */
  protected onReset(): void {
    this.lastChange.set('');
  }
}
