// Entry point: registers the root element that index.html uses.
import './kiosk-app.js';
