using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Reviews;
using SafetyNet.Grains.Reviews;

namespace SafetyNet.Tests.Reviews;

/// <summary>The review's counting on crafted ledger rows: lease durations, per-agency views, flags.</summary>
public sealed class ReviewAggregatorTests
{
    private const string Jung = "11020";
    private static readonly (DateTimeOffset From, DateTimeOffset To) March = ReviewMonths.Bounds("2026-03");
    private static readonly DateTimeOffset T0 = March.From.AddDays(10);
    private long _seq;

    private AuditRecord Row(DateTimeOffset at, string kind, string? outcome, string? agency = "police-jung", string? camera = "cam-1",
        string? details = null, string? reason = null, string? district = Jung) =>
        new(++_seq, new AuditEntry(at, kind, outcome, reason, camera, agency, "s-1", null, $"{agency}/op", details, district, "emergency-response"), "", "");

    private static string Lease(string id, DateTimeOffset expires) => $$"""{"leaseId":"{{id}}","expiresAt":"{{expires:O}}"}""";

    private static ReviewAggregator.Month Month(DateTimeOffset now) => new(Jung, March.From, March.To, now);

    [Fact]
    public void A_lease_lasts_to_its_end_its_revocation_or_its_last_expiry_cut_at_the_month_end()
    {
        var rows = new[]
        {
            Row(T0, AuditKinds.Lease, "allow", details: Lease("l-ended", T0.AddMinutes(2)), reason: "sharing-policy"),
            Row(T0.AddMinutes(1), AuditKinds.Lease, "renew", details: Lease("l-ended", T0.AddMinutes(4))),
            Row(T0.AddMinutes(3), AuditKinds.Lease, "end", details: """{"leaseId":"l-ended"}"""),
            Row(T0, AuditKinds.Lease, "allow", details: Lease("l-revoked", T0.AddMinutes(2))),
            Row(T0.AddSeconds(45), AuditKinds.Revocation, "revoke", details: """{"leaseId":"l-revoked"}""", reason: "incident-closed"),
            Row(T0, AuditKinds.Lease, "allow", details: Lease("l-expired", T0.AddMinutes(2))),
            Row(T0.AddSeconds(5), AuditKinds.Lease, "renew", details: Lease("l-expired", T0.AddMinutes(5))),
            Row(March.To.AddMinutes(-1), AuditKinds.Lease, "allow", details: Lease("l-late", March.To.AddMinutes(1))),
        };
        var (totals, viewings, _, _) = ReviewAggregator.Aggregate(Month(March.To.AddDays(1)), rows, [], []);

        var byLease = viewings.ToDictionary(v => v.LeaseId!);
        Assert.Equal((180L, "end"), (byLease["l-ended"].DurationSeconds!.Value, byLease["l-ended"].EndedBy));
        Assert.Equal("sharing-policy", byLease["l-ended"].Rule);
        Assert.Equal((45L, "revoke:incident-closed"), (byLease["l-revoked"].DurationSeconds!.Value, byLease["l-revoked"].EndedBy));
        Assert.Equal((300L, "expiry"), (byLease["l-expired"].DurationSeconds!.Value, byLease["l-expired"].EndedBy));
        Assert.Equal((60L, "month-end"), (byLease["l-late"].DurationSeconds!.Value, byLease["l-late"].EndedBy));
        Assert.Equal(180 + 45 + 300 + 60, totals.SecondsViewed);
        Assert.Equal(4, totals.Leases);
    }

    [Fact]
    public void A_lease_still_running_when_an_interim_report_is_made_is_open()
    {
        var rows = new[] { Row(T0, AuditKinds.Lease, "allow", details: Lease("l-running", T0.AddMinutes(2))) };
        var (totals, viewings, _, _) = ReviewAggregator.Aggregate(Month(T0.AddMinutes(1)), rows, [], []);
        Assert.Equal(("open", (long?)null), (viewings[0].EndedBy, viewings[0].DurationSeconds));
        Assert.Equal(0, totals.SecondsViewed);
    }

    [Fact]
    public void Views_are_leases_and_snapshots_counted_per_agency_with_plays_and_denials()
    {
        var rows = new[]
        {
            Row(T0, AuditKinds.Lease, "allow", "police-jung", "cam-1", Lease("l-1", T0.AddMinutes(1))),
            Row(T0.AddSeconds(2), AuditKinds.View, "allow", "police-jung", "cam-1", """{"leaseId":"l-1"}"""),
            Row(T0.AddMinutes(5), AuditKinds.Lease, "allow", "police-jung", "cam-2", Lease("l-2", T0.AddMinutes(6))),
            Row(T0.AddMinutes(6), AuditKinds.Snapshot, "allow", "police-jung", "cam-2", """{"grant":"g-9"}"""),
            Row(T0.AddMinutes(7), AuditKinds.Lease, "allow", "seoul-112", "cam-1", Lease("l-3", T0.AddMinutes(8))),
            Row(T0.AddMinutes(8), AuditKinds.AccessDecision, "deny", "police-gangnam", "cam-1", reason: "no-rule"),
            Row(T0.AddMinutes(9), AuditKinds.Lease, "renew", "seoul-112", "cam-1", Lease("l-3", T0.AddMinutes(10))),
            Row(T0.AddMinutes(9), AuditKinds.SessionStart, null, "seoul-112", null),
        };
        var (totals, viewings, byAgency, _) = ReviewAggregator.Aggregate(Month(March.To.AddDays(1)), rows, [], []);

        Assert.Equal(new ReviewTotals(4, 3, 1, 2, 1, 60 + 60 + 180, 2, 2), totals);
        Assert.Equal(["police-jung", "seoul-112"], byAgency.Select(a => a.AgencyId));
        Assert.Equal(new AgencyViews("police-jung", 3, 2, 1, 120, 2), byAgency[0]);
        Assert.Equal(new AgencyViews("seoul-112", 1, 1, 0, 180, 1), byAgency[1]);
        Assert.True(viewings.Single(v => v.LeaseId == "l-1").Played);
        Assert.False(viewings.Single(v => v.LeaseId == "l-2").Played);
        Assert.Equal("g-9", viewings.Single(v => v.Kind == AuditKinds.Snapshot).Rule);
    }

    [Fact]
    public void Flags_raised_in_the_month_and_those_resolved_in_it_are_counted_for_the_district_only()
    {
        AuditRecord Flag(DateTimeOffset at, string id, string district = Jung) =>
            Row(at, AuditKinds.MisuseFlag, null, details: $$"""{"flagId":"{{id}}","rule":"night-viewing"}""", reason: "night-viewing", district: district);
        AuditRecord Ack(DateTimeOffset at, string id) => Row(at, AuditKinds.FlagAcknowledged, null, "control-jung", null, $$"""{"flagId":"{{id}}","note":"checked"}""");
        var flags = new[] { Flag(March.From.AddDays(-3), "f-february"), Flag(T0, "f-1"), Flag(T0.AddHours(1), "f-2") };
        var acks = new[] { Ack(T0.AddHours(2), "f-1"), Ack(T0.AddHours(3), "f-february"), Ack(T0.AddHours(4), "f-gangnam"), Ack(T0.AddHours(5), "f-1") };

        var (_, _, _, result) = ReviewAggregator.Aggregate(Month(March.To.AddDays(1)), [], flags, acks);

        Assert.Equal((2, 2), (result.Raised, result.Resolved));
        Assert.Equal(["f-february", "f-1", "f-2"], result.Items.Select(f => f.FlagId));
        Assert.False(result.Items[0].RaisedInMonth);
        Assert.Null(result.Items[2].ResolvedAt);
        Assert.Equal(T0.AddHours(2), result.Items[1].ResolvedAt);
    }

    [Theory]
    [InlineData("2026-03", "2026-02-28T15:00:00Z", "2026-03-31T15:00:00Z")]
    [InlineData("2026-12", "2026-11-30T15:00:00Z", "2026-12-31T15:00:00Z")]
    public void Months_run_from_midnight_to_midnight_in_Seoul(string month, string from, string to)
    {
        var (start, end) = ReviewMonths.Bounds(month);
        Assert.Equal((DateTimeOffset.Parse(from), DateTimeOffset.Parse(to)), (start, end));
        Assert.Equal("2026-02", ReviewMonths.Previous(DateTimeOffset.Parse("2026-02-28T15:00:00Z")));
        Assert.False(ReviewMonths.TryParse("2026-13", out _));
        Assert.False(ReviewMonths.TryParse("2026-3", out _));
    }
}
