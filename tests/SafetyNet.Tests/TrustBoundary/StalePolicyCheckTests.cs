using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;
using SafetyNet.Grains.Districts;

namespace SafetyNet.Tests.TrustBoundary;

/// <summary>What a district believes instead of a stored policy older than its ledger: pure rules.</summary>
public sealed class StalePolicyCheckTests
{
    private static readonly SharingPolicy Stored = SharingPolicy.Create(3, (kind, purpose) => (kind, purpose) switch
    {
        (AgencyKind.Police112Center, CameraPurpose.CrimePrevention) => SharingLevel.Standing,
        (AgencyKind.Fire119Center, _) => SharingLevel.DuringIncident,
        _ => SharingLevel.Never,
    }) with { RecordedVideoKinds = [AgencyKind.Police112Center] };

    [Fact]
    public void Standing_access_waits_for_an_incident_and_nothing_is_opened_that_the_old_record_kept_closed()
    {
        var believed = StalePolicyCheck.IncidentOnly(Stored, ledgerVersion: 5);
        foreach (var kind in Enum.GetValues<AgencyKind>())
            foreach (var purpose in Enum.GetValues<CameraPurpose>())
            {
                var stored = Stored.LevelFor(kind, purpose);
                Assert.Equal(stored == SharingLevel.Standing ? SharingLevel.DuringIncident : stored, believed.LevelFor(kind, purpose));
            }
        Assert.False(believed.StandingRewindFor(AgencyKind.Police112Center));
    }

    [Fact]
    public void Its_version_is_newer_than_the_ledgers_so_that_caches_keyed_on_the_version_drop_what_they_hold() =>
        Assert.Equal(6, StalePolicyCheck.IncidentOnly(Stored, ledgerVersion: 5).Version);
}
