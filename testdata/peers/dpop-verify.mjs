// Independent check of a bewijs DPoP proof (RFC 9449 §4.3) with panva's `jose`: typ dpop+jwt,
// an asymmetric alg, the signature by the embedded public jwk, the required claims, htm and
// htu (query and fragment ignored), iat within five minutes, and nonce and ath when given.
// Usage: node dpop-verify.mjs <proof> <method> <url> [nonce] [access-token]
// Prints JSON {jkt, payload}; exits 1 on any failure.
import { createHash } from 'node:crypto';
import { EmbeddedJWK, calculateJwkThumbprint, jwtVerify } from 'jose';

const [proof, htm, url, nonce, accessToken] = process.argv.slice(2);
const fail = (msg) => { throw new Error(msg); };
try {
  const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, {
    typ: 'dpop+jwt',
    algorithms: ['ES256', 'ES384', 'EdDSA'],
    maxTokenAge: '5m',
    requiredClaims: ['jti', 'htm', 'htu', 'iat'],
  });
  const jwk = protectedHeader.jwk;
  if (['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].some((m) => m in jwk)) fail('jwk header contains a private key');
  const target = new URL(url);
  target.search = '';
  target.hash = '';
  if (payload.htm !== htm) fail(`htm ${payload.htm}, want ${htm}`);
  if (new URL(payload.htu).href !== target.href) fail(`htu ${payload.htu}, want ${target.href}`);
  if (nonce && payload.nonce !== nonce) fail(`nonce ${payload.nonce}, want ${nonce}`);
  if (accessToken) {
    const ath = createHash('sha256').update(accessToken, 'ascii').digest('base64url');
    if (payload.ath !== ath) fail(`ath ${payload.ath}, want ${ath}`);
  }
  console.log(JSON.stringify({ jkt: await calculateJwkThumbprint(jwk, 'sha256'), payload }));
} catch (err) {
  console.error(String(err && err.message ? err.message : err));
  process.exit(1);
}
