// Entry point: register the elements and configure them once (the ledger and its policy), then
// bootstrap the standalone root component (zoneless, Angular's default since v21).
import '@consentkit/widget/define';
import { bootstrapApplication } from '@angular/platform-browser';
import { configure } from '@consentkit/widget';
import { AppComponent } from './app/app.component';

configure({ endpoint: window.location.origin, policy: '/examples/policies/allstream.json' });
bootstrapApplication(AppComponent).catch((error: unknown) => console.error(error));
