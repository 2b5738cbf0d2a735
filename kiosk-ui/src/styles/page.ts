// The document around the root element: no default body margin (it made every screen scroll by
// 16 px), and a page exactly as tall as the viewport so screens lay themselves out inside it.
const PAGE_CSS = `
html, body { margin: 0; padding: 0; height: 100%; }
body { background: #fff; }
`;

export function applyPageStyles(doc: Document = document): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(PAGE_CSS);
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
}
