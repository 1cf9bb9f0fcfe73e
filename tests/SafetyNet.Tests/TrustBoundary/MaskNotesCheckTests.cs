using System.Text.Json;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Cameras;
using SafetyNet.Grains.Districts;

namespace SafetyNet.Tests.TrustBoundary;

/// <summary>Which of a district's notes of masked cameras are older than the ledger's mask edits: pure rules.</summary>
public sealed class MaskNotesCheckTests
{
    private static readonly MaskPolygon[] Small = [new([new(0.1, 0.1), new(0.2, 0.1), new(0.2, 0.2)])];
    private static readonly MaskPolygon[] Large = [new([new(0.05, 0.05), new(0.95, 0.05), new(0.95, 0.95)])];

    [Fact]
    public void The_newest_edit_of_each_camera_counts_whatever_order_the_rows_come_in_and_a_clearing_leaves_no_masks()
    {
        var newest = MaskNotesCheck.NewestPerCamera([Edit(3, "a", Large), Edit(1, "a", Small), Edit(2, "b", Small), Edit(4, "b", [])]);
        Assert.Equal(MasksDigest.Of(Large), newest["a"]);
        Assert.Null(newest["b"]);
    }

    [Fact]
    public void Unreadable_rows_are_passed_over()
    {
        var newest = MaskNotesCheck.NewestPerCamera(
        [
            Edit(1, "a", Small),
            new AuditRecord(2, new AuditEntry(DateTimeOffset.UnixEpoch, AuditKinds.MaskChange, CameraId: "a", Details: "not json"), "", ""),
            new AuditRecord(3, new AuditEntry(DateTimeOffset.UnixEpoch, AuditKinds.MaskChange, CameraId: "a", Details: "[]"), "", ""),
            new AuditRecord(4, new AuditEntry(DateTimeOffset.UnixEpoch, AuditKinds.MaskChange, Details: JsonSerializer.Serialize(new { polygons = Large })), "", ""),
        ]);
        Assert.Equal(MasksDigest.Of(Small), Assert.Single(newest).Value);
    }

    [Fact]
    public void A_note_saying_unmasked_or_other_masks_is_older_than_a_ledger_that_leaves_the_camera_masked_and_one_without_a_fingerprint_gets_the_ledgers()
    {
        var catalog = new Dictionary<string, CameraInfo>
        {
            ["unmasked"] = Camera("unmasked", masked: false, digest: null),
            ["other"] = Camera("other", masked: true, digest: MasksDigest.Of(Small)),
            ["legacy"] = Camera("legacy", masked: true, digest: null),
            ["same"] = Camera("same", masked: true, digest: MasksDigest.Of(Large)),
            ["cleared"] = Camera("cleared", masked: true, digest: MasksDigest.Of(Large)),
        };
        var ledger = new Dictionary<string, string?>
        {
            ["unmasked"] = MasksDigest.Of(Large), ["other"] = MasksDigest.Of(Large), ["legacy"] = MasksDigest.Of(Large),
            ["same"] = MasksDigest.Of(Large), ["cleared"] = null, ["not-in-the-catalog"] = MasksDigest.Of(Large),
        };

        var behind = MaskNotesCheck.OlderThanLedger(catalog, ledger);
        var unfingerprinted = MaskNotesCheck.WithoutFingerprint(catalog, ledger);

        Assert.Equal(["other", "unmasked"], behind.Select(b => b.CameraId));
        Assert.Equal(["legacy"], unfingerprinted.Select(b => b.CameraId));
        Assert.All(behind.Concat(unfingerprinted), b => Assert.Equal(MasksDigest.Of(Large), b.Digest));
    }

    private static AuditRecord Edit(long seq, string camera, MaskPolygon[] polygons) =>
        new(seq, new AuditEntry(DateTimeOffset.UnixEpoch, AuditKinds.MaskChange, CameraId: camera,
            Details: JsonSerializer.Serialize(new { before = 0, polygons }, new JsonSerializerOptions(JsonSerializerDefaults.Web))), "", "");

    private static CameraInfo Camera(string id, bool masked, string? digest) =>
        new(id, "11020", new GeoPoint(37.56, 126.99), CameraPurpose.CrimePrevention, CameraStatus.Online, "lavfi:testsrc2", Masked: masked, MasksDigest: digest);
}
