using SafetyNet.Contracts;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;

namespace SafetyNet.Api.Contracts;

/// <summary>Between the policy matrix and its JSON form: { "agency-kind": { "camera-purpose": "level" } }.</summary>
public static class PolicyMapper
{
    /// <summary>Kinds that never view video have no row: nothing about them can be shared.</summary>
    public static IDictionary<string, IDictionary<string, SharingLevel>> ToJson(SharingPolicy policy) =>
        Enum.GetValues<AgencyKind>().Where(k => k.ViewsVideo()).ToDictionary(
            EnumNames<AgencyKind>.NameOf,
            kind => (IDictionary<string, SharingLevel>)Enum.GetValues<CameraPurpose>().ToDictionary(
                EnumNames<CameraPurpose>.NameOf, purpose => policy.LevelFor(kind, purpose)));

    /// <summary>Pairs the body leaves out are <c>never</c>: access is denied unless a rule grants it.</summary>
    public static SharingPolicy FromJson(Dictionary<string, Dictionary<string, string>> body, out string? error)
    {
        error = null;
        var levels = new Dictionary<(AgencyKind, CameraPurpose), SharingLevel>();
        foreach (var (kindName, row) in body)
        {
            if (!EnumNames<AgencyKind>.TryParse(kindName, out var kind))
            {
                error = $"Unknown agency kind '{kindName}'. Expected one of: {EnumNames<AgencyKind>.Expected}.";
                break;
            }
            foreach (var (purposeName, levelName) in row ?? [])
            {
                if (!EnumNames<CameraPurpose>.TryParse(purposeName, out var purpose))
                {
                    error = $"Unknown camera purpose '{purposeName}' under '{kindName}'. Expected one of: {EnumNames<CameraPurpose>.Expected}.";
                    break;
                }
                if (!EnumNames<SharingLevel>.TryParse(levelName, out var level))
                {
                    error = $"Unknown sharing level '{levelName}' for {kindName} × {purposeName}. Expected one of: {EnumNames<SharingLevel>.Expected}.";
                    break;
                }
                if (level != SharingLevel.Never && !kind.ViewsVideo())
                {
                    error = $"Agencies of kind '{kindName}' never view video; {kindName} × {purposeName} can only be never.";
                    break;
                }
                levels[(kind, purpose)] = level;
            }
            if (error is not null) break;
        }
        return SharingPolicy.Create(0, (k, p) => levels.GetValueOrDefault((k, p), SharingLevel.Never));
    }
}
