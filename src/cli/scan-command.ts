// The scan command: the first stage of a large sharded run (batch/name-digests.ts): this shard's inputs' headers
// read, the folders they make identifying written as keyed digests for every shard of the anonymize stage.

import type { Command } from 'commander';
import { parseShard, scanNames, UsageError } from '../api/batch.js';
import { loadKeySecret } from '../api/keys.js';
import { printLine, warn } from './common.js';
import { dicomwebRequest } from './dicomweb-io.js';

export function defineScanCommand(command: Command, setExit: (code: number) => void): Command {
  return command
    .description('first stage of a large sharded run: read this shard\'s inputs\' headers and write the folders they make identifying as keyed digests (DEST/names-K-of-N.json) for "anonymize --names DEST"')
    .requiredOption('-i, --input <path>', 'input folder, s3:// or az:// location, or DICOMweb root dicomweb+http(s)://HOST:PORT/PATH (with --study or --qido)')
    .option('-r, --recursive', 'descend into sub-folders', false)
    .requiredOption('--shard <K/N>', 'this task\'s shard: K/N, auto/N or auto (as for anonymize)')
    .requiredOption('--names <dir>', 'folder or prefix for the digests (local or s3://, az://)')
    .option('--key-file <file>', 'the run\'s key (else DICOM_ANONYMIZER_KEY)')
    .option('--allow-readable-key', 'accept a key file others can read', false)
    .option('--s3-endpoint <url>', 'an S3-compatible store for s3:// locations')
    .option('--study <uid>', 'with a DICOMweb input: a study to read (repeatable; the same as for anonymize)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--qido <query>', 'with a DICOMweb input: the studies a QIDO-RS query finds (the same as for anonymize)')
    .option('--http-header <header>', 'HTTP header for a DICOMweb input, "Name: value" (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--ca-file <file>', 'PEM CA certificate(s) trusted for https DICOMweb, beside the system ones')
    .exitOverride()
    .action(async (opts: {
      input: string; recursive: boolean; shard: string; names: string; keyFile?: string; allowReadableKey: boolean; s3Endpoint?: string;
      study: string[]; qido?: string; httpHeader: string[]; caFile?: string;
    }) => {
      const shard = parseShard(opts.shard);
      const secret = loadKeySecret({ keyFile: opts.keyFile, allowReadableKey: opts.allowReadableKey, needsFixedKey: ['scan'] }, warn);
      if (!opts.names) throw new UsageError('--names is required');
      const dicomweb = dicomwebRequest({ input: opts.input, output: opts.names, studies: opts.study, qido: opts.qido, headers: opts.httpHeader, caFile: opts.caFile });
      const r = await scanNames({ input: opts.input, recursive: opts.recursive, shard, secret, names: opts.names, storage: { s3Endpoint: opts.s3Endpoint, dicomweb } });
      printLine(`scanned shard ${shard.index}/${shard.count}: ${r.inputs} inputs, ${r.headerBytes} header bytes read, ${r.identifyingFolders} identifying folders -> ${r.written}`);
      setExit(0);
    });
}
