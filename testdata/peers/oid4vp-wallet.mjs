// An independent OpenID4VP 1.0 wallet, built only from npm packages, that bewijs' tests present
// with: @openid4vc/openid4vp (Openid4vpClient) resolves the signed Authorization Request and
// creates and submits the Authorization Response; @sd-jwt/sd-jwt-vc builds the presentation
// with its Key Binding JWT; `jose` and node:crypto do the JWS/JWE work in the callbacks.
// Nothing here trusts bewijs code: the verifier's key is found through its client_id prefix
// (decentralized_identifier: did:jwk or did:web; x509_hash: the leaf of x5c).
//
// Usage: echo '{"link": "openid4vp://?client_id=...&request_uri=...&request_uri_method=post",
//               "credential": "<issued SD-JWT VC>~", "holder_jwk": {private EC P-256 JWK},
//               "issuer_jwks": [{...}]?, "disclose": [["a","b"], ...]?,
//               "tamper": "nonce"|"aud"?}' | node oid4vp-wallet.mjs
// issuer_jwks: when given, the credential's issuer signature must verify with one of them
//   before anything is presented.
// disclose: claim paths to disclose instead of what the DCQL query asks (negative tests);
//   the credential is then presented for every credential query id.
// tamper: put a wrong nonce or aud in the KB-JWT (negative tests).
// Prints {status, body, disclosed, presented, client_id, client_id_prefix, response_mode,
// response_jwe_header, version, nonce, state, wallet_nonce}: status and body are the
// response_uri's answer (body parsed as JSON when it is JSON, else the text); disclosed lists
// the paths of the selectively disclosed claims (as in the presentation's processed claims)
// over all presentations, presented the same per credential query id; version is the
// OpenID4VP version the library inferred (100 = 1.0). A 4xx answer is still printed with
// exit 0; exits 1 with the reason on stderr when the request cannot be resolved, matched or
// answered.
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { Openid4vpClient, parseOpenid4vpAuthorizationRequest } from '@openid4vc/openid4vp';
import { setGlobalConfig } from '@openid4vc/oauth2';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { ES256, digest } from '@sd-jwt/crypto-nodejs';
import { CompactEncrypt, compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { resolvePath } from './dcql-path.mjs';

// The test servers are plain http on 127.0.0.1; the library refuses http URLs unless told.
setGlobalConfig({ allowInsecureUrls: true });

const SIGNING_ALGS = ['ES256', 'ES384', 'ES512'];
const ENC_VALUES = ['A128GCM', 'A256GCM'];
const SDJWT_FORMATS = ['dc+sd-jwt'];

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const sha256 = (data) => createHash('sha256').update(data).digest();

// ---------------------------------------------------------------- verifier key resolution

// didWebURL turns did:web:host%3Aport:path:seg into the URL of its DID document (did:web
// §3.2 Read): ':' separates path segments, %3A is the port's colon, no path means
// /.well-known. http only for loopback test servers.
function didWebURL(did) {
  const parts = did.split(':');
  if (parts.length < 3 || parts[0] !== 'did' || parts[1] !== 'web') throw new Error(`not a did:web: ${did}`);
  const host = decodeURIComponent(parts[2]);
  const path = parts.slice(3).map(decodeURIComponent);
  const loopback = /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host);
  const base = `${loopback ? 'http' : 'https'}://${host}`;
  return path.length === 0 ? `${base}/.well-known/did.json` : `${base}/${path.join('/')}/did.json`;
}

// didJwkDocument is the DID document did:jwk defines for its one key, #0.
function didJwkDocument(did) {
  const jwk = JSON.parse(Buffer.from(did.slice('did:jwk:'.length), 'base64url').toString('utf8'));
  const vm = { id: `${did}#0`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: jwk };
  return { id: did, verificationMethod: [vm], assertionMethod: [vm.id], authentication: [vm.id] };
}

async function resolveDid(did) {
  if (did.startsWith('did:jwk:')) return didJwkDocument(did);
  if (!did.startsWith('did:web:')) throw new Error(`unsupported DID method: ${did}`);
  const res = await fetch(didWebURL(did));
  if (!res.ok) throw new Error(`DID document of ${did}: HTTP ${res.status}`);
  const doc = await res.json();
  if (doc.id !== did) throw new Error(`DID document id ${doc.id}, want ${did}`);
  return doc;
}

// didUrlKey resolves a DID URL to the publicKeyJwk of the verificationMethod whose id equals
// it (OpenID4VP 1.0 §5.9.3: "A public key to verify the signature MUST be obtained from the
// verificationMethod property of a DID Document").
async function didUrlKey(didUrl) {
  if (!didUrl?.includes('#')) throw new Error(`kid ${didUrl} is not a DID URL`);
  const did = didUrl.slice(0, didUrl.indexOf('#'));
  const doc = await resolveDid(did);
  const abs = (id) => (id.startsWith('#') ? did + id : id);
  const vm = (doc.verificationMethod || []).find((m) => abs(m.id) === didUrl);
  if (!vm?.publicKeyJwk) throw new Error(`${didUrl} is not a verificationMethod with publicKeyJwk of ${did}`);
  if (vm.publicKeyJwk.d) throw new Error(`${didUrl} publishes a private key`);
  return vm.publicKeyJwk;
}

// x5cLeaf checks the leaf certificate of x5c against an x509_hash client_id (§5.9.3: "the
// value is the base64url-encoded value of the SHA-256 hash of the DER-encoded X.509
// certificate") and its validity period, and returns it.
function x5cLeaf(x5c, clientId) {
  if (!Array.isArray(x5c) || x5c.length === 0) throw new Error('no x5c in the request object header');
  const der = Buffer.from(x5c[0], 'base64');
  if (clientId?.startsWith('x509_hash:')) {
    const want = clientId.slice('x509_hash:'.length);
    if (b64url(sha256(der)) !== want) throw new Error(`x509_hash ${want} is not the hash of the x5c leaf`);
  }
  const cert = new X509Certificate(der);
  const now = Date.now();
  if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) throw new Error('the x5c leaf is not valid now');
  return cert;
}

// verifyRequestObject is the library's verifyJwt callback: it verifies the Request Object
// with the key its signer names (did or x5c; the library picks the signer method that fits
// the client_id prefix) and returns that key.
async function verifyRequestObject(signer, { header, payload, compact }) {
  if (!SIGNING_ALGS.includes(header.alg)) return { verified: false };
  let key;
  let signerJwk;
  if (signer.method === 'did') {
    signerJwk = await didUrlKey(signer.didUrl);
    key = await importJWK(signerJwk, header.alg);
  } else if (signer.method === 'x5c') {
    signerJwk = x5cLeaf(signer.x5c, payload.client_id).publicKey.export({ format: 'jwk' });
    key = await importJWK(signerJwk, header.alg);
  } else {
    throw new Error(`signer method ${signer.method} is not supported by this wallet`);
  }
  try {
    await compactVerify(compact, key, { algorithms: [header.alg] });
    return { verified: true, signerJwk };
  } catch {
    return { verified: false };
  }
}

// sanNames is the library's getX509CertificateMetadata callback (only used for x509_san_*).
function sanNames(certificate) {
  const san = new X509Certificate(Buffer.from(certificate, 'base64')).subjectAltName || '';
  const names = san.split(', ');
  return {
    sanDnsNames: names.filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4)),
    sanUriNames: names.filter((n) => n.startsWith('URI:')).map((n) => n.slice(4)),
  };
}

// encryptResponse is the library's encryptJwe callback: ECDH-ES to the verifier's P-256 key
// (§8.3: the kid of the key used goes in the JWE header). apu/apv come from the library.
async function encryptResponse(encryptor, data) {
  const { publicJwk, alg, enc, apu, apv } = encryptor;
  if (alg !== 'ECDH-ES') throw new Error(`response encryption alg ${alg} is not supported`);
  if (publicJwk.kty !== 'EC' || publicJwk.crv !== 'P-256') throw new Error(`encryption key ${publicJwk.kty}/${publicJwk.crv} is not P-256`);
  const header = { alg, enc };
  if (publicJwk.kid) header.kid = publicJwk.kid;
  const kmp = {};
  if (apu) kmp.apu = Buffer.from(apu, 'base64url');
  if (apv) kmp.apv = Buffer.from(apv, 'base64url');
  const jwe = await new CompactEncrypt(new TextEncoder().encode(data))
    .setProtectedHeader(header)
    .setKeyManagementParameters(kmp)
    .encrypt(await importJWK({ ...publicJwk, alg: undefined }, alg));
  return { jwe, encryptionJwk: publicJwk };
}

// walletMetadata is what a Request URI POST sends (§5.10, §10).
const walletMetadata = {
  vp_formats_supported: { 'dc+sd-jwt': { 'sd-jwt_alg_values': SIGNING_ALGS, 'kb-jwt_alg_values': ['ES256'] } },
  client_id_prefixes_supported: ['decentralized_identifier', 'x509_hash'],
  request_object_signing_alg_values_supported: SIGNING_ALGS,
  authorization_encryption_alg_values_supported: ['ECDH-ES'],
  authorization_encryption_enc_values_supported: ENC_VALUES,
};

// callbacks for the @openid4vc client. fetch adds what the library leaves out of the Request
// URI POST: it posts only the wallet metadata's members as form fields and never sends
// wallet_nonce, so the body is rewritten to §5.10's wallet_metadata (JSON) and wallet_nonce.
function callbacks(requestUri, walletNonce) {
  return {
    fetch: async (url, init) => {
      const method = (init?.method ?? 'GET').toUpperCase();
      if (method === 'POST' && String(url) === requestUri && walletNonce) {
        const body = new URLSearchParams({ wallet_metadata: JSON.stringify(walletMetadata), wallet_nonce: walletNonce });
        init = { ...init, method, body: body.toString() };
      }
      if (process.env.WALLET_TRACE) console.error(`> ${method} ${url}`);
      return fetch(url, init);
    },
    hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '')).update(data).digest()),
    generateRandom: (n) => new Uint8Array(randomBytes(n)),
    verifyJwt: verifyRequestObject,
    getX509CertificateMetadata: sanNames,
    encryptJwe: encryptResponse,
    signJwt: () => { throw new Error('the wallet does not sign responses (no JARM signing)'); },
    decryptJwe: () => { throw new Error('encrypted request objects are not supported'); },
  };
}

// ---------------------------------------------------------------- DCQL (§6, §7)


// claimPaths returns the concrete paths one claims query selects (§6.3, §6.4.1: with values,
// only matching values count), or null when the credential cannot satisfy it.
function claimPaths(claims, claim) {
  let nodes = resolvePath(claims, claim.path);
  if (claim.values) nodes = nodes.filter((n) => claim.values.some((want) => want === n.value));
  return nodes.length ? nodes.map((n) => n.path) : null;
}

// matchCredentialQuery returns the concrete paths to disclose for one Credential Query, or
// null when the credential does not match it. §6.4.1: no claims means no selectively
// disclosable claims; claim_sets are tried in order, the first satisfiable one wins.
function matchCredentialQuery(q, claims) {
  if (!SDJWT_FORMATS.includes(q.format)) return null;
  if (q.meta?.vct_values && !q.meta.vct_values.includes(claims.vct)) return null;
  if (!q.claims) return [];
  const found = q.claims.map((c) => claimPaths(claims, c));
  if (!q.claim_sets) return found.every(Boolean) ? found.flat() : null;
  for (const set of q.claim_sets) {
    const picked = set.map((id) => found[q.claims.findIndex((c) => c.id === id)]);
    if (picked.every(Boolean)) return picked.flat();
  }
  return null;
}

// selectQueries decides which Credential Queries get a presentation (§6.4.2): without
// credential_sets all of them are required; with them, the first satisfiable option of each
// set, and a required set (the default) must be satisfiable.
function selectQueries(query, claims) {
  const matched = {};
  for (const q of query.credentials ?? []) {
    const paths = matchCredentialQuery(q, claims);
    if (paths) matched[q.id] = paths;
  }
  if (!query.credential_sets) {
    const missing = (query.credentials ?? []).filter((q) => !matched[q.id]).map((q) => q.id);
    if (missing.length) throw new Error(`the credential does not satisfy credential queries ${missing.join(', ')}`);
    return matched;
  }
  const chosen = {};
  for (const set of query.credential_sets) {
    const option = set.options.find((ids) => ids.every((id) => matched[id]));
    if (!option) {
      if (set.required !== false) throw new Error(`the credential does not satisfy credential set ${JSON.stringify(set.options)}`);
      continue;
    }
    for (const id of option) chosen[id] = matched[id];
  }
  return chosen;
}

// ---------------------------------------------------------------- SD-JWT presentation

// claimIndex walks the issuer-signed payload with the disclosures and records, for every
// claim of the processed payload, its path in processed form (array indices after undisclosed
// and decoy elements are dropped) and in raw form (the indices a presentation frame uses),
// and which of them are selectively disclosed.
async function claimIndex(instance, compact) {
  const sdjwt = await instance.decode(compact);
  const alg = sdjwt.jwt.payload._sd_alg ?? 'sha-256';
  const byDigest = new Map();
  for (const d of sdjwt.disclosures ?? []) byDigest.set(await d.digest({ hasher: digest, alg }), d);
  const nodes = [];
  const walk = (node, ppath, rpath) => {
    if (Array.isArray(node)) {
      let k = 0;
      node.forEach((el, i) => {
        const ref = el && typeof el === 'object' && !Array.isArray(el) && Object.keys(el).length === 1 ? el['...'] : undefined;
        if (ref !== undefined) {
          const d = byDigest.get(ref);
          if (!d) return;
          nodes.push({ ppath: [...ppath, k], rpath: [...rpath, i], sd: true });
          walk(d.value, [...ppath, k], [...rpath, i]);
        } else {
          nodes.push({ ppath: [...ppath, k], rpath: [...rpath, i], sd: false });
          walk(el, [...ppath, k], [...rpath, i]);
        }
        k++;
      });
    } else if (node && typeof node === 'object') {
      for (const ref of node._sd ?? []) {
        const d = byDigest.get(ref);
        if (!d) continue;
        nodes.push({ ppath: [...ppath, d.key], rpath: [...rpath, d.key], sd: true });
        walk(d.value, [...ppath, d.key], [...rpath, d.key]);
      }
      for (const [key, value] of Object.entries(node)) {
        if (key === '_sd' || key === '_sd_alg') continue;
        nodes.push({ ppath: [...ppath, key], rpath: [...rpath, key], sd: false });
        walk(value, [...ppath, key], [...rpath, key]);
      }
    }
  };
  walk(sdjwt.jwt.payload, [], []);
  return nodes;
}

const isPrefix = (prefix, path) => prefix.length <= path.length && prefix.every((c, i) => c === path[i]);

// presentationFrame builds the @sd-jwt frame that discloses the given processed paths and
// everything below them (a path to an object or array requests all of it).
function presentationFrame(index, paths) {
  const frame = {};
  for (const node of index) {
    if (!paths.some((p) => isPrefix(p, node.ppath))) continue;
    let cur = frame;
    node.rpath.forEach((comp, i) => {
      const key = String(comp);
      if (i === node.rpath.length - 1) {
        if (cur[key] === undefined) cur[key] = true;
      } else {
        if (typeof cur[key] !== 'object') cur[key] = {};
        cur = cur[key];
      }
    });
  }
  return frame;
}

async function disclosedPaths(instance, compact) {
  return (await claimIndex(instance, compact)).filter((n) => n.sd).map((n) => n.ppath);
}

async function checkIssuerSignature(credential, jwks) {
  const jws = credential.split('~')[0];
  const { alg } = decodeProtectedHeader(jws);
  for (const jwk of jwks) {
    try {
      await compactVerify(jws, await importJWK(jwk, alg), { algorithms: SIGNING_ALGS });
      return;
    } catch { /* try the next key */ }
  }
  throw new Error('the credential is not signed by any of issuer_jwks');
}

// ---------------------------------------------------------------- main

function jweHeader(jwe) {
  const { epk, ...header } = decodeProtectedHeader(jwe);
  return header;
}

async function main(input) {
  for (const k of ['link', 'credential', 'holder_jwk']) if (!input[k]) throw new Error(`missing input ${k}`);
  if (input.tamper && !['nonce', 'aud'].includes(input.tamper)) throw new Error(`tamper must be nonce or aud, not ${input.tamper}`);
  if (input.issuer_jwks) await checkIssuerSignature(input.credential, input.issuer_jwks);

  const parsed = parseOpenid4vpAuthorizationRequest({ authorizationRequest: input.link });
  if (parsed.type !== 'jar' || !parsed.params.request_uri) throw new Error(`the link is not a request by reference (${parsed.type})`);
  const post = parsed.params.request_uri_method === 'post';
  const walletNonce = post ? b64url(randomBytes(16)) : undefined;
  const client = new Openid4vpClient({ callbacks: callbacks(parsed.params.request_uri, walletNonce) });
  const resolved = await client.resolveOpenId4vpAuthorizationRequest({
    authorizationRequestPayload: parsed.params,
    wallet: post ? { expectedNonce: walletNonce, metadata: walletMetadata } : undefined,
  });
  const request = resolved.authorizationRequestPayload;
  if (!resolved.dcql) throw new Error('the request has no dcql_query');

  const holder = new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    kbSigner: await ES256.getSigner(input.holder_jwk),
    kbSignAlg: ES256.alg,
  });
  const claims = await holder.getClaims(input.credential);
  const index = await claimIndex(holder, input.credential);
  const selection = input.disclose
    ? Object.fromEntries(resolved.dcql.query.credentials.map((q) => [q.id, input.disclose]))
    : selectQueries(resolved.dcql.query, claims);

  const kbPayload = {
    iat: Math.floor(Date.now() / 1000),
    // OpenID4VP 1.0 B.3.6: aud is the Client Identifier, nonce the request's nonce.
    aud: input.tamper === 'aud' ? 'https://wrong-audience.example' : request.client_id,
    nonce: input.tamper === 'nonce' ? `wrong-${request.nonce}` : request.nonce,
  };
  const vpToken = {};
  const presented = {};
  for (const [id, paths] of Object.entries(selection)) {
    const presentation = await holder.present(input.credential, presentationFrame(index, paths), { kb: { payload: kbPayload } });
    vpToken[id] = [presentation];
    presented[id] = await disclosedPaths(holder, presentation);
  }

  const jwt = request.response_mode === 'direct_post.jwt';
  const response = await client.createOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request,
    authorizationResponsePayload: { vp_token: vpToken },
    jarm: jwt
      ? {
        encryption: {},
        serverMetadata: {
          authorization_signing_alg_values_supported: SIGNING_ALGS,
          authorization_encryption_alg_values_supported: ['ECDH-ES'],
          authorization_encryption_enc_values_supported: ENC_VALUES,
        },
      }
      : undefined,
  });
  const { response: res } = await client.submitOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request,
    authorizationResponsePayload: response.authorizationResponsePayload,
    jarm: response.jarm,
  });
  const text = await res.text();
  let body = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  const seen = new Set();
  const disclosed = Object.values(presented).flat().filter((p) => !seen.has(JSON.stringify(p)) && seen.add(JSON.stringify(p)));
  return {
    status: res.status,
    body,
    disclosed,
    presented,
    client_id: request.client_id,
    client_id_prefix: resolved.client.prefix,
    response_mode: request.response_mode,
    response_jwe_header: jwt ? jweHeader(response.jarm.responseJwt) : undefined,
    version: resolved.version,
    nonce: request.nonce,
    state: request.state,
    wallet_nonce: walletNonce,
  };
}

try {
  console.log(JSON.stringify(await main(await readStdin())));
} catch (err) {
  const desc = err?.errorResponse?.error_description;
  console.error(`${err?.stack ?? err}${desc ? `\n${desc}` : ''}${err?.cause ? `\ncause: ${err.cause?.stack ?? err.cause}` : ''}`);
  process.exit(1);
}
