// Generated person-name cases for the span finder's honest recall (issue #22): names the finder's lists hold, names
// held out of them (scripts/identifying-holdout.ts: faker's names the lists never got) and names made up from
// syllables in the shapes of several cultures (compound and hyphenated surnames, particles, O'/Mc, Nordic, Slavic,
// Turkish, Vietnamese, Arabic and Indian forms), each in one context: after a title ("Dr X"), after a cue ("seen by
// X", "wife X"), before a role ("X, MD", "X (radiologist)"), "Family, Given", the header's own name written in prose,
// or bare with no cue at all ("X Y reviewed the images"); in mixed case or all capitals. Also a clinical-heavy set
// with no identifying span at all: procedure, series and protocol names, anatomy, eponyms, devices, drugs, sequence
// names and cue words before clinical ones, many of them capitalised words that are not names, for the false
// positives of the name heuristics.

import { allLocales } from '@faker-js/faker';
import { fold, type HeaderValue } from '../../src/identifying/index.js';
import { heldOutName } from '../../scripts/identifying-holdout.js';
import { prng, type SpanCase, type TruthSpan } from './identifying-cases.js';

export type NameOrigin = 'listed' | 'held-out' | 'synthesized';
export type NameContext = 'title' | 'cue' | 'role' | 'family-given' | 'header' | 'bare';
export const NAME_ORIGINS: readonly NameOrigin[] = ['listed', 'held-out', 'synthesized'];
export const NAME_CONTEXTS: readonly NameContext[] = ['title', 'cue', 'role', 'family-given', 'header', 'bare'];
/**
 * The contexts where a word says it is a name: a title, a cue word, a role, the header. "Family, Given" has none
 * (only a comma), so it counts as without a cue.
 */
export const CUED: ReadonlySet<NameContext> = new Set(['title', 'cue', 'role', 'header']);

export interface NameCase extends SpanCase {
  origin: NameOrigin;
  context: NameContext;
  upper: boolean;
}

/** Locales whose names are drawn (Latin, Cyrillic and Greek scripts; CJK names are identifying-cases.ts's). */
const LOCALES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pl', 'sv', 'da', 'nb_NO', 'tr', 'pt_BR', 'cs_CZ', 'hu', 'fi', 'ro', 'hr', 'id_ID', 'en_IN', 'vi', 'ru', 'el'];

export interface Pools { given: string[]; family: string[] }

function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** A name whose every part is a capitalised word of 3+ letters, and whose parts are all held out (or all listed). */
function usable(value: string, held: boolean): boolean {
  const parts = value.split(/[\s-]+/);
  return parts.every((p) => /^\p{Lu}[\p{L}'’]{2,}$/u.test(p) && heldOutName(fold(p).replace(/’/g, "'")) === held);
}

const POOLS = new Map<string, Pools>();
function pools(locale: string, held: boolean): Pools {
  const key = `${locale}:${held}`;
  let p = POOLS.get(key);
  if (!p) {
    const person = (allLocales as unknown as Record<string, { person?: Record<string, unknown> }>)[locale].person ?? {};
    const uniq = (xs: string[]): string[] => [...new Set(xs)].sort();
    p = { given: uniq(strings(person.first_name).filter((v) => usable(v, held))), family: uniq(strings(person.last_name).filter((v) => usable(v, held))) };
    POOLS.set(key, p);
  }
  return p;
}

/** Every locale's given and family names that are held out of the finder's lists (or, `held` false, listed), sorted. */
export function nameParts(held: boolean): Pools {
  const given = new Set<string>(), family = new Set<string>();
  for (const locale of LOCALES) {
    const p = pools(locale, held);
    for (const g of p.given) given.add(g);
    for (const f of p.family) family.add(f);
  }
  return { given: [...given].sort(), family: [...family].sort() };
}

/** Titles and cues as the generated cases write them. */
export { CUES, TITLES };

const SYLLABLES = ['ka', 'ro', 'vel', 'mun', 'tra', 'bri', 'zo', 'quen', 'dal', 'fis', 'nor', 'pak', 'sti', 'wex', 'lan', 'dor', 'ema', 'thi', 'gor', 'sul',
  'bek', 'yan', 'ori', 'han', 'mil', 'tes', 'cor', 'vin', 'ash', 'ul', 'ren', 'kal', 'mo', 'pri', 'gus', 'tal', 'zen', 'bo', 'lu', 'dra'];

const VI_ONSETS = ['Kh', 'Th', 'Ph', 'Ng', 'Tr', 'Qu', 'H', 'L', 'M', 'T', 'V', 'Đ', 'Gi', 'Nh'];
const VI_RHYMES = ['uấn', 'ương', 'ải', 'iệt', 'ọc', 'ùng', 'ũng', 'ình', 'ành', 'ưởng', 'ạo', 'uyên', 'ức', 'ường', 'ảo', 'ấu'];

/** A made-up name, in one of several cultures' shapes: given and family parts, none of them in any list. */
function synthesizedName(r: () => number): { given: string; family: string } {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const word = (n = 2 + Math.floor(r() * 2)): string => { let w = ''; for (let i = 0; i < n; i++) w += pick(SYLLABLES); return w[0].toUpperCase() + w.slice(1); };
  const given = word();
  const shapes: Array<() => { given: string; family: string }> = [
    () => ({ given, family: word() }),
    () => ({ given, family: `${word()}-${word()}` }),
    () => ({ given: `${word(2)}-${word(2)}`, family: word() }),
    () => ({ given, family: `O'${word()}` }),
    () => ({ given, family: `Mc${word()}` }),
    () => ({ given, family: `${pick(['van der', 'van', 'de', 'de la', 'von', 'da', 'di', 'del', 'dos'])} ${word()}` }),
    () => ({ given, family: `${word()}${pick(['sson', 'sen', 'dóttir', 'berg', 'ström'])}` }),
    () => ({ given, family: `${word()}${pick(['ski', 'ska', 'ová', 'enko', 'ovich', 'ić', 'czyk', 'escu'])}` }),
    () => ({ given, family: `${word()}${pick(['oğlu', 'şahin', 'çı', 'gül'])}` }),
    // Vietnamese: a middle name, a given syllable made of an onset and a toned rhyme, a common family name.
    () => ({ given: `${pick(['Thị', 'Văn', 'Đức', 'Minh', 'Ngọc', 'Hữu'])} ${pick(VI_ONSETS)}${pick(VI_RHYMES)}`, family: pick(['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Võ', 'Đặng']) }),
    () => ({ given, family: `${pick(['al-', 'el-', 'Al ', 'bin ', 'ibn ', 'Abu '])}${word()}` }),
    () => ({ given: `${word()}${pick(['esh', 'ita', 'endra', 'appa', 'ini'])}`, family: `${word()}${pick(['iah', 'wal', 'kar', 'amurthy', 'anathan'])}` }),
  ];
  return pick(shapes)();
}

const MIXED_CLINICAL = ['MR knee', 'CT head without contrast', 'Follow-up LLL mass', 'AX T2 FLAIR', 'chest x-ray, PA and lateral', 'r/o meniscal tear',
  'US abdomen', 'Brain MRI with gadolinium', 'Stroke protocol', 'PET/CT restaging', 'Lumbar spine, pain after trauma', 'SAG T1 MPRAGE',
  'Mammo screening bilateral', 'CTA chest, suspected PE', 'DWI b1000', 'nodule surveillance'];
const TITLES = ['Dr', 'Dr.', 'Prof.', 'Prof', 'Mrs', 'Mr', 'Ms', 'Mrs.', 'Herr', 'Frau', 'Mme', 'Sr.', 'Dra.', 'Doctor'];
const CUES = ['seen by', 'ordered by', 'referred by', 'read by', 'discussed with', 'wife', 'husband', 'daughter', 'son', 'mother', 'per', 'attn',
  'contact', 'informed', 'called', 'referring physician', 'radiologist', 'requested by', 'dictated by', 'signed by'];
const ROLES = [', MD', ' MD', ', M.D.', ' (radiologist)', ' (referring)', ', RN', ' RN', ', PhD', ' (technologist)', ', DO', ' (attending)'];
const BARE: ReadonlyArray<(name: string, clinical: string) => [string, string, string]> = [
  (n, c) => ['', `${n}`, ` reviewed the images; ${c}`],
  (n, c) => [`${c}. `, n, ' agrees with the findings'],
  (n, c) => [`${c} `, n, ''],
  (n, c) => [`${c}, `, n, ' aware'],
];

/** `count` name cases from `seed`: origins, contexts and casings in turn (every combination as often). */
export function generateNameCases(count: number, seed = 22): NameCase[] {
  const r = prng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const cases: NameCase[] = [];
  for (let n = 0; n < count; n++) {
    const origin = NAME_ORIGINS[n % NAME_ORIGINS.length];
    const context = NAME_CONTEXTS[Math.floor(n / NAME_ORIGINS.length) % NAME_CONTEXTS.length];
    const upper = Math.floor(n / (NAME_ORIGINS.length * NAME_CONTEXTS.length)) % 3 === 2;
    let given: string, family: string;
    if (origin === 'synthesized') ({ given, family } = synthesizedName(r));
    else {
      let p = pools(pick(LOCALES), origin === 'held-out');
      while (p.given.length === 0 || p.family.length === 0) p = pools(pick(LOCALES), origin === 'held-out');
      given = pick(p.given);
      family = pick(p.family);
      const more = r();
      if (more < 0.15) given = `${given} ${pick(p.given)[0]}.`;
      else if (more < 0.25) family = `${family}-${pick(p.family)}`;
    }
    const cased = (s: string): string => (upper ? s.toUpperCase() : s);
    const clinicalText = pick(MIXED_CLINICAL);
    let before = '', name = `${given} ${family}`, after = '';
    let header: HeaderValue[] | undefined;
    switch (context) {
      case 'title': {
        const t = pick(TITLES);
        [before, name, after] = pick([[`${clinicalText}, `, `${t} ${name}`, ''], ['', `${t} ${name}`, `: ${clinicalText}`], [`${clinicalText} (`, `${t} ${name}`, ')']] as Array<[string, string, string]>);
        break;
      }
      case 'cue': [before, after] = pick([[`${clinicalText}, ${pick(CUES)} `, ''], [`${pick(CUES)} `, `: ${clinicalText}`]] as Array<[string, string]>); break;
      case 'role': { const role = pick(ROLES); [before, after] = pick([[`${clinicalText} - `, role], ['', `${role}: ${clinicalText}`]] as Array<[string, string]>); break; }
      case 'family-given': name = `${family}, ${given}`; [before, after] = [`${clinicalText}; `, '']; break;
      case 'header': header = [{ value: `${family}^${given.replace(/ /g, '^')}`, kind: 'name', label: 'PatientName' }];
        [before, after] = pick([[`${clinicalText} `, ''], ['', ` - ${clinicalText}`]] as Array<[string, string]>); break;
      default: [before, name, after] = pick(BARE)(name, clinicalText);
    }
    const text = cased(before) + cased(name) + cased(after);
    const spans: TruthSpan[] = [{ start: before.length, end: before.length + name.length, kind: 'name', source: `${origin}/${context}/${upper ? 'upper' : 'mixed'}` }];
    const clinical: SpanCase['clinical'] = [];
    const at = text.indexOf(cased(clinicalText));
    for (const m of cased(clinicalText).matchAll(/[\p{L}\p{N}][\p{L}\p{N}/]*/gu)) clinical.push({ start: at + m.index, end: at + m.index + m[0].length });
    cases.push({ text, spans, clinical, header, origin, context, upper });
  }
  return cases;
}

/** Clinical text that must be kept whole; many of these are capitalised words that are not names. */
const PROCEDURES = ['MR Brain without and with Contrast', 'CT Abdomen Pelvis with IV Contrast', 'US Renal Complete', 'XR Chest 2 Views', 'NM Bone Scan Whole Body',
  'PET/CT Skull Base to Mid Thigh', 'MRA Circle of Willis', 'CT Angiogram Chest', 'Fluoro Barium Swallow', 'DEXA Bone Density', 'MR Prostate Multiparametric',
  'Mammo Screening Tomosynthesis', 'CT Colonography', 'MR Enterography', 'Cardiac MRI Stress Perfusion', 'CT Coronary Calcium Score', 'Lumbar Puncture',
  'Thyroid Uptake and Scan', 'Tc-99m MDP Bone Scan', 'Venous Doppler Lower Extremity', 'Echocardiogram Transthoracic', 'Upper GI Series'];
const SERIES = ['SAG T2 FSE FS', 'DWI b1000', 'Ax T1 Vibe Dixon', 'Cor T2 Haste', 'Sag Cube Flair', 'Ax Propeller T2', 'Resolve DWI', 'Ax T2 Blade', 'Sag T1 MPRAGE',
  'AX SWI', 'COR STIR', 'Localizer', 'Scout', 'Dose Report', 'Ax 5mm Soft Tissue', 'Cor MPR Bone', 'Sag MIP', 'Head Routine 5mm', 'Lung 1.25mm', 'ADC Map',
  'Perfusion rCBV', 'T1 Post Gad Fat Sat', 'Ax TOF 3D Multi-slab', 'Eovist Hepatobiliary Phase', 'Arterial Phase', 'Portal Venous Phase', 'Delayed 3 Min'];
const PROTOCOLS = ['Stroke Protocol', 'Brain Tumor Protocol', 'Pulmonary Embolism Protocol', 'Low Dose Lung Screening', 'Trauma Pan Scan', 'Liver Mass Protocol',
  'Pancreas Protocol', 'Renal Stone Protocol', 'Seizure Protocol', 'Pituitary Protocol', 'Internal Auditory Canal', 'Orbits Fat Suppressed', 'Cardiac Function',
  'Prostate PI-RADS', 'Breast Implant Rupture', 'Knee Cartilage Mapping'];
const ANATOMY = ['Left Ventricle', 'Right Upper Lobe', 'Common Bile Duct', 'Anterior Cruciate Ligament', 'Rotator Cuff', 'Circle of Willis', 'Sella Turcica',
  'Internal Carotid Artery', 'Superior Mesenteric Artery', 'Inferior Vena Cava', 'Achilles Tendon', 'Eustachian Tube', 'Fallopian Tube', 'Sylvian Fissure',
  'Basal Ganglia', 'Corpus Callosum', 'Pons', 'Medulla Oblongata', 'Lateral Meniscus', 'Glenoid Labrum', 'Pancreatic Head', 'Hilar Lymph Nodes'];
const EPONYMS = ['Crohn disease', 'Colles fracture', 'Baker cyst', 'Hill-Sachs lesion', 'Bankart Lesion', 'Hodgkin Lymphoma', 'Wilms Tumor', 'Ewing Sarcoma',
  'Barrett Esophagus', 'Monteggia Fracture', 'Galeazzi fracture', 'Jefferson Fracture', 'Smith Fracture', 'Segond Fracture', 'Lisfranc Injury',
  'Meckel Diverticulum', 'Morton Neuroma', 'Tarlov Cyst', 'Schmorl Node', 'Modic Changes', 'Paget Disease', 'Graves Disease', 'Hashimoto Thyroiditis',
  'Kienbock Disease', 'Legg-Calve-Perthes Disease', 'Osgood-Schlatter Disease', 'Scheuermann Disease', 'Charcot Joint', 'Sjogren Syndrome',
  'Guillain-Barre Syndrome', 'Wernicke Encephalopathy', 'Creutzfeldt-Jakob Disease', 'Huntington Disease', 'Arnold-Chiari Malformation',
  'Dandy-Walker Malformation', 'Budd-Chiari Syndrome', 'Mallory-Weiss Tear', 'Zenker Diverticulum', 'Alzheimer Disease', 'Parkinson Disease',
  'Bennett fracture', 'Salter-Harris II fracture', 'Klatskin Tumor', 'Pancoast Tumor', 'Ludwig Angina', 'Bell Palsy', 'Kaposi Sarcoma'];
const DEVICES = ['Foley Catheter', 'Swan-Ganz Catheter', 'Port-a-Cath', 'Hickman Line', 'PICC Line', 'Harrington Rod', 'Medtronic Pacemaker', 'Greenfield Filter',
  'Mediport', 'Jackson-Pratt Drain', 'Penrose Drain', 'Ommaya Reservoir', 'VP Shunt', 'Impella Device', 'Watchman Device', 'Essure Coils', 'Baha Implant',
  'Cochlear Implant', 'Nuss Bar', 'Ilizarov Frame'];
const DRUGS = ['Gadavist', 'Omnipaque 350', 'Isovue 370', 'Visipaque', 'Dotarem', 'Eovist', 'MultiHance', 'Heparin', 'Warfarin', 'Lasix', 'Glucagon', 'Buscopan',
  'Lexiscan', 'Adenosine', 'Metformin held', 'Prednisone premedication', 'Benadryl', 'Ativan', 'Fentanyl', 'Versed', 'Lipiodol', 'Technetium Sestamibi',
  'Fludeoxyglucose F18', 'Gallium Dotatate', 'Definity Contrast', 'Lumason'];
/** Cue words and titles before clinical words: the cue rules must not take them for names. */
const CUED_CLINICAL = ['Informed Consent Obtained', 'Contact Dermatitis', 'Discussed with Radiology', 'Referred by Emergency Department', 'Per Protocol',
  'Seen by Neurology', 'Called Critical Result', 'Attending Radiologist Review', 'Resident Preliminary Read', 'Tech Notes', 'Patient Positioning Supine',
  'MR Enterography', 'MS Lesion Follow-up', 'PT Prone', 'Ordered by Oncology Clinic', 'Physician Order', 'Signed by Attending', 'Partner Clinic Referral',
  'Surgeon Request Intraoperative', 'Called Back for Additional Views', 'with Gadavist', 'to Pacs', 'from Outside Hospital'];
const GROUPS = [PROCEDURES, SERIES, PROTOCOLS, ANATOMY, EPONYMS, DEVICES, DRUGS, CUED_CLINICAL];

/** `count` values of clinical text only (no identifying span): one to three phrases, as written, all capitals or lower case. */
export function generateClinicalCases(count: number, seed = 22): SpanCase[] {
  const r = prng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const cases: SpanCase[] = [];
  for (let n = 0; n < count; n++) {
    const parts = Array.from({ length: 1 + Math.floor(r() * 3) }, (_, k) => pick(GROUPS[(n + k) % GROUPS.length]));
    let text = parts.join(pick([', ', ' - ', '; ', ' ', ' / ']));
    const casing = r();
    if (casing < 0.25) text = text.toUpperCase();
    const clinical: SpanCase['clinical'] = [...text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}/'-]*/gu)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
    cases.push({ text, spans: [], clinical });
  }
  return cases;
}
