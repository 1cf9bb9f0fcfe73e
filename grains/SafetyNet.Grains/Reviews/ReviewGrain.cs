using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Reviews;
using SafetyNet.Grains.Audit;

namespace SafetyNet.Grains.Reviews;

[StatelessWorker]
public sealed class ReviewGrain(ReviewProducer producer, ReviewStore store, CheckpointKeys keys, LedgerVerification verification, IAuditLedger audit,
    IServedDistricts served, TimeProvider clock, ILogger<ReviewGrain> logger) : Grain, IReviewGrain
{
    public async Task<ReviewDownload> GetAsync(ReviewRequest request)
    {
        if (!served.Serves(request.District)) throw DomainException.NotFound(served.NoSuchDistrict(request.District));
        if (!ReviewMonths.TryParse(request.Month, out var start)) throw DomainException.Invalid($"'{request.Month}' is not a month: write it as yyyy-MM, e.g. 2026-03.");
        if (start > clock.GetUtcNow()) throw DomainException.Invalid($"{request.Month} has not begun yet; a review covers a month that has begun.");
        if (!ReviewFormats.All.Contains(request.Format)) throw DomainException.Invalid("format must be html, csv or json.");
        if (request.Lang is not ("ko" or "en")) throw DomainException.Invalid("lang must be ko or en.");

        var stored = await store.GetAsync(request.District, request.Month);
        var produced = stored is null ? await producer.ProduceAsync(request.District, request.Month, ReviewReport.OnDemand, request.AgencyId, request.Actor) : null;
        var review = stored ?? produced!.Review;
        if (stored is not null)
            await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.AuditExport, "allow", $"review-{request.Format}", AgencyId: request.AgencyId,
                Actor: request.Actor, DistrictCode: request.District, Details: JsonSerializer.Serialize(new { month = request.Month, sha256 = review.Sha256 })));
        return Render(review, request, produced?.Interim ?? false);
    }

    public Task<ReviewVerification> VerifyAsync(byte[] document, string? detachedSignature) =>
        Task.FromResult(ReviewSignatures.Verify(keys.Ring, document, detachedSignature));

    public async Task<int> ProduceMissingAsync(string month)
    {
        ChainVerification? chain = null;
        var produced = 0;
        foreach (var district in served.Codes)
        {
            if (await store.GetAsync(district, month) is not null) continue;
            chain ??= await verification.VerifyAsync();
            if ((await producer.ProduceAsync(district, month, ReviewReport.Automatic, null, "safetynet-review-schedule", chain)).New) produced++;
        }
        if (produced > 0) logger.LogInformation("Produced {Count} monthly review reports for {Month}", produced, month);
        return produced;
    }

    private ReviewDownload Render(StoredReview review, ReviewRequest request, bool interim)
    {
        var name = $"safetynet-review-{review.District}-{review.Month}";
        if (request.Format == ReviewFormats.Json)
            return new ReviewDownload(review.Document, "application/json", $"{name}.json", review.Signature, review.Sha256, interim, review.Trigger);
        var report = ReviewJson.Deserialize(review.Document);
        var (content, type, file) = request.Format == ReviewFormats.Csv
            ? (ReviewCsv.Render(report, review.Sha256, review.Signature), "text/csv; charset=utf-8", $"{name}.csv")
            : (ReviewHtml.Render(report, request.Lang, review.Sha256, review.Signature), "text/html; charset=utf-8", $"{name}-{request.Lang}.html");
        var signed = ReviewSignatures.WithSignatureLine(keys.Signer, request.Format, content, out var signature);
        return new ReviewDownload(signed, type, file, signature, review.Sha256, interim, review.Trigger);
    }
}
