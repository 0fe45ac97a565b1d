// The serve command: a de-identifying DICOM gateway (src/net/gateway). Flags → plan + key + destinations → a
// Storage SCP that anonymizes what it receives and forwards it; counts on stderr periodically and on SIGUSR1.

import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import { buildPlan, PRESETS, type BurnedInPolicy, type ProfileOption } from '../api/plan.js';
import { UsageError } from '../api/batch.js';
import { loadKeySecret } from '../api/keys.js';
import { printLine, profileOptionFlag, warn } from './common.js';
import { LIMIT_NAMES } from '../api/dicom.js';
import { parseLimitFlags } from './limit-flags.js';
import { trustCaFile } from './ca-file.js';

const EXAMPLES = `
Examples:
  # Listen on 127.0.0.1:11112 as ANON_GW; take studies from the PACS "CLINICAL"; forward to the research PACS
  dicom-anonymizer serve --ae-title ANON_GW --allow CLINICAL@10.0.0.5 --spool /var/spool/anon \\
    --key-file ~/.dicom-anon.key --forward dicom://RESEARCH@10.0.0.9:104

  # Forward to a DICOMweb server (STOW-RS) with a token, and keep a copy in a folder
  dicom-anonymizer serve --allow CLINICAL --spool ./spool --key-file k.key \\
    --forward dicomweb+https://pacs.example.org/dicom-web --forward-header "Authorization: Bearer ..." --ca-file ca.pem \\
    --forward ./copies

  # Forward over DIMSE TLS to a peer whose certificate the hospital CA signed, with our client certificate
  dicom-anonymizer serve --allow CLINICAL --spool ./spool --key-file k.key \\
    --forward dicom+tls://RESEARCH@pacs.example.org:2762 --ca-file hospital-ca.pem \\
    --forward-tls-cert gw.pem --forward-tls-key gw.key

  # Forward into an S3 bucket (or an S3-compatible store) and an Azure Blob container
  dicom-anonymizer serve --allow CLINICAL --spool ./spool --key-file k.key \\
    --forward s3://research/anon --s3-endpoint https://minio.example.org --forward az://account/container/anon

Every instance is on disk in the spool (fsynced) before its C-STORE is answered Success, and a spool that is full
answers A700 instead; after a crash, a restart on the same spool forwards every instance answered Success. Without
--allow, every association is refused. dicom+tls:// and dicomweb+https:// peers' certificates are always verified
(system CAs and --ca-file). The status line (received, anonymized, forwarded, quarantined, failed, queued) is printed
every --status-every seconds and on SIGUSR1; it never holds a value. See docs/gateway.md.`;

interface ServeFlags {
  listen: string; aeTitle: string; allow: string[]; allowPrivateSopClasses: boolean; spool?: string; forward: string[]; forwardHeader: string[];
  caFile?: string; tlsKey?: string; tlsCert?: string; tlsCa?: string; forwardTlsKey?: string; forwardTlsCert?: string;
  config?: string; keyFile?: string; allowReadableKey: boolean; option: ProfileOption[]; preset?: string; burnedIn?: BurnedInPolicy; quarantine?: string;
  pixelRules: string[]; report?: string; audit?: string; jobs?: string; limit: string[]; statusFile?: string; statusEvery: string;
  attempts: string; retrySeconds: string; spoolReserveMb: string; s3Endpoint?: string;
}

/** HOST:PORT (an IPv6 host in brackets). */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:]+\]|[^:]+):(\d{1,5})$/.exec(text.trim());
  if (!m || Number(m[2]) > 65535) throw new UsageError(`--listen takes HOST:PORT, not "${text}"`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

function positive(name: string, text: string, min = 0): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`${name} takes a number of at least ${min}, not "${text}"`);
  return n;
}

const repeatable = (v: string, all: string[]): string[] => [...all, v];

/** --forward-tls-cert/--forward-tls-key read once (a missing file is a usage error naming the flag, not a value). */
function forwardTlsOptions(opts: Pick<ServeFlags, 'forwardTlsCert' | 'forwardTlsKey'>): { cert?: Buffer; key?: Buffer } {
  if ((opts.forwardTlsCert === undefined) !== (opts.forwardTlsKey === undefined)) throw new UsageError('--forward-tls-cert and --forward-tls-key go together');
  if (!opts.forwardTlsCert || !opts.forwardTlsKey) return {};
  const read = (flag: string, path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new UsageError(`${flag} ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  return { cert: read('--forward-tls-cert', opts.forwardTlsCert), key: read('--forward-tls-key', opts.forwardTlsKey) };
}

export function defineServeCommand(command: Command, setExit: (code: number) => void): Command {
  return command
    .description('run a de-identifying DICOM gateway: a Storage SCP that anonymizes what it receives and forwards it')
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:11112')
    .option('--ae-title <title>', 'our AE title (the called AE associations must name)', 'DICOM_ANON')
    .option('--allow <ae[@host]>', 'calling AE title allowed to store (repeatable; @HOST pins its address); none: refuse all', repeatable, [] as string[])
    .option('--allow-private-sop-classes', 'also accept SOP classes outside the DICOM root (vendors\' private storage classes)', false)
    .option('--spool <dir>', 'spool folder (received and anonymized instances, journals, failed/); required')
    .option('--forward <dest>', 'destination, repeatable: dicom://AE@HOST:PORT, dicom+tls://AE@HOST:PORT (DIMSE over TLS), dicomweb+http(s)://HOST:PORT/PATH, s3://BUCKET/PREFIX, az://ACCOUNT/CONTAINER/PREFIX, https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX, or a folder', repeatable, [] as string[])
    .option('--s3-endpoint <url>', 'an S3-compatible store (MinIO, Ceph, moto...) for s3:// destinations, path-style (default: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, else AWS)')
    .option('--forward-header <header>', 'HTTP header for DICOMweb destinations, "Name: value" (repeatable)', repeatable, [] as string[])
    .option('--ca-file <file>', 'PEM CA certificate(s) trusted for https DICOMweb and dicom+tls:// destinations, beside the system ones')
    .option('--tls-key <file>', 'DIMSE over TLS: our private key (PEM); with --tls-cert')
    .option('--tls-cert <file>', 'DIMSE over TLS: our certificate (PEM)')
    .option('--tls-ca <file>', 'DIMSE over TLS: require client certificates signed by this CA (PEM)')
    .option('--forward-tls-cert <file>', 'dicom+tls:// destinations: our client certificate (PEM), for peers that require one; with --forward-tls-key')
    .option('--forward-tls-key <file>', 'dicom+tls:// destinations: the client certificate\'s private key (PEM, unencrypted)')
    .option('-c, --config <file>', 'rules file (as for anonymize)')
    .option('--key-file <file>', 'secret key file, mode 600 (else DICOM_ANONYMIZER_KEY); the gateway needs a fixed key')
    .option('--allow-readable-key', 'accept a --key-file that group or others can read', false)
    .addOption(profileOptionFlag('PS3.15 profile option'))
    .addOption(new Option('--preset <name>', 'a named set of profile options and burned-in policy').choices(PRESETS.map((p) => p.name)))
    .addOption(new Option('--burned-in <policy>', 'at-risk instances no pixel rule cleaned: quarantine (default), redact, fail, keep').choices(['quarantine', 'redact', 'fail', 'keep']))
    .option('--quarantine <dir>', 'quarantine folder (default <spool>/quarantine)')
    .option('--pixel-rules <file>', 'pixel rectangle rules file, repeatable', repeatable, [] as string[])
    .option('--report <file>', 'append one JSON line per instance and step (no values)')
    .option('--audit <file>', 'append one JSON line per instance and element: tag path, keyword, action (no values)')
    .option('-j, --jobs <n>', 'worker threads anonymizing (default: CPU cores, at most 4; 1: on the main thread)')
    .option('--limit <name=value>', `reader limit, repeatable: ${LIMIT_NAMES.join(', ')}`, repeatable, [] as string[])
    .option('--status-file <file>', 'keep the counts in this JSON file (rewritten as they change)')
    .option('--status-every <seconds>', 'print the counts every so many seconds (0: only on SIGUSR1)', '60')
    .option('--attempts <n>', 'tries per instance and destination before it goes to the failed folder', '5')
    .option('--retry-seconds <s>', 'first back-off between tries (doubles each time)', '1')
    .option('--spool-reserve-mb <mb>', 'refuse instances (status A700, out of resources) when the spool disk has less free space (an instance is also refused when it would leave too little room to anonymize the largest one waiting)', '64')
    .addHelpText('after', EXAMPLES)
    .action(async (opts: ServeFlags) => {
      if (!opts.spool) throw new UsageError('--spool is required');
      if (opts.forward.length === 0) throw new UsageError('give at least one --forward destination');
      const { host, port } = parseListen(opts.listen);
      const { parseAllowEntry } = await import('../api/net.js');
      const { parseDestination, parseHeader } = await import('../api/net.js');
      const { Gateway } = await import('../api/net.js');
      let allow;
      try {
        allow = opts.allow.map(parseAllowEntry);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      if (allow.length === 0) warn('no --allow: every association will be refused');
      if (opts.caFile) trustCaFile(opts.caFile);
      const headers = Object.fromEntries(opts.forwardHeader.map(parseHeader));
      const dimseTls = forwardTlsOptions(opts);
      const destinations = opts.forward.map((d) => parseDestination(d, { aeTitle: opts.aeTitle, headers, storage: { s3Endpoint: opts.s3Endpoint }, dimseTls }));
      if (dimseTls.cert && !opts.forward.some((d) => d.startsWith('dicom+tls://'))) warn('--forward-tls-cert: no dicom+tls:// destination uses it');
      if ((opts.tlsKey === undefined) !== (opts.tlsCert === undefined)) throw new UsageError('--tls-key and --tls-cert go together');
      const tls = opts.tlsKey && opts.tlsCert ? { key: readFileSync(opts.tlsKey), cert: readFileSync(opts.tlsCert), ...(opts.tlsCa ? { ca: readFileSync(opts.tlsCa) } : {}) } : undefined;
      const { plan, warnings } = await buildPlan({
        configPath: opts.config, options: opts.option, preset: opts.preset, pixelRuleFiles: opts.pixelRules,
        burnedIn: opts.burnedIn,
      });
      for (const w of warnings) warn(`${opts.config}: ${w.jsonPath}: ${w.message}`);
      const secret = loadKeySecret({ keyFile: opts.keyFile, allowReadableKey: opts.allowReadableKey, needsFixedKey: ['serve'] }, warn);
      const jobs = opts.jobs === undefined ? Math.min(4, availableParallelism()) : positive('--jobs', opts.jobs, 1);
      const gateway = await Gateway.start({
        spool: opts.spool, host, port, aeTitle: opts.aeTitle, allow, privateSopClasses: opts.allowPrivateSopClasses, destinations, plan, secret, jobs,
        readOptions: parseLimitFlags(opts.limit), quarantine: opts.quarantine, reportPath: opts.report, auditPath: opts.audit,
        attempts: positive('--attempts', opts.attempts, 1), retryMs: positive('--retry-seconds', opts.retrySeconds) * 1000,
        statusFile: opts.statusFile, reserveBytes: positive('--spool-reserve-mb', opts.spoolReserveMb) * 1024 * 1024, tls,
        log: (m) => printLine(m),
      });
      printLine(`listening on ${host}:${gateway.port} as ${opts.aeTitle}${tls ? ' (TLS)' : ''}; forwarding to ${destinations.length} destination(s)`);
      const status = (): void => printLine(`status: ${gateway.statusLine()}`);
      process.on('SIGUSR1', status);
      const every = positive('--status-every', opts.statusEvery) * 1000;
      const timer = every > 0 ? setInterval(status, every) : null;
      await new Promise<void>((done) => {
        const stop = (): void => done();
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      if (timer) clearInterval(timer);
      printLine('stopping: the spool keeps what is not forwarded yet');
      await gateway.stop();
      status();
      setExit(0);
    });
}
