// Every compressed corpus file: decoded by our pixel layer to the pixels dcmtk or GDCM decode (lossy syntaxes
// too: decoders agree), and for lossless syntaxes decode → re-encode → decode gives identical pixels.

import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DicomParseError } from '../../src/dicom/errors.js';
import { readDicomFile, type DicomFile } from '../../src/dicom/part10.js';
import { loadCodec } from '../../src/pixels/codecs/index.js';
import { describeImage } from '../../src/pixels/index.js';
import { corpusAvailable, corpusEntries, corpusPath, corpusSkip, type CorpusEntry } from '../helpers/corpus.js';
import { compareSamples, decodeAll, oracleFor, runDecoder } from './helpers.js';
import { IN_CI, toolProblem, type ToolName } from '../helpers/tools.js';

const LOSSY = new Set(['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.81', '1.2.840.10008.1.2.4.91', '1.2.840.10008.1.2.4.203']);

const dir = mkdtempSync(join(tmpdir(), 'pixels-corpus-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const compressed = (): CorpusEntry[] =>
  corpusEntries().filter((e) => e.encap || e.ts.startsWith('HTJ2K') || e.ts === 'Deflated Image Frame Compression');

type Decoded = Awaited<ReturnType<typeof decodeAll>>;

/** Decoded by an external tool, or the reason it could not be. */
async function decodeWith(tool: ToolName, args: string[], output: string): Promise<Decoded | string> {
  const problem = toolProblem(tool);
  if (problem !== null) {
    if (IN_CI) throw new Error(`${problem} (CI=true: a test that needs it fails rather than skipping)`);
    return problem;
  }
  const ran = await runDecoder(tool, args, output);
  if (!ran.ok) return ran.message;
  try {
    const decoded = readDicomFile(output);
    if (decoded.transferSyntax.encapsulated) return `${tool} left the file encapsulated`;
    return await decodeAll(decoded);
  } catch (error) {
    return `${tool} output unreadable: ${(error as Error).message}`;
  }
}

/** Whether two decodes agree: exactly for lossless syntaxes, within a small tolerance for lossy ones. */
function agreement(ours: Decoded, theirs: Decoded, lossy: boolean): string | null {
  if (ours.frames.length !== theirs.frames.length) return `${ours.frames.length} frames vs ${theirs.frames.length}`;
  if (ours.layout.photometricInterpretation !== theirs.layout.photometricInterpretation) {
    return `photometric ${ours.layout.photometricInterpretation} vs ${theirs.layout.photometricInterpretation}`;
  }
  const range = 2 ** ours.layout.bitsStored;
  for (let f = 0; f < ours.frames.length; f++) {
    // The same stored bits on both sides (a decoder may rewrite Bits Stored from the codestream's precision).
    const diff = compareSamples(ours.frames[f], ours.layout, theirs.frames[f], { ...theirs.layout, bitsStored: ours.layout.bitsStored });
    if (lossy ? diff.mean > range * 0.002 || diff.max > range * 0.05 : diff.differing > 0) {
      return `frame ${f}: ${diff.differing} of ${diff.count} samples differ (max ${diff.max}, mean ${diff.mean.toFixed(3)})`;
    }
  }
  return null;
}

describe('compressed corpus files', { skip: corpusSkip() }, () => {
  if (!corpusAvailable() && !IN_CI) return;
  const tally = new Map<string, { files: number; decoded: number; agreed: number; roundTripped: number; unreadable: number }>();
  after(() => {
    for (const [ts, n] of tally) console.log(`# ${ts}: ${n.files} files, ${n.decoded} decoded, ${n.agreed} agree with dcmtk/GDCM, ${n.roundTripped} round-tripped, ${n.unreadable} not readable by the byte layer`);
  });
  for (const entry of compressed()) {
    test(entry.path, async (t) => {
      const count = tally.get(entry.ts) ?? { files: 0, decoded: 0, agreed: 0, roundTripped: 0, unreadable: 0 };
      tally.set(entry.ts, count);
      count.files++;
      let file: DicomFile;
      try {
        file = readDicomFile(corpusPath(entry));
      } catch (error) {
        if (!(error instanceof DicomParseError)) throw error;
        count.unreadable++;
        t.skip(`the byte layer cannot read it: ${error.reason}`);
        return;
      }
      const ts = file.transferSyntax.uid;
      const lossy = LOSSY.has(ts);
      const name = entry.path.replace(/\W+/g, '_');
      const oracle = oracleFor(ts);
      let ours: Decoded | null = null;
      let ourError: Error | null = null;
      try {
        ours = await decodeAll(file);
        count.decoded++;
      } catch (error) {
        ourError = error as Error;
      }
      // The oracles: the syntax's own tool, then GDCM as a second opinion.
      const opinions: [string, Decoded | string][] = [[oracle.tool, await decodeWith(oracle.tool, oracle.args(corpusPath(entry), join(dir, `${name}.1.dcm`)), join(dir, `${name}.1.dcm`))]];
      if (oracle.tool !== 'gdcmconv' && (typeof opinions[0][1] === 'string' || ours === null || agreement(ours, opinions[0][1], lossy))) {
        opinions.push(['gdcmconv', await decodeWith('gdcmconv', ['--raw', corpusPath(entry), join(dir, `${name}.2.dcm`)], join(dir, `${name}.2.dcm`))]);
      }
      const decodedByOthers = opinions.filter((o): o is [string, Decoded] => typeof o[1] !== 'string');
      if (!ours && /the dataset says/.test(ourError?.message ?? '')) {
        // A codestream whose size contradicts Rows/Columns is refused, even where another decoder fills a buffer anyway.
        t.diagnostic(`refused, the codestream contradicts the dataset: ${ourError?.message}`);
        return;
      }
      if (!ours) {
        // Failing where every other decoder fails too is fine (the file is broken); failing alone is not.
        assert.equal(decodedByOthers.length, 0, `we cannot decode what ${decodedByOthers.map((o) => o[0]).join(', ')} can: ${ourError?.message}`);
        t.diagnostic(`undecodable by every decoder: ${ourError?.message}`);
        return;
      }
      if (decodedByOthers.length === 0) {
        t.diagnostic(`no external decoder reads it (${opinions.map((o) => o[1]).join('; ')}): round trip only`);
      } else {
        const verdicts = decodedByOthers.map(([tool, theirs]) => [tool, agreement(ours!, theirs, lossy)] as const);
        if (verdicts.some(([, v]) => v === null)) count.agreed++;
        else if (decodedByOthers.length === 2 && agreement(decodedByOthers[0][1], decodedByOthers[1][1], lossy) !== null) {
          t.diagnostic(`dcmtk and GDCM disagree with each other and with us: ${verdicts.map(([tool, v]) => `${tool}: ${v}`).join('; ')}`);
        } else {
          assert.fail(`our decode differs: ${verdicts.map(([tool, v]) => `${tool}: ${v}`).join('; ')}`);
        }
      }

      if (lossy) return;
      const codec = await loadCodec(ts)!;
      const image = describeImage(file.dataset, file.datasetSource);
      for (let f = 0; f < ours.frames.length; f++) {
        const encoded = codec.encode({ data: ours.frames[f], layout: ours.layout });
        const again = codec.decode(encoded.data, { ...image, photometricInterpretation: encoded.photometricInterpretation });
        const diff = compareSamples(ours.frames[f], ours.layout, again.data, again.layout);
        assert.equal(diff.differing, 0, `frame ${f}: decode → encode → decode changed ${diff.differing} samples`);
      }
      count.roundTripped++;
    });
  }
});
