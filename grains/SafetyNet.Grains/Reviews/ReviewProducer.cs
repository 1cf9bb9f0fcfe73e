using System.Security.Cryptography;
using System.Text.Json;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Reviews;
using SafetyNet.Grains.Audit;

namespace SafetyNet.Grains.Reviews;

/// <summary>
/// Produces a district's report for a month from the ledger, signs its canonical JSON with the node's checkpoint key,
/// stores it when the month is over, and records the production in the ledger (kind review-report).
/// </summary>
public sealed class ReviewProducer(AuditStore ledger, LedgerVerification verification, CheckpointKeys keys, IAuditLedger audit, ReviewStore store,
    IServedDistricts served, TimeProvider clock)
{
    private const int PageSize = 1000;

    public sealed record Produced(StoredReview Review, bool Interim, bool New);

    /// <param name="chain">The ledger's verification when the caller has one already (one check for all districts of a month).</param>
    public async Task<Produced> ProduceAsync(string district, string month, string trigger, string? agencyId, string producedBy, ChainVerification? chain = null)
    {
        var (from, to) = ReviewMonths.Bounds(month);
        var now = clock.GetUtcNow();
        var interim = to > now;
        var records = await ReadAllAsync(new AuditQuery(null, null, null, null, from, to, 1, PageSize, DistrictCode: district));
        var districtFlags = await ReadAllAsync(new AuditQuery(null, null, null, null, null, to, 1, PageSize, Kind: AuditKinds.MisuseFlag, DistrictCode: district));
        var acknowledgements = await ReadAllAsync(new AuditQuery(null, null, null, null, from, to, 1, PageSize, Kind: AuditKinds.FlagAcknowledged));
        var (totals, viewings, byAgency, flags) = ReviewAggregator.Aggregate(new ReviewAggregator.Month(district, from, to, now), records, districtFlags, acknowledgements);
        var seqs = records.Select(r => r.Seq).ToList();
        var checkedChain = ReviewChainCheck.For(chain ?? await verification.VerifyAsync(), seqs.Count > 0 ? seqs.Min() : null, seqs.Count > 0 ? seqs.Max() : null);
        var names = served.NameOf(district);
        var report = new ReviewReport(ReviewReport.FormatName, district, names?.Name ?? district, names?.NameEnglish ?? district, month, from, to,
            AuditChain.Truncate(now), trigger, interim, producedBy, totals, viewings, byAgency, flags, checkedChain);
        var document = ReviewJson.Serialize(report);
        var review = new StoredReview(district, month, report.ProducedAt, trigger, document, Convert.ToHexStringLower(SHA256.HashData(document)),
            ReviewSignatures.Detached(keys.Signer, document));
        if (!interim && !await store.TryAddAsync(review))
            return new Produced(await store.GetAsync(district, month) ?? review, false, false);
        await audit.AppendAsync(new AuditEntry(now, AuditKinds.ReviewReport, "allow", trigger, AgencyId: agencyId, Actor: producedBy, DistrictCode: district,
            Details: JsonSerializer.Serialize(new { month, interim, sha256 = review.Sha256, signature = review.Signature })));
        return new Produced(review, interim, true);
    }

    /// <summary>Every matching row, oldest first, read newest first a page at a time by sequence number.</summary>
    private async Task<List<AuditRecord>> ReadAllAsync(AuditQuery query)
    {
        var all = new List<AuditRecord>();
        while (true)
        {
            var page = await ledger.QueryAsync(query);
            all.AddRange(page.Items);
            if (!page.HasMore) break;
            query = query with { BeforeSeq = page.Items[^1].Seq };
        }
        all.Reverse();
        return all;
    }
}
