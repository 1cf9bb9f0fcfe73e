using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SafetyNet.Contracts.Audit;

namespace SafetyNet.Grains.Audit.Archive;

/// <summary>
/// Feeds the archived rows (1 up to the database's horizon) into a <see cref="LedgerVerifier"/> ahead of the live table, from
/// the signed archive files: each manifest must be signed by a trusted key, its file must have the SHA-256 it names, and
/// its rows must chain on from the file before. What is missing, altered or out of place is named by its file.
/// </summary>
public static class ArchivedLedger
{
    /// <summary>False once a problem is reported to <paramref name="verifier"/>.</summary>
    public static bool Feed(LedgerVerifier verifier, string? directory, CheckpointKeyRing ring, IReadOnlyList<ArchivedRange> ranges)
    {
        var horizon = ranges.Count == 0 ? 0 : ranges[^1].LastSeq;
        if (horizon == 0) return true;
        if (string.IsNullOrWhiteSpace(directory) || !Directory.Exists(directory))
            return verifier.Fail(1, $"Rows 1–{horizon} were archived (the database's archive horizon), but the archive directory " +
                $"'{directory}' is not there: verify needs it (Retention:ArchiveDirectory, or audit-verify --archive DIR).");

        var manifests = new List<ArchiveManifest>();
        foreach (var path in Directory.EnumerateFiles(directory, "*" + ArchiveManifest.Suffix))
        {
            ArchiveManifest? manifest = null;
            try { manifest = JsonSerializer.Deserialize<ArchiveManifest>(File.ReadAllBytes(path), ArchiveJson.Options); }
            catch (JsonException) { }
            if (manifest is not { File: not null, Month: not null, FirstPrevHash: not null, LastHash: not null, Sha256: not null, KeyId: not null, Signature: not null })
                return verifier.Fail(verifier.NextSeq, $"The archive manifest {Path.GetFileName(path)} is not readable: it was altered or damaged.");
            if (manifest.FirstSeq <= horizon) manifests.Add(manifest);
        }

        foreach (var manifest in manifests.OrderBy(m => m.FirstSeq))
        {
            if (manifest.FirstSeq > verifier.NextSeq) return Missing(verifier, directory, ranges, verifier.NextSeq, manifest.FirstSeq - 1);
            if (manifest.FirstSeq < verifier.NextSeq || manifest.LastSeq > horizon)
                return verifier.Fail(manifest.FirstSeq, $"The archive {manifest.File} claims rows {manifest.FirstSeq}–{manifest.LastSeq}, which overlap " +
                    $"another archive or run past the archive horizon (row {horizon}): it was added or altered.");
            if (!FeedFile(verifier, directory, ring, manifest)) return false;
        }
        return verifier.NextSeq > horizon || Missing(verifier, directory, ranges, verifier.NextSeq, horizon);
    }

    private static bool FeedFile(LedgerVerifier verifier, string directory, CheckpointKeyRing ring, ArchiveManifest manifest)
    {
        var name = manifest.File;
        if (!ring.Trusts(manifest.KeyId))
            return verifier.Fail(manifest.FirstSeq, $"The archive {name} is signed by key {manifest.KeyId}, which is not trusted here (add its public key to Audit:TrustedPublicKeys).");
        if (!ring.Verifies(manifest.KeyId, manifest.Payload(), manifest.Signature))
            return verifier.Fail(manifest.FirstSeq, $"The manifest of archive {name} has a bad signature: it was forged or altered.");
        var path = Path.Combine(directory, name);
        if (Path.GetFileName(name) != name || !File.Exists(path))
            return verifier.Fail(manifest.FirstSeq, $"The archive file {name} (rows {manifest.FirstSeq}–{manifest.LastSeq}, {manifest.Month}) is missing; only its manifest is left.");
        using (var file = File.OpenRead(path))
            if (Convert.ToHexStringLower(SHA256.HashData(file)) != manifest.Sha256)
                return verifier.Fail(manifest.FirstSeq, $"The archive file {name} was altered: its SHA-256 does not match its signed manifest (rows {manifest.FirstSeq}–{manifest.LastSeq}).");

        verifier.Reading = name;
        AuditRecord? last = null;
        try
        {
            foreach (var record in ReadRows(path))
            {
                if (!verifier.Observe(record)) return false;
                last = record;
            }
        }
        catch (Exception e) when (e is InvalidDataException or JsonException)
        {
            return verifier.Fail(verifier.NextSeq, $"Row {verifier.NextSeq} cannot be read: the file is damaged ({e.Message}).");
        }
        if (last is null || last.Seq != manifest.LastSeq || last.Hash != manifest.LastHash)
            return verifier.Fail(verifier.NextSeq, $"The file ends at row {last?.Seq ?? 0}, but its signed manifest says it holds rows {manifest.FirstSeq}–{manifest.LastSeq}.");
        verifier.Reading = null;
        return true;
    }

    public static IEnumerable<AuditRecord> ReadRows(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress), Encoding.UTF8);
        while (reader.ReadLine() is { } line)
            if (line.Length > 0)
                yield return JsonSerializer.Deserialize<AuditRecord>(line, ArchiveJson.Options) ?? throw new InvalidDataException("a line is not an audit row");
    }

    private static bool Missing(LedgerVerifier verifier, string directory, IReadOnlyList<ArchivedRange> ranges, long from, long to)
    {
        var recorded = ranges.FirstOrDefault(r => r.LastSeq >= from && r.FirstSeq <= to);
        return verifier.Fail(from, recorded is not null
            ? $"Rows {from}–{to} are neither in a signed archive in {directory} nor in the live table. The database records them as archived in " +
              $"{recorded.File} ({recorded.Month}): that file was removed with its manifest, or the archive horizon was moved to delete live rows."
            : $"Rows {from}–{to} are neither in a signed archive in {directory} nor in the live table: they were deleted.");
    }
}
