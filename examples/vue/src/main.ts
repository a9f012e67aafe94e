// Entry point: register the elements and configure them once (the ledger and its policy), then
// mount the app. The template was compiled at build time with the Vue plugin's isCustomElement
// (vite.config.ts), so nothing more is needed here.
import '@consentkit/widget/define';
import { configure } from '@consentkit/widget';
import { createApp } from 'vue';
import App from './App.vue';

configure({ endpoint: window.location.origin, policy: '/examples/policies/allstream.json' });
createApp(App).mount('#app');
