using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit;

namespace SafetyNet.Grains.Evidence;

/// <summary>
/// Every Evidence:SweepInterval, deletes the exports older than Evidence:RetentionPeriod and writes evidence-deleted. Each
/// node sweeps; an export is claimed by renaming its folder, which one node wins, so its deletion is written once. A node
/// that stops between the ledger entry and the last file finishes the deletion on its next sweep (the entry is not repeated;
/// stopping between the claim and the entry writes it then).
/// </summary>
/// <param name="keys">Taken so that the evidence key is loaded (or created) when the node starts, and a bad key file stops it then.</param>
public sealed class EvidenceSweeper(EvidenceStore store, IAuditLedger audit, IOptions<EvidenceOptions> options, TimeProvider clock,
    EvidenceKeys keys, ILogger<EvidenceSweeper> logger) : BackgroundService
{
    private const string LedgeredMarker = ".ledgered";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Evidence exports are signed with key {KeyId} and kept {Retention} in {Directory}", keys.PublicKey.KeyId,
            options.Value.RetentionPeriod, store.Root);
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        do
        {
            try
            {
                await SweepAsync();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogError(e, "Sweeping expired evidence in {Directory} failed; retrying at the next sweep", store.Root);
            }
        } while (await NextTickAsync(timer, stoppingToken));
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <returns>How many exports this sweep deleted.</returns>
    public async Task<int> SweepAsync()
    {
        var now = clock.GetUtcNow();
        foreach (var unfinished in store.UnfinishedDeletions()) await FinishDeletionAsync(unfinished, now);
        var deleted = 0;
        foreach (var id in store.ExportIds().ToList())
        {
            if (store.ManifestOf(id) is not { } manifest || manifest.ExportedAt + options.Value.RetentionPeriod > now) continue;
            if (store.TryClaimForDeletion(id) is not { } claimed) continue;
            await FinishDeletionAsync(claimed, now);
            deleted++;
        }
        return deleted;
    }

    private async Task FinishDeletionAsync(string claimed, DateTimeOffset now)
    {
        if (!File.Exists(Path.Combine(claimed, LedgeredMarker)))
        {
            var manifestPath = Path.Combine(claimed, EvidenceManifest.FileName);
            var manifest = File.Exists(manifestPath) ? EvidenceManifest.Parse(await File.ReadAllBytesAsync(manifestPath), out _) : null;
            await audit.AppendAsync(new AuditEntry(now, AuditKinds.EvidenceDeleted, "delete", "retention-period-ended", manifest?.CameraId,
                manifest?.Exporter.AgencyId, IncidentId: manifest?.IncidentId, Actor: "evidence-retention",
                Details: JsonSerializer.Serialize(new
                {
                    exportId = manifest?.ExportId ?? Path.GetFileName(claimed), manifestSha256 = manifest?.Sha256(), manifest?.ExportedAt,
                    retentionPeriod = options.Value.RetentionPeriod.ToString("c"),
                }, Json),
                DistrictCode: manifest?.DistrictCode, Purpose: manifest?.Purpose));
            await File.WriteAllTextAsync(Path.Combine(claimed, LedgeredMarker), "");
        }
        Directory.Delete(claimed, recursive: true);
        logger.LogInformation("Deleted expired evidence {Folder}", Path.GetFileName(claimed));
    }
}
