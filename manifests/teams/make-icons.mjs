// Regenerates color.png (192×192) and outline.png (32×32) with no dependency: raw RGBA rows,
// zlib-deflated into a minimal PNG. Run: node manifests/teams/make-icons.mjs
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { crc32, deflateSync } from 'node:zlib'

function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

function png(size, pixel) {
  const rows = []
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4) // filter byte 0, then RGBA
    for (let x = 0; x < size; x++) row.set(pixel(x + 0.5, y + 0.5, size), 1 + x * 4)
    rows.push(row)
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr.set([8, 6, 0, 0, 0], 8) // 8-bit, RGBA, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

// A beacon: a dot with two rings radiating from it.
function beacon(x, y, size) {
  const r = Math.hypot(x - size / 2, y - size / 2) / (size / 2)
  return r < 0.18 || (r > 0.38 && r < 0.5) || (r > 0.7 && r < 0.82)
}

const here = dirname(fileURLToPath(import.meta.url))
const BLUE = [0x2a, 0x6f, 0xf3, 0xff]
const WHITE = [0xff, 0xff, 0xff, 0xff]
const CLEAR = [0, 0, 0, 0]
writeFileSync(
  join(here, 'color.png'),
  png(192, (x, y, s) => (beacon(x, y, s) ? WHITE : BLUE)),
)
// Teams requires the outline icon to be white on a transparent background.
writeFileSync(
  join(here, 'outline.png'),
  png(32, (x, y, s) => (beacon(x, y, s) ? WHITE : CLEAR)),
)
