using System.Text.Json;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Contracts.Geo;
using SafetyNet.Grains.Cameras;

namespace SafetyNet.Tests.TrustBoundary;

/// <summary>Enum values outside their definition: refused when read from JSON, and denied (never thrown on) when already stored.</summary>
public sealed class UndefinedEnumRulesTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly AgencyInfo PoliceJung = new("police-jung", "Jung police", AgencyKind.PoliceStation, false, ["11020"]);

    private static CameraInfo Camera(CameraPurpose purpose = CameraPurpose.CrimePrevention, CameraStatus status = CameraStatus.Online) =>
        new("c-1", "11020", new GeoPoint(37.5663, 126.9779), purpose, status, "rtsp://10.0.0.1/x");

    [Theory]
    [InlineData("""{"purpose":42}""")]
    [InlineData("""{"purpose":1}""")]
    [InlineData("""{"purpose":"42"}""")]
    [InlineData("""{"purpose":"traffic, parking"}""")]
    [InlineData("""{"purpose":"Traffic2"}""")]
    [InlineData("""{"status":true}""")]
    [InlineData("""{"status":{}}""")]
    public void Numbers_lists_and_unknown_names_are_json_errors(string body)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CameraPatch>(body, Web));
        Assert.Contains("expected one of", error.Message.Replace("must be a string, one of", "expected one of"));
    }

    [Fact]
    public void Names_are_read_and_undefined_stored_values_are_written_as_their_number()
    {
        Assert.Equal(CameraPurpose.Parking, JsonSerializer.Deserialize<CameraPatch>("""{"purpose":"parking"}""", Web)!.Purpose);
        Assert.Null(JsonSerializer.Deserialize<CameraPatch>("""{"purpose":null}""", Web)!.Purpose);
        Assert.Equal("""{"kind":99,"ok":"police-station"}""", JsonSerializer.Serialize(new { kind = (AgencyKind)99, ok = AgencyKind.PoliceStation }, Web));
    }

    [Fact]
    public void A_policy_holding_an_undefined_level_or_asked_for_an_undefined_pair_says_never()
    {
        var matrix = SharingPolicy.KoreanDefault.Matrix.ToArray();
        matrix[0] = (SharingLevel)9;
        var policy = SharingPolicy.KoreanDefault with { Matrix = matrix };
        Assert.Equal(SharingLevel.Never, policy.LevelFor((AgencyKind)0, (CameraPurpose)0));
        Assert.Equal(SharingLevel.Never, policy.LevelFor((AgencyKind)99, CameraPurpose.Traffic));
        Assert.Equal(SharingLevel.Never, policy.LevelFor(AgencyKind.PoliceStation, (CameraPurpose)42));
        Assert.Equal(SharingLevel.Never, policy.LevelFor((AgencyKind)(-1), (CameraPurpose)(-1)));
    }

    [Fact]
    public void Undefined_values_in_camera_agency_or_request_deny_as_an_invalid_record()
    {
        var subject = new AccessSubject("s-1", "op", PoliceJung);
        var request = new AccessRequest("c-1", AccessPurpose.Monitoring);
        var grant = new AccessGrant("g-1", "police-jung", AccessPurpose.Monitoring, "inc-1", Now, Now.AddHours(1), ["c-1"]);
        Assert.True(AccessRules.Decide(Camera(), SharingPolicy.KoreanDefault, [grant], subject, request, Now).Allowed);

        Assert.Equal(DecisionReasons.InvalidRecord, AccessRules.Decide(Camera((CameraPurpose)42), SharingPolicy.KoreanDefault, [grant], subject, request, Now).Reason);
        Assert.Equal(DecisionReasons.InvalidRecord, AccessRules.Decide(Camera(status: (CameraStatus)7), SharingPolicy.KoreanDefault, [grant], subject, request, Now).Reason);
        Assert.Equal(DecisionReasons.InvalidRecord, AccessRules.Decide(Camera(), SharingPolicy.KoreanDefault, [grant],
            subject with { Agency = PoliceJung with { Kind = (AgencyKind)99 } }, request, Now).Reason);
        Assert.Equal(DecisionReasons.InvalidRecord, AccessRules.Decide(Camera(), SharingPolicy.KoreanDefault, [grant with { Purpose = (AccessPurpose)5 }],
            subject, request with { Purpose = (AccessPurpose)5 }, Now).Reason);
    }
}
