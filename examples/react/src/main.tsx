// Entry point: configure the elements once (the ledger and its policy), then render the app.
import { configure } from '@consentkit/widget';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';

configure({ endpoint: window.location.origin, policy: '/examples/policies/allstream.json' });

const root = document.getElementById('root');
if (!root) throw new Error('index.html needs <div id="root">');
createRoot(root).render(<App />);
