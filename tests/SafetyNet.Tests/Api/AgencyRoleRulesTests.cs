using System.ComponentModel.DataAnnotations;
using SafetyNet.Api.Auth;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Districts;

namespace SafetyNet.Tests.Api;

/// <summary>The agency kind × role table, its configuration, and the two kinds that never view video.</summary>
public sealed class AgencyRoleRulesTests
{
    private static AgencyInfo Agency(AgencyKind kind) => new("some-agency", "Some Agency", kind, true, []);

    [Theory]
    [InlineData(AgencyKind.Police112Center, "operator,supervisor,dispatch-system")]
    [InlineData(AgencyKind.Fire119Center, "operator,supervisor,dispatch-system")]
    [InlineData(AgencyKind.DisasterRoom, "operator,supervisor,dispatch-system")]
    [InlineData(AgencyKind.VulnerableSupportCenter, "operator,supervisor,dispatch-system")]
    [InlineData(AgencyKind.PoliceStation, "operator,supervisor")]
    [InlineData(AgencyKind.PolicePatrol, "operator,supervisor")]
    [InlineData(AgencyKind.FireStation, "operator,supervisor")]
    [InlineData(AgencyKind.DistrictControlCenter, "operator,supervisor,district-admin,auditor")]
    [InlineData(AgencyKind.AuditOffice, "auditor")]
    [InlineData(AgencyKind.PlatformOperations, "platform-admin")]
    public void Each_kind_holds_exactly_the_roles_of_the_table(AgencyKind kind, string roles)
    {
        var rules = new AgencyRoleRules();
        var allowed = roles.Split(',');
        foreach (var role in Roles.All)
        {
            var refusal = rules.Refusal("some-agency", Agency(kind), role);
            if (allowed.Contains(role)) Assert.Null(refusal);
            else Assert.Contains($"not '{role}'", refusal);
        }
    }

    [Fact]
    public void Every_kind_has_a_row() =>
        Assert.All(Enum.GetValues<AgencyKind>(), k => Assert.NotEmpty(new AgencyRoleRules().RolesFor(k)));

    [Fact]
    public void An_unregistered_agency_is_refused_whatever_the_role()
    {
        var refusal = new AgencyRoleRules().Refusal("ghost-agency", null, "operator");
        Assert.Contains("'ghost-agency' is not registered", refusal);
    }

    [Fact]
    public void A_configured_kind_replaces_its_default_and_leaves_the_others()
    {
        var rules = new AgencyRoleRules(new Dictionary<string, string[]> { ["police-station"] = ["operator"] });
        Assert.Equal(["operator"], rules.RolesFor(AgencyKind.PoliceStation));
        Assert.NotNull(rules.Refusal("police-jung", Agency(AgencyKind.PoliceStation), "supervisor"));
        Assert.Null(rules.Refusal("seoul-112", Agency(AgencyKind.Police112Center), "supervisor"));
    }

    [Fact]
    public void Configuration_naming_an_unknown_kind_or_role_is_refused_naming_the_key()
    {
        var errors = Validate(new AuthOptions
        {
            DevelopmentTokens = true,
            AgencyRoles = new() { ["police-stations"] = ["operator"], ["fire-station"] = ["operator", "chief"] },
        });
        Assert.Contains(errors, e => e.Contains("Auth:AgencyRoles:police-stations names no agency kind"));
        Assert.Contains(errors, e => e.Contains("Auth:AgencyRoles:fire-station names unknown role 'chief'"));
    }

    [Fact]
    public void A_node_needs_exactly_one_token_source()
    {
        var neither = Validate(new AuthOptions());
        Assert.Contains(neither, e => e.Contains("Set Auth:Authority") && e.Contains("Auth:DevelopmentTokens=true"));
        var both = Validate(new AuthOptions { DevelopmentTokens = true, Authority = "https://login.example.org/realms/safetynet" });
        Assert.Contains(both, e => e.Contains("both set"));
        Assert.Empty(Validate(new AuthOptions { DevelopmentTokens = true }));
        Assert.Empty(Validate(new AuthOptions { Authority = "https://login.example.org/realms/safetynet" }));
    }

    [Fact]
    public void Plain_http_metadata_is_allowed_only_for_a_loopback_issuer()
    {
        Assert.Empty(Validate(new AuthOptions { Authority = "http://127.0.0.1:5001", RequireHttpsMetadata = false }));
        Assert.Contains(Validate(new AuthOptions { Authority = "http://login.example.org", RequireHttpsMetadata = false }),
            e => e.Contains("Auth:RequireHttpsMetadata=false"));
    }

    [Fact]
    public void No_policy_can_share_a_camera_with_the_kinds_that_never_view_video()
    {
        var everything = SharingPolicy.Create(1, (_, _) => SharingLevel.Standing);
        foreach (var purpose in Enum.GetValues<CameraPurpose>())
        {
            Assert.Equal(SharingLevel.Never, everything.LevelFor(AgencyKind.PlatformOperations, purpose));
            Assert.Equal(SharingLevel.Never, everything.LevelFor(AgencyKind.AuditOffice, purpose));
            Assert.Equal(SharingLevel.Never, SharingPolicy.KoreanDefault.LevelFor(AgencyKind.AuditOffice, purpose));
            Assert.Equal(SharingLevel.Standing, everything.LevelFor(AgencyKind.FireStation, purpose));
        }
    }

    [Fact]
    public void A_policy_stored_before_the_new_kinds_keeps_its_cells()
    {
        const int kindsBefore = 8;
        var stored = SharingPolicy.KoreanDefault.Matrix.Take(kindsBefore * SharingPolicy.PurposeCount).ToArray();
        var old = new SharingPolicy(3, stored);
        foreach (var kind in Enum.GetValues<AgencyKind>())
            foreach (var purpose in Enum.GetValues<CameraPurpose>())
                Assert.Equal(SharingPolicy.KoreanDefault.LevelFor(kind, purpose), old.LevelFor(kind, purpose));
    }

    private static List<string> Validate(AuthOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage!).ToList();
    }
}
