using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Contracts.Districts;

/// <summary>
/// A district's answer to "may agencies of kind K see cameras of purpose P?", as a dense matrix so that a
/// decision is one array read. Unlisted pairs are <see cref="SharingLevel.Never"/>: access is denied unless a rule grants it.
/// <see cref="RecordedVideoKinds"/>: the agency kinds whose standing access also lets them rewind into the minutes a relay
/// keeps (the separate recorded-video right); none unless the district says so.
/// </summary>
/// <param name="Fallback">
/// Set on a policy the district believes instead of its stored one, with the reason (its stored record is older than the
/// ledger's newest policy edit: <c>policy-record-older-than-ledger</c>); never stored. Null on the policy its admin set.
/// </param>
[GenerateSerializer, Immutable, Alias("sharing-policy")]
public sealed record SharingPolicy([property: Id(0)] int Version, [property: Id(1)] SharingLevel[] Matrix,
    [property: Id(2)] AgencyKind[]? RecordedVideoKinds = null, [property: Id(3)] string? Fallback = null)
{
    /// <summary>Whether standing access of this kind carries the recorded-video right; kinds that never view video never do.</summary>
    public bool StandingRewindFor(AgencyKind kind) => kind.ViewsVideo() && RecordedVideoKinds?.Contains(kind) == true;

    public static readonly int KindCount = Enum.GetValues<AgencyKind>().Length;
    public static readonly int PurposeCount = Enum.GetValues<CameraPurpose>().Length;

    /// <summary>
    /// The level for a pair. A matrix stored before kinds were added is shorter; kinds are only ever appended, so its cells
    /// keep their places and the kinds it lacks are <see cref="SharingLevel.Never"/>. Kinds that never view video get
    /// nothing, whatever is stored, and anything undefined (a kind, purpose or level stored out of range) is never.
    /// </summary>
    public SharingLevel LevelFor(AgencyKind kind, CameraPurpose purpose)
    {
        if (!Enum.IsDefined(kind) || !Enum.IsDefined(purpose) || !kind.ViewsVideo() || Matrix.Length % PurposeCount != 0) return SharingLevel.Never;
        var cell = (int)kind * PurposeCount + (int)purpose;
        if (cell >= Matrix.Length) return SharingLevel.Never;
        var level = Matrix[cell];
        return Enum.IsDefined(level) ? level : SharingLevel.Never;
    }

    public static SharingPolicy Create(int version, Func<AgencyKind, CameraPurpose, SharingLevel> levelFor)
    {
        var matrix = new SharingLevel[KindCount * PurposeCount];
        foreach (var kind in Enum.GetValues<AgencyKind>())
            foreach (var purpose in Enum.GetValues<CameraPurpose>())
                matrix[(int)kind * PurposeCount + (int)purpose] = kind.ViewsVideo() ? levelFor(kind, purpose) : SharingLevel.Never;
        return new SharingPolicy(version, matrix);
    }

    /// <summary>What Korean cities do: police centers see crime-prevention cameras at all times; everyone else during incidents.</summary>
    public static SharingPolicy KoreanDefault { get; } = Create(1, (kind, purpose) =>
        kind is AgencyKind.Police112Center or AgencyKind.PoliceStation && purpose == CameraPurpose.CrimePrevention
            ? SharingLevel.Standing
            : kind == AgencyKind.DistrictControlCenter ? SharingLevel.Standing : SharingLevel.DuringIncident);
}
