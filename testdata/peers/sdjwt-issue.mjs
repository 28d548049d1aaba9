// Independent SD-JWT VC issuer and holder for bewijs' internal/sdjwt tests, with
// @sd-jwt/sd-jwt-vc: generate an ES256 issuer key and holder key, issue an SD-JWT VC
// (typ dc+sd-jwt, vct, cnf.jwk, nested and recursive disclosable claims, decoys), then
// present all disclosures with a Key Binding JWT for the given audience and nonce.
// Usage: node sdjwt-issue.mjs <aud> <nonce>
// Prints {sdjwt, issuerJwk, claims} as JSON: claims is what was issued; exits 1 on failure.
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { ES256, digest, generateSalt } from '@sd-jwt/crypto-nodejs';

const [aud, nonce] = process.argv.slice(2);
try {
  if (!aud || !nonce) throw new Error('usage: node sdjwt-issue.mjs <aud> <nonce>');
  const issuer = await ES256.generateKeyPair();
  const holder = await ES256.generateKeyPair();
  const sdjwt = new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
    signer: await ES256.getSigner(issuer.privateKey),
    signAlg: ES256.alg,
    kbSigner: await ES256.getSigner(holder.privateKey),
    kbSignAlg: ES256.alg,
  });
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: 'https://peer.example.org',
    vct: 'https://bewijs.example/credentials/toewijzing',
    iat: now,
    exp: now + 3600,
    cnf: { jwk: holder.publicKey },
    client: { bsn: '999991772', naam: 'de Vries', geboortedatum: '1950-01-01' },
    product: { categorie: '01', code: '01A01', omvang: { volume: 4, eenheid: 'uur' } },
  };
  const frame = {
    _sd: ['iat', 'product'],
    _sd_decoy: 2,
    client: { _sd: ['bsn', 'naam'], _sd_decoy: 1 },
    product: { _sd: ['code', 'omvang'] },
  };
  // SDJwtVcInstance sets typ dc+sd-jwt itself; it is repeated here to pin it.
  const issued = await sdjwt.issue(claims, frame, { header: { typ: 'dc+sd-jwt' } });
  const presented = await sdjwt.present(issued, undefined, {
    kb: { payload: { iat: now, aud, nonce } },
  });
  const { d, ...issuerJwk } = issuer.privateKey;
  console.log(JSON.stringify({ sdjwt: presented, issuerJwk: { kty: issuerJwk.kty, crv: issuerJwk.crv, x: issuerJwk.x, y: issuerJwk.y }, claims }));
} catch (err) {
  console.error(String(err && err.message ? err.message : err));
  process.exit(1);
}
