using System.IO.Compression;
using SafetyNet.Contracts.Evidence;

namespace SafetyNet.Grains.Evidence;

/// <summary>
/// An export's files by name, read from its folder or from its zip (flat: manifest.json, manifest.sig, the media). The
/// size limit keeps an uploaded zip from expanding without bound.
/// </summary>
public static class EvidenceBundle
{
    private const int MaxFiles = 16;

    public static Dictionary<string, byte[]> FromDirectory(string folder)
    {
        var files = Directory.EnumerateFiles(folder).Take(MaxFiles + 1).ToList();
        if (files.Count > MaxFiles) throw new InvalidDataException($"an evidence bundle holds at most {MaxFiles} files");
        return files.ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes, StringComparer.Ordinal);
    }

    /// <exception cref="InvalidDataException">Not a zip, nested folders, too many files, or too large.</exception>
    public static Dictionary<string, byte[]> FromZip(Stream zip)
    {
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        if (archive.Entries.Count > MaxFiles) throw new InvalidDataException($"an evidence bundle holds at most {MaxFiles} files");
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        long total = 0;
        foreach (var entry in archive.Entries)
        {
            if (entry.FullName.EndsWith('/')) continue;
            if (entry.FullName.Contains('/') || entry.FullName.Contains('\\')) throw new InvalidDataException($"'{entry.FullName}' is in a folder; a bundle is flat");
            total += entry.Length;
            if (total > EvidenceLimits.MaxBundleBytes) throw new InvalidDataException($"the bundle expands to more than {EvidenceLimits.MaxBundleBytes / 1024 / 1024} MB");
            using var content = entry.Open();
            using var buffer = new MemoryStream();
            content.CopyTo(buffer);
            if (!files.TryAdd(entry.FullName, buffer.ToArray())) throw new InvalidDataException($"'{entry.FullName}' appears twice");
        }
        return files;
    }

    /// <summary>The folder as a zip; media is already compressed, so entries are stored.</summary>
    public static byte[] ToZip(string folder)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
                archive.CreateEntryFromFile(file, Path.GetFileName(file), CompressionLevel.NoCompression);
        return output.ToArray();
    }
}
