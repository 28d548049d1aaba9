// Independent check of bewijs' Token Status Lists (draft-ietf-oauth-status-list) with
// @sd-jwt/jwt-status-list, plus panva's `jose` for the token's signature and header.
// Usage:
//   node statuslist-decode.mjs lst <bits> <lst> <idx,idx,...>
//     decompress a bare "lst" value with StatusList.decompressStatusList
//   node statuslist-decode.mjs jwt <public-jwk-json> <compact-jwt> <idx,idx,...>
//     verify the Status List Token (ES256, typ statuslist+jwt, exp/iat), then read its list
//     with getListFromStatusListJWT
// Prints JSON {len, bits, statuses: [..], claims?, typ?}; exits 1 on any failure.
import { StatusList, getListFromStatusListJWT } from '@sd-jwt/jwt-status-list';
import { importJWK, jwtVerify } from 'jose';

const [mode, a, b, idxArg] = process.argv.slice(2);
const indexes = (idxArg || '').split(',').filter((s) => s !== '').map(Number);

function statusesOf(list) {
  return indexes.map((i) => list.getStatus(i));
}

async function fromJWT(jwkJSON, jwt) {
  const key = await importJWK(JSON.parse(jwkJSON), 'ES256');
  const { payload, protectedHeader } = await jwtVerify(jwt, key, {
    algorithms: ['ES256', 'ES384', 'EdDSA'],
    typ: 'statuslist+jwt',
    requiredClaims: ['sub', 'iat'],
  });
  const list = getListFromStatusListJWT(jwt);
  return { list, claims: payload, typ: protectedHeader.typ };
}

try {
  let out;
  if (mode === 'lst') {
    const list = StatusList.decompressStatusList(b, Number(a));
    out = { len: list.statusList.length, bits: list.getBitsPerStatus(), statuses: statusesOf(list) };
  } else if (mode === 'jwt') {
    const { list, claims, typ } = await fromJWT(a, b);
    out = { len: list.statusList.length, bits: list.getBitsPerStatus(), statuses: statusesOf(list), claims, typ };
  } else {
    throw new Error(`unknown mode ${mode}; want lst or jwt`);
  }
  console.log(JSON.stringify(out));
} catch (err) {
  console.error(String(err && err.message ? err.message : err));
  process.exit(1);
}
