// The review page: one static HTML file that works offline. The summary is written here (escaped); studies, series
// and instances are rendered in the browser from an embedded JSON data block, one page at a time (page-script.ts),
// so 10,000 instances open quickly. A Content-Security-Policy allows nothing but the page's own style and script
// (by SHA-256) and data: images: no request can leave the page, and no injected markup could run. A viewer shows a
// frame at the image's own resolution (from a data: URI in the same block). It reads on a phone (390 px) as on a desk.

import { createHash } from 'node:crypto';
import type { ReviewData } from './model.js';
import { PAGE_SCRIPT } from './page-script.js';

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1d2329; background: #fafbfc; }
h1 { font-size: 1.5em; margin: 0 0 .3em; } h2 { font-size: 1.2em; margin: 1.2em 0 .4em; } h3 { font-size: 1.05em; margin: 0 0 .4em; }
table { border-collapse: collapse; } table.summary { float: left; margin: 0 2em 1em 0; } h2 { clear: both; } th, td { border: 1px solid #d0d7de; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #eef1f4; } td { font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
.summary td { font-family: inherit; font-size: inherit; } .count { text-align: right; font-weight: 600; }
.notes { color: #57606a; } .controls { position: sticky; top: 0; background: #fafbfc; padding: .5em 0; border-bottom: 1px solid #d0d7de; z-index: 2; }
.controls input, .controls select, .controls button { font: inherit; margin-right: .5em; }
.summary td.count { word-break: normal; white-space: nowrap; }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: .3em; }
.table-scroll { overflow-x: auto; max-width: 100%; }
.series { margin: 1em 0; padding: .6em; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; }
.grid { display: flex; flex-wrap: wrap; gap: 10px; margin-top: .5em; }
.card { min-width: 150px; max-width: 420px; border: 1px solid #d0d7de; border-radius: 4px; padding: 6px; background: #fff; }
.card.status-quarantined { border-color: #cf222e; background: #fff5f5; }
.thumbs { display: flex; flex-wrap: wrap; gap: 4px; min-height: 40px; }
.thumb { position: relative; line-height: 0; background: #000; cursor: zoom-in; }
.thumb:focus { outline: 3px solid #0969da; outline-offset: 1px; }
.verify-status { margin: .2em 0; font-size: 12px; color: #57606a; } .verify-status.unverified-pixels { color: #9a6700; }
.viewer { position: fixed; inset: 0; z-index: 10; display: flex; flex-direction: column; background: #111417; color: #fff; }
.viewer[hidden] { display: none; }
.viewer-bar { display: flex; flex-wrap: wrap; align-items: center; gap: .4em; padding: .4em .6em; font-size: 13px; }
.viewer-bar button { font: inherit; }
#viewer-title { flex: 1 1 12em; overflow-wrap: anywhere; }
.viewer-image { flex: 1; overflow: auto; padding: .5em; text-align: center; }
.viewer-image .thumb { display: inline-block; cursor: default; }
.viewer-image .thumb img { max-width: none; }
@media (max-width: 640px) {
  body { margin: .6em; }
  table.summary { float: none; margin-right: 0; }
  .card { min-width: 0; max-width: none; width: 100%; box-sizing: border-box; }
  .controls input[type=search] { flex: 1 1 100%; }
}
.thumb img { display: block; image-rendering: auto; }
.redaction { position: absolute; box-sizing: border-box; border: 2px solid #ff2bd6; outline: 1px solid #000; }
.frame-label { position: absolute; left: 2px; bottom: 2px; color: #fff; font-size: 10px; line-height: 1; background: rgba(0,0,0,.6); padding: 1px 2px; }
.path { font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; margin: .3em 0 0; }
.facts, .reason, .note, .no-thumb, .description { margin: .2em 0; font-size: 12px; color: #57606a; } .reason { color: #cf222e; }
.findings { margin: .3em 0 0; padding-left: 1.2em; font-size: 12px; }
.badge { display: inline-block; padding: 0 4px; border-radius: 3px; color: #fff; background: #6e7781; font-size: 11px; }
.severity-high .badge { background: #cf222e; } .severity-medium .badge { background: #bf8700; } .severity-low .badge { background: #0969da; }
details.attributes { margin: .3em 0; } details.attributes table { margin-top: .3em; }
.action-remove td:nth-child(3) { color: #cf222e; } .action-keep td:nth-child(3) { color: #1a7f37; }
`;

/** Text as HTML (element content and attribute values alike). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON that can sit inside a <script> element: no "<", ">" or "&" (so no "</script>" and no "<!--"), no U+2028/9. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The page's Content-Security-Policy: no source at all but data: images and its own style and script. */
export const contentSecurityPolicy = (): string =>
  `default-src 'none'; img-src data:; style-src ${sha256(STYLE)}; script-src ${sha256(PAGE_SCRIPT)}; base-uri 'none'; form-action 'none'`;

function row(label: string, key: string, value: number | string | null): string {
  const shown = value === null ? '—' : String(value);
  return `<tr><th scope="row">${escapeHtml(label)}</th><td class="count" data-count="${escapeHtml(key)}">${escapeHtml(shown)}</td></tr>`;
}

function summaryHtml(data: ReviewData): string {
  const s = data.summary;
  const run = s.run;
  const reasons = new Map<string, number>();
  for (const i of data.instances) if (i.quarantineReason) reasons.set(i.quarantineReason, (reasons.get(i.quarantineReason) ?? 0) + 1);
  const verified = s.findings !== null && !s.pixelsVerified ? ' (attributes only)' : '';
  const lines = [
    '<table class="summary"><tbody>',
    row('Files ok (run report)', 'ok', run?.ok ?? null),
    row('Failed', 'failed', run?.failed ?? null),
    row('Skipped', 'skipped', run?.skipped ?? null),
    row('Quarantined', 'quarantined', run?.quarantined ?? (s.quarantinedShown > 0 ? s.quarantinedShown : null)),
    row('Outputs on this page', 'outputs', s.outputs),
    row('Studies', 'studies', s.studies),
    row('Series', 'series', s.series),
    row('Redacted (burned-in text blanked)', 'redacted', s.redacted),
    // Without verify --pixels, a count of findings says nothing of the pixels: the label says so.
    row(`Verify findings${verified}: high`, 'high', s.findings?.high ?? null),
    row(`Verify findings${verified}: medium`, 'medium', s.findings?.medium ?? null),
    row(`Verify findings${verified}: low`, 'low', s.findings?.low ?? null),
    row('Files with findings', 'filesWithFindings', s.findings?.filesWithFindings ?? null),
    row('Pixels verified (verify --pixels)', 'pixelsVerified', s.findings === null ? 'no: verify did not run' : s.pixelsVerified ? 'yes' : 'no: attributes only'),
    '</tbody></table>',
  ];
  if (run === null) lines.push('<p class="notes">No --report given: the counts of failed, skipped and quarantined files are not known.</p>');
  else if (run.failed + run.skipped > 0) lines.push('<p class="notes">Failed and skipped files are counted, not listed: the run\'s report names them by their original paths, which this page never shows.</p>');
  if (s.findings === null) lines.push('<p class="notes">Verify did not run (--no-verify) and no --findings file was given.</p>');
  const method = [...s.methods, ...s.methodTexts];
  lines.push(`<h2>Profile and options</h2><ul class="methods">${method.length === 0 ? '<li>none recorded in the outputs (no De-identification Method markers)</li>' : method.map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul>`);
  if (run?.layout) lines.push(`<p class="notes">Output layout: ${escapeHtml(run.layout)}${run.dryRun ? ' (dry run)' : ''}</p>`);
  if (reasons.size > 0) {
    lines.push('<h2>Why files were quarantined</h2><ul class="quarantine-reasons">');
    for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) lines.push(`<li><span class="count">${n}</span> × ${escapeHtml(reason)}</li>`);
    lines.push('</ul>');
  }
  lines.push(`<ul class="notes">${data.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`);
  return lines.join('\n');
}

/** The whole page. */
export function renderPage(data: ReviewData, title = 'De-identification review'): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy())}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="notes">What leaves: the output files as they are, with values masked unless the page was made with --show-values. This page never holds a value or a path of the originals.</p>
<h2>Summary</h2>
${summaryHtml(data)}
<h2>Studies, series and instances</h2>
<div class="controls">
<input id="filter-text" type="search" placeholder="filter: path, modality, finding kind…" aria-label="filter">
<select id="filter-kind" aria-label="show">
<option value="all">all instances</option>
<option value="findings">with findings</option>
<option value="high">with high findings</option>
<option value="redacted">redacted</option>
<option value="quarantined">quarantined</option>
</select>
<button id="prev" type="button">◀ previous</button><button id="next" type="button">next ▶</button>
<span id="page-info"></span>
</div>
<div id="results"><noscript>The list of instances needs JavaScript (the page's own script only).</noscript></div>
<div id="viewer" class="viewer" role="dialog" aria-modal="true" aria-labelledby="viewer-title" hidden>
<div class="viewer-bar"><span id="viewer-title"></span><button id="viewer-prev" type="button">◀ frame</button><button id="viewer-next" type="button">frame ▶</button><button id="viewer-close" type="button">close (Esc)</button></div>
<div id="viewer-image" class="viewer-image"></div>
</div>
<script type="application/json" id="review-data">${jsonForScript(data)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
