// The same form with its template compiled in the browser (Vue's full build), as a page that
// loads Vue and the ConsentKit drop-in with script tags does, the drop-in last. Here the custom-element rule is
// app.config.compilerOptions.isCustomElement: without it, Vue tries to resolve
// <consent-checkbox> as a component and warns "Failed to resolve component".

import { sendApplication } from '@consentkit/example-shared/send-application';
import type { ConsentChangeEvent } from '@consentkit/widget';
import { createApp, ref } from 'vue/dist/vue.esm-bundler.js';

const app = createApp({
  setup() {
    const noMarketing = ref(false);
    const shareWithPartners = ref(false);
    const lastChange = ref('');
    const sentWith = ref<string>();
    return {
      noMarketing,
      shareWithPartners,
      lastChange,
      sentWith,
      onConsentChange(event: ConsentChangeEvent): void {
        lastChange.value = `${event.detail.purpose}: ${event.detail.granted ? 'granted' : 'not granted'}`;
      },
      async onSubmit(event: Event): Promise<void> {
        sentWith.value = await sendApplication(event.currentTarget as HTMLFormElement);
      },
      onReset(): void {
        noMarketing.value = false;
        shareWithPartners.value = false;
        lastChange.value = '';
      },
    };
  },
});
app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('consent-');
app.mount('#app');

// The drop-in comes after the app, as on a page that adds it later: Vue has compiled and mounted
// the template before the elements exist, which works because of the rule above.
const dropIn = document.createElement('script');
dropIn.type = 'module';
dropIn.src = '/assets/consentkit.js';
document.head.append(dropIn);
