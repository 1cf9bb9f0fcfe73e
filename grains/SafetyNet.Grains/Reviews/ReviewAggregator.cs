using System.Text.Json;
using SafetyNet.Contracts.Audit;

namespace SafetyNet.Grains.Reviews;

/// <summary>
/// The review's counting, free of I/O. A view is a lease opened (kind lease, outcome allow) or a snapshot taken; a
/// lease lasts from its allow row to the first end or revocation row naming its lease id, else to its last known expiry
/// (from its allow or renew rows), cut at the end of the month. A view row (the first playlist fetch) marks the lease
/// as played. Views belong to the month their lease opened.
/// </summary>
public static class ReviewAggregator
{
    public sealed record Month(string District, DateTimeOffset From, DateTimeOffset To, DateTimeOffset Now);

    /// <param name="records">The district's rows that occurred in the month, any order.</param>
    /// <param name="districtFlags">The district's misuse-flag rows up to the month's end (to resolve acknowledgements of older flags).</param>
    /// <param name="acknowledgements">Flag-acknowledged rows that occurred in the month, of any district.</param>
    public static (ReviewTotals Totals, IReadOnlyList<ReviewViewing> Viewings, IReadOnlyList<AgencyViews> ByAgency, ReviewFlags Flags) Aggregate(
        Month month, IEnumerable<AuditRecord> records, IEnumerable<AuditRecord> districtFlags, IEnumerable<AuditRecord> acknowledgements)
    {
        var rows = records.OrderBy(r => r.Seq).ToList();
        var viewings = Viewings(month, rows);
        var byAgency = viewings
            .GroupBy(v => v.AgencyId ?? "")
            .Select(g => new AgencyViews(g.Key, g.Count(), g.Count(v => v.Kind == AuditKinds.Lease), g.Count(v => v.Kind == AuditKinds.Snapshot),
                g.Sum(v => v.DurationSeconds ?? 0), g.Select(v => v.CameraId).Distinct().Count()))
            .OrderByDescending(a => a.Views).ThenBy(a => a.AgencyId, StringComparer.Ordinal)
            .ToList();
        var denied = rows.Count(r => r.Entry.Outcome == "deny" && r.Entry.Kind is AuditKinds.AccessDecision or AuditKinds.Lease or AuditKinds.Snapshot);
        var totals = new ReviewTotals(viewings.Count, viewings.Count(v => v.Kind == AuditKinds.Lease), viewings.Count(v => v.Kind == AuditKinds.Snapshot),
            viewings.Count(v => v.Played), denied, viewings.Sum(v => v.DurationSeconds ?? 0), viewings.Select(v => v.CameraId).Distinct().Count(), byAgency.Count);
        return (totals, viewings, byAgency, Flags(month, districtFlags, acknowledgements));
    }

    private static List<ReviewViewing> Viewings(Month month, List<AuditRecord> rows)
    {
        var leases = new Dictionary<string, LeaseTrail>(StringComparer.Ordinal);
        var viewings = new List<(ReviewViewing? Snapshot, LeaseTrail? Lease)>();
        foreach (var record in rows)
        {
            var e = record.Entry;
            var leaseId = Field(e.Details, "leaseId");
            switch (e.Kind, e.Outcome)
            {
                case (AuditKinds.Lease, "allow") when leaseId is not null && !leases.ContainsKey(leaseId):
                    var trail = new LeaseTrail(record, leaseId) { Expires = Time(Field(e.Details, "expiresAt")) };
                    leases[leaseId] = trail;
                    viewings.Add((null, trail));
                    break;
                case (AuditKinds.Lease, "renew") when leaseId is not null && leases.TryGetValue(leaseId, out var renewed):
                    renewed.Expires = Time(Field(e.Details, "expiresAt")) ?? renewed.Expires;
                    break;
                case (AuditKinds.Lease, "end") or (AuditKinds.Revocation, "revoke") when leaseId is not null && leases.TryGetValue(leaseId, out var ended) && ended.End is null:
                    ended.End = e.OccurredAt;
                    ended.EndedBy = e.Kind == AuditKinds.Lease ? "end" : $"revoke:{e.Reason}";
                    break;
                case (AuditKinds.View, "allow") when leaseId is not null && leases.TryGetValue(leaseId, out var played):
                    played.Played = true;
                    break;
                case (AuditKinds.Snapshot, "allow"):
                    viewings.Add((new ReviewViewing(record.Seq, e.Kind, null, e.CameraId, e.AgencyId, e.Actor, Field(e.Details, "grant") ?? e.Reason,
                        e.IncidentId, e.Purpose, e.Justification, e.OccurredAt, e.OccurredAt, "snapshot", 0, true), null));
                    break;
            }
        }
        return viewings.Select(v => v.Snapshot ?? v.Lease!.ToViewing(month)).ToList();
    }

    private static ReviewFlags Flags(Month month, IEnumerable<AuditRecord> districtFlags, IEnumerable<AuditRecord> acknowledgements)
    {
        var flags = new Dictionary<string, AuditRecord>(StringComparer.Ordinal);
        foreach (var flag in districtFlags.OrderBy(r => r.Seq))
            if (Field(flag.Entry.Details, "flagId") is { } id) flags.TryAdd(id, flag);
        var resolved = new Dictionary<string, AuditRecord>(StringComparer.Ordinal);
        foreach (var ack in acknowledgements.OrderBy(r => r.Seq))
            if (Field(ack.Entry.Details, "flagId") is { } id && flags.ContainsKey(id)) resolved.TryAdd(id, ack);
        bool InMonth(AuditRecord r) => r.Entry.OccurredAt >= month.From && r.Entry.OccurredAt < month.To;
        var items = flags
            .Where(f => InMonth(f.Value) || resolved.ContainsKey(f.Key))
            .Select(f =>
            {
                var ack = resolved.GetValueOrDefault(f.Key);
                return new ReviewFlag(f.Key, f.Value.Entry.Reason ?? Field(f.Value.Entry.Details, "rule"), f.Value.Seq, f.Value.Entry.OccurredAt, InMonth(f.Value),
                    ack?.Entry.OccurredAt, ack?.Entry.Actor);
            })
            .OrderBy(f => f.Seq)
            .ToList();
        return new ReviewFlags(items.Count(f => f.RaisedInMonth), resolved.Count, items);
    }

    private static string? Field(string? json, string name)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(name, out var value)) return null;
            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Null => null,
                _ => value.ToString(),
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DateTimeOffset? Time(string? text) => DateTimeOffset.TryParse(text, out var time) ? time : null;

    private sealed class LeaseTrail(AuditRecord opened, string leaseId)
    {
        public DateTimeOffset? Expires { get; set; }
        public DateTimeOffset? End { get; set; }
        public string EndedBy { get; set; } = "";
        public bool Played { get; set; }

        public ReviewViewing ToViewing(Month month)
        {
            var e = opened.Entry;
            var (end, endedBy) = (End, EndedBy) switch
            {
                ({ } ended, _) when ended > month.To => ((DateTimeOffset?)month.To, "month-end"),
                ({ } ended, var by) => (ended, by),
                (null, _) when Expires is { } expires && expires > month.To => (month.To, "month-end"),
                (null, _) when Expires is { } expires && expires <= month.Now => (expires, "expiry"),
                _ => ((DateTimeOffset?)null, "open"),
            };
            return new ReviewViewing(opened.Seq, e.Kind, leaseId, e.CameraId, e.AgencyId, e.Actor, e.Reason, e.IncidentId, e.Purpose, e.Justification,
                e.OccurredAt, end, endedBy, end is { } until ? (long)Math.Max(0, (until - e.OccurredAt).TotalSeconds) : null, Played);
        }
    }
}
