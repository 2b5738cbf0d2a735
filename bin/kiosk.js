#!/usr/bin/env node
// Entry point for `npx kiosk`: runs the compiled CLI (built by `npm run build`, which `npm ci` runs via prepare).
import '../dist/daemon/cli/main.js';
