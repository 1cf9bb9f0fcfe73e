using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SafetyNet.Contracts.Audit;

namespace SafetyNet.Grains.Audit.Archive;

/// <summary>
/// Streams one month's rows (one JSON record a line) into a gzip file under a temporary name, then flushes it to disk,
/// renames it into place and writes its signed manifest the same way. A rerun after a crash rewrites both whole; a
/// reader never sees half a file.
/// </summary>
public sealed class ArchiveFileWriter : IDisposable
{
    private readonly string _directory;
    private readonly string _month;
    private readonly AuditRecord _first;
    private readonly string _temporary;
    private readonly FileStream _file;
    private readonly GZipStream _zip;
    private AuditRecord _last;
    private long _rows;

    private ArchiveFileWriter(string directory, string month, AuditRecord first)
    {
        Directory.CreateDirectory(directory);
        (_directory, _month, _first, _last) = (directory, month, first, first);
        _temporary = Path.Combine(directory, $".{ArchiveManifest.FileName(month, first.Seq)}.{Guid.NewGuid():N}.tmp");
        _file = new FileStream(_temporary, FileMode.CreateNew, FileAccess.ReadWrite);
        _zip = new GZipStream(_file, CompressionLevel.Optimal, leaveOpen: true);
        Add(first);
    }

    public string Month => _month;

    public static ArchiveFileWriter Begin(string directory, string month, AuditRecord first) => new(directory, month, first);

    public void Add(AuditRecord record)
    {
        _zip.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, ArchiveJson.Options) + "\n"));
        _last = record;
        _rows++;
    }

    /// <summary>Closes the file, moves it into place and writes its signed manifest; returns the manifest.</summary>
    public ArchiveManifest Complete(CheckpointSigner signer, DateTimeOffset now)
    {
        _zip.Dispose();
        _file.Flush(flushToDisk: true);
        _file.Position = 0;
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(_file));
        _file.Dispose();
        var name = ArchiveManifest.FileName(_month, _first.Seq);
        File.Move(_temporary, Path.Combine(_directory, name), overwrite: true);
        var manifest = ArchiveManifest.Signed(signer, name, _month, _first.Seq, _last.Seq, _first.PrevHash, _last.Hash, _rows, sha256, now);
        WriteDurably(Path.Combine(_directory, name + ArchiveManifest.Suffix), JsonSerializer.SerializeToUtf8Bytes(manifest, ArchiveJson.Indented));
        return manifest;
    }

    public void Dispose()
    {
        _zip.Dispose();
        _file.Dispose();
        if (File.Exists(_temporary)) File.Delete(_temporary);
    }

    private static void WriteDurably(string path, byte[] content)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            file.Write(content);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
