/**
 * The page: the application form with reactive forms (formControlName), or with template-driven
 * forms (ngModel) at `?forms=template`. Both use the same ConsentCheckboxValueAccessor.
 */
import { Component } from '@angular/core';
import { ReactiveApplicationComponent } from './reactive-application.component';
import { TemplateApplicationComponent } from './template-application.component';

@Component({
  selector: 'app-root',
  imports: [ReactiveApplicationComponent, TemplateApplicationComponent],
  template: `
    @if (templateDriven) {
      <app-template-application />
    } @else {
      <app-reactive-application />
    }
  `,
})
export class AppComponent {
  protected readonly templateDriven = new URLSearchParams(window.location.search).get('forms') === 'template';
}
