using SafetyNet.Contracts.Agencies;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Grains.Configuration;
using SafetyNet.Grains.Incidents;

namespace SafetyNet.Tests.Incidents;

/// <summary>Who is shown a whole-area notice: every agency answering for some of the sender's districts, in a city or a nation.</summary>
public sealed class AlertNoticeAudienceTests
{
    private static readonly string[] SeoulDistricts = ["11110", "11140", "11680"];
    private static readonly string[] BusanDistricts = ["26110", "26350"];

    // A nation, as the demo seeds it: each region's rooms answer for its districts; the audit board for all of them.
    private static readonly AgencyInfo SeoulDisaster = new("seoul-disaster-room", "Seoul disaster", AgencyKind.DisasterRoom, false, SeoulDistricts);
    private static readonly AgencyInfo Seoul119 = new("seoul-119", "Seoul 119", AgencyKind.Fire119Center, false, SeoulDistricts);
    private static readonly AgencyInfo FireGangnam = new("fire-gangnam", "Gangnam fire", AgencyKind.FireStation, false, ["11680"]);
    private static readonly AgencyInfo BusanDisaster = new("busan-disaster-room", "Busan disaster", AgencyKind.DisasterRoom, false, BusanDistricts);
    private static readonly AgencyInfo Busan112 = new("busan-112", "Busan 112", AgencyKind.Police112Center, false, BusanDistricts);
    private static readonly AgencyInfo NationalAudit = new("national-audit", "Audit board", AgencyKind.AuditOffice, true, []);

    private static readonly IReadOnlyDictionary<string, AgencyInfo> Nation =
        new[] { SeoulDisaster, Seoul119, FireGangnam, BusanDisaster, Busan112, NationalAudit }.ToDictionary(a => a.Id);

    [Fact]
    public void A_notice_is_shown_to_the_agencies_of_the_senders_districts_and_not_to_another_regions()
    {
        Assert.Equal(["fire-gangnam", "national-audit", "seoul-119", "seoul-disaster-room"], AlertNoticeAudience.Shown(Nation, "seoul-disaster-room"));
        Assert.Equal(["busan-112", "busan-disaster-room", "national-audit"], AlertNoticeAudience.Shown(Nation, "busan-disaster-room"));
    }

    [Fact]
    public void A_viewer_reads_the_boards_of_the_senders_answering_for_its_districts_and_its_own()
    {
        var options = new IncidentOptions();
        Assert.Equal(["seoul-disaster-room"], AlertNoticeAudience.SendersFor(Nation, "fire-gangnam", options));
        Assert.Equal(["busan-disaster-room"], AlertNoticeAudience.SendersFor(Nation, "busan-112", options));
        Assert.Equal(["busan-disaster-room", "seoul-disaster-room"], AlertNoticeAudience.SendersFor(Nation, "national-audit", options));
        Assert.Equal(["seoul-disaster-room"], AlertNoticeAudience.SendersFor(Nation, "seoul-disaster-room", options));
        // An agency the directory does not know is shown nothing.
        Assert.Empty(AlertNoticeAudience.SendersFor(Nation, "unknown-agency", options));
    }

    [Fact]
    public void An_agency_that_may_no_longer_send_disaster_alerts_has_its_notices_shown_to_no_one()
    {
        var options = new IncidentOptions();
        options.Types["disaster-response"] = IncidentTypeSettings.DefaultFor(IncidentType.DisasterResponse) with { OpenerKinds = ["fire-119-center"] };
        Assert.Equal(["seoul-119"], AlertNoticeAudience.SendersFor(Nation, "fire-gangnam", options));
    }

    [Fact]
    public void In_a_single_city_every_agency_is_shown_the_city_rooms_notice()
    {
        var city = new[] { SeoulDisaster with { CityWide = true, Districts = [] }, FireGangnam, Seoul119 with { CityWide = true, Districts = [] } }.ToDictionary(a => a.Id);
        Assert.Equal(["fire-gangnam", "seoul-119", "seoul-disaster-room"], AlertNoticeAudience.Shown(city, "seoul-disaster-room"));
    }
}
