using SafetyNet.Contracts;
using SafetyNet.Contracts.Agencies;

namespace SafetyNet.Api.Auth;

/// <summary>
/// Which roles an agency of each kind may hold (the README's role table). A token is accepted only for a registered agency
/// and a role its kind allows, so an issuer's mistake or a forged claim cannot make a 112 center a platform admin.
/// </summary>
public sealed class AgencyRoleRules
{
    public static IReadOnlyDictionary<AgencyKind, string[]> Defaults { get; } = new Dictionary<AgencyKind, string[]>
    {
        [AgencyKind.Police112Center] = [Roles.Operator, Roles.Supervisor, Roles.DispatchSystem],
        [AgencyKind.Fire119Center] = [Roles.Operator, Roles.Supervisor, Roles.DispatchSystem],
        [AgencyKind.DisasterRoom] = [Roles.Operator, Roles.Supervisor, Roles.DispatchSystem],
        [AgencyKind.VulnerableSupportCenter] = [Roles.Operator, Roles.Supervisor, Roles.DispatchSystem],
        [AgencyKind.PoliceStation] = [Roles.Operator, Roles.Supervisor],
        [AgencyKind.PolicePatrol] = [Roles.Operator, Roles.Supervisor],
        [AgencyKind.FireStation] = [Roles.Operator, Roles.Supervisor],
        // The district's privacy officer audits its own cameras.
        [AgencyKind.DistrictControlCenter] = [Roles.Operator, Roles.Supervisor, Roles.DistrictAdmin, Roles.Auditor],
        [AgencyKind.AuditOffice] = [Roles.Auditor],
        [AgencyKind.PlatformOperations] = [Roles.PlatformAdmin],
    };

    private readonly Dictionary<AgencyKind, string[]> _roles;

    /// <param name="overrides">Per kind (by its wire name), the roles that replace the default; kinds not named keep theirs.</param>
    public AgencyRoleRules(IReadOnlyDictionary<string, string[]>? overrides = null)
    {
        if (overrides is not null && ConfigurationErrors(overrides).FirstOrDefault() is { } problem) throw new ArgumentException(problem, nameof(overrides));
        _roles = Enum.GetValues<AgencyKind>().ToDictionary(k => k, k => Defaults.GetValueOrDefault(k, []));
        foreach (var (kindName, roles) in overrides ?? new Dictionary<string, string[]>())
        {
            EnumNames<AgencyKind>.TryParse(kindName, out var kind);
            _roles[kind] = roles;
        }
    }

    /// <summary>An agency stored with an undefined kind holds no role at all.</summary>
    public IReadOnlyList<string> RolesFor(AgencyKind kind) => _roles.GetValueOrDefault(kind, []);

    /// <summary>Why a token for this agency and role is refused, or null when it is accepted.</summary>
    public string? Refusal(string agencyId, AgencyInfo? agency, string role)
    {
        if (agency is null) return $"Agency '{agencyId}' is not registered (see GET /api/v1/agencies).";
        var allowed = RolesFor(agency.Kind);
        if (allowed.Count == 0) return $"Agency '{agencyId}' is of kind '{EnumNames<AgencyKind>.NameOf(agency.Kind)}', which may hold no role.";
        return allowed.Contains(role, StringComparer.Ordinal)
            ? null
            : $"Agency '{agencyId}' is of kind '{EnumNames<AgencyKind>.NameOf(agency.Kind)}', which may hold only the role(s) {string.Join(", ", allowed)}, not '{role}'.";
    }

    /// <summary>What is wrong with configured overrides, each naming its key.</summary>
    public static IEnumerable<string> ConfigurationErrors(IReadOnlyDictionary<string, string[]> overrides)
    {
        foreach (var (kindName, roles) in overrides)
        {
            var key = $"{AuthOptions.Section}:{nameof(AuthOptions.AgencyRoles)}:{kindName}";
            if (!EnumNames<AgencyKind>.TryParse(kindName, out _))
                yield return $"{key} names no agency kind; expected one of: {EnumNames<AgencyKind>.Expected}.";
            else if (roles.FirstOrDefault(r => !Roles.All.Contains(r)) is { } unknown)
                yield return $"{key} names unknown role '{unknown}'; expected any of: {string.Join(", ", Roles.All)}.";
        }
    }
}
