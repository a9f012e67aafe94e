/**
 * The same form with template-driven forms: `[(ngModel)]` on each <consent-checkbox>, through the
 * same ConsentCheckboxValueAccessor. The page shows it at `?forms=template`.
 */
import { Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { sendApplication } from '@consentkit/example-shared/send-application';
import type { ConsentChangeEvent } from '@consentkit/widget';
import { ConsentCheckboxValueAccessor } from './consent-checkbox-value-accessor';

@Component({
  selector: 'app-template-application',
  imports: [FormsModule, ConsentCheckboxValueAccessor],
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  templateUrl: './template-application.component.html',
})
export class TemplateApplicationComponent {
  protected name = '';
  protected email = '';
  // A form reset sets every control to null: "not ticked" as much as false is.
  protected noMarketing: boolean | null = false;
  protected shareWithPartners: boolean | null = false;
  protected readonly lastChange = signal('');
  protected readonly sentWith = signal<string | undefined>(undefined);

  protected onConsentChange(event: ConsentChangeEvent): void {
    const { purpose, granted } = event.detail;
    this.lastChange.set(`${purpose}: ${granted ? 'granted' : 'not granted'}`);
  }

  protected async onSubmit(form: HTMLFormElement): Promise<void> {
    this.sentWith.set(await sendApplication(form));
  }

  protected onReset(): void {
    this.lastChange.set('');
  }
}
