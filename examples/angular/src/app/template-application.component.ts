/**
 * The same form with template-driven forms: `[(ngModel)]` on each <consent-checkbox>, through the
 * same ConsentCheckboxValueAccessor. The page shows it at `?forms=template`.
 */
import { Component, CUSTOM_ELEMENTS_SCHEMA } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ApplicationPage } from './application-page';
import { ConsentCheckboxValueAccessor } from './consent-checkbox-value-accessor';

@Component({
  selector: 'app-template-application',
  imports: [FormsModule, ConsentCheckboxValueAccessor],
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  templateUrl: './template-application.component.html',
})
export class TemplateApplicationComponent extends ApplicationPage {
  protected name = '';
  protected email = '';
  // A form reset sets every control to null: "not ticked" as much as false is.
  protected noMarketing: boolean | null = false;
  protected shareWithPartners: boolean | null = false;
}
