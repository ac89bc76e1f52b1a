// Draws the five tab-bar icons (81×81 PNG, grey and selected colour) with no
// dependencies: each icon is a function telling whether a point is inked, sampled
// 4×4 per pixel for smooth edges, written as PNG with node:zlib.
// Run: node miniapp/scripts/make-tab-icons.mjs  (output: miniapp/src/assets/tab/)
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZE = 81;
const out = join(dirname(fileURLToPath(import.meta.url)), '../src/assets/tab');
const colours = { '': [0x4a, 0x4a, 0x4a], '-on': [0xa8, 0x37, 0x1b] };

// Shapes work in a 0..1 square.
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx, cy, r, w) => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  return d <= r && d >= r - w;
};
const roundRect = (x0, y0, x1, y1, r) => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const tri = (ax, ay, bx, by, cx, cy) => (x, y) => {
  const s = (px, py, qx, qy) => (x - qx) * (py - qy) - (px - qx) * (y - qy);
  const d1 = s(ax, ay, bx, by), d2 = s(bx, by, cx, cy), d3 = s(cx, cy, ax, ay);
  const neg = d1 < 0 || d2 < 0 || d3 < 0, pos = d1 > 0 || d2 > 0 || d3 > 0;
  return !(neg && pos);
};
const any = (...fs) => (x, y) => fs.some((f) => f(x, y));
const minus = (a, ...holes) => (x, y) => a(x, y) && !holes.some((h) => h(x, y));
const outline = (outer, inner) => minus(outer, inner);

const icons = {
  home: any(
    minus(tri(0.5, 0.12, 0.08, 0.5, 0.92, 0.5), tri(0.5, 0.24, 0.24, 0.46, 0.76, 0.46)),
    minus(rect(0.2, 0.46, 0.8, 0.88), rect(0.28, 0.5, 0.72, 0.8)),
    rect(0.42, 0.6, 0.58, 0.88),
  ),
  services: any(
    outline(roundRect(0.18, 0.16, 0.82, 0.9, 0.08), roundRect(0.26, 0.24, 0.74, 0.82, 0.04)),
    roundRect(0.36, 0.08, 0.64, 0.22, 0.04),
    rect(0.34, 0.4, 0.66, 0.46),
    rect(0.34, 0.54, 0.66, 0.6),
    rect(0.34, 0.68, 0.56, 0.74),
  ),
  deliberation: any(
    outline(roundRect(0.08, 0.14, 0.92, 0.72, 0.14), roundRect(0.16, 0.22, 0.84, 0.64, 0.08)),
    tri(0.26, 0.68, 0.46, 0.68, 0.24, 0.9),
    circle(0.32, 0.43, 0.055),
    circle(0.5, 0.43, 0.055),
    circle(0.68, 0.43, 0.055),
  ),
  volunteer: (() => {
    // The classic implicit heart (x² + y² − 1)³ − x²y³ ≤ 0, outlined by a smaller copy.
    const heart = (k) => (x, y) => {
      const u = ((x - 0.5) * 2.9) / k;
      const v = -(y - 0.52) * 2.9 / k + 0.12 / k;
      return (u * u + v * v - 1) ** 3 - u * u * v ** 3 <= 0;
    };
    return minus(heart(1), heart(0.74));
  })(),
  me: any(
    ring(0.5, 0.32, 0.2, 0.075),
    minus(
      (x, y) => y <= 0.9 && ((x - 0.5) / 0.36) ** 2 + ((y - 0.92) / 0.36) ** 2 <= 1,
      (x, y) => y <= 0.83 && ((x - 0.5) / 0.28) ** 2 + ((y - 0.93) / 0.29) ** 2 <= 1,
    ),
  ),
};

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(shape, [r, g, b]) {
  const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
  const S = 4;
  for (let y = 0; y < SIZE; y++) {
    raw[y * (SIZE * 4 + 1)] = 0;
    for (let x = 0; x < SIZE; x++) {
      let hits = 0;
      for (let sy = 0; sy < S; sy++)
        for (let sx = 0; sx < S; sx++) if (shape((x + (sx + 0.5) / S) / SIZE, (y + (sy + 0.5) / S) / SIZE)) hits++;
      const o = y * (SIZE * 4 + 1) + 1 + x * 4;
      raw[o] = r; raw[o + 1] = g; raw[o + 2] = b;
      raw[o + 3] = Math.round((hits / (S * S)) * 255);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(out, { recursive: true });
for (const [name, shape] of Object.entries(icons)) {
  for (const [suffix, colour] of Object.entries(colours)) {
    const file = join(out, `${name}${suffix}.png`);
    const data = png(shape, colour);
    writeFileSync(file, data);
    console.log(`${file.replace(process.cwd() + '/', '')}  ${data.length} B`);
  }
}
