// The review page's one inline script (its SHA-256 is in the page's Content-Security-Policy). It reads the JSON data
// block and renders one page of instances at a time, with DOM calls only: every value becomes text (textContent),
// never markup, and an image source is used only when it is a data:image/png URI. A thumbnail enlarges (click, or
// Enter/Space when focused) to the frame at the image's own resolution; arrow keys move, Escape closes.

export const PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var PAGE_SIZE = 48;
  var data = JSON.parse(document.getElementById('review-data').textContent);
  var state = { text: '', kind: 'all', page: 0 };
  var textBox = document.getElementById('filter-text');
  var kindBox = document.getElementById('filter-kind');
  var results = document.getElementById('results');
  var info = document.getElementById('page-info');
  var prev = document.getElementById('prev');
  var next = document.getElementById('next');
  var viewer = document.getElementById('viewer');
  var viewerTitle = document.getElementById('viewer-title');
  var viewerImage = document.getElementById('viewer-image');
  var viewerClose = document.getElementById('viewer-close');
  /** The thumbnails of the page shown, in order ({inst, t, box}), and the one enlarged (-1: none). */
  var frames = [];
  var enlarged = -1;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function seriesLabel(s) {
    var label = 'Study ' + (s.study + 1) + ' \u00b7 Series ' + (s.seriesNumber === null ? '?' : s.seriesNumber) + ' \u00b7 ' + s.modality;
    return label + ' \u00b7 ' + s.instances.length + ' instance' + (s.instances.length === 1 ? '' : 's');
  }
  function matches(inst) {
    if (state.kind === 'findings' && inst.findings.length === 0) return false;
    if (state.kind === 'high' && !inst.findings.some(function (f) { return f.severity === 'high'; })) return false;
    if (state.kind === 'redacted' && !(inst.burnedIn && inst.burnedIn.status === 'redacted')) return false;
    if (state.kind === 'quarantined' && inst.status !== 'quarantined') return false;
    if (state.text === '') return true;
    var s = data.series[inst.series];
    var hay = [inst.path, inst.status, s.modality, seriesLabel(s), inst.burnedIn ? inst.burnedIn.status : '']
      .concat(inst.findings.map(function (f) { return f.kind + ' ' + f.tagPath + ' ' + f.severity; })).join(' ').toLowerCase();
    return hay.indexOf(state.text) >= 0;
  }
  function dataUri(src) {
    return typeof src === 'string' && src.indexOf('data:image/png;base64,') === 0 ? src : null;
  }
  function attributeTable(s, title) {
    var details = el('details', 'attributes');
    details.appendChild(el('summary', null, title + ' (' + s.attributes.length + ' rows)'));
    var table = el('table');
    var head = el('tr');
    ['Tag path', 'Keyword', 'Action', 'Rule', 'Instances', data.showValues ? 'Output values' : 'Output values (masked)'].forEach(function (h) { head.appendChild(el('th', null, h)); });
    table.appendChild(head);
    s.attributes.forEach(function (row) {
      var tr = el('tr', 'action-' + row.action.replace(/[^a-zA-Z]/g, ''));
      [row.path, row.keyword || '-', row.action, row.origin || '-', row.instances, row.values.join(' | ') || '-'].forEach(function (v) { tr.appendChild(el('td', null, v)); });
      table.appendChild(tr);
    });
    var scroll = el('div', 'table-scroll');
    scroll.appendChild(table);
    details.appendChild(scroll);
    return details;
  }
  /** A frame with the redactions outlined: the thumbnail, or (full) the image at its own resolution. */
  function frameBox(inst, t, full) {
    var box = el('div', 'thumb');
    var img = document.createElement('img');
    var src = full ? dataUri(t.full) || dataUri(t.src) : dataUri(t.src);
    if (src) img.src = src;
    img.width = full ? inst.columns : t.width;
    img.height = full ? inst.rows : t.height;
    img.alt = 'frame ' + (t.frame + 1) + ' of ' + inst.frames;
    box.appendChild(img);
    if (inst.burnedIn && inst.rows && inst.columns) {
      inst.burnedIn.rectangles.forEach(function (r) {
        if (r.frames && r.frames.indexOf(t.frame) < 0) return;
        var x0 = Math.max(0, r.x), y0 = Math.max(0, r.y);
        var x1 = Math.min(inst.columns, r.x + r.width), y1 = Math.min(inst.rows, r.y + r.height);
        if (x1 <= x0 || y1 <= y0) return;
        var outline = el('div', 'redaction');
        outline.title = 'redacted ' + r.width + '\u00d7' + r.height + ' at ' + r.x + ',' + r.y;
        outline.style.left = (100 * x0 / inst.columns) + '%';
        outline.style.top = (100 * y0 / inst.rows) + '%';
        outline.style.width = (100 * (x1 - x0) / inst.columns) + '%';
        outline.style.height = (100 * (y1 - y0) / inst.rows) + '%';
        box.appendChild(outline);
      });
    }
    box.appendChild(el('div', 'frame-label', 'frame ' + (t.frame + 1)));
    return box;
  }
  function thumbnail(inst, t) {
    var box = frameBox(inst, t, false);
    var index = frames.length;
    frames.push({ inst: inst, t: t, box: box });
    box.tabIndex = 0;
    box.setAttribute('role', 'button');
    box.setAttribute('aria-label', 'enlarge frame ' + (t.frame + 1) + ' of ' + inst.frames + ': ' + inst.path);
    box.setAttribute('data-frame', String(t.frame));
    box.addEventListener('click', function () { openViewer(index); });
    box.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); openViewer(index); }
    });
    return box;
  }
  function openViewer(index) {
    if (index < 0 || index >= frames.length) return;
    enlarged = index;
    var f = frames[index];
    viewerImage.textContent = '';
    var box = frameBox(f.inst, f.t, true);
    box.className = 'thumb enlarged';
    viewerImage.appendChild(box);
    viewerTitle.textContent = f.inst.path + ' \u00b7 frame ' + (f.t.frame + 1) + ' of ' + f.inst.frames + ' \u00b7 ' + f.inst.columns + '\u00d7' + f.inst.rows +
      (dataUri(f.t.full) ? ' (own resolution)' : ' (thumbnail only: past the page\'s size budget)') + ' \u00b7 ' + (index + 1) + ' of ' + frames.length + ' on this page';
    viewer.hidden = false;
    viewerClose.focus();
  }
  function closeViewer() {
    if (enlarged < 0) return;
    var box = frames[enlarged] && frames[enlarged].box;
    enlarged = -1;
    viewer.hidden = true;
    viewerImage.textContent = '';
    if (box) box.focus();
  }
  function verifyStatus(inst) {
    var line;
    if (data.summary.findings === null) line = 'Not verified (verify did not run)';
    else {
      line = 'Verify: ' + (inst.findings.length === 0 ? 'no finding' : inst.findings.length + ' finding' + (inst.findings.length === 1 ? '' : 's'));
      line += data.summary.pixelsVerified ? ' (attributes and pixels)' : ' in the attributes \u00b7 pixels not verified';
    }
    var p = el('p', 'verify-status' + (data.summary.pixelsVerified ? '' : ' unverified-pixels'), line);
    p.setAttribute('data-pixels-verified', String(data.summary.pixelsVerified));
    return p;
  }
  function card(inst) {
    var c = el('article', 'card status-' + inst.status);
    c.setAttribute('data-instance', String(inst.id));
    var thumbs = el('div', 'thumbs');
    inst.thumbnails.forEach(function (t) { thumbs.appendChild(thumbnail(inst, t)); });
    if (inst.thumbnails.length === 0) thumbs.appendChild(el('p', 'no-thumb', inst.thumbnailNote || 'no thumbnail'));
    c.appendChild(thumbs);
    c.appendChild(el('p', 'path', inst.path));
    var facts = [inst.status === 'quarantined' ? 'QUARANTINED' : 'ok'];
    if (inst.instanceNumber !== null) facts.push('instance ' + inst.instanceNumber);
    if (inst.columns) facts.push(inst.columns + '\u00d7' + inst.rows + (inst.frames > 1 ? ', ' + inst.frames + ' frames' : '') + ', ' + inst.photometric);
    if (inst.burnedIn) facts.push('burned-in: ' + inst.burnedIn.status + (inst.burnedIn.rectangles.length ? ' (' + inst.burnedIn.rectangles.length + ' rectangle' + (inst.burnedIn.rectangles.length === 1 ? '' : 's') + ')' : ''));
    c.appendChild(el('p', 'facts', facts.join(' \u00b7 ')));
    if (inst.quarantineReason) c.appendChild(el('p', 'reason', 'Quarantined: ' + inst.quarantineReason));
    if (inst.status === 'ok') c.appendChild(verifyStatus(inst));
    if (inst.status === 'quarantined') c.appendChild(attributeTable(inst, 'What was done to its attributes'));
    if (inst.thumbnails.length > 0 && inst.thumbnailNote) c.appendChild(el('p', 'note', inst.thumbnailNote));
    if (inst.findings.length > 0) {
      var list = el('ul', 'findings');
      inst.findings.forEach(function (f) {
        var item = el('li', 'finding severity-' + f.severity);
        item.appendChild(el('span', 'badge', f.severity));
        item.appendChild(document.createTextNode(' ' + f.kind + (f.tagPath ? ' ' + f.tagPath : '') + (f.masked ? ' ' + f.masked : '') + ': ' + f.message));
        list.appendChild(item);
      });
      c.appendChild(list);
    }
    return c;
  }
  function render() {
    var shown = data.instances.filter(matches);
    var pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    if (state.page >= pages) state.page = pages - 1;
    var slice = shown.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE);
    results.textContent = '';
    frames = [];
    var lastSeries = -1, grid = null;
    slice.forEach(function (inst) {
      if (inst.series !== lastSeries) {
        lastSeries = inst.series;
        var s = data.series[inst.series];
        var section = el('section', 'series');
        section.setAttribute('data-series', String(s.id));
        section.appendChild(el('h3', null, seriesLabel(s)));
        if (s.description !== null) section.appendChild(el('p', 'description', 'Series Description: ' + s.description));
        // A series of quarantined files only has no table here: each of its cards has its own.
        if (s.instances.some(function (id) { return data.instances[id].status === 'ok'; })) section.appendChild(attributeTable(s, 'What happened to each attribute'));
        grid = el('div', 'grid');
        section.appendChild(grid);
        results.appendChild(section);
      }
      grid.appendChild(card(inst));
    });
    if (slice.length === 0) results.appendChild(el('p', 'empty', 'No instance matches the filter.'));
    info.textContent = 'Page ' + (state.page + 1) + ' of ' + pages + ' \u00b7 ' + shown.length + ' of ' + data.instances.length + ' instances';
    info.setAttribute('data-matching', String(shown.length));
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
  }
  textBox.addEventListener('input', function () { state.text = textBox.value.trim().toLowerCase(); state.page = 0; render(); });
  kindBox.addEventListener('change', function () { state.kind = kindBox.value; state.page = 0; render(); });
  prev.addEventListener('click', function () { if (state.page > 0) { state.page--; render(); } });
  next.addEventListener('click', function () { state.page++; render(); });
  viewerClose.addEventListener('click', closeViewer);
  document.getElementById('viewer-prev').addEventListener('click', function () { openViewer(Math.max(0, enlarged - 1)); });
  document.getElementById('viewer-next').addEventListener('click', function () { openViewer(Math.min(frames.length - 1, enlarged + 1)); });
  viewer.addEventListener('click', function (e) { if (e.target === viewer || e.target === viewerImage) closeViewer(); });
  document.addEventListener('keydown', function (e) {
    if (enlarged < 0) return;
    if (e.key === 'Escape') { e.preventDefault(); closeViewer(); }
    else if (e.key === 'ArrowRight' || e.key === 'ArrowDown') { e.preventDefault(); openViewer(Math.min(frames.length - 1, enlarged + 1)); }
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') { e.preventDefault(); openViewer(Math.max(0, enlarged - 1)); }
  });
  render();
  document.body.setAttribute('data-ready', 'true');
})();`;
