using Microsoft.AspNetCore.Authorization;

namespace SafetyNet.Api.Auth;

/// <summary>Every endpoint names one of these; there is no endpoint that is authenticated-only by accident.</summary>
public static class Policies
{
    public const string AnyRole = "any-role";
    public const string Viewer = "viewer";
    public const string DistrictManager = "district-manager";
    public const string PlatformAdmin = "platform-admin";
    public const string Auditor = "auditor";

    /// <summary>Auditors and district admins read the ledger, each within <see cref="AuditReadScope"/>.</summary>
    public const string AuditReader = "audit-reader";
    public const string Dispatcher = "dispatcher";

    /// <summary>Exporters' agencies and auditors read evidence exports, each only its own (see EvidenceEndpoints).</summary>
    public const string EvidenceReader = "evidence-reader";

    public static AuthorizationBuilder AddSafetyNetPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(AnyRole, p => p.RequireAuthenticatedUser().RequireRole(Roles.All))
        .AddPolicy(Viewer, p => p.RequireRole(Roles.Operator, Roles.Supervisor))
        .AddPolicy(DistrictManager, p => p.RequireRole(Roles.DistrictAdmin, Roles.PlatformAdmin))
        .AddPolicy(PlatformAdmin, p => p.RequireRole(Roles.PlatformAdmin))
        .AddPolicy(Auditor, p => p.RequireRole(Roles.Auditor))
        .AddPolicy(AuditReader, p => p.RequireRole(Roles.Auditor, Roles.DistrictAdmin))
        .AddPolicy(EvidenceReader, p => p.RequireRole(Roles.Operator, Roles.Supervisor, Roles.Auditor))
        .AddPolicy(Dispatcher, p => p.RequireRole(Roles.DispatchSystem, Roles.Operator, Roles.Supervisor))
        .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(Roles.All).Build());
}
