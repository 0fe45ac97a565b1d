// A span of identifying text: where it is in the string, what it is, and whether a header value or a pattern found it.

export type SpanKind = 'name' | 'id' | 'date' | 'time' | 'age' | 'phone' | 'email' | 'url' | 'ip' | 'address' | 'postal' | 'text';

export interface Span {
  /** UTF-16 offsets in the string: [start, end). */
  start: number;
  end: number;
  kind: SpanKind;
  /** 'header': one of the instance's own values in some written form; 'pattern': found without the header. */
  by: 'header' | 'pattern';
  /** For a header span: where the value came from (an attribute keyword), never the value. */
  label?: string;
}

/** Spans sorted and merged where they overlap or touch (the first-starting span's kind and origin win; header before pattern). */
export function mergeSpans(spans: Span[]): Span[] {
  if (spans.length <= 1) return spans.map((s) => ({ ...s }));
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [{ ...spans[0] }];
  for (let i = 1; i < spans.length; i++) {
    const s = spans[i], last = out[out.length - 1];
    if (s.start <= last.end) {
      if (s.end > last.end) last.end = s.end;
      if (s.by === 'header' && last.by === 'pattern' && s.start === last.start) { last.kind = s.kind; last.by = 'header'; last.label = s.label; }
    } else out.push({ ...s });
  }
  return out;
}
