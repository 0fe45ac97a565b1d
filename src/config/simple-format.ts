// Our two simple formats → Rule[].
//
// Rules: {"rules":[{"tag":"(0010,0010)","method":"replace","value":"TRAINING_CASE"}, {"tag":"(0010,0020)","method":"hash"}, ...]}
//   methods (any case): replace (value required), hash (key?), remove, keep, empty, remapUid | uid,
//   shiftDate | dateShift (days?, scope?, key?), pseudonym (prefix?, default "ANON"). A field the method does not
//   use is a ConfigError. First matching rule wins, as everywhere.
// Lists: {"keepTags":[...],"hashTags":[...],"replaceTags":{tag: value},"removeTags":[...],"removeAllPrivateTags":true}
//   → keep rules first, then hash, then replace, then remove, then one "remove every private element" rule; so a tag
//   in keepTags wins over "group:0010" in removeTags, and a kept private tag survives removeAllPrivateTags.

import { ConfigError, quote, type JsonPathSegment } from './errors.js';
import { refuseUnmakingRule } from './protected-rules.js';
import type { Action, DateShiftScope, Rule } from '../plan/plan.js';
import { simpleRuleSchema, validate, type SimpleListInput, type SimpleRuleInput } from './schema.js';
import { checkActionVR } from './ms-format.js';
import { parseSelector } from './selector.js';

type Canonical = 'replace' | 'hash' | 'remove' | 'keep' | 'empty' | 'remapUid' | 'shiftDate' | 'pseudonym';

const METHODS: Readonly<Record<string, Canonical>> = {
  replace: 'replace', hash: 'hash', remove: 'remove', keep: 'keep', empty: 'empty', remapuid: 'remapUid', uid: 'remapUid',
  shiftdate: 'shiftDate', dateshift: 'shiftDate', pseudonym: 'pseudonym',
};

/** Optional fields each method may have (besides tag and method). */
const FIELDS: Readonly<Record<Canonical, readonly (keyof SimpleRuleInput)[]>> = {
  replace: ['value'], hash: ['key'], remove: [], keep: [], empty: [], remapUid: [], shiftDate: ['days', 'scope', 'key'], pseudonym: ['prefix'],
};
const OPTIONAL_FIELDS = ['value', 'days', 'scope', 'key', 'prefix'] as const;

export const DEFAULT_PSEUDONYM_PREFIX = 'ANON';

export function convertSimpleRules(rules: readonly unknown[], dateShift: { scope: DateShiftScope; rangeDays: number }): Rule[] {
  return rules.map((raw, index) => {
    const rulePath: JsonPathSegment[] = ['rules', index];
    const rule = validate(simpleRuleSchema, raw, rulePath);
    const selector = parseSelector(rule.tag, [...rulePath, 'tag']);
    const methodPath = [...rulePath, 'method'];
    const method = METHODS[rule.method.trim().toLowerCase()];
    if (method === undefined) {
      throw new ConfigError(
        `unsupported method ${quote(rule.method)}; expected one of replace, hash, remove, keep, empty, remapUid, shiftDate, pseudonym`,
        methodPath,
      );
    }
    for (const field of OPTIONAL_FIELDS) {
      if (rule[field] !== undefined && !FIELDS[method].includes(field)) {
        throw new ConfigError(`"${field}" is not used by method ${quote(rule.method)}`, [...rulePath, field]);
      }
    }
    let action: Action;
    switch (method) {
      case 'replace':
        if (rule.value === undefined) throw new ConfigError('method "replace" needs a "value"', rulePath);
        action = { type: 'replace', value: rule.value };
        break;
      case 'hash':
        action = rule.key === undefined ? { type: 'hash' } : { type: 'hash', key: rule.key };
        break;
      case 'shiftDate': {
        const a: Action = { type: 'shiftDate', scope: rule.scope ?? dateShift.scope, rangeDays: rule.days ?? dateShift.rangeDays, shiftTime: false };
        action = rule.key === undefined ? a : { ...a, key: rule.key };
        break;
      }
      case 'pseudonym':
        action = { type: 'pseudonym', prefix: rule.prefix ?? DEFAULT_PSEUDONYM_PREFIX };
        break;
      default:
        action = { type: method };
    }
    checkActionVR(action, selector, methodPath, rule.method);
    return refuseUnmakingRule({ selector, action, origin: `config.rules[${index}]` }, rulePath);
  });
}

export function convertSimpleLists(doc: SimpleListInput): Rule[] {
  const rules: Rule[] = [];
  const list = (key: 'keepTags' | 'hashTags' | 'removeTags', action: Action, method: string): void => {
    (doc[key] ?? []).forEach((text, i) => {
      const path = [key, i];
      const selector = parseSelector(text, path);
      checkActionVR(action, selector, path, method);
      rules.push(refuseUnmakingRule({ selector, action, origin: `config.${key}[${i}]` }, path));
    });
  };
  list('keepTags', { type: 'keep' }, 'keep');
  list('hashTags', { type: 'hash' }, 'hash');
  for (const [text, value] of Object.entries(doc.replaceTags ?? {})) {
    const path = ['replaceTags', text];
    rules.push(refuseUnmakingRule({ selector: parseSelector(text, path), action: { type: 'replace', value }, origin: `config.replaceTags[${JSON.stringify(text)}]` }, path));
  }
  list('removeTags', { type: 'remove' }, 'remove');
  if (doc.removeAllPrivateTags === true) {
    rules.push({
      selector: { kind: 'private', group: null, creator: null, elementByte: null },
      action: { type: 'remove' },
      origin: 'config.removeAllPrivateTags',
    });
  }
  return rules;
}
