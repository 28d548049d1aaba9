// Independent check of bewijs' JWT VCs (internal/w3cvc, VC Data Model 1.1 §6.3.1) with
// panva's `jose` and `ajv`: verify the JWS with the issuer's public JWK, validate the vc
// claim against vc-1.1-schema.json, and check the JWT claim rules of §6.3.1.
// Usage: echo '{"jwt": "<compact JWS>", "jwk": {<issuer public JWK>}}' | node w3cvc-verify.mjs
// Prints {header, claims, statusList} on success (statusList: the entries and set indexes of a
// BitstringStatusListCredential); on any failure prints the reasons to stderr, exits 1.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const schema = JSON.parse(readFileSync(new URL('./vc-1.1-schema.json', import.meta.url), 'utf8'));
// strictTuples off: @context is an open tuple (its first item fixed, any number after it).
const ajv = new Ajv({ allErrors: true, strict: true, strictTuples: false });
addFormats(ajv);
const validateVC = ajv.compile(schema);

// statusList expands the encodedList of a BitstringStatusList subject (Bitstring Status List
// 1.0 §3.4: multibase "u", base64url without padding, GZIP) with node's zlib and lists the
// set indexes; §2.2: index 0 is "the left-most bit in the bitstring".
function statusList(subject) {
  if (subject?.type !== 'BitstringStatusList') return undefined;
  if (!subject.encodedList.startsWith('u')) throw new Error('encodedList is not multibase base64url');
  const bits = gunzipSync(Buffer.from(subject.encodedList.slice(1), 'base64url'));
  if (bits.length < 16 * 1024) throw new Error(`bitstring of ${bits.length} bytes is shorter than 16KB`);
  const set = [];
  for (let i = 0; i < bits.length * 8; i++) {
    if (bits[i >> 3] & (0x80 >> (i & 7))) set.push(i);
  }
  return { entries: bits.length * 8, set };
}

// claimRules are the §6.3.1 "JWT Encoding" rules between the JWT and its vc claim.
function claimRules(header, claims) {
  const errors = [];
  const vc = claims.vc;
  // "typ, if present, MUST be set to JWT."
  if (header.typ !== undefined && header.typ !== 'JWT') errors.push(`typ ${header.typ} is not JWT`);
  // The kid names a key in the iss DID's document.
  if (typeof header.kid !== 'string' || !header.kid.startsWith(`${claims.iss}#`)) errors.push('kid is not a DID URL of iss');
  // "iss MUST represent the issuer property of a verifiable credential".
  const issuer = typeof vc.issuer === 'string' ? vc.issuer : vc.issuer?.id;
  if (claims.iss !== issuer) errors.push('iss is not vc.issuer');
  // "sub MUST represent the id property contained in the credentialSubject."
  if (claims.sub !== vc.credentialSubject?.id) errors.push('sub is not vc.credentialSubject.id');
  // "nbf MUST represent issuanceDate, encoded as a UNIX timestamp (NumericDate)."
  if (claims.nbf !== Date.parse(vc.issuanceDate) / 1000) errors.push('nbf is not vc.issuanceDate');
  // "exp MUST represent the expirationDate property, encoded as a UNIX timestamp".
  if ((claims.exp ?? null) !== (vc.expirationDate === undefined ? null : Date.parse(vc.expirationDate) / 1000)) {
    errors.push('exp is not vc.expirationDate');
  }
  // "jti MUST represent the id property of the verifiable credential".
  if (claims.jti !== vc.id) errors.push('jti is not vc.id');
  return errors;
}

try {
  const { jwt, jwk } = await readStdin();
  const header = decodeProtectedHeader(jwt);
  const key = await importJWK(jwk, header.alg);
  const { payload } = await compactVerify(jwt, key, { algorithms: ['ES256', 'ES384', 'EdDSA'] });
  const claims = JSON.parse(new TextDecoder().decode(payload));
  if (claims.vc === null || typeof claims.vc !== 'object') throw new Error('no vc claim');
  const errors = [];
  if (!validateVC(claims.vc)) {
    errors.push(...validateVC.errors.map((e) => `vc${e.instancePath} ${e.message}`));
  }
  errors.push(...claimRules(header, claims));
  if (errors.length > 0) throw new Error(errors.join('; '));
  console.log(JSON.stringify({ header, claims, statusList: statusList(claims.vc.credentialSubject) }));
} catch (err) {
  console.error(String(err && err.message ? err.message : err));
  process.exit(1);
}
