// The other direction of the Token Status List interop check: @sd-jwt/jwt-status-list builds
// and compresses a list (pako deflate, level 9) for bewijs to decode.
// Usage: node statuslist-encode.mjs <bits> <size> <idx=status,idx=status,...>
// Prints the "lst" value; exits 1 on any failure.
import { StatusList } from '@sd-jwt/jwt-status-list';

const [bits, size, sets] = process.argv.slice(2);
try {
  const list = new StatusList(new Array(Number(size)).fill(0), Number(bits));
  for (const pair of (sets || '').split(',').filter((s) => s !== '')) {
    const [idx, status] = pair.split('=').map(Number);
    list.setStatus(idx, status);
  }
  console.log(list.compressStatusList());
} catch (err) {
  console.error(String(err && err.message ? err.message : err));
  process.exit(1);
}
