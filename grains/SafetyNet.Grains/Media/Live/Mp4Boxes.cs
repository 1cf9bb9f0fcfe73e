using System.Buffers.Binary;

namespace SafetyNet.Grains.Media.Live;

/// <summary>Reads ISO BMFF boxes (ISO/IEC 14496-12) inside a byte range: what the live path needs of an init segment or a fragment.</summary>
public static class Mp4Boxes
{
    /// <summary>The body of the first box of <paramref name="type"/> directly inside <paramref name="data"/>, or empty.</summary>
    public static ReadOnlySpan<byte> Child(ReadOnlySpan<byte> data, string type, int skip = 0)
    {
        var offset = skip;
        while (offset + 8 <= data.Length)
        {
            var (headerLength, size) = Header(data[offset..]);
            if (size < headerLength || offset + size > data.Length) return [];
            if (TypeIs(data.Slice(offset + 4, 4), type)) return data.Slice(offset + headerLength, (int)size - headerLength);
            offset += (int)size;
        }
        return [];
    }

    /// <summary>The body found by following <paramref name="path"/> ("moov/trak/mdia"), or empty when any step is missing.</summary>
    public static ReadOnlySpan<byte> Path(ReadOnlySpan<byte> data, string path)
    {
        foreach (var type in path.Split('/'))
        {
            data = Child(data, type);
            if (data.IsEmpty) return [];
        }
        return data;
    }

    /// <summary>A box header's length (8, or 16 with a 64-bit size) and the box's whole size (0 meaning "to the end" is not supported).</summary>
    public static (int HeaderLength, long Size) Header(ReadOnlySpan<byte> header)
    {
        var size = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (size != 1) return (8, size);
        return header.Length < 16 ? (16, 0) : (16, (long)BinaryPrimitives.ReadUInt64BigEndian(header[8..]));
    }

    public static bool TypeIs(ReadOnlySpan<byte> fourCc, string type) =>
        fourCc.Length == 4 && fourCc[0] == type[0] && fourCc[1] == type[1] && fourCc[2] == type[2] && fourCc[3] == type[3];
}
