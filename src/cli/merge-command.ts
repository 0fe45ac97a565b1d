// The merge command: the shards' reports, audits and mapping CSVs of one batch into one set (batch/merge.ts).

import type { Command } from 'commander';
import { mergeShards } from '../api/batch.js';
import { EXIT, printLine } from './common.js';

const collect = (value: string, all: string[]): string[] => [...all, value];

export function defineMergeCommand(command: Command, setExit: (code: number) => void): Command {
  return command
    .description('combine the reports, audits and mapping CSVs of the N shards of one batch into one set; refused unless all ran with the same key and Plan, every shard 0..N-1 is there once and no input was done twice')
    .requiredOption('--report <file>', 'a shard\'s report (repeat for every shard; local or s3://, az://)', collect, [] as string[])
    .option('--audit <file>', 'a shard\'s audit (repeatable)', collect, [] as string[])
    .option('--mapping <dir>', 'a shard\'s mapping folder (repeatable)', collect, [] as string[])
    .option('--report-out <file>', 'where the merged report goes')
    .option('--audit-out <file>', 'where the merged audit goes')
    .option('--mapping-out <dir>', 'where the merged mapping CSVs go')
    .option('--s3-endpoint <url>', 'an S3-compatible store for s3:// locations')
    .exitOverride()
    .action(async (opts: { report: string[]; audit: string[]; mapping: string[]; reportOut?: string; auditOut?: string; mappingOut?: string; s3Endpoint?: string }) => {
      const result = await mergeShards({
        reports: opts.report, audits: opts.audit, mappings: opts.mapping,
        reportOut: opts.reportOut, auditOut: opts.auditOut, mappingOut: opts.mappingOut, storage: { s3Endpoint: opts.s3Endpoint },
      });
      const s = result.summary;
      printLine(`merged ${result.shards} shards: ${result.files} inputs, ${s.ok} ok, ${s.failed} failed, ${s.skipped} skipped, ${s.quarantined} quarantined`);
      setExit(s.failed > 0 ? EXIT.someFailed : s.quarantined > 0 ? EXIT.quarantined : EXIT.ok);
    });
}
