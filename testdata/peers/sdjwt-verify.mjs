// Independent check of bewijs' SD-JWT VC issuance and presentation (internal/sdjwt) with
// @sd-jwt/sd-jwt-vc: verify the issuer signature with the given public JWK, the disclosures,
// and the Key Binding JWT (signed by cnf.jwk, nonce, aud, sd_hash), and require typ dc+sd-jwt.
// Usage: echo '{"sdjwt": "...", "issuerJwk": {...}, "aud": "...", "nonce": "..."}' | node sdjwt-verify.mjs
// Prints {header, claims, kb} as JSON: claims is the processed payload; exits 1 on any failure.
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { ES256, digest } from '@sd-jwt/crypto-nodejs';

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

try {
  const input = await readStdin();
  const sdjwt = new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    verifier: await ES256.getVerifier(input.issuerJwk),
    // The KB-JWT must be signed by the holder key the issuer put in cnf.jwk.
    kbVerifier: async (data, sig, payload) => {
      if (!payload?.cnf?.jwk) throw new Error('no cnf.jwk in the SD-JWT');
      const verify = await ES256.getVerifier(payload.cnf.jwk);
      return verify(data, sig);
    },
  });
  const res = await sdjwt.verify(input.sdjwt, { keyBindingNonce: input.nonce });
  if (res.header.typ !== 'dc+sd-jwt') throw new Error(`typ is ${res.header.typ}, want dc+sd-jwt`);
  if (!res.kb) throw new Error('no key binding was verified');
  // @sd-jwt checks nonce and sd_hash; aud is the caller's to check.
  if (res.kb.payload.aud !== input.aud) throw new Error(`KB-JWT aud is ${res.kb.payload.aud}`);
  console.log(JSON.stringify({ header: res.header, claims: res.payload, kb: res.kb.payload }));
} catch (err) {
  console.error(String(err && err.message ? err.message : err));
  process.exit(1);
}
