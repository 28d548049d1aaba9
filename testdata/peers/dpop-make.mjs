// Independent DPoP proof (RFC 9449 §4.2) made with panva's `jose`, for bewijs' Go verifier.
// Usage: node dpop-make.mjs <alg ES256|ES384|EdDSA> <method> <url> [nonce] [access-token]
// Prints JSON {proof, jkt}: jkt is jose's RFC 7638 thumbprint of the public key.
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';

const [alg, htm, htu, nonce, accessToken] = process.argv.slice(2);
try {
  if (!alg || !htm || !htu) throw new Error('usage: dpop-make.mjs <alg> <method> <url> [nonce] [access-token]');
  const { publicKey, privateKey } = await generateKeyPair(alg, { crv: alg === 'EdDSA' ? 'Ed25519' : undefined });
  const jwk = await exportJWK(publicKey);
  const claims = { htm, htu };
  if (nonce) claims.nonce = nonce;
  if (accessToken) claims.ath = createHash('sha256').update(accessToken, 'ascii').digest('base64url');
  const proof = await new SignJWT(claims)
    .setProtectedHeader({ alg, typ: 'dpop+jwt', jwk })
    .setIssuedAt()
    .setJti(randomBytes(16).toString('base64url'))
    .sign(privateKey);
  console.log(JSON.stringify({ proof, jkt: await calculateJwkThumbprint(jwk, 'sha256') }));
} catch (err) {
  console.error(String(err && err.message ? err.message : err));
  process.exit(1);
}
