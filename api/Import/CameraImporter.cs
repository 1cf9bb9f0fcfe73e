using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts;
using SafetyNet.Api.Contracts;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;

namespace SafetyNet.Api.Import;

/// <summary>
/// Streams validated rows into their districts in batches. Re-running a file updates rather than duplicates (ids are keys);
/// a bad row is reported with its line or feature index and the rest still land.
/// </summary>
public sealed class CameraImporter(IGrainFactory grains, IOptions<StreamUrlOptions> streamUrls, ILogger<CameraImporter> logger)
{
    private const int BatchSize = 1000;
    /// <summary>How many rejected rows a report lists (it counts them all).</summary>
    public const int MaxReportedErrors = 1000;
    private const int ProgressEvery = 5000;

    public async Task<ImportReport> ImportAsync(string format, IAsyncEnumerable<CameraRow> rows, Func<string, bool> mayWriteDistrict, string actor, CancellationToken cancellationToken)
    {
        var spatial = grains.GetGrain<ISpatialQueryGrain>(0);
        var pending = new Dictionary<string, List<CameraInfo>>();
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var errors = new List<ImportRowError>();
        int total = 0, rejected = 0, created = 0, updated = 0;

        async Task Flush(string district)
        {
            var batch = pending[district];
            if (batch.Count == 0) return;
            var outcome = await grains.GetGrain<IDistrictGrain>(district).UpsertCamerasAsync(batch.ToArray());
            created += outcome.Created;
            updated += outcome.Updated;
            batch.Clear();
        }

        void Reject(CameraRow row, ImportRejection rejection)
        {
            rejected++;
            if (errors.Count < MaxReportedErrors) errors.Add(new ImportRowError(row.Row, row.Id is null ? null : EchoedText.Cut(row.Id), rejection.Code, rejection.Reason, rejection.Values));
        }

        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            total++;
            var (camera, rejection) = await CameraRowValidator.ValidateAsync(row, spatial, streamUrls.Value);
            if (camera is null) { Reject(row, rejection!); continue; }
            if (!mayWriteDistrict(camera.DistrictCode)) { Reject(row, ImportRejections.NotYourDistrict(camera.DistrictCode)); continue; }
            if (!seenIds.Add(camera.Id)) { Reject(row, ImportRejections.Repeated(camera.Id)); continue; }
            if (await spatial.FindAsync(camera.Id) is { } existing && existing.DistrictCode != camera.DistrictCode)
            {
                Reject(row, ImportRejections.InOtherDistrict(camera.Id, existing.DistrictCode));
                continue;
            }
            if (!pending.TryGetValue(camera.DistrictCode, out var list)) pending[camera.DistrictCode] = list = new List<CameraInfo>(BatchSize);
            list.Add(camera);
            if (list.Count >= BatchSize) await Flush(camera.DistrictCode);
            if (total % ProgressEvery == 0)
                logger.LogInformation("Import ({Format}) progress: {Rows} rows read, {Rejected} rejected", format, total, rejected);
        }
        foreach (var district in pending.Keys) await Flush(district);
        await spatial.RefreshAsync();

        var report = new ImportReport(format, total, created, updated, rejected, errors);
        logger.LogInformation("Import ({Format}) done: {Rows} rows, {Created} created, {Updated} updated, {Rejected} rejected",
            format, total, created, updated, rejected);
        await grains.GetGrain<IAuditGrain>(0).AppendAsync(new AuditEntry(DateTimeOffset.UtcNow, AuditKinds.Import, Actor: actor,
            Details: JsonSerializer.Serialize(new { report.Format, report.Rows, report.Created, report.Updated, report.Rejected })));
        return report;
    }
}
