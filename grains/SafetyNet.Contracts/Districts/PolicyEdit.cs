using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Contracts.Districts;

/// <summary>One agency kind × camera purpose pair of a sharing policy set to a level.</summary>
[GenerateSerializer, Immutable, Alias("policy-cell")]
public sealed record PolicyCell(
    [property: Id(0)] AgencyKind Kind,
    [property: Id(1)] CameraPurpose Purpose,
    [property: Id(2)] SharingLevel Level);

/// <summary>A pair whose level an edit changed.</summary>
[GenerateSerializer, Immutable, Alias("policy-cell-change")]
public sealed record PolicyCellChange(
    [property: Id(0)] AgencyKind Kind,
    [property: Id(1)] CameraPurpose Purpose,
    [property: Id(2)] SharingLevel From,
    [property: Id(3)] SharingLevel To);

/// <summary>The policy after an edit, and exactly which pairs the edit changed (none when it restated what was there).</summary>
[GenerateSerializer, Immutable, Alias("policy-update")]
public sealed record PolicyUpdate(
    [property: Id(0)] SharingPolicy Policy,
    [property: Id(1)] PolicyCellChange[] Changes);
