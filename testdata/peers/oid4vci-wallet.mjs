// An independent OpenID4VCI 1.0 wallet, built only from npm packages, that the api tests run
// against a live bewijs server: @openid4vc/openid4vci (client) for the protocol,
// @sd-jwt/sd-jwt-vc for the SD-JWT VC, @sd-jwt/jwt-status-list (and `jose`) for the status.
// Nothing here trusts bewijs code: the issuer key is found through did:web by this script.
//
// Usage: echo '{"mode": "receive", "offer": "openid-credential-offer://?...", "txCode": "123456",
//               "vct": "urn:...", "byIdentifier": false}' | node oid4vci-wallet.mjs
//        echo '{"mode": "status", "credential": "<sd-jwt>~"}' | node oid4vci-wallet.mjs
// receive prints {credential, header, claims, status, libraryStatus, draft, tokenType, ...};
// status prints {status, idx, uri}. Exits 1 with the reason on stderr on any failure.
import { generateKeyPairSync, createHash, randomBytes } from 'node:crypto';
import { Openid4vciClient, Openid4vciVersion, setGlobalConfig } from '@openid4vc/openid4vci';
import { clientAuthenticationAnonymous, resourceRequest } from '@openid4vc/oauth2';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { ES256, digest } from '@sd-jwt/crypto-nodejs';
import { getListFromStatusListJWT } from '@sd-jwt/jwt-status-list';
import { CompactSign, compactVerify, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';

// The test server is plain http on 127.0.0.1; the library refuses http URLs unless told.
setGlobalConfig({ allowInsecureUrls: true });

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

// newKey is an ES256 key pair as {privateKey (KeyObject), publicJwk}.
function newKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  return { privateKey, publicJwk: { kty, crv, x, y } };
}

// callbacks for the @openid4vc client. signJwt signs with whichever of our keys the signer's
// publicJwk names; only the jwk signer method is used (DPoP and the key proof).
// trace.lastDpopNonce is the latest DPoP-Nonce any response carried (see notify);
// WALLET_TRACE=1 logs every exchange to stderr.
function callbacks(keys, trace) {
  const byX = new Map(keys.map((k) => [k.publicJwk.x, k]));
  return {
    fetch: async (url, init) => {
      const res = await fetch(url, init);
      const nonce = res.headers.get('DPoP-Nonce');
      if (nonce) trace.lastDpopNonce = nonce;
      if (process.env.WALLET_TRACE) {
        const h = new Headers(init?.headers);
        console.error(`> ${init?.method ?? 'GET'} ${url} auth=${h.get('Authorization')?.split(' ')[0] ?? '-'} dpop=${h.has('DPoP')}`);
        console.error(`< ${res.status} www-authenticate=${res.headers.get('WWW-Authenticate')} dpop-nonce=${nonce ? 'yes' : 'no'}`);
      }
      return res;
    },
    hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '')).update(data).digest()),
    generateRandom: (n) => new Uint8Array(randomBytes(n)),
    clientAuthentication: clientAuthenticationAnonymous(),
    signJwt: async (signer, { header, payload }) => {
      const key = signer.method === 'jwk' ? byX.get(signer.publicJwk.x) : undefined;
      if (!key) throw new Error(`no private key for signer ${JSON.stringify(signer)}`);
      const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
        .setProtectedHeader(header)
        .sign(key.privateKey);
      return { jwt, signerJwk: key.publicJwk };
    },
    verifyJwt: async (signer, { compact }) => {
      if (signer.method !== 'jwk') return { verified: false };
      try {
        await compactVerify(compact, await importJWK(signer.publicJwk, signer.alg));
        return { verified: true, signerJwk: signer.publicJwk };
      } catch {
        return { verified: false };
      }
    },
    decryptJwe: () => { throw new Error('JWE is not used'); },
    encryptJwe: () => { throw new Error('JWE is not used'); },
  };
}

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

// issuerKey resolves the JWS kid (a DID URL) to the public JWK of an assertionMethod.
async function issuerKey(kid) {
  if (!kid || !kid.includes('#')) throw new Error(`kid ${kid} is not a DID URL`);
  const did = kid.slice(0, kid.indexOf('#'));
  const res = await fetch(didWebURL(did));
  if (!res.ok) throw new Error(`DID document of ${did}: HTTP ${res.status}`);
  const doc = await res.json();
  if (doc.id !== did) throw new Error(`DID document id ${doc.id}, want ${did}`);
  const abs = (id) => (id.startsWith('#') ? did + id : id);
  const methods = new Map((doc.verificationMethod || []).map((m) => [abs(m.id), m]));
  for (const entry of doc.assertionMethod || []) {
    const vm = typeof entry === 'string' ? methods.get(abs(entry)) : { ...entry, id: abs(entry.id) };
    if (vm && vm.id === kid) {
      if (!vm.publicKeyJwk) throw new Error(`${kid} has no publicKeyJwk`);
      if (vm.publicKeyJwk.d) throw new Error(`${kid} publishes a private key`);
      return vm.publicKeyJwk;
    }
  }
  throw new Error(`${kid} is not an assertionMethod of ${did}`);
}

function issuerJWTHeader(sdjwt) {
  return decodeProtectedHeader(sdjwt.split('~')[0]);
}

function payloadOf(sdjwt) {
  return JSON.parse(Buffer.from(sdjwt.split('~')[0].split('.')[1], 'base64url').toString('utf8'));
}

// checkStatus fetches and verifies the Status List Token (draft-ietf-oauth-status-list §5:
// typ statuslist+jwt, sub equal to the uri the credential references; §8 media type) and
// returns the status at idx.
async function checkStatus(statusList, jwk) {
  const { idx, uri } = statusList;
  const res = await fetch(uri, { headers: { Accept: 'application/statuslist+jwt' } });
  if (!res.ok) throw new Error(`status list ${uri}: HTTP ${res.status}`);
  const ctype = res.headers.get('content-type') || '';
  if (!ctype.startsWith('application/statuslist+jwt')) throw new Error(`status list content-type ${ctype}`);
  const token = await res.text();
  const { payload } = await jwtVerify(token, await importJWK(jwk, 'ES256'), {
    algorithms: ['ES256'],
    typ: 'statuslist+jwt',
    requiredClaims: ['sub', 'iat'],
  });
  if (payload.sub !== uri) throw new Error(`status list sub ${payload.sub}, want ${uri}`);
  const list = getListFromStatusListJWT(token);
  return { status: list.getStatus(idx), idx, uri, bits: list.getBitsPerStatus() };
}

// verifyCredential checks the SD-JWT VC with @sd-jwt/sd-jwt-vc, including the library's own
// status check (its status is recorded rather than thrown on).
async function verifyCredential(sdjwt, vct) {
  const header = issuerJWTHeader(sdjwt);
  const jwk = await issuerKey(header.kid);
  let libraryStatus;
  const verifier = new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    verifier: await ES256.getVerifier(jwk),
    statusValidator: async (status) => { libraryStatus = status; },
  });
  const res = await verifier.verify(sdjwt);
  // SD-JWT VC §3.2.1: typ dc+sd-jwt; §3.2.2.2: the issuer of a DID kid is that DID.
  if (res.header.typ !== 'dc+sd-jwt') throw new Error(`typ ${res.header.typ}, want dc+sd-jwt`);
  if (vct && res.payload.vct !== vct) throw new Error(`vct ${res.payload.vct}, want ${vct}`);
  if (!header.kid.startsWith(res.payload.iss + '#')) throw new Error(`kid ${header.kid} is not a key of iss ${res.payload.iss}`);
  return { header: res.header, claims: res.payload, jwk, libraryStatus };
}

function sameKey(a, b) {
  return !!a && !!b && ['kty', 'crv', 'x', 'y'].every((k) => a[k] === b[k]);
}

async function token(client, offer, md, txCode, dpopKey) {
  const as = md.authorizationServers[0];
  const dpop = as.dpop_signing_alg_values_supported?.includes('ES256')
    ? { signer: { method: 'jwk', alg: 'ES256', publicJwk: dpopKey.publicJwk } }
    : undefined;
  return client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer: offer, issuerMetadata: md, txCode, dpop });
}

// notify tells the issuer the credential was accepted (OpenID4VCI 1.0 §11), with the DPoP
// nonce the library knows: the last one a response carried in a DPoP-Nonce header.
// When the server answers use_dpop_nonce without a DPoP-Nonce header (RFC 9449 §9 says it
// must send one) the library gives up; then retry once with the nonce the server gave at the
// credential endpoint, and report that the workaround was needed.
async function notify(client, md, tok, creds, trace) {
  const id = creds.credentialResponse.notification_id;
  if (!id || !md.credentialIssuer.notification_endpoint) return { notified: false };
  const send = (nonce) => client.sendNotification({
    issuerMetadata: md, accessToken: tok.accessTokenResponse.access_token,
    dpop: tok.dpop ? { ...tok.dpop, nonce } : undefined,
    notification: { notificationId: id, event: 'credential_accepted' },
  });
  try {
    await send(creds.dpop?.nonce ?? tok.dpop?.nonce);
    return { notified: true };
  } catch (err) {
    if (!tok.dpop || !trace.lastDpopNonce || !String(err.message).includes("do not include a valid 'DPoP-Nonce'")) throw err;
    await send(trace.lastDpopNonce);
    return { notified: true, notificationWorkaround: String(err.message).split('\n')[0] };
  }
}

// requestCredential asks for the credential the way the library does (by
// credential_configuration_id) or, with byIdentifier, by the credential_identifier the token
// response named in authorization_details (OpenID4VCI 1.0 §8.2), sent with the library's
// resourceRequest (Bearer or DPoP with its nonce retry). Returns {credentialResponse, dpop}.
async function requestCredential({ client, cbs, md, tok, configId, jwt, byIdentifier }) {
  const accessToken = tok.accessTokenResponse.access_token;
  if (!byIdentifier) {
    return client.retrieveCredentials({
      issuerMetadata: md, credentialConfigurationId: configId, proofs: { jwt: [jwt] }, accessToken, dpop: tok.dpop,
    });
  }
  const detail = (tok.accessTokenResponse.authorization_details || []).find((d) => d.credential_configuration_id === configId);
  const id = detail?.credential_identifiers?.[0];
  if (!id) throw new Error(`no credential_identifier for ${configId} in the token response`);
  const res = await resourceRequest({
    callbacks: cbs, url: md.credentialIssuer.credential_endpoint, accessToken, dpop: tok.dpop,
    requestOptions: {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ credential_identifier: id, proofs: { jwt: [jwt] } }),
    },
  });
  if (!res.ok) throw new Error(`credential request by identifier: HTTP ${res.response.status} ${await res.response.text()}`);
  return { credentialResponse: await res.response.json(), dpop: res.dpop };
}

async function receive(input) {
  const dpopKey = newKey();
  const holderKey = newKey();
  const trace = {};
  const cbs = callbacks([dpopKey, holderKey], trace);
  const client = new Openid4vciClient({ callbacks: cbs });
  const offer = await client.resolveCredentialOffer(input.offer);
  const md = await client.resolveIssuerMetadata(offer.credential_issuer);
  if (md.originalDraftVersion !== Openid4vciVersion.V1) throw new Error(`library reads the metadata as ${md.originalDraftVersion}, want ${Openid4vciVersion.V1}`);
  const configId = offer.credential_configuration_ids[0];
  const tok = await token(client, offer, md, input.txCode, dpopKey);
  const { c_nonce } = await client.requestNonce({ issuerMetadata: md });
  const { jwt } = await client.createCredentialRequestJwtProof({
    issuerMetadata: md, credentialConfigurationId: configId, nonce: c_nonce, issuedAt: new Date(),
    signer: { method: 'jwk', alg: 'ES256', publicJwk: holderKey.publicJwk },
  });
  const creds = await requestCredential({ client, cbs, md, tok, configId, jwt, byIdentifier: input.byIdentifier });
  const resp = creds.credentialResponse;
  if (!resp.credentials || resp.credentials.length !== 1) throw new Error(`credential response ${JSON.stringify(resp)}`);
  const sdjwt = resp.credentials[0].credential;
  const v = await verifyCredential(sdjwt, input.vct);
  // OpenID4VCI 1.0 §8.2 / Appendix F.1: the credential is bound to the proof key.
  if (!sameKey(v.claims.cnf?.jwk, holderKey.publicJwk)) throw new Error(`cnf.jwk ${JSON.stringify(v.claims.cnf)} is not the proof key`);
  const status = await checkStatus(v.claims.status.status_list, v.jwk);
  if (status.status !== v.libraryStatus) throw new Error(`status ${status.status} but @sd-jwt/sd-jwt-vc saw ${v.libraryStatus}`);
  const notification = await notify(client, md, tok, creds, trace);
  return {
    credential: sdjwt, header: v.header, claims: v.claims, status: status.status, libraryStatus: v.libraryStatus,
    bits: status.bits, draft: md.originalDraftVersion, tokenType: tok.accessTokenResponse.token_type,
    dpop: !!tok.dpop, authorizationDetails: tok.accessTokenResponse.authorization_details || [], ...notification,
  };
}

async function statusOnly(input) {
  const header = issuerJWTHeader(input.credential);
  const claims = payloadOf(input.credential);
  if (!claims.status?.status_list) throw new Error('the credential has no status.status_list');
  return checkStatus(claims.status.status_list, await issuerKey(header.kid));
}

try {
  const input = await readStdin();
  let out;
  if (input.mode === 'receive') out = await receive(input);
  else if (input.mode === 'status') out = await statusOnly(input);
  else throw new Error(`unknown mode ${input.mode}; want receive or status`);
  console.log(JSON.stringify(out));
} catch (err) {
  // The library's errors carry the server's error response in their message.
  const status = err?.response?.response?.status ?? err?.response?.status;
  console.error(`${err?.stack ?? err}${status ? `\n(HTTP ${status})` : ''}`);
  process.exit(1);
}
