// Independent check of bewijs' OpenID4VP 1.0 wire handling (verifier/oid4vp) with
// @openid4vc/openid4vp: client identifier prefixes, Authorization Request parameters and
// DCQL vp_tokens. (The package has no DCQL query validator; DCQL is checked in Go only.)
// Usage: echo '{"clientIds": [...], "requests": [{"payload": {...}, "walletNonce": "..."}],
//   "responses": [{"request": {...}, "response": {...}}]}' | node oid4vp-check.mjs
// walletNonce is the wallet_nonce the wallet sent in its Request URI POST (optional).
// Prints {clientIds, requests, responses}: one {ok, ...} or {ok: false, error} per input.
import {
  getOpenid4vpClientId,
  parseOpenid4vpAuthorizationRequest,
  validateOpenid4vpAuthorizationRequestPayload,
  parseOpenid4VpAuthorizationResponsePayload,
  validateOpenid4vpAuthorizationResponsePayload,
} from '@openid4vc/openid4vp';

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function attempt(fn) {
  try {
    return { ok: true, ...fn() };
  } catch (e) {
    return { ok: false, error: String(e?.error_description ?? e?.message ?? e) };
  }
}

function clientId(id) {
  const r = getOpenid4vpClientId({ clientId: id, responseMode: 'direct_post', version: 100 });
  return { prefix: r.clientIdPrefix, identifier: r.clientIdIdentifier };
}

function request({ payload, walletNonce }) {
  const parsed = parseOpenid4vpAuthorizationRequest({ authorizationRequest: payload });
  if (parsed.type !== 'openid4vp') throw new Error(`parsed as ${parsed.type}`);
  validateOpenid4vpAuthorizationRequestPayload({
    params: parsed.params,
    isJarRequest: true,
    walletVerificationOptions: walletNonce ? { expectedNonce: walletNonce } : undefined,
  });
  return { type: parsed.type };
}

function response({ request, response }) {
  const payload = parseOpenid4VpAuthorizationResponsePayload(response);
  const r = validateOpenid4vpAuthorizationResponsePayload({
    authorizationRequestPayload: request,
    authorizationResponsePayload: payload,
  });
  if (r.type !== 'dcql') throw new Error(`response type ${r.type}`);
  return { presentations: r.dcql.presentations };
}

try {
  const input = await readStdin();
  const out = {
    clientIds: (input.clientIds ?? []).map((id) => attempt(() => clientId(id))),
    requests: (input.requests ?? []).map((p) => attempt(() => request(p))),
    responses: (input.responses ?? []).map((p) => attempt(() => response(p))),
  };
  process.stdout.write(JSON.stringify(out));
} catch (e) {
  process.stderr.write(String(e?.stack ?? e));
  process.exit(1);
}
