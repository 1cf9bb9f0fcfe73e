using Microsoft.Extensions.Configuration;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Incidents;

namespace SafetyNet.Tests.Incidents;

/// <summary>The incident authority table and its rules, as pure functions over agencies.</summary>
public sealed class IncidentAuthorityTests
{
    private static readonly AgencyInfo Seoul112 = new("seoul-112", "112", AgencyKind.Police112Center, true, []);
    private static readonly AgencyInfo Seoul119 = new("seoul-119", "119", AgencyKind.Fire119Center, true, []);
    private static readonly AgencyInfo DisasterRoom = new("seoul-disaster-room", "disaster", AgencyKind.DisasterRoom, true, []);
    private static readonly AgencyInfo SosCenter = new("seoul-sos-center", "sos", AgencyKind.VulnerableSupportCenter, true, []);
    private static readonly AgencyInfo PoliceJung = new("police-jung", "Jung police", AgencyKind.PoliceStation, false, ["11020"]);
    private static readonly AgencyInfo PoliceGangnam = new("police-gangnam", "Gangnam police", AgencyKind.PoliceStation, false, ["11230"]);
    private static readonly AgencyInfo PatrolJung = new("patrol-jung", "Jung patrol", AgencyKind.PolicePatrol, false, ["11020"]);
    private static readonly AgencyInfo FireGangnam = new("fire-gangnam", "Gangnam fire", AgencyKind.FireStation, false, ["11230"]);
    private static readonly AgencyInfo[] City = [Seoul112, Seoul119, DisasterRoom, SosCenter, PoliceJung, PoliceGangnam, PatrolJung, FireGangnam];

    private static IncidentTypeSettings Defaults(IncidentType type) => new IncidentOptions().For(type);

    private static IncidentActor Person(AgencyInfo agency, string who, IncidentActorRole role = IncidentActorRole.Operator) => new(agency.Id, who, role);

    [Theory]
    [InlineData(IncidentType.EmergencyVideo112, AgencyKind.Police112Center)]
    [InlineData(IncidentType.Dispatch112, AgencyKind.Police112Center)]
    [InlineData(IncidentType.Dispatch119, AgencyKind.Fire119Center)]
    [InlineData(IncidentType.DisasterResponse, AgencyKind.DisasterRoom)]
    [InlineData(IncidentType.VulnerableSos, AgencyKind.VulnerableSupportCenter)]
    public void By_default_each_type_is_opened_only_by_its_own_situation_room(IncidentType type, AgencyKind opener)
    {
        Assert.Equal([EnumNames<AgencyKind>.NameOf(opener)], Defaults(type).OpenerKinds);
        foreach (var agency in City)
            Assert.Equal(agency.Kind == opener, IncidentAuthority.RefuseOpening(agency, agency.Id, type, Defaults(type)) is null);
    }

    [Fact]
    public void The_attacks_of_issue_10_are_refused_with_a_reason_naming_kind_and_type()
    {
        var station = IncidentAuthority.RefuseOpening(PoliceGangnam, PoliceGangnam.Id, IncidentType.EmergencyVideo112, Defaults(IncidentType.EmergencyVideo112));
        Assert.Equal("police-gangnam is a police-station; 112-emergency-video incidents are opened only by police-112-center.", station);
        Assert.Contains("119-dispatch", IncidentAuthority.RefuseOpening(Seoul112, Seoul112.Id, IncidentType.Dispatch119, Defaults(IncidentType.Dispatch119)));
        Assert.Contains("disaster-room", IncidentAuthority.RefuseOpening(SosCenter, SosCenter.Id, IncidentType.DisasterResponse, Defaults(IncidentType.DisasterResponse)));
        Assert.Contains("not registered", IncidentAuthority.RefuseOpening(null, "ghost", IncidentType.Dispatch112, Defaults(IncidentType.Dispatch112)));
    }

    [Fact]
    public void Named_agencies_must_be_of_a_responder_kind()
    {
        var settings = Defaults(IncidentType.EmergencyVideo112);
        Assert.Null(IncidentAuthority.RefuseResponder(PoliceGangnam, IncidentType.EmergencyVideo112, settings));
        Assert.Equal("Agency 'fire-gangnam' is a fire-station; 112-emergency-video incidents are responded to only by police-112-center or police-station.",
            IncidentAuthority.RefuseResponder(FireGangnam, IncidentType.EmergencyVideo112, settings));
        Assert.NotNull(IncidentAuthority.RefuseResponder(Seoul119, IncidentType.EmergencyVideo112, settings));
        Assert.Null(IncidentAuthority.RefuseResponder(Seoul119, IncidentType.VulnerableSos, Defaults(IncidentType.VulnerableSos)));
    }

    [Fact]
    public void The_sos_centre_responds_with_police_and_fire_notified()
    {
        var responders = ResponderResolver.Resolve(City, Defaults(IncidentType.VulnerableSos), "11020");
        Assert.Equal(["police-jung", "seoul-112", "seoul-119", "seoul-sos-center"], responders);
    }

    [Fact]
    public void A_person_must_justify_and_a_justification_is_bounded()
    {
        Assert.NotNull(IncidentAuthority.RefuseJustification(Person(Seoul112, "kim"), null));
        Assert.NotNull(IncidentAuthority.RefuseJustification(Person(Seoul112, "kim", IncidentActorRole.Supervisor), "   "));
        Assert.Null(IncidentAuthority.RefuseJustification(Person(Seoul112, "kim"), "caller reports a man with a knife at the exit"));
        Assert.Null(IncidentAuthority.RefuseJustification(new IncidentActor("seoul-112", "cad", IncidentActorRole.DispatchSystem), null));
        Assert.Contains("at most", IncidentAuthority.RefuseJustification(Person(Seoul112, "kim"), new string('x', IncidentAuthority.MaxJustificationLength + 1)));
    }

    [Fact]
    public void Confirmation_takes_a_second_supervisor_of_the_opener_or_of_a_city_wide_opener_agency()
    {
        var settings = Defaults(IncidentType.Dispatch112) with { OpenerKinds = ["police-112-center", "police-station"] };
        var opener = Person(PoliceJung, "kim");
        Assert.Null(IncidentAuthority.RefuseConfirmation(Person(PoliceJung, "lee", IncidentActorRole.Supervisor), PoliceJung, opener, settings));
        Assert.Null(IncidentAuthority.RefuseConfirmation(Person(Seoul112, "park", IncidentActorRole.Supervisor), Seoul112, opener, settings));
        Assert.Contains("Only a supervisor", IncidentAuthority.RefuseConfirmation(Person(PoliceJung, "lee"), PoliceJung, opener, settings));
        Assert.Contains("Four eyes", IncidentAuthority.RefuseConfirmation(Person(PoliceJung, "kim", IncidentActorRole.Supervisor), PoliceJung, opener, settings));
        // A supervisor who opened it still needs another one.
        var supervisorOpener = Person(PoliceJung, "lee", IncidentActorRole.Supervisor);
        Assert.Contains("Four eyes", IncidentAuthority.RefuseConfirmation(supervisorOpener, PoliceJung, supervisorOpener, settings));
        // Another district's station is of an opener kind, but not city-wide; the 119 centre is city-wide, but not of an opener kind.
        Assert.Contains("may not confirm", IncidentAuthority.RefuseConfirmation(Person(PoliceGangnam, "choi", IncidentActorRole.Supervisor), PoliceGangnam, opener, settings));
        Assert.Contains("may not confirm", IncidentAuthority.RefuseConfirmation(Person(Seoul119, "oh", IncidentActorRole.Supervisor), Seoul119, opener, settings));
        Assert.Equal(["police-jung", "seoul-112"], IncidentAuthority.ReviewingAgencies(City, PoliceJung, settings));
    }

    [Fact]
    public void Until_confirmed_a_local_opener_is_granted_only_its_own_district_and_a_city_wide_one_everything()
    {
        SelectedCamera Camera(string id, string district) => new(id, district, CameraPurpose.CrimePrevention, 10, 0, true, 37.56, 126.98);
        SelectedCamera[] cameras = [Camera("11020-00001", "11020"), Camera("11170-00001", "11170"), Camera("11020-00002", "11020")];
        Assert.Equal(["11020-00001", "11020-00002"], IncidentAuthority.ProvisionalCameras(PoliceJung, cameras));
        Assert.Equal(3, IncidentAuthority.ProvisionalCameras(Seoul112, cameras).Length);
    }

    [Fact]
    public void A_move_leaves_behind_local_agencies_of_the_old_place_only()
    {
        Assert.True(ResponderResolver.IsLeftBehind(PoliceJung, "11020", "11230"));
        Assert.False(ResponderResolver.IsLeftBehind(PoliceGangnam, "11020", "11230"));
        Assert.False(ResponderResolver.IsLeftBehind(Seoul112, "11020", "11230"));
        // A station named from elsewhere was never local here: the move does not drop it.
        Assert.False(ResponderResolver.IsLeftBehind(PoliceGangnam, "11020", "11170"));
    }

    [Fact]
    public void The_table_binds_from_configuration_by_wire_names_and_keeps_each_types_other_defaults()
    {
        var options = Bind(new()
        {
            ["Incidents:Types:112-dispatch:OpenerKinds:0"] = "police-112-center",
            ["Incidents:Types:112-dispatch:OpenerKinds:1"] = "police-station",
            ["Incidents:Types:vulnerable-sos:MaxDuration"] = "00:30:00",
        });
        Assert.True(options.For(IncidentType.Dispatch112).MayOpen(AgencyKind.PoliceStation));
        Assert.False(options.For(IncidentType.Dispatch112).MayOpen(AgencyKind.PolicePatrol));
        Assert.Equal(["police-112-center", "police-station", "police-patrol"], options.For(IncidentType.Dispatch112).AgencyKinds);
        var sos = options.For(IncidentType.VulnerableSos);
        Assert.Equal(TimeSpan.FromMinutes(30), sos.MaxDuration);
        Assert.Equal(AccessPurpose.VulnerableProtection, sos.GrantPurpose);
        Assert.Equal(["vulnerable-support-center"], sos.OpenerKinds);
        Assert.Empty(Validate(options));

        var wrong = Validate(Bind(new() { ["Incidents:Types:119-dispatch:OpenerKinds:0"] = "fire-brigade" }));
        Assert.Contains("Incidents:Types:119-dispatch:OpenerKinds has unknown agency kind 'fire-brigade'", Assert.Single(wrong).ErrorMessage);
    }

    private static List<System.ComponentModel.DataAnnotations.ValidationResult> Validate(IncidentOptions options) =>
        options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

    private static IncidentOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new IncidentOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(IncidentOptions.Section).Bind(options);
        return options;
    }
}
