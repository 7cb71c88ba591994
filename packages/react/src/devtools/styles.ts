/**
 * The devtools' own styles, rendered in a `<style>` beside the panel: no stylesheet to import,
 * and every selector sits under `.pkdt`, so nothing leaks into the app. The root resets what it
 * inherits (`all: initial`) so the app's fonts and colours do not leak in either.
 */
export const DEVTOOLS_CSS = `
.pkdt{all:initial;position:fixed;bottom:12px;right:12px;z-index:2147483000;
font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#e8eaed;
--pkdt-bg:#16181d;--pkdt-line:#3a404b;--pkdt-muted:#b9c0cb;--pkdt-accent:#8ab4f8}
.pkdt[data-position=bottom-left]{right:auto;left:12px}
.pkdt *,.pkdt *::before,.pkdt *::after{box-sizing:border-box}
.pkdt :where(h2,h3,h4,p,dl,dd,ol){margin:0;padding:0;font:inherit}
.pkdt :where(button){font:inherit;color:#fff;background:#2b313b;border:1px solid var(--pkdt-line);
border-radius:6px;padding:4px 10px;cursor:pointer}
.pkdt :where(button:disabled){cursor:default;color:var(--pkdt-muted)}
.pkdt :where(button:focus-visible,[tabindex]:focus-visible){outline:2px solid var(--pkdt-accent);outline-offset:2px}
.pkdt .pkdt-toggle{background:var(--pkdt-bg);border-radius:999px;padding:6px 12px;
box-shadow:0 2px 8px rgb(0 0 0/.35)}
.pkdt .pkdt-count{display:inline-block;min-width:1.6em;margin-left:6px;border-radius:999px;
background:#8ab4f8;color:#0b1a33;text-align:center}
.pkdt .pkdt-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.pkdt .pkdt-panel{position:fixed;left:0;right:0;bottom:0;height:min(45vh,480px);display:flex;
flex-direction:column;background:var(--pkdt-bg);border-top:1px solid var(--pkdt-line);
box-shadow:0 -4px 16px rgb(0 0 0/.35)}
.pkdt .pkdt-header{display:flex;align-items:center;gap:12px;padding:8px 12px;border-bottom:1px solid var(--pkdt-line)}
.pkdt .pkdt-header h2{font-weight:700;font-size:13px}
.pkdt .pkdt-meta{color:var(--pkdt-muted);margin-right:auto}
.pkdt .pkdt-body{overflow:auto;padding:8px 12px;display:grid;gap:12px;align-content:start}
.pkdt .pkdt-room{border:1px solid var(--pkdt-line);border-radius:8px;padding:8px 10px;display:grid;
gap:6px 16px;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));align-items:start}
.pkdt .pkdt-room>:where(header,.pkdt-error){grid-column:1/-1}
.pkdt .pkdt-block{display:grid;gap:4px;min-width:0}
.pkdt .pkdt-room-header{display:flex;align-items:center;gap:8px}
.pkdt .pkdt-room-header h3{font-weight:700;font-size:13px;margin-right:auto;overflow-wrap:anywhere}
.pkdt h4{font-weight:700;color:var(--pkdt-muted)}
.pkdt .pkdt-badge{border-radius:999px;padding:1px 8px;background:#2b313b}
.pkdt .pkdt-badge[data-state=attached]{background:#1e4620;color:#c6f6c9}
.pkdt .pkdt-badge[data-state=error]{background:#5c1a1a;color:#ffd7d2}
.pkdt .pkdt-error{border-left:3px solid #ff8a80;padding:4px 8px;background:#2a1717;color:#ffd7d2}
.pkdt .pkdt-error code{font-weight:700}
.pkdt .pkdt-facts{display:grid;grid-template-columns:auto 1fr;gap:2px 10px}
.pkdt .pkdt-facts div{display:contents}
.pkdt dt{color:var(--pkdt-muted)}
.pkdt .pkdt-table{border-collapse:collapse;width:100%}
.pkdt .pkdt-table :where(th,td){text-align:left;padding:2px 6px;border-bottom:1px solid var(--pkdt-line);
overflow-wrap:anywhere;vertical-align:top}
.pkdt .pkdt-table th{color:var(--pkdt-muted);font-weight:400}
.pkdt .pkdt-table .pkdt-narrow{white-space:nowrap;width:1%}
.pkdt .pkdt-events{list-style:none;display:grid;gap:2px;overflow-wrap:anywhere}
.pkdt .pkdt-events time{color:var(--pkdt-muted)}
.pkdt .pkdt-empty{color:var(--pkdt-muted)}
`;
