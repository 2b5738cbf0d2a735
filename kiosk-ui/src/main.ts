// Entry point: page styles, then the root element that index.html uses.
import { applyPageStyles } from './styles/page.js';
import './kiosk-app.js';

applyPageStyles();
