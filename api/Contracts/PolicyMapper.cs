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

    /// <summary>The pairs a body names, each checked; an empty list and an error when any is not a valid pair and level.</summary>
    public static PolicyCell[] CellsFromJson(Dictionary<string, Dictionary<string, string>> body, out string? error)
    {
        error = null;
        var cells = new Dictionary<(AgencyKind, CameraPurpose), PolicyCell>();
        foreach (var (kindName, row) in body)
        {
            if (!EnumNames<AgencyKind>.TryParse(kindName, out var kind))
            {
                error = $"Unknown agency kind '{kindName}'. Expected one of: {EnumNames<AgencyKind>.Expected}.";
                return [];
            }
            foreach (var (purposeName, levelName) in row ?? [])
            {
                if (!EnumNames<CameraPurpose>.TryParse(purposeName, out var purpose))
                {
                    error = $"Unknown camera purpose '{purposeName}' under '{kindName}'. Expected one of: {EnumNames<CameraPurpose>.Expected}.";
                    return [];
                }
                if (!EnumNames<SharingLevel>.TryParse(levelName, out var level))
                {
                    error = $"Unknown sharing level '{levelName}' for {kindName} × {purposeName}. Expected one of: {EnumNames<SharingLevel>.Expected}.";
                    return [];
                }
                if (level != SharingLevel.Never && !kind.ViewsVideo())
                {
                    error = $"Agencies of kind '{kindName}' never view video; {kindName} × {purposeName} can only be never.";
                    return [];
                }
                if (!cells.TryAdd((kind, purpose), new PolicyCell(kind, purpose, level)))
                {
                    error = $"{EnumNames<AgencyKind>.NameOf(kind)} × {EnumNames<CameraPurpose>.NameOf(purpose)} is named twice.";
                    return [];
                }
            }
        }
        return cells.Values.ToArray();
    }

    /// <summary>
    /// A whole policy: every kind that views video × every camera purpose must be named, so that a replacement can never
    /// silently set a forgotten pair. Kinds that never view video may be left out (they are always never).
    /// </summary>
    public static SharingPolicy? FullPolicyFromJson(Dictionary<string, Dictionary<string, string>> body, out string? error)
    {
        var cells = CellsFromJson(body, out error);
        if (error is not null) return null;
        var levels = cells.ToDictionary(c => (c.Kind, c.Purpose), c => c.Level);
        var missing = (from kind in Enum.GetValues<AgencyKind>().Where(k => k.ViewsVideo())
                       from purpose in Enum.GetValues<CameraPurpose>()
                       where !levels.ContainsKey((kind, purpose))
                       select $"{EnumNames<AgencyKind>.NameOf(kind)} × {EnumNames<CameraPurpose>.NameOf(purpose)}").ToList();
        if (missing.Count > 0)
        {
            error = $"PUT replaces the whole policy and must give a level for every agency kind × camera purpose; missing {missing.Count}: " +
                    $"{string.Join(", ", missing)}. To change only some pairs, use PATCH.";
            return null;
        }
        return SharingPolicy.Create(0, (k, p) => levels.GetValueOrDefault((k, p), SharingLevel.Never));
    }
}
