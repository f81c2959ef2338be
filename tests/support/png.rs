//! A small PNG reader for the screenshots of the browser tests: 8-bit RGB or RGBA, not
//! interlaced (what chromium writes), with its own inflate, since the tests add no crate for
//! it.

/// Decoded pixels.
pub struct Image {
    pub width: usize,
    pub height: usize,
    channels: usize,
    data: Vec<u8>,
}

impl Image {
    pub fn rgb(&self, x: usize, y: usize) -> (u8, u8, u8) {
        let i = (y * self.width + x) * self.channels;
        (self.data[i], self.data[i + 1], self.data[i + 2])
    }
}

pub fn decode(bytes: &[u8]) -> Image {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let (mut width, mut height, mut channels) = (0, 0, 0);
    let mut idat = Vec::new();
    let mut pos = 8;
    while pos + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[pos..pos + 4].try_into().unwrap()) as usize;
        let kind = &bytes[pos + 4..pos + 8];
        let body = &bytes[pos + 8..pos + 8 + len];
        match kind {
            b"IHDR" => {
                width = u32::from_be_bytes(body[0..4].try_into().unwrap()) as usize;
                height = u32::from_be_bytes(body[4..8].try_into().unwrap()) as usize;
                assert_eq!(body[8], 8, "bit depth");
                channels = match body[9] {
                    2 => 3,
                    6 => 4,
                    c => panic!("PNG colour type {c} not supported"),
                };
                assert_eq!(body[12], 0, "interlaced PNG not supported");
            }
            b"IDAT" => idat.extend_from_slice(body),
            b"IEND" => break,
            _ => {}
        }
        pos += 12 + len;
    }
    let raw = inflate(&idat[2..]); // after the zlib header
    let stride = width * channels;
    assert!(raw.len() >= height * (stride + 1), "PNG data too short");
    let mut data = vec![0u8; height * stride];
    for y in 0..height {
        let filter = raw[y * (stride + 1)];
        let line = &raw[y * (stride + 1) + 1..(y + 1) * (stride + 1)];
        for i in 0..stride {
            let a = if i >= channels {
                data[y * stride + i - channels]
            } else {
                0
            };
            let b = if y > 0 { data[(y - 1) * stride + i] } else { 0 };
            let c = if y > 0 && i >= channels {
                data[(y - 1) * stride + i - channels]
            } else {
                0
            };
            let predicted = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                4 => {
                    let p = i16::from(a) + i16::from(b) - i16::from(c);
                    let (pa, pb, pc) = (
                        (p - i16::from(a)).abs(),
                        (p - i16::from(b)).abs(),
                        (p - i16::from(c)).abs(),
                    );
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                f => panic!("PNG filter {f}"),
            };
            data[y * stride + i] = line[i].wrapping_add(predicted);
        }
    }
    Image {
        width,
        height,
        channels,
        data,
    }
}

struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    buf: u64,
    cnt: u32,
}

impl Bits<'_> {
    fn need(&mut self, n: u32) -> u32 {
        while self.cnt < n {
            let b = *self.data.get(self.pos).expect("deflate stream cut short");
            self.pos += 1;
            self.buf |= u64::from(b) << self.cnt;
            self.cnt += 8;
        }
        let v = (self.buf & ((1u64 << n) - 1)) as u32;
        self.buf >>= n;
        self.cnt -= n;
        v
    }
}

/// Canonical Huffman code: count of codes per length, symbols by code.
struct Huffman {
    counts: [u16; 16],
    symbols: Vec<u16>,
}

fn huffman(lengths: &[u8]) -> Huffman {
    let mut counts = [0u16; 16];
    for &l in lengths {
        counts[usize::from(l)] += 1;
    }
    counts[0] = 0;
    let mut offsets = [0u16; 16];
    for l in 1..15 {
        offsets[l + 1] = offsets[l] + counts[l];
    }
    let mut symbols = vec![0u16; lengths.len()];
    for (s, &l) in lengths.iter().enumerate() {
        if l != 0 {
            symbols[usize::from(offsets[usize::from(l)])] = s as u16;
            offsets[usize::from(l)] += 1;
        }
    }
    Huffman { counts, symbols }
}

fn decode_symbol(bits: &mut Bits, h: &Huffman) -> usize {
    let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
    for len in 1..16 {
        code |= bits.need(1) as i32;
        let count = i32::from(h.counts[len]);
        if code - count < first {
            return usize::from(h.symbols[(index + code - first) as usize]);
        }
        index += count;
        first = (first + count) << 1;
        code <<= 1;
    }
    panic!("bad Huffman code in the PNG");
}

const LBASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEXT: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DBASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DEXT: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// Inflates a raw deflate stream (RFC 1951).
fn inflate(data: &[u8]) -> Vec<u8> {
    let mut bits = Bits {
        data,
        pos: 0,
        buf: 0,
        cnt: 0,
    };
    let mut out = Vec::new();
    loop {
        let last = bits.need(1) == 1;
        match bits.need(2) {
            0 => {
                bits.buf = 0;
                bits.cnt = 0;
                let p = bits.pos;
                let len = usize::from(u16::from_le_bytes([data[p], data[p + 1]]));
                out.extend_from_slice(&data[p + 4..p + 4 + len]);
                bits.pos = p + 4 + len;
            }
            1 => {
                let mut l = [8u8; 288];
                l[144..256].fill(9);
                l[256..280].fill(7);
                codes(&mut bits, &mut out, &huffman(&l), &huffman(&[5u8; 30]));
            }
            2 => {
                let nlen = bits.need(5) as usize + 257;
                let ndist = bits.need(5) as usize + 1;
                let ncode = bits.need(4) as usize + 4;
                const ORDER: [usize; 19] = [
                    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
                ];
                let mut cl = [0u8; 19];
                for &o in &ORDER[..ncode] {
                    cl[o] = bits.need(3) as u8;
                }
                let clh = huffman(&cl);
                let mut lengths = Vec::with_capacity(nlen + ndist);
                while lengths.len() < nlen + ndist {
                    let sym = decode_symbol(&mut bits, &clh);
                    let (value, times) = match sym {
                        0..=15 => (sym as u8, 1),
                        16 => (
                            *lengths.last().expect("repeat with no length"),
                            3 + bits.need(2),
                        ),
                        17 => (0, 3 + bits.need(3)),
                        _ => (0, 11 + bits.need(7)),
                    };
                    lengths.extend(std::iter::repeat_n(value, times as usize));
                }
                codes(
                    &mut bits,
                    &mut out,
                    &huffman(&lengths[..nlen]),
                    &huffman(&lengths[nlen..]),
                );
            }
            _ => panic!("bad deflate block type"),
        }
        if last {
            return out;
        }
    }
}

fn codes(bits: &mut Bits, out: &mut Vec<u8>, lens: &Huffman, dists: &Huffman) {
    loop {
        let sym = decode_symbol(bits, lens);
        if sym < 256 {
            out.push(sym as u8);
        } else if sym == 256 {
            return;
        } else {
            let s = sym - 257;
            let len = usize::from(LBASE[s]) + bits.need(u32::from(LEXT[s])) as usize;
            let d = decode_symbol(bits, dists);
            let dist = usize::from(DBASE[d]) + bits.need(u32::from(DEXT[d])) as usize;
            let start = out.len() - dist;
            for k in 0..len {
                out.push(out[start + k]);
            }
        }
    }
}
