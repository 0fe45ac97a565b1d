// Turns GDCM's PS3.3 module tables (Part3.xml, shipped by the Debian package libgdcm3.0 under /usr/share/gdcm-3.0/XML,
// BSD licence; the DICOM standard reference folder has no IOD or module tables) into the compact table of what each
// storage SOP class requires: for each IOD, its mandatory (M) modules, and for each module its top-level Type 1 and
// Type 2 attributes. SOP classes are found by name in ../shared/reference/dicom-standard/ps3.6-uid-registry.json.
// Run with `tsx scripts/generate-iod-table.ts`; test/generated-iod-table.test.ts regenerates it and compares.
//
// GDCM_PART3_XML overrides the Part3.xml path; DICOM_STANDARD_DIR the reference folder (as generate-tables.ts).

import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMain } from './is-main.js';
import { standardDir } from './generate-tables.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const IOD_TABLE_PATH = 'src/profiles/iod-requirements.generated.ts';

export function part3Path(): string {
  const override = process.env.GDCM_PART3_XML;
  return override !== undefined && override !== '' ? resolve(override) : '/usr/share/gdcm-3.0/XML/Part3.xml';
}

const unescape = (s: string): string => s.replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&apos;/g, "'");
const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(tag);
  return m ? unescape(m[1]!) : undefined;
};

/** An IOD or SOP class name reduced to comparable words: the abbreviations PS3.3's table titles use spelled out. */
export function nameKey(name: string): string {
  const words = name.toLowerCase().replace(/x-ray/g, 'x ray').replace(/multi-frame/g, 'multi frame').replace(/[^a-z0-9]+/g, ' ').trim().split(' ');
  const spelled: Record<string, string> = {
    cr: 'computed radiography', us: 'ultrasound', sc: 'secondary capture', nm: 'nuclear medicine',
    pet: 'positron emission tomography', xrf: 'x ray radiofluoroscopic', vl: 'vl', '12': '12 lead',
  };
  const out = words.flatMap((w) => (spelled[w] ?? w).split(' '));
  // "12 Lead ECG" already says lead: do not double it.
  return out.join(' ').replace(/\b12 lead lead\b/, '12 lead').replace(/\b(iod|modules|storage)\b/g, ' ').replace(/\s+/g, ' ').trim();
}

interface Module { name: string; required: [number, '1' | '2'][] }

export function generateIodTable(xmlPath = part3Path(), dir = standardDir()): string {
  const xml = readFileSync(xmlPath, 'utf8');
  const edition = /<tables edition="([^"]*)"/.exec(xml)?.[1] ?? 'unknown';
  // Modules by their section reference (C.7.1.1): top-level entries only (a name starting with ">" is inside a sequence).
  const modules = new Map<string, Module>();
  for (const m of xml.matchAll(/<module ([^>]*)>([\s\S]*?)<\/module>/g)) {
    const ref = attr(m[1]!, 'ref');
    const name = attr(m[1]!, 'name');
    if (!ref || !name || modules.has(ref)) continue;
    const required: [number, '1' | '2'][] = [];
    for (const e of m[2]!.matchAll(/<entry ([^>]*)>/g)) {
      const entryName = attr(e[1]!, 'name') ?? '';
      const type = attr(e[1]!, 'type');
      const group = attr(e[1]!, 'group'), element = attr(e[1]!, 'element');
      if (entryName.startsWith('>') || (type !== '1' && type !== '2') || !group || !element || !/^[0-9A-F]{4}$/i.test(group + element.slice(0, 0)) || !/^[0-9A-F]{4}$/i.test(element)) continue;
      const tag = parseInt(group + element, 16);
      if (!required.some(([t]) => t === tag)) required.push([tag, type]);
    }
    modules.set(ref, { name: name.replace(/ Module Attributes$/, ''), required });
  }
  const registry = JSON.parse(readFileSync(join(dir, 'ps3.6-uid-registry.json'), 'utf8')) as { uid: string; name: string; type: string; retired: boolean }[];
  const sopByKey = new Map<string, string[]>();
  for (const r of registry) {
    if (r.type !== 'SOP Class' || !/Storage/.test(r.name)) continue;
    const key = nameKey(r.name.replace(/ - For (Presentation|Processing)$/, ''));
    sopByKey.set(key, [...(sopByKey.get(key) ?? []), r.uid]);
  }
  const usedModules = new Set<string>();
  const sopClasses: [string, string, string[]][] = [];
  for (const m of xml.matchAll(/<iod ([^>]*)>([\s\S]*?)<\/iod>/g)) {
    const iodName = (attr(m[1]!, 'name') ?? '').replace(/ IOD Modules$/, '');
    const uids = sopByKey.get(nameKey(iodName));
    if (!uids) continue;
    const mandatory: string[] = [];
    for (const e of m[2]!.matchAll(/<entry ([^>]*)\/?>/g)) {
      const ref = attr(e[1]!, 'ref');
      if (attr(e[1]!, 'usage') === 'M' && ref && modules.has(ref) && !mandatory.includes(ref)) mandatory.push(ref);
    }
    for (const ref of mandatory) usedModules.add(ref);
    for (const uid of uids) if (!sopClasses.some(([u]) => u === uid)) sopClasses.push([uid, iodName, mandatory]);
  }
  sopClasses.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const refs = [...usedModules].sort();
  const lines = [
    `// GENERATED by scripts/generate-iod-table.ts from GDCM's Part3.xml (PS3.3 module tables, edition ${edition}; Debian libgdcm3.0,`,
    '// BSD licence) and ../shared/reference/dicom-standard/ps3.6-uid-registry.json. Do not edit.',
    '// What each storage SOP class requires: its IOD\'s mandatory modules and their top-level Type 1 and Type 2 attributes.',
    '',
    '/** Module section → [name, [tag, type][]] (top-level Type 1 and Type 2 attributes). */',
    'export const IOD_MODULES: Readonly<Record<string, readonly [string, readonly (readonly [number, \'1\' | \'2\'])[]]>> = {',
    ...refs.map((ref) => {
      const mod = modules.get(ref)!;
      return `  ${JSON.stringify(ref)}: [${JSON.stringify(mod.name)}, [${mod.required.map(([t, ty]) => `[0x${t.toString(16).padStart(8, '0')}, '${ty}']`).join(', ')}]],`;
    }),
    '};',
    '',
    '/** SOP Class UID → [IOD name, mandatory module sections]. */',
    'export const SOP_CLASS_IODS: Readonly<Record<string, readonly [string, readonly string[]]>> = {',
    ...sopClasses.map(([uid, iod, mods]) => `  ${JSON.stringify(uid)}: [${JSON.stringify(iod)}, [${mods.map((r) => JSON.stringify(r)).join(', ')}]],`),
    '};',
    '',
  ];
  return lines.join('\n');
}

if (isMain(import.meta.url)) {
  const text = generateIodTable();
  writeFileSync(join(REPO_ROOT, IOD_TABLE_PATH), text);
  const count = (text.match(/^  "1\.2\./gm) ?? []).length;
  process.stdout.write(`wrote ${IOD_TABLE_PATH}: ${count} SOP classes\n`);
}
