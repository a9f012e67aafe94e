/**
 * The AllStream application form in Angular with reactive forms: each <consent-checkbox> is a
 * form control through ConsentCheckboxValueAccessor, so the FormGroup's value, validity and
 * reset follow the elements. CUSTOM_ELEMENTS_SCHEMA lets the template use the elements and their
 * events (`(consent-change)`). The app posts with fetch, so it sends the record id from the
 * form's `consent-captured` event (examples/shared/send-application.ts).
 */
import { Component, CUSTOM_ELEMENTS_SCHEMA, inject } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { ApplicationPage } from './application-page';
import { ConsentCheckboxValueAccessor } from './consent-checkbox-value-accessor';

@Component({
  selector: 'app-reactive-application',
  imports: [ReactiveFormsModule, ConsentCheckboxValueAccessor],
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  templateUrl: './reactive-application.component.html',
})
export class ReactiveApplicationComponent extends ApplicationPage {
  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', Validators.required],
    email: ['', [Validators.required, Validators.email]],
    noMarketing: [false],
    shareWithPartners: [false],
  });
}
