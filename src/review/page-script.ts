// The review page's one inline script (its SHA-256 is in the page's Content-Security-Policy). It reads the JSON data
// block and renders one page of instances at a time, with DOM calls only: every value becomes text (textContent),
// never markup, and an image source is used only when it is a data:image/png URI.

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
  function attributeTable(s) {
    var details = el('details', 'attributes');
    details.appendChild(el('summary', null, 'What happened to each attribute (' + s.attributes.length + ' rows)'));
    var table = el('table');
    var head = el('tr');
    ['Tag path', 'Keyword', 'Action', 'Rule', 'Instances', data.showValues ? 'Output values' : 'Output values (masked)'].forEach(function (h) { head.appendChild(el('th', null, h)); });
    table.appendChild(head);
    s.attributes.forEach(function (row) {
      var tr = el('tr', 'action-' + row.action.replace(/[^a-zA-Z]/g, ''));
      [row.path, row.keyword || '-', row.action, row.origin || '-', row.instances, row.values.join(' | ') || '-'].forEach(function (v) { tr.appendChild(el('td', null, v)); });
      table.appendChild(tr);
    });
    details.appendChild(table);
    return details;
  }
  function thumbnail(inst, t) {
    var box = el('div', 'thumb');
    var img = document.createElement('img');
    if (typeof t.src === 'string' && t.src.indexOf('data:image/png;base64,') === 0) img.src = t.src;
    img.width = t.width;
    img.height = t.height;
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
    var lastSeries = -1, grid = null;
    slice.forEach(function (inst) {
      if (inst.series !== lastSeries) {
        lastSeries = inst.series;
        var s = data.series[inst.series];
        var section = el('section', 'series');
        section.setAttribute('data-series', String(s.id));
        section.appendChild(el('h3', null, seriesLabel(s)));
        if (s.description !== null) section.appendChild(el('p', 'description', 'Series Description: ' + s.description));
        section.appendChild(attributeTable(s));
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
  render();
  document.body.setAttribute('data-ready', 'true');
})();`;
