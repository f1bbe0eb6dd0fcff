"""Checks a PNG screenshot of the HTML report: decodes it (stdlib only)
and counts the pixels of the report's bar colour, so that a page whose
charts did not render fails. Usage: check_screenshot.py FILE MIN_PIXELS"""
import struct
import sys
import zlib

BAR = (0x00, 0x72, 0xB2)  # the first colour of scanner/stats/svg_chart.cc


def pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xFF
            elif f == 2:
                line[i] = (line[i] + b) & 0xFF
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def main():
    width, height, bpp, rows = pixels(sys.argv[1])
    bar = 0
    colours = set()
    for row in rows:
        for x in range(0, width * bpp, bpp):
            px = tuple(row[x:x + 3])
            colours.add(px)
            if px == BAR:
                bar += 1
    print(f"{width}x{height}, {len(colours)} colours, {bar} bar pixels")
    assert bar >= int(sys.argv[2]), "the charts' bars are not on the page"
    assert len(colours) > 20, "the page is (nearly) blank"


if __name__ == "__main__":
    main()
