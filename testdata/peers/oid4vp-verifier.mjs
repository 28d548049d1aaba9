// An independent OpenID4VP 1.0 verifier, built only from npm packages, that bewijs' wallet tests
// present to: @openid4vc/openid4vp (Openid4vpVerifier) creates the signed Authorization Request
// and parses (and decrypts) the Authorization Response; @sd-jwt/sd-jwt-vc verifies each
// presentation (issuer signature, disclosures, Key Binding JWT, sd_hash, status); `jose` and
// node:crypto do the JWS/JWE work in the callbacks. Nothing here trusts bewijs code: the issuer
// key is found through the kid DID URL of the credential (did:web or did:jwk).
//
// Usage: echo '{"dcql_query": {...}, "port": 0, "response_mode": "direct_post"|"direct_post.jwt",
//               "client_id_prefix": "decentralized_identifier"|"x509_hash", "did_method": "jwk"|"web",
//               "request_uri_method": "post"|"get", "enc_values": ["A128GCM","A256GCM"],
//               "trusted_issuer_jwks": [...]?, "issuer_did_web_insecure": true,
//               "check_status": true, "timeout_seconds": 60}' | node oid4vp-verifier.mjs
//   (or the same JSON as the first argument). Only dcql_query is required; the defaults are
//   port 0 (random), direct_post, decentralized_identifier with did:jwk, post, both encs,
//   any issuer, https-only did:web, status checked, 60 s.
// It serves on 127.0.0.1 and prints one JSON line once listening:
//   {link, request_uri, response_uri, client_id, nonce, state, response_mode}
// then, after the wallet posted to response_uri (answered 200 {} or 400 {error,
// error_description}), a second line
//   {verified, error?, claims: {queryId: processed claims (an array when multiple)},
//    disclosed: {queryId: [claim paths]}, kb: {queryId: KB-JWT payload}, response_enc?,
//    response_jwe_header? (without epk)}
// and exits 0 when verified, 1 when not (also after timeout_seconds without a response).
import { createServer } from 'node:http';
import { createHash, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Openid4vpVerifier } from '@openid4vc/openid4vp';
import { setGlobalConfig } from '@openid4vc/oauth2';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { ES256, ES384, ES512, digest } from '@sd-jwt/crypto-nodejs';
import { CompactSign, calculateJwkThumbprint, compactDecrypt, decodeProtectedHeader } from 'jose';
import { resolvePath } from './dcql-path.mjs';

// The wallet under test talks plain http to 127.0.0.1; the library refuses http URLs unless told.
setGlobalConfig({ allowInsecureUrls: true });

const SDJWT_ALGS = { ES256, ES384, ES512 };
const SELF_ISSUED_V2 = 'https://self-issued.me/v2'; // OpenID4VP 1.0 §5.8, Static Discovery
const KB_MAX_AGE = 300;
const KB_MAX_SKEW = 60;

async function readConfig() {
  if (process.argv[2]) return JSON.parse(process.argv[2]);
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const randomId = () => b64url(randomBytes(16));

function publicJwkOf(keyObject) {
  const { kty, crv, x, y } = keyObject.export({ format: 'jwk' });
  return { kty, crv, x, y };
}

// ---------------------------------------------------------------- own keys

// selfSignedCert makes a self-signed P-256 certificate for the signing key with openssl
// (node:crypto cannot create certificates) and returns its DER.
function selfSignedCert(privateKey) {
  const dir = mkdtempSync(join(tmpdir(), 'oid4vp-verifier-'));
  try {
    writeFileSync(join(dir, 'key.pem'), privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    execFileSync('openssl', ['req', '-x509', '-new', '-key', join(dir, 'key.pem'), '-sha256', '-days', '2',
      '-subj', '/CN=oid4vp-verifier test peer', '-addext', 'subjectAltName=DNS:localhost',
      '-outform', 'DER', '-out', join(dir, 'cert.der')], { stdio: ['ignore', 'ignore', 'pipe'] });
    return readFileSync(join(dir, 'cert.der'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// signingIdentity returns the client_id and the JWT signer of the Request Object for the
// chosen client identifier prefix (§5.9.3), plus the DID document to serve for did:web.
function signingIdentity(cfg, base) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicJwkOf(publicKey);
  if (cfg.client_id_prefix === 'x509_hash') {
    const der = selfSignedCert(privateKey);
    const hash = b64url(createHash('sha256').update(der).digest());
    return {
      privateKey, publicJwk: jwk, clientId: `x509_hash:${hash}`, cert: new X509Certificate(der),
      signer: { method: 'x5c', alg: 'ES256', x5c: [der.toString('base64')] },
    };
  }
  if (cfg.client_id_prefix !== 'decentralized_identifier') throw new Error(`client_id_prefix ${cfg.client_id_prefix} is not supported`);
  let did;
  let didDocument;
  if (cfg.did_method === 'web') {
    const url = new URL(base);
    did = `did:web:${encodeURIComponent(url.host)}:verifier`;
    const vm = { id: `${did}#key-1`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: jwk };
    didDocument = { '@context': ['https://www.w3.org/ns/did/v1'], id: did, verificationMethod: [vm], authentication: [vm.id], assertionMethod: [vm.id] };
  } else {
    did = `did:jwk:${b64url(JSON.stringify(jwk))}`;
  }
  const didUrl = cfg.did_method === 'web' ? `${did}#key-1` : `${did}#0`;
  return {
    privateKey, publicJwk: jwk, clientId: `decentralized_identifier:${did}`, didDocument,
    signer: { method: 'did', alg: 'ES256', didUrl },
  };
}

// encryptionKey is the ephemeral key of direct_post.jwt (§8.3), published in client_metadata.jwks.
function encryptionKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicJwk: { ...publicJwkOf(publicKey), kid: randomId(), use: 'enc', alg: 'ECDH-ES' } };
}

// ---------------------------------------------------------------- issuer key resolution

function didWebURL(did, insecureLoopback) {
  const parts = did.split(':');
  if (parts.length < 3 || parts[0] !== 'did' || parts[1] !== 'web') throw new Error(`not a did:web: ${did}`);
  const host = decodeURIComponent(parts[2]);
  const path = parts.slice(3).map(decodeURIComponent);
  const loopback = /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host);
  const base = `${insecureLoopback && loopback ? 'http' : 'https'}://${host}`;
  return path.length === 0 ? `${base}/.well-known/did.json` : `${base}/${path.join('/')}/did.json`;
}

async function resolveDid(did, cfg) {
  if (did.startsWith('did:jwk:')) {
    const jwk = JSON.parse(Buffer.from(did.slice('did:jwk:'.length), 'base64url').toString('utf8'));
    const vm = { id: `${did}#0`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: jwk };
    return { id: did, verificationMethod: [vm], assertionMethod: [vm.id] };
  }
  if (!did.startsWith('did:web:')) throw new Error(`unsupported DID method: ${did}`);
  const res = await fetch(didWebURL(did, cfg.issuer_did_web_insecure));
  if (!res.ok) throw new Error(`DID document of ${did}: HTTP ${res.status}`);
  const doc = await res.json();
  if (doc.id !== did) throw new Error(`DID document id ${doc.id}, want ${did}`);
  return doc;
}

// issuerKey resolves the kid of an issuer-signed JWT (the credential or its status list) to
// the publicKeyJwk of an assertionMethod of the DID, and holds it to trusted_issuer_jwks.
async function issuerKey(kid, cfg) {
  if (!kid?.includes('#') || !kid.startsWith('did:')) throw new Error(`kid ${kid} is not a DID URL`);
  const did = kid.slice(0, kid.indexOf('#'));
  const doc = await resolveDid(did, cfg);
  const abs = (id) => (id.startsWith('#') ? did + id : id);
  const methods = new Map((doc.verificationMethod || []).map((m) => [abs(m.id), m]));
  let jwk;
  for (const entry of doc.assertionMethod || []) {
    const vm = typeof entry === 'string' ? methods.get(abs(entry)) : { ...entry, id: abs(entry.id) };
    if (vm?.id === kid) jwk = vm.publicKeyJwk;
  }
  if (!jwk) throw new Error(`${kid} is not an assertionMethod with publicKeyJwk of ${did}`);
  if (jwk.d) throw new Error(`${kid} publishes a private key`);
  if (cfg.trusted_issuer_jwks) {
    const want = await calculateJwkThumbprint(jwk);
    const trusted = await Promise.all(cfg.trusted_issuer_jwks.map((k) => calculateJwkThumbprint(k)));
    if (!trusted.includes(want)) throw new Error(`issuer key ${kid} is not in trusted_issuer_jwks`);
  }
  return jwk;
}

const jwtHeader = (data) => JSON.parse(Buffer.from(data.split('.')[0], 'base64url').toString('utf8'));

async function verifySignature(jwk, alg, data, sig) {
  const scheme = SDJWT_ALGS[alg];
  if (!scheme) throw new Error(`alg ${alg} is not accepted`);
  return (await scheme.getVerifier(jwk))(data, sig);
}

// sdJwtVerifier is an SDJwtVcInstance whose issuer verifier resolves the kid of whatever JWT
// it is given (the SD-JWT and, for the status check, the Status List Token) and whose key
// binding verifier uses cnf.jwk.
// With check_status false the library's status step (fetch, verify, status 0) is skipped.
class NoStatusSDJwtVcInstance extends SDJwtVcInstance {
  async verifyStatus() {}
}

function sdJwtVerifier(cfg) {
  const Instance = cfg.check_status === false ? NoStatusSDJwtVcInstance : SDJwtVcInstance;
  return new Instance({
    hasher: digest,
    hashAlg: 'sha-256',
    verifier: async (data, sig) => {
      const { kid, alg } = jwtHeader(data);
      return verifySignature(await issuerKey(kid, cfg), alg, data, sig);
    },
    kbVerifier: async (data, sig, payload) => {
      if (!payload?.cnf?.jwk) throw new Error('the credential has no cnf.jwk');
      return verifySignature(payload.cnf.jwk, jwtHeader(data).alg, data, sig);
    },
  });
}

// ---------------------------------------------------------------- DCQL checks (§6)


function claimPresent(claims, claim) {
  let nodes = resolvePath(claims, claim.path);
  if (claim.values) nodes = nodes.filter((n) => claim.values.some((want) => want === n.value));
  return nodes.length > 0;
}

// checkClaims holds one verified presentation to its Credential Query: vct_values and the
// requested claims (all of claims, or one of claim_sets).
function checkClaims(q, claims) {
  if (q.meta?.vct_values && !q.meta.vct_values.includes(claims.vct)) throw new Error(`${q.id}: vct ${claims.vct} is not in ${q.meta.vct_values}`);
  if (!q.claims) return;
  const present = q.claims.map((c) => claimPresent(claims, c));
  if (!q.claim_sets) {
    const missing = q.claims.filter((_, i) => !present[i]).map((c) => JSON.stringify(c.path));
    if (missing.length) throw new Error(`${q.id}: requested claims missing: ${missing.join(', ')}`);
    return;
  }
  const ok = q.claim_sets.some((set) => set.every((id) => present[q.claims.findIndex((c) => c.id === id)]));
  if (!ok) throw new Error(`${q.id}: no claim set is satisfied`);
}

// checkQueries holds the vp_token's keys to the query (§8.1): only known ids, one
// presentation unless multiple, and every required query (or credential set) answered.
function checkQueries(query, presentations) {
  const byId = new Map(query.credentials.map((q) => [q.id, q]));
  for (const [id, list] of Object.entries(presentations)) {
    const q = byId.get(id);
    if (!q) throw new Error(`vp_token has unknown credential query id ${id}`);
    if (!q.multiple && list.length !== 1) throw new Error(`${id}: ${list.length} presentations but multiple is not true`);
  }
  const has = (id) => id in presentations;
  if (!query.credential_sets) {
    const missing = query.credentials.map((q) => q.id).filter((id) => !has(id));
    if (missing.length) throw new Error(`vp_token lacks credential queries ${missing.join(', ')}`);
    return;
  }
  for (const set of query.credential_sets) {
    if (set.required !== false && !set.options.some((ids) => ids.every(has))) throw new Error(`credential set ${JSON.stringify(set.options)} is not satisfied`);
  }
}

// disclosedPaths lists the processed paths of the selectively disclosed claims.
async function disclosedPaths(instance, compact) {
  const sdjwt = await instance.decode(compact);
  const alg = sdjwt.jwt.payload._sd_alg ?? 'sha-256';
  const byDigest = new Map();
  for (const d of sdjwt.disclosures ?? []) byDigest.set(await d.digest({ hasher: digest, alg }), d);
  const out = [];
  const walk = (node, path) => {
    if (Array.isArray(node)) {
      let k = 0;
      for (const el of node) {
        const ref = el && typeof el === 'object' && !Array.isArray(el) && Object.keys(el).length === 1 ? el['...'] : undefined;
        if (ref !== undefined) {
          const d = byDigest.get(ref);
          if (!d) continue;
          out.push([...path, k]);
          walk(d.value, [...path, k]);
        } else {
          walk(el, [...path, k]);
        }
        k++;
      }
    } else if (node && typeof node === 'object') {
      for (const ref of node._sd ?? []) {
        const d = byDigest.get(ref);
        if (d) { out.push([...path, d.key]); walk(d.value, [...path, d.key]); }
      }
      for (const [key, value] of Object.entries(node)) if (key !== '_sd' && key !== '_sd_alg') walk(value, [...path, key]);
    }
  };
  walk(sdjwt.jwt.payload, []);
  return out;
}

// verifyPresentation checks one SD-JWT VC presentation: the library verifies the issuer
// signature, disclosures, KB-JWT signature, nonce and sd_hash (and the status); aud, the
// KB-JWT's age, typ and the iss/kid link are checked here (B.3.6, SD-JWT VC §3.2).
async function verifyPresentation(presentation, { cfg, clientId, nonce }) {
  if (typeof presentation !== 'string') throw new Error('presentation is not a string');
  const instance = sdJwtVerifier(cfg);
  const res = await instance.verify(presentation, { keyBindingNonce: nonce });
  if (res.header?.typ !== 'dc+sd-jwt') throw new Error(`typ ${res.header?.typ}, want dc+sd-jwt`);
  const iss = res.payload.iss;
  if (typeof iss === 'string' && iss.startsWith('did:') && !String(res.header.kid).startsWith(`${iss}#`)) {
    throw new Error(`kid ${res.header.kid} is not a key of iss ${iss}`);
  }
  if (!res.kb) throw new Error('no Key Binding JWT was verified');
  if (res.kb.payload.aud !== clientId) throw new Error(`KB-JWT aud ${res.kb.payload.aud}, want ${clientId}`);
  const now = Math.floor(Date.now() / 1000);
  const iat = res.kb.payload.iat;
  if (typeof iat !== 'number' || iat > now + KB_MAX_SKEW || iat < now - KB_MAX_AGE) throw new Error(`KB-JWT iat ${iat} is not recent`);
  return { claims: res.payload, kb: res.kb.payload, disclosed: await disclosedPaths(instance, presentation) };
}

// ---------------------------------------------------------------- HTTP

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res, status, type, body) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

function emit(obj) {
  return new Promise((resolve) => process.stdout.write(`${JSON.stringify(obj)}\n`, resolve));
}

async function main() {
  const cfg = {
    port: 0, response_mode: 'direct_post', client_id_prefix: 'decentralized_identifier', did_method: 'jwk',
    request_uri_method: 'post', enc_values: ['A128GCM', 'A256GCM'], issuer_did_web_insecure: false,
    check_status: true, timeout_seconds: 60, ...(await readConfig()),
  };
  if (!cfg.dcql_query?.credentials?.length) throw new Error('dcql_query with credentials is required');
  if (!['direct_post', 'direct_post.jwt'].includes(cfg.response_mode)) throw new Error(`response_mode ${cfg.response_mode} is not supported`);
  if (!['post', 'get'].includes(cfg.request_uri_method)) throw new Error(`request_uri_method ${cfg.request_uri_method} is not supported`);

  const server = createServer();
  await new Promise((resolve, reject) => server.listen(cfg.port, '127.0.0.1', resolve).on('error', reject));
  const base = `http://127.0.0.1:${server.address().port}`;
  const session = randomId();
  const requestUri = `${base}/request/${session}`;
  const responseUri = `${base}/response/${session}`;
  const id = signingIdentity(cfg, base);
  const enc = cfg.response_mode === 'direct_post.jwt' ? encryptionKey() : undefined;

  const verifier = new Openid4vpVerifier({
    callbacks: {
      signJwt: async (signer, { header, payload }) => {
        const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
          .setProtectedHeader(header)
          .sign(id.privateKey);
        return { jwt, signerJwk: id.publicJwk };
      },
      encryptJwe: () => { throw new Error('request objects are not encrypted'); },
      // decryptJwe opens a direct_post.jwt response with the ephemeral key; the library found
      // `jwk` in client_metadata.jwks by the JWE's kid.
      decryptJwe: async (jwe, options) => {
        const header = decodeProtectedHeader(jwe);
        if (header.kid !== undefined && header.kid !== enc?.publicJwk.kid) return { decrypted: false };
        if (options?.jwk && options.jwk.kid !== enc.publicJwk.kid) return { decrypted: false };
        const { plaintext } = await compactDecrypt(jwe, enc.privateKey, {
          keyManagementAlgorithms: ['ECDH-ES'],
          contentEncryptionAlgorithms: cfg.enc_values,
        });
        return { decrypted: true, decryptionJwk: enc.publicJwk, payload: new TextDecoder().decode(plaintext) };
      },
      verifyJwt: () => ({ verified: false }), // only signed (JARM) responses would need it
      hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '')).update(data).digest()),
      generateRandom: (n) => new Uint8Array(randomBytes(n)),
    },
  });

  const clientMetadata = {
    vp_formats_supported: { 'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256', 'ES384', 'ES512'], 'kb-jwt_alg_values': ['ES256', 'ES384', 'ES512'] } },
    ...(enc ? { jwks: { keys: [enc.publicJwk] }, encrypted_response_enc_values_supported: cfg.enc_values } : {}),
  };
  const requestPayload = {
    response_type: 'vp_token',
    client_id: id.clientId,
    response_mode: cfg.response_mode,
    response_uri: responseUri,
    nonce: randomId(),
    state: randomId(),
    dcql_query: cfg.dcql_query,
    client_metadata: clientMetadata,
  };
  // requestObject signs the Request Object with the library, echoing wallet_nonce (§5.10.1).
  const requestObject = async (walletNonce) => {
    const r = await verifier.createOpenId4vpAuthorizationRequest({
      authorizationRequestPayload: walletNonce ? { ...requestPayload, wallet_nonce: walletNonce } : requestPayload,
      jar: { requestUri, jwtSigner: id.signer, expiresInSeconds: 300, additionalJwtPayload: { aud: SELF_ISSUED_V2 } },
      wallet: walletNonce ? { expectedNonce: walletNonce } : undefined,
    });
    return r;
  };
  const first = await requestObject();
  // The library's link carries only client_id and request_uri; request_uri_method is added.
  const link = new URL(first.authorizationRequest);
  link.searchParams.set('request_uri_method', cfg.request_uri_method);

  let done = false;
  const finish = async (result) => {
    if (done) return;
    done = true;
    await emit(result);
    server.close();
    server.closeAllConnections?.();
    process.exit(result.verified ? 0 : 1);
  };
  setTimeout(() => finish({ verified: false, error: `timeout: no response within ${cfg.timeout_seconds} s` }), cfg.timeout_seconds * 1000);

  const handleResponse = async (req, res) => {
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const result = { verified: false, claims: {}, disclosed: {}, kb: {} };
    try {
      if (form.response) {
        const { epk, ...header } = decodeProtectedHeader(form.response);
        result.response_enc = header.enc;
        result.response_jwe_header = header;
      }
      const parsed = await verifier.parseOpenid4vpAuthorizationResponse({
        authorizationResponse: form,
        authorizationRequestPayload: requestPayload,
        callbacks: verifier.options.callbacks,
      });
      if (parsed.type !== 'dcql') throw new Error(`response type ${parsed.type}, want dcql`);
      checkQueries(cfg.dcql_query, parsed.dcql.presentations);
      for (const [qid, list] of Object.entries(parsed.dcql.presentations)) {
        const q = cfg.dcql_query.credentials.find((c) => c.id === qid);
        const verified = [];
        for (const p of list) {
          const v = await verifyPresentation(p, { cfg, clientId: requestPayload.client_id, nonce: parsed.expectedNonce });
          checkClaims(q, v.claims);
          verified.push(v);
        }
        result.claims[qid] = q.multiple ? verified.map((v) => v.claims) : verified[0].claims;
        result.disclosed[qid] = q.multiple ? verified.map((v) => v.disclosed) : verified[0].disclosed;
        result.kb[qid] = q.multiple ? verified.map((v) => v.kb) : verified[0].kb;
      }
      result.verified = true;
      send(res, 200, 'application/json', '{}');
    } catch (err) {
      result.error = String(err?.errorResponse?.error_description ?? err?.message ?? err);
      if (err?.cause) result.error += ` (cause: ${err.cause?.message ?? err.cause})`;
      send(res, 400, 'application/json', JSON.stringify({ error: 'invalid_request', error_description: result.error }));
    }
    await finish(result);
  };

  server.on('request', async (req, res) => {
    try {
      const path = new URL(req.url, base).pathname;
      if (path === `/request/${session}` && (req.method === 'GET' || req.method === 'POST')) {
        const form = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : new URLSearchParams();
        const r = await requestObject(form.get('wallet_nonce') || undefined);
        return send(res, 200, 'application/oauth-authz-req+jwt', r.jar.authorizationRequestJwt);
      }
      if (path === `/response/${session}` && req.method === 'POST' && !done) return await handleResponse(req, res);
      if (path === '/verifier/did.json' && req.method === 'GET' && id.didDocument) {
        return send(res, 200, 'application/did+json', JSON.stringify(id.didDocument));
      }
      send(res, 404, 'application/json', JSON.stringify({ error: 'not_found' }));
    } catch (err) {
      console.error(err?.stack ?? err);
      send(res, 500, 'application/json', JSON.stringify({ error: 'server_error', error_description: String(err?.message ?? err) }));
    }
  });

  await emit({
    link: link.toString(),
    request_uri: requestUri,
    response_uri: responseUri,
    client_id: requestPayload.client_id,
    nonce: requestPayload.nonce,
    state: requestPayload.state,
    response_mode: cfg.response_mode,
  });
}

try {
  await main();
} catch (err) {
  console.error(err?.stack ?? err);
  process.exit(1);
}
