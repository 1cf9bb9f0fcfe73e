using System.Text.Json;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Access;

namespace SafetyNet.Tests.TrustBoundary;

/// <summary>Until when the ledger says a grant holds on each camera, and where a stored grant holds longer: pure rules.</summary>
public sealed class GrantLedgerReplayTests
{
    private const string Grant = "inc-1/seoul-112";
    private static readonly DateTimeOffset Opened = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Expiry = Opened.AddHours(6);

    [Fact]
    public void An_issue_sets_the_expiry_and_an_end_brings_it_forward_on_the_cameras_it_names()
    {
        var ends = GrantLedgerReplay.EndsPerCamera(
        [
            Issued(1, ["a", "b", "c"]),
            Shortened(2, ["b"], Opened.AddMinutes(30)),
            Revoked(3, ["c"], at: Opened.AddMinutes(40)),
        ], Grant);

        Assert.Equal(Expiry, ends["a"]);
        Assert.Equal(Opened.AddMinutes(30), ends["b"]);
        Assert.Equal(Opened.AddMinutes(40), ends["c"]);
    }

    [Fact]
    public void Issuing_again_after_an_end_extends_it_and_the_rows_are_replayed_in_ledger_order_whatever_order_they_come_in()
    {
        var ends = GrantLedgerReplay.EndsPerCamera([Issued(5, ["a"]), Shortened(3, ["a"], Opened.AddMinutes(10)), Issued(1, ["a"])], Grant);
        Assert.Equal(Expiry, ends["a"]);
    }

    [Fact]
    public void An_end_never_extends_and_other_grants_and_unreadable_rows_are_ignored()
    {
        var ends = GrantLedgerReplay.EndsPerCamera(
        [
            Issued(1, ["a"]),
            Shortened(2, ["a"], Opened.AddMinutes(10)),
            Shortened(3, ["a"], Opened.AddMinutes(50)),
            Shortened(4, ["a"], Opened.AddMinutes(1), grant: "inc-2/seoul-112"),
            new AuditRecord(5, new AuditEntry(Opened, AuditKinds.Revocation, Details: "[1]"), "", ""),
            new AuditRecord(6, new AuditEntry(Opened, AuditKinds.Revocation, Details: JsonSerializer.Serialize(new { GrantId = Grant })), "", ""),
        ], Grant);

        Assert.Equal(Opened.AddMinutes(10), Assert.Single(ends).Value);
    }

    [Fact]
    public void A_stored_grant_holding_longer_than_the_ledger_says_is_named_and_cameras_the_ledger_does_not_name_are_left()
    {
        var stored = new CoveredGrant
        {
            Grant = new AccessGrant(Grant, "seoul-112", AccessPurpose.EmergencyResponse, "inc-1", Opened, Expiry, []),
            Until = new(StringComparer.Ordinal) { ["a"] = Expiry, ["b"] = Opened.AddMinutes(5), ["unnamed"] = Expiry },
        };
        var ledger = new Dictionary<string, DateTimeOffset> { ["a"] = Opened.AddMinutes(30), ["b"] = Opened.AddMinutes(30) };

        var later = GrantLedgerReplay.LaterThanLedger(stored, ledger);

        Assert.Equal(Opened.AddMinutes(30), Assert.Single(later, c => c.Key == "a").Value);
        Assert.Single(later);
    }

    private static AuditRecord Issued(long seq, string[] cameras) =>
        Row(seq, AuditKinds.Grant, JsonSerializer.Serialize(new { GrantId = Grant, Purpose = "emergency-response", ExpiresAt = Expiry, cameras }));

    private static AuditRecord Shortened(long seq, string[] cameras, DateTimeOffset effectiveAt, string grant = Grant) =>
        Row(seq, AuditKinds.Revocation, JsonSerializer.Serialize(new { GrantId = grant, effectiveAt, cameras }));

    private static AuditRecord Revoked(long seq, string[] cameras, DateTimeOffset at) =>
        Row(seq, AuditKinds.Revocation, JsonSerializer.Serialize(new { GrantId = Grant, cameras }), at);

    private static AuditRecord Row(long seq, string kind, string details, DateTimeOffset? at = null) =>
        new(seq, new AuditEntry(at ?? Opened, kind, Details: details), "", "");
}
