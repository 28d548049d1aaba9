// Independent check of bewijs' did:web documents and signatures with panva's `jose`:
// fetch the DID document named by the JWS kid, pick the verification method the kid names
// from assertionMethod, import its publicKeyJwk and verify the compact JWS.
// Usage: node verify-did-jws.mjs <did-document-url> <compact-jws>
// Prints the verified payload as JSON {kid, alg, payload}; exits 1 on any failure.
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';

const [docURL, jws] = process.argv.slice(2);
try {
  const header = decodeProtectedHeader(jws);
  const res = await fetch(docURL);
  if (!res.ok) throw new Error(`GET ${docURL}: ${res.status}`);
  const doc = await res.json();
  const did = header.kid.split('#')[0];
  if (doc.id !== did) throw new Error(`document id ${doc.id} is not the kid's DID ${did}`);
  if (!(doc.assertionMethod || []).includes(header.kid)) throw new Error(`${header.kid} is not in assertionMethod`);
  const vm = (doc.verificationMethod || []).find((m) => m.id === header.kid);
  if (!vm || vm.type !== 'JsonWebKey2020' || !vm.publicKeyJwk) throw new Error(`no JsonWebKey2020 method ${header.kid}`);
  if (vm.publicKeyJwk.d) throw new Error('DID document exposes a private key');
  const key = await importJWK(vm.publicKeyJwk, header.alg);
  const { payload } = await compactVerify(jws, key, { algorithms: ['ES256', 'ES384', 'EdDSA'] });
  console.log(JSON.stringify({ kid: header.kid, alg: header.alg, payload: new TextDecoder().decode(payload) }));
} catch (err) {
  console.error(String(err && err.message ? err.message : err));
  process.exit(1);
}
