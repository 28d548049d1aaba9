// Self-check of the two OpenID4VP test peers against each other: issues an SD-JWT VC with
// @sd-jwt/sd-jwt-vc (did:jwk or did:web issuer, typ dc+sd-jwt, cnf.jwk = holder key), starts
// oid4vp-verifier.mjs, lets oid4vp-wallet.mjs present to it, and checks both outputs, for
// both response modes, both client identifier prefixes, GET and POST request_uri, and the
// negative cases (tampered KB-JWT nonce and aud, too few claims disclosed, untrusted issuer).
// Usage: node oid4vp-selfcheck.mjs   (prints one line per case; exits 1 on the first failure)
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { generateKeyPairSync } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { ES256, digest, generateSalt } from '@sd-jwt/crypto-nodejs';

const here = dirname(fileURLToPath(import.meta.url));
const VCT = 'urn:bewijs:test:toewijzing';

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  return { privateJwk: privateKey.export({ format: 'jwk' }), publicJwk: { kty, crv, x, y } };
}

// issue makes the test credential: gemeente, toewijzingnummer and client disclosable, and
// gemeente.code and client.bsn disclosable inside them.
async function issue(issuerKey, kid, holderKey) {
  const sdjwt = new SDJwtVcInstance({
    hasher: digest, hashAlg: 'sha-256', saltGenerator: generateSalt,
    signer: await ES256.getSigner(issuerKey.privateJwk), signAlg: ES256.alg,
  });
  const now = Math.floor(Date.now() / 1000);
  return sdjwt.issue(
    {
      iss: kid.slice(0, kid.indexOf('#')), vct: VCT, iat: now, exp: now + 3600, cnf: { jwk: holderKey.publicJwk },
      gemeente: { code: '0363', naam: 'Amsterdam' }, toewijzingnummer: 1, client: { bsn: '999990019', naam: 'Jansen' },
    },
    {
      _sd: ['gemeente', 'toewijzingnummer', 'client'],
      gemeente: { _sd: ['code', 'naam'] },
      client: { _sd: ['bsn', 'naam'] },
    },
    { header: { kid } },
  );
}

// didWebIssuer serves a did:web DID document for the issuer key on 127.0.0.1.
async function didWebIssuer(issuerKey) {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const did = `did:web:127.0.0.1%3A${server.address().port}:o:zorgkantoor`;
  const vm = { id: `${did}#key-1`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: issuerKey.publicJwk };
  const doc = { id: did, verificationMethod: [vm], assertionMethod: [vm.id] };
  server.on('request', (req, res) => {
    if (req.url === '/o/zorgkantoor/did.json') {
      res.writeHead(200, { 'Content-Type': 'application/did+json' });
      return res.end(JSON.stringify(doc));
    }
    res.writeHead(404).end();
  });
  return { server, kid: vm.id };
}

function run(script, input, { onFirstLine } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, script)], { stdio: ['pipe', 'pipe', 'pipe'] });
    const lines = [];
    let stderr = '';
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(JSON.parse(line));
      if (lines.length === 1 && onFirstLine) onFirstLine(lines[0]);
    });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, lines, stderr }));
    child.stdin.end(JSON.stringify(input));
  });
}

// present runs one verifier and one wallet against each other.
async function present(verifierCfg, walletInput) {
  let wallet;
  const verifier = await run('oid4vp-verifier.mjs', { timeout_seconds: 20, ...verifierCfg }, {
    onFirstLine: (first) => { wallet = run('oid4vp-wallet.mjs', { ...walletInput, link: first.link }); },
  });
  if (!wallet) throw new Error(`verifier never listened (exit ${verifier.code}): ${verifier.stderr}`);
  return { verifier, wallet: await wallet };
}

const query = {
  credentials: [{
    id: 'toewijzing', format: 'dc+sd-jwt', meta: { vct_values: [VCT] },
    claims: [{ path: ['gemeente', 'code'] }, { path: ['client', 'bsn'] }],
  }],
};

function assert(cond, msg, detail) {
  if (!cond) throw new Error(`${msg}\n${JSON.stringify(detail, null, 1)}`);
}

const same = (a, b) => JSON.stringify([...a].map(String).sort()) === JSON.stringify([...b].map(String).sort());
const wantDisclosed = [['gemeente'], ['gemeente', 'code'], ['client'], ['client', 'bsn']].map((p) => JSON.stringify(p));

function expectOk({ verifier, wallet }, cfg) {
  assert(wallet.code === 0, `wallet exit ${wallet.code}: ${wallet.stderr}`, wallet.lines);
  const w = wallet.lines[0];
  const [first, second] = verifier.lines;
  assert(verifier.code === 0 && second?.verified === true, `verifier exit ${verifier.code}: ${verifier.stderr}`, verifier.lines);
  assert(w.status === 200 && JSON.stringify(w.body) === '{}', 'wallet got no 200 {}', w);
  assert(w.client_id === first.client_id && w.client_id.startsWith(`${cfg.client_id_prefix}:`), 'client_id', { w, first });
  assert(w.version === 100, 'the library should read the request as OpenID4VP 1.0 (100)', w);
  assert(same(w.disclosed.map((p) => JSON.stringify(p)), wantDisclosed), 'wallet disclosed', w.disclosed);
  assert(same(second.disclosed.toewijzing.map((p) => JSON.stringify(p)), wantDisclosed), 'verifier saw disclosed', second.disclosed);
  const c = second.claims.toewijzing;
  assert(c.gemeente?.code === '0363' && c.client?.bsn === '999990019', 'requested claims', c);
  assert(c.toewijzingnummer === undefined && c.gemeente.naam === undefined && c.client.naam === undefined, 'unrequested claims were disclosed', c);
  assert(second.kb.toewijzing.aud === first.client_id && second.kb.toewijzing.nonce === first.nonce, 'kb', second.kb);
  if (cfg.response_mode === 'direct_post.jwt') assert(second.response_enc === 'A128GCM' && w.response_jwe_header.enc === 'A128GCM'
    && w.response_jwe_header.kid === second.response_jwe_header.kid && w.response_jwe_header.alg === 'ECDH-ES', 'enc', { w, second });
  if ((cfg.request_uri_method ?? 'post') === 'post') assert(typeof w.wallet_nonce === 'string', 'wallet_nonce was not sent', w);
}

function expectRejected({ verifier, wallet }, want) {
  assert(wallet.code === 0, `wallet exit ${wallet.code}: ${wallet.stderr}`, wallet.lines);
  const w = wallet.lines[0];
  const second = verifier.lines[1];
  assert(verifier.code === 1 && second?.verified === false, `verifier should reject (exit ${verifier.code})`, verifier.lines);
  assert(w.status === 400 && w.body?.error === 'invalid_request', 'wallet should get 400 invalid_request', w);
  assert(second.error.includes(want), `error should mention ${want}`, second);
}

const issuerKey = keyPair();
const holderKey = keyPair();
const jwkIssuerKid = `did:jwk:${Buffer.from(JSON.stringify(issuerKey.publicJwk)).toString('base64url')}#0`;
const credential = await issue(issuerKey, jwkIssuerKid, holderKey);
const web = await didWebIssuer(issuerKey);
const webCredential = await issue(issuerKey, web.kid, holderKey);
const wallet = { credential, holder_jwk: holderKey.privateJwk, issuer_jwks: [issuerKey.publicJwk] };
const otherKey = keyPair();

const cases = [];
for (const response_mode of ['direct_post', 'direct_post.jwt']) {
  for (const client_id_prefix of ['decentralized_identifier', 'x509_hash']) {
    cases.push({ name: `ok - ${response_mode} ${client_id_prefix}`, cfg: { response_mode, client_id_prefix }, wallet, expect: expectOk });
  }
}
cases.push(
  { name: 'ok - did:web verifier, request_uri_method get', cfg: { response_mode: 'direct_post.jwt', client_id_prefix: 'decentralized_identifier', did_method: 'web', request_uri_method: 'get' }, wallet, expect: expectOk },
  { name: 'ok - A256GCM only', cfg: { response_mode: 'direct_post.jwt', client_id_prefix: 'x509_hash', enc_values: ['A256GCM'] }, wallet,
    expect: (r) => { assert(r.verifier.lines[1]?.response_enc === 'A256GCM', 'enc A256GCM', r.verifier.lines); } },
  { name: 'ok - did:web issuer, trusted', cfg: { response_mode: 'direct_post', client_id_prefix: 'x509_hash', issuer_did_web_insecure: true, trusted_issuer_jwks: [issuerKey.publicJwk] },
    wallet: { ...wallet, credential: webCredential }, expect: expectOk },
  { name: 'error - did:web issuer without issuer_did_web_insecure', cfg: { response_mode: 'direct_post', client_id_prefix: 'x509_hash' },
    wallet: { ...wallet, credential: webCredential }, expect: (r) => expectRejected(r, 'fetch failed') },
  { name: 'error - untrusted issuer', cfg: { response_mode: 'direct_post', client_id_prefix: 'decentralized_identifier', trusted_issuer_jwks: [otherKey.publicJwk] },
    wallet, expect: (r) => expectRejected(r, 'not in trusted_issuer_jwks') },
  { name: 'error - tampered nonce', cfg: { response_mode: 'direct_post.jwt', client_id_prefix: 'decentralized_identifier' },
    wallet: { ...wallet, tamper: 'nonce' }, expect: (r) => expectRejected(r, 'Invalid Nonce') },
  { name: 'error - tampered aud', cfg: { response_mode: 'direct_post', client_id_prefix: 'x509_hash' },
    wallet: { ...wallet, tamper: 'aud' }, expect: (r) => expectRejected(r, 'KB-JWT aud') },
  { name: 'error - requested claim not disclosed', cfg: { response_mode: 'direct_post', client_id_prefix: 'decentralized_identifier' },
    wallet: { ...wallet, disclose: [['gemeente', 'code']] }, expect: (r) => expectRejected(r, 'requested claims missing') },
);

let failed = false;
for (const c of cases) {
  try {
    const r = await present({ dcql_query: query, ...c.cfg }, c.wallet);
    c.expect(r, c.cfg);
    console.log(`PASS ${c.name}`);
  } catch (err) {
    failed = true;
    console.log(`FAIL ${c.name}: ${err.message}`);
    break;
  }
}
web.server.close();
process.exit(failed ? 1 : 0);
