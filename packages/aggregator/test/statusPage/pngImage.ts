import { inflateSync } from 'node:zlib';

/** A decoded 8-bit RGBA image. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** width * height * 4 bytes, row by row. */
  readonly data: Uint8Array;
}

/**
 * Decodes the PNGs Chromium writes for screenshots (8-bit RGB or RGBA, not interlaced), so a test
 * can look at pixels without an image library. Throws on anything else.
 */
export function decodePng(buf: Buffer): RgbaImage {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let off = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const body = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      const color = body[9];
      if (depth !== 8 || (color !== 2 && color !== 6) || body[12] !== 0) throw new Error(`unsupported PNG: depth ${depth}, color type ${color}, interlace ${body[12]}`);
      channels = color === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? cur[i - channels]! : 0;
      const b = prev[i]!;
      const c = i >= channels ? prev[i - channels]! : 0;
      const x = line[i]!;
      let v: number;
      switch (filter) {
        case 0: v = x; break;
        case 1: v = x + a; break;
        case 2: v = x + b; break;
        case 3: v = x + ((a + b) >> 1); break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default: throw new Error(`bad PNG filter ${filter}`);
      }
      cur[i] = v & 0xff;
    }
    for (let px = 0; px < width; px++) {
      const o = (y * width + px) * 4;
      out[o] = cur[px * channels]!;
      out[o + 1] = cur[px * channels + 1]!;
      out[o + 2] = cur[px * channels + 2]!;
      out[o + 3] = channels === 4 ? cur[px * channels + 3]! : 255;
    }
    prev = cur;
  }
  return { width, height, data: out };
}

/** Pixel statistics of a rectangle: how many pixels are near a colour, and the luminance variance. */
export function regionStats(img: RgbaImage, box: { x: number; y: number; width: number; height: number }, near: readonly [number, number, number][] = [], tolerance = 60): { pixels: number; variance: number; near: number[] } {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(img.width, Math.ceil(box.x + box.width));
  const y1 = Math.min(img.height, Math.ceil(box.y + box.height));
  let n = 0;
  let sum = 0;
  let sum2 = 0;
  const counts = near.map(() => 0);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const o = (y * img.width + x) * 4;
      const r = img.data[o]!;
      const g = img.data[o + 1]!;
      const b = img.data[o + 2]!;
      const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      n++;
      sum += l;
      sum2 += l * l;
      near.forEach(([cr, cg, cb], i) => {
        if (Math.abs(r - cr) + Math.abs(g - cg) + Math.abs(b - cb) <= tolerance) counts[i]!++;
      });
    }
  }
  const mean = n ? sum / n : 0;
  return { pixels: n, variance: n ? sum2 / n - mean * mean : 0, near: counts };
}
