// Entry point: register the elements and configure them once (the ledger and its policy), then
// mount the app.
import '@consentkit/widget/define';
import { configure } from '@consentkit/widget';
import { mount } from 'svelte';
import App from './App.svelte';

configure({ endpoint: window.location.origin, policy: '/examples/policies/allstream.json' });

const target = document.getElementById('app');
if (!target) throw new Error('index.html needs <div id="app">');
mount(App, { target });
