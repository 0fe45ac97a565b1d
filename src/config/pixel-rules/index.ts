// --pixel-rules FILE: reads a CTP DicomPixelAnonymizer.script or a pydicom/deid recipe into PixelRules (origin
// "FILE line N"). Loaded lazily by build.ts, only when such files are given. The format is told from the content:
// a "%filter" / "%header" / ... section line or a "FORMAT dicom" line → deid recipe; otherwise a "{" → CTP script;
// else an error. (CTP comments are free text, so a word such as "Label" at the start of a line decides nothing.)

import type { PixelRule } from '../../plan/plan.js';
import { ConfigError } from '../errors.js';
import { readRulesText } from '../text-file.js';
import { parseCtpScript } from './ctp.js';
import { parseDeidRecipe } from './deid.js';

export type PixelRuleFormat = 'ctp' | 'deid';

export function detectPixelRuleFormat(text: string): PixelRuleFormat | null {
  if (/^[ \t]*(%(filter|header|values|fields)\b|format[ \t]+\w+[ \t]*(#.*)?$)/im.test(text)) return 'deid';
  if (text.includes('{')) return 'ctp';
  return null;
}

export function parsePixelRules(text: string, file: string): PixelRule[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (/^\s*\{\s*"/.test(text)) {
    throw new ConfigError('this looks like a JSON rules file: put our JSON pixel rules under "pixels" in the file given with -c', '$', file);
  }
  const format = detectPixelRuleFormat(text);
  if (format === null) {
    throw new ConfigError('not a pixel rule file: expected a CTP DicomPixelAnonymizer.script ({ signature } (x,y,w,h)) or a deid recipe (%filter, LABEL)', '$', file);
  }
  return format === 'ctp' ? parseCtpScript(text, file) : parseDeidRecipe(text, file);
}

export function readPixelRuleFile(path: string): PixelRule[] {
  return parsePixelRules(readRulesText(path, 'pixel rule file', '--pixel-rules'), path);
}
