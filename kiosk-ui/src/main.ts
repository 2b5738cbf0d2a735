// Entry point: page styles and the bundled Japanese face, then the root element that index.html uses.
// Noto Sans JP ships with the UI (as unicode-range slices the browser fetches as text needs them),
// so a kiosk image with no CJK font installed still renders Japanese.
import '@fontsource-variable/noto-sans-jp';
import { applyPageStyles } from './styles/page.js';
import './kiosk-app.js';

applyPageStyles();
