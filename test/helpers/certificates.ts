// Throw-away TLS material for the network tests, made by openssl: a CA and a certificate for 127.0.0.1 signed by it
// (server and client use), and a node:https front that passes requests on to a plain-HTTP server (Orthanc), since
// Debian 12's Orthanc 1.10.1 dies on its first TLS connection (see test/net/tls.test.ts).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';

export interface TestCertificates {
  /** The CA's certificate (PEM). */
  ca: string;
  /** The private key (PEM) of the certificate below. */
  key: string;
  /** A certificate for IP 127.0.0.1 (server and client authentication) signed by the CA. */
  cert: string;
  /** key and cert in one PEM file. */
  keyAndCert: string;
}

/** Why these helpers cannot run here (no openssl), or null. */
export function opensslProblem(): string | null {
  return spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0 ? null : 'openssl is not installed';
}

/** A CA and a certificate for 127.0.0.1 signed by it (also usable as a client certificate), in `dir`. */
export function makeCertificates(dir: string, caName = 'dicom-anonymizer test CA'): TestCertificates {
  const openssl = (args: string[]): void => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 0, `openssl ${args.join(' ')}: ${r.stderr}`);
  };
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${caName}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(join(dir, 'server.ext'), 'basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext']);
  const keyAndCert = join(dir, 'server-key-cert.pem');
  writeFileSync(keyAndCert, Buffer.concat([readFileSync(join(dir, 'server.key')), readFileSync(join(dir, 'server.pem'))]), { mode: 0o600 });
  return { ca: join(dir, 'ca.pem'), key: join(dir, 'server.key'), cert: join(dir, 'server.pem'), keyAndCert };
}

export interface HttpsFront {
  /** Requests passed on so far. */
  proxied(): number;
  close(): void;
}

/** An https server on 127.0.0.1:port with the certificate, passing every request on to http://127.0.0.1:upstreamPort. */
export async function startHttpsFront(certs: Pick<TestCertificates, 'key' | 'cert'>, port: number, upstreamPort: number): Promise<HttpsFront> {
  let proxied = 0;
  const front = createHttpsServer({ key: readFileSync(certs.key), cert: readFileSync(certs.cert) }, (req, res) => {
    proxied++;
    const upstream = httpRequest({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => front.listen(port, '127.0.0.1', r));
  return {
    proxied: () => proxied,
    close: () => {
      front.close();
      front.closeAllConnections();
    },
  };
}
