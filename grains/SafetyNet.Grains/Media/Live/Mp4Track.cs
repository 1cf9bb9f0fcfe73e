using System.Buffers.Binary;

namespace SafetyNet.Grains.Media.Live;

/// <summary>What the live path reads from fMP4 boxes: the MSE codec string of an init segment, and whether a fragment starts with a keyframe.</summary>
public static class Mp4Track
{
    /// <summary>Sample flags (14496-12 §8.8.3.1): sample_depends_on is bits 24-25 (2 = depends on nothing), bit 16 is sample_is_non_sync_sample.</summary>
    private const uint NonSyncSample = 0x0001_0000;

    /// <summary>The first video sample entry's box header length in an stsd, then the fixed fields of a VisualSampleEntry before its child boxes.</summary>
    private const int StsdHeader = 8;
    private const int VisualSampleEntryFields = 78;

    /// <summary>"avc1.PPCCLL" from the avcC of the first track, for MediaSource.isTypeSupported and addSourceBuffer; null when it is not H.264.</summary>
    public static string? CodecOf(ReadOnlySpan<byte> init)
    {
        var stsd = Mp4Boxes.Path(init, "moov/trak/mdia/minf/stbl/stsd");
        if (stsd.Length < StsdHeader) return null;
        var entries = stsd[StsdHeader..];
        foreach (var sampleEntry in (string[])["avc1", "avc3"])
        {
            var entry = Mp4Boxes.Child(entries, sampleEntry);
            if (entry.Length < VisualSampleEntryFields) continue;
            var avcC = Mp4Boxes.Child(entry, "avcC", VisualSampleEntryFields);
            if (avcC.Length < 4) return null;
            return $"{sampleEntry}.{avcC[1]:x2}{avcC[2]:x2}{avcC[3]:x2}";
        }
        return null;
    }

    /// <summary>The default sample flags of the first track's trex in an init segment (0 when absent).</summary>
    public static uint DefaultSampleFlags(ReadOnlySpan<byte> init)
    {
        var trex = Mp4Boxes.Path(init, "moov/mvex/trex");
        // version/flags, track_ID, default_sample_description_index, default_sample_duration, default_sample_size, default_sample_flags
        return trex.Length >= 24 ? BinaryPrimitives.ReadUInt32BigEndian(trex[20..]) : 0;
    }

    /// <summary>
    /// Whether the fragment's first sample is a sync sample, by the first flags that apply: trun's first-sample-flags, trun's
    /// own flags of sample one, tfhd's default-sample-flags, then the trex default of the init segment.
    /// </summary>
    public static bool StartsWithKeyframe(ReadOnlySpan<byte> moof, uint trexDefaultFlags)
    {
        var traf = Mp4Boxes.Child(moof, "traf");
        var flags = TrunFirstSampleFlags(Mp4Boxes.Child(traf, "trun")) ?? TfhdDefaultSampleFlags(Mp4Boxes.Child(traf, "tfhd")) ?? trexDefaultFlags;
        var dependsOn = (flags >> 24) & 0x3;
        return dependsOn == 2 || (dependsOn == 0 && (flags & NonSyncSample) == 0);
    }

    private static uint? TfhdDefaultSampleFlags(ReadOnlySpan<byte> tfhd)
    {
        if (tfhd.Length < 8) return null;
        var flags = BinaryPrimitives.ReadUInt32BigEndian(tfhd) & 0xFFFFFF;
        if ((flags & 0x20) == 0) return null;
        var offset = 8 + ((flags & 0x01) != 0 ? 8 : 0) + ((flags & 0x02) != 0 ? 4 : 0) + ((flags & 0x08) != 0 ? 4 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
        return tfhd.Length >= offset + 4 ? BinaryPrimitives.ReadUInt32BigEndian(tfhd[offset..]) : null;
    }

    private static uint? TrunFirstSampleFlags(ReadOnlySpan<byte> trun)
    {
        if (trun.Length < 8) return null;
        var flags = BinaryPrimitives.ReadUInt32BigEndian(trun) & 0xFFFFFF;
        var offset = 8 + ((flags & 0x01) != 0 ? 4 : 0);
        if ((flags & 0x04) != 0) return trun.Length >= offset + 4 ? BinaryPrimitives.ReadUInt32BigEndian(trun[offset..]) : null;
        if ((flags & 0x400) == 0 || BinaryPrimitives.ReadUInt32BigEndian(trun[4..]) == 0) return null;
        // Sample one's record: duration (0x100) and size (0x200) come before its flags.
        offset += ((flags & 0x100) != 0 ? 4 : 0) + ((flags & 0x200) != 0 ? 4 : 0);
        return trun.Length >= offset + 4 ? BinaryPrimitives.ReadUInt32BigEndian(trun[offset..]) : null;
    }
}
