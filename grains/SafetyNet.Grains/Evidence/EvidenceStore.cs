using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace SafetyNet.Grains.Evidence;

/// <summary>
/// The exports on disk: {Evidence:Directory}/{exportId}/ holding manifest.json, manifest.sig and the media. An export
/// appears whole (built in a hidden folder, then renamed) and is claimed for deletion by a rename, which one node wins.
/// </summary>
public sealed partial class EvidenceStore(IOptions<EvidenceOptions> options)
{
    private const string Building = ".building-";
    private const string Deleting = ".deleting-";

    public string Root { get; } = Path.GetFullPath(options.Value.Directory);

    public static string NewId() => $"ev-{Guid.NewGuid():N}";

    public static bool IsExportId(string? id) => id is not null && ExportId().IsMatch(id);

    /// <summary>Only the manifest, its signature and the media names a manifest may list are ever served.</summary>
    public static bool IsBundleFileName(string? name) => name is not null && FileName().IsMatch(name);

    /// <summary>A hidden folder to build an export in; <see cref="Publish"/> makes it visible under its id.</summary>
    public string BeginBuild(string exportId)
    {
        var folder = Path.Combine(Root, Building + exportId);
        Directory.CreateDirectory(folder);
        return folder;
    }

    public void Publish(string buildFolder, string exportId) => Directory.Move(buildFolder, Path.Combine(Root, exportId));

    public static void Abandon(string buildFolder)
    {
        if (Directory.Exists(buildFolder)) Directory.Delete(buildFolder, recursive: true);
    }

    public string? FolderOf(string exportId)
    {
        if (!IsExportId(exportId)) return null;
        var folder = Path.Combine(Root, exportId);
        return Directory.Exists(folder) ? folder : null;
    }

    public string? FileOf(string exportId, string name) =>
        IsBundleFileName(name) && FolderOf(exportId) is { } folder && File.Exists(Path.Combine(folder, name)) ? Path.Combine(folder, name) : null;

    public EvidenceManifest? ManifestOf(string exportId) =>
        FileOf(exportId, EvidenceManifest.FileName) is { } path ? EvidenceManifest.Parse(File.ReadAllBytes(path), out _) : null;

    public IEnumerable<string> ExportIds() =>
        Directory.Exists(Root) ? Directory.EnumerateDirectories(Root).Select(f => Path.GetFileName(f)).Where(IsExportId) : [];

    /// <summary>Takes the export out of service for deletion; false when another node (or an earlier sweep) already did.</summary>
    public string? TryClaimForDeletion(string exportId)
    {
        var claimed = Path.Combine(Root, Deleting + exportId);
        try
        {
            Directory.Move(Path.Combine(Root, exportId), claimed);
            return claimed;
        }
        catch (Exception e) when (e is DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }

    /// <summary>Claimed folders whose deletion did not finish (the node stopped mid-way): their ledger entry is written, only the files remain.</summary>
    public IEnumerable<string> UnfinishedDeletions() =>
        Directory.Exists(Root) ? Directory.EnumerateDirectories(Root, Deleting + "*") : [];

    [GeneratedRegex("^ev-[0-9a-f]{32}$")]
    private static partial Regex ExportId();

    [GeneratedRegex(@"^(manifest\.json|manifest\.sig|clip\.mp4|snapshot\.jpg)$")]
    private static partial Regex FileName();
}
