// Independent check that bewijs' offer QR codes scan: decode a PNG with pngjs and read the QR
// code in it with jsQR (the decoder many web wallets use).
// Usage: node qr-decode.mjs <file.png>
// Prints {text, width, height} as JSON; exits 1 when the file is not a PNG or holds no QR code.
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';

try {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node qr-decode.mjs <file.png>');
  const png = PNG.sync.read(readFileSync(file));
  // pngjs always yields 8-bit RGBA, whatever the PNG's colour type, which is what jsQR wants.
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!code) throw new Error(`no QR code found in ${png.width}x${png.height} image`);
  console.log(JSON.stringify({ text: code.data, width: png.width, height: png.height }));
} catch (err) {
  console.error(String(err && err.message ? err.message : err));
  process.exit(1);
}
