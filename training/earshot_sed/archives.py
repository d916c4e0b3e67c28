"""Readers for archives inside Debian packages: zip files (0ad's public.zip, warzone2100's .wz,
trigger-rally's data.zip, openarena's .pk3) and Qt resource files (gcompris-qt's .rcc)."""
import io
import struct
import zipfile
import zlib


def rcc_members(data):
    """{path: bytes} of a Qt binary resource file (format versions 1-3; zlib-compressed entries)."""
    if data[:4] != b"qres":
        raise ValueError("not a Qt resource file")
    version, tree, payload, names = struct.unpack(">IIII", data[4:20])
    node_size = 14 if version == 1 else 22

    def name(off):
        n = struct.unpack(">H", data[names + off:names + off + 2])[0]
        return data[names + off + 6:names + off + 6 + 2 * n].decode("utf-16-be")

    out = {}

    def walk(i, prefix):
        base = tree + i * node_size
        name_off, flags = struct.unpack(">IH", data[base:base + 6])
        here = name(name_off) if i else ""
        if flags & 2:     # directory: children are nodes first..first+count-1
            count, first = struct.unpack(">II", data[base + 6:base + 14])
            for c in range(first, first + count):
                walk(c, f"{prefix}{here}/" if i else "")
            return
        off = struct.unpack(">I", data[base + 10:base + 14])[0]
        size = struct.unpack(">I", data[payload + off:payload + off + 4])[0]
        blob = data[payload + off + 4:payload + off + 4 + size]
        if flags & 1:
            blob = zlib.decompress(blob[4:])     # 4-byte uncompressed size, then zlib
        elif flags & 4:
            raise ValueError(f"{prefix}{here}: zstd-compressed resource not supported")
        out[prefix + here] = blob

    walk(0, "")
    return out


def archive_members(archive_name, data):
    """{member path: bytes reader} for a zip-like archive or a Qt .rcc file."""
    if archive_name.endswith(".rcc"):
        members = rcc_members(data)
        return list(members), members.__getitem__
    z = zipfile.ZipFile(io.BytesIO(data))
    return z.namelist(), z.read
