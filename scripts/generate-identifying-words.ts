// Generates the word lists of src/identifying/: person names (given and family, every script) from the locale data
// of @faker-js/faker (a devDependency: the lists ship in the repo, faker is never loaded at run time), English words
// that are not names (faker's en word lists: a name-list hit that is also "Will", "Grace" or "Mark" needs a cue), and
// the clinical vocabulary (words known not to identify, PS3.15 E.3.5): the words of the PS3.6 attribute and UID
// names and of the PS3.15 E.3.4-1 concept names (../shared/reference/dicom-standard/), and the seed below.
// One non-CJK name in ten is held out of the lists (scripts/identifying-holdout.ts): the test set draws names the
// finder has never seen from it. Run with `npx tsx scripts/generate-identifying-words.ts`; test/identifying/generated-words.test.ts regenerates in
// memory and compares with the committed files.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allLocales } from '@faker-js/faker';
import wordListPath from 'word-list';
import { isMain } from './is-main.js';
import { standardDir } from './generate-tables.js';
import { fold } from '../src/identifying/fold.js';
import { bloomPositions, isInflectedForm } from '../src/identifying/english.js';
import { HOLD_OUT_ONE_IN, heldOutName } from './identifying-holdout.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Clinical words the reference tables do not hold (the code meanings of CIDs 4031 body parts, 29 modalities, 244
 * laterality, and common sequence and contrast terms are not in ../shared/reference): the usual words and
 * abbreviations of imaging requests and series descriptions. Words only: no value of any file.
 */
const SEED = `
abdomen abdominal ac acromioclavicular adrenal ankle aorta aortic appendix arm artery arteries axial axilla back biliary
bladder bone bones bowel brachial brain breast bronchus calf cardiac carotid cervical chest clavicle coccyx colon
coronary cranial cranium elbow esophagus extremity eye face facial femur fibula finger foot forearm gallbladder hand head
heart hip humerus ileum iliac jaw jejunum joint kidney kidneys knee larynx leg lip liver lumbar lung lungs mandible
maxilla mediastinum meniscus meniscal neck nasal orbit orbits ovary pancreas patella pelvis pelvic pharynx pituitary
prostate rectum renal rib ribs sacrum scapula shoulder sinus sinuses skull spine spinal spleen sternum stomach
temporal thigh thoracic thorax thumb thyroid tibia toe trachea ulna ureter urethra uterus vertebra vertebral wrist
cerebral cerebellum ventricle ventricles hippocampus iac tmj cspine tspine lspine ls lll lul rll rml rul lobe lobes
ct mr mri pet spect us xr cr dx mg nm rf xa pt ot sr ko pr seg rtstruct rtdose rtplan cxr kub ivp mra mrv cta ctv
dexa fluoro fluoroscopy mammo mammogram mammography ultrasound sonogram angiogram angiography venogram arthrogram
myelogram scan scout localizer topogram survey
left right bilateral lt rt bil unilateral lat ap pa obl oblique lateral medial proximal distal anterior posterior
superior inferior upper lower dorsal ventral coronal sagittal sag cor ax tra transverse
contrast w wo w/o w/ without with iv oral gad gado gadolinium iodine iodinated noncontrast non precontrast postcontrast
pre post enhanced unenhanced bolus arterial venous portal delayed phase phases
t1 t2 t1w t2w pd pdw flair stir dwi adc dti swi gre fse tse se ir epi mprage space vibe bold fs fatsat fat sat
water dixon inphase opphase tof pc haste trufisp fiesta ssfp cine perfusion spectroscopy mrs diffusion weighted
localiser loc 3d 2d mip mpr vr recon reconstruction thin thick slice slices mm cm kv kvp mas mgy ms hz b0 b1000
protocol routine standard stat urgent followup follow up fu eval evaluation assess assessment rule out r/o ro
history hx pain mass lesion nodule tumor tumour cancer carcinoma metastasis metastases mets fracture fx injury trauma
infection abscess stroke hemorrhage bleed aneurysm stenosis occlusion embolism pe dvt effusion pneumonia edema
cyst calcification obstruction dilation dilatation tear rupture sprain strain swelling fever cough dyspnea sob
headache seizure syncope weakness numbness screening staging restaging surveillance baseline comparison prior
postop preop surgery surgical biopsy resection status s/p sp protocolled ordered requested reason indication
clinical exam examination study series image images report findings impression normal abnormal unremarkable
suspected possible probable likely known new chronic acute subacute stable increased decreased interval change
and or of the a an in on at to for by from as is was were be been no not per via x y
neurology neurosurgery oncology cardiology orthopedics orthopaedics emergency er ed icu ccu nicu radiology urology
pediatrics paediatrics obstetrics gynecology ob gyn ent ophthalmology dermatology gastroenterology gi hepatology
nephrology pulmonology respiratory rheumatology endocrinology hematology haematology vascular thoracic trauma
outpatient inpatient ward clinic department dept service team unit
hodgkin parkinson crohn alzheimer wilms ewing baker barrett bankart hill sachs colles bennett monteggia galeazzi
chiari arnold dandy walker willis circle doppler hounsfield glasgow gleason bi-rads birads lirads pirads tirads
enterography colonography tomosynthesis multiparametric elastography cholangiography cholangiopancreatography
urography cystography venography arthrography myelography scintigraphy lymphoscintigraphy hysterosalpingography
hepatobiliary transthoracic transesophageal echocardiogram echocardiography tractography morphometry volumetry
catheter line port shunt stent coil coils clip clips wire plate screw screws rod rods pin pins frame implant implants
pacemaker defibrillator valve graft tube drain filter reservoir pump lead leads prosthesis arthroplasty fixation
gadavist dotarem eovist multihance prohance omniscan magnevist clariscan elucirem vueway gadobutrol gadoterate
gadoxetate gadopiclenol omnipaque isovue visipaque optiray ultravist lipiodol lumason definity optison sonovue
technetium tc99m sestamibi tetrofosmin mdp mag3 dtpa dmsa hmpao maa sulfur colloid dotatate dotatoc psma fdg
florbetapir florbetaben flutemetamol fluciclovine choline mibg octreotide gallium thallium rubidium xenon iodine
`;

/** Words of the reference tables' names: attribute names, UID names, structured-content concept names. */
function referenceWords(): Set<string> {
  const out = new Set<string>();
  const addWords = (text: string): void => {
    for (const w of text.split(/[^A-Za-z0-9/]+/)) if (w.length >= 2) out.add(fold(w));
  };
  const read = <T>(file: string): T => JSON.parse(readFileSync(join(standardDir(), file), 'utf8')) as T;
  for (const e of read<Array<{ name: string; retired: boolean }>>('ps3.6-data-dictionary.json')) if (!e.retired) addWords(e.name);
  for (const e of read<Array<{ name: string; retired: boolean }>>('ps3.6-uid-registry.json')) if (!e.retired) addWords(e.name);
  for (const e of read<Array<{ codeMeaning: string }>>('ps3.15-E.3.4-1.structured-content.normalized.json')) addWords(e.codeMeaning);
  return out;
}

type Locale = { person?: Record<string, unknown>; word?: Record<string, unknown>; location?: Record<string, unknown> };

function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

const CJK_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** name → the generated files' contents. */
export function generateIdentifyingWords(): Map<string, string> {
  const locales = allLocales as unknown as Record<string, Locale>;
  const common = new Set<string>();
  for (const w of strings(locales.en?.word)) for (const part of w.split(/\s+/)) common.add(fold(part));
  const clinical = referenceWords();
  for (const w of SEED.split(/\s+/)) if (w !== '') clinical.add(fold(w));
  const given = new Set<string>(), family = new Set<string>(), cjkFamily = new Set<string>(), cjkGiven = new Set<string>();
  for (const name of Object.keys(locales).sort()) {
    const person = locales[name].person;
    if (!person) continue;
    const add = (list: Set<string>, cjk: Set<string>, key: string): void => {
      for (const value of strings(person[key])) {
        for (const part of value.split(/[\s-]+/)) {
          if (CJK_SCRIPT.test(part)) { cjk.add(part); continue; }
          if (!/^\p{L}[\p{L}'’.]*$/u.test(part) || part.endsWith('.')) continue;
          const f = fold(part).replace(/[’]/g, "'");
          if ([...f].length >= 3 && !heldOutName(f)) list.add(f);
        }
      }
    };
    add(given, cjkGiven, 'first_name');
    add(given, cjkGiven, 'middle_name');
    add(family, cjkFamily, 'last_name');
  }
  const sorted = (s: Iterable<string>): string[] => [...s].sort();
  /** Latin-script street words of every locale, as written (the address pattern matches them case-insensitively). */
  const streetWords = (key: string, only?: RegExp): string[] => {
    const out = new Set<string>();
    for (const name of Object.keys(locales).filter((n) => !only || only.test(n))) {
      const location = (locales[name] as { location?: Record<string, unknown> }).location;
      for (const w of strings(location?.[key])) if (/^[\p{Script=Latin}][\p{Script=Latin}.' -]*$/u.test(w) && w.length >= 2) out.add(w.trim());
    }
    return sorted(out);
  };
  const lines = (name: string, doc: string, words: string[]): string =>
    `/** ${doc} (${words.length}). */\nexport const ${name} = ${JSON.stringify(words.join('|'))};\n`;
  const names =
    `// GENERATED by scripts/generate-identifying-words.ts from the locale data of @faker-js/faker 10.6 (every locale). Do not edit.\n` +
    `// Folded (src/identifying/fold.ts), 3+ characters, '|'-separated: split into sets only when prose is scanned. One non-CJK\n` +
    `// name in ${HOLD_OUT_ONE_IN} is held out (scripts/identifying-holdout.ts): the test set measures recall on names not listed.\n\n` +
    lines('GIVEN_NAMES', 'Given and middle names', sorted(given)) + '\n' +
    lines('FAMILY_NAMES', 'Family names', sorted(family)) + '\n' +
    lines('CJK_FAMILY_NAMES', 'Family names in Han or Hangul script', sorted(cjkFamily)) + '\n' +
    lines('CJK_GIVEN_NAMES', 'Given names in Han, kana or Hangul script', sorted(cjkGiven));
  const words =
    `// GENERATED by scripts/generate-identifying-words.ts from ../shared/reference/dicom-standard/ (PS3.6 names, PS3.15\n` +
    `// E.3.4-1 concept names), its seed of imaging words, and @faker-js/faker 10.6's en word lists. Do not edit.\n\n` +
    lines('CLINICAL_WORDS', 'Words known not to identify: imaging, anatomy, procedures, the standard\'s own words', sorted(clinical)) + '\n' +
    lines('COMMON_WORDS', 'English words that are not only names (adjectives, nouns, verbs...)', sorted([...common].filter((w) => w.length >= 2))) + '\n' +
    lines('STREET_SUFFIXES', 'Street types written after the street name (the English locales\' street_suffix)', streetWords('street_suffix', /^en/)) + '\n' +
    lines('STREET_PREFIXES', 'Street types written before the street name (every locale\'s street_prefix)', streetWords('street_prefix'));
  return new Map([
    ['src/identifying/names.generated.ts', names],
    ['src/identifying/words.generated.ts', words],
    ['src/identifying/english.generated.ts', englishBloom()],
  ]);
}

/** Probability that a word not on the English list is taken for one, per form looked up. */
const ENGLISH_FALSE_POSITIVES = 0.001;

/**
 * The English word list (the npm package word-list, a devDependency: only its filter ships) as a Bloom filter of its
 * base forms, 3+ letters, folded: src/identifying/english.ts looks a capitalised unlisted word up in it.
 */
function englishBloom(): string {
  const all = new Set(readFileSync(wordListPath, 'utf8').split('\n').map((w) => w.trim()).filter((w) => /^[a-z]{3,}$/.test(w)));
  const base = [...all].filter((w) => !isInflectedForm(w, all)).map(fold).sort();
  const bits = Math.ceil((-base.length * Math.log(ENGLISH_FALSE_POSITIVES)) / Math.LN2 ** 2 / 8) * 8;
  const hashes = Math.round((bits / base.length) * Math.LN2);
  const filter = new Uint8Array(bits / 8);
  for (const w of base) for (const p of bloomPositions(w, bits, hashes)) filter[p >>> 3] |= 1 << (p & 7);
  return `// GENERATED by scripts/generate-identifying-words.ts from the npm package word-list 4.1.0 (English words). Do not edit.\n` +
    `// A Bloom filter of its ${base.length} base forms (3+ letters, folded), read by english.ts: ${bits} bits, ${hashes} hashes, base64.\n\n` +
    `export const ENGLISH_BLOOM_BITS = ${bits};\nexport const ENGLISH_BLOOM_HASHES = ${hashes};\n` +
    `export const ENGLISH_BLOOM = ${JSON.stringify(Buffer.from(filter).toString('base64'))};\n`;
}

if (isMain(import.meta.url)) {
  for (const [path, content] of generateIdentifyingWords()) {
    writeFileSync(join(REPO_ROOT, path), content);
    console.log(`wrote ${path} (${content.length} characters)`);
  }
}
