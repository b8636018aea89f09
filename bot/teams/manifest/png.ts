import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (PNG chunks, ZIP entries). */
export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Encodes RGBA pixels (row-major, 4 bytes each) as a PNG: 8-bit RGBA, no filtering. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error(`encodePng: expected ${width * height * 4} bytes`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(6, 9); // colour type RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Width and height from a PNG's IHDR, or undefined when the bytes are not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } | undefined {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47 || png.toString('ascii', 12, 16) !== 'IHDR')
    return undefined;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

type Rgba = [number, number, number, number];

/**
 * The app's mark: a pulse line (an anomaly) across a rounded square. `outline` draws it white on
 * transparent, as Teams wants its 32×32 outline icon; otherwise white on the accent colour.
 */
export function drawIcon(size: number, outline: boolean): Buffer {
  const px = new Uint8Array(size * size * 4);
  const accent: Rgba = [0x1f, 0x6f, 0xeb, 255];
  const white: Rgba = [255, 255, 255, 255];
  const set = (x: number, y: number, c: Rgba) => {
    if (x < 0 || y < 0 || x >= size || y >= size) return;
    px.set(c, (y * size + x) * 4);
  };
  const r = size * 0.18;
  const inside = (x: number, y: number) => {
    const cx = Math.min(Math.max(x, r), size - 1 - r);
    const cy = Math.min(Math.max(y, r), size - 1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!inside(x, y)) continue;
      // The outline variant keeps only a one-pixel rounded border.
      if (!outline) set(x, y, accent);
      else if (!inside2(x, y)) set(x, y, white);
    }
  }
  function inside2(x: number, y: number): boolean {
    const m = Math.max(1, Math.round(size / 16));
    const rr = Math.max(0, r - m);
    const cx = Math.min(Math.max(x, m + rr), size - 1 - m - rr);
    const cy = Math.min(Math.max(y, m + rr), size - 1 - m - rr);
    return (x - cx) ** 2 + (y - cy) ** 2 <= rr * rr;
  }
  // The pulse: flat, a spike up, a dip, flat again.
  const pts: [number, number][] = [
    [0.18, 0.55],
    [0.38, 0.55],
    [0.47, 0.25],
    [0.57, 0.78],
    [0.65, 0.55],
    [0.82, 0.55],
  ];
  const w = Math.max(1, Math.round(size / 24));
  for (let i = 0; i < pts.length - 1; i++) {
    const [x0, y0] = pts[i]!;
    const [x1, y1] = pts[i + 1]!;
    const steps = Math.ceil(size * 2);
    for (let s = 0; s <= steps; s++) {
      const t = s / steps;
      const x = Math.round((x0 + (x1 - x0) * t) * size);
      const y = Math.round((y0 + (y1 - y0) * t) * size);
      for (let dy = -w; dy <= w; dy++)
        for (let dx = -w; dx <= w; dx++) if (dx * dx + dy * dy <= w * w) set(x + dx, y + dy, white);
    }
  }
  return encodePng(size, size, px);
}
